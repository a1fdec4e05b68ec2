// The worker's log for people: what the pipeline raised on purpose is information without a stack trace; a stack
// trace is for the unexpected.
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger';
import { sdkEntryLevel, sdkLoggerOf } from '../../workers/runtime';

const REJECTED = 'JAO rejected the request for 2026-02-02: The request was rejected (simulated).';

/** The worker's SDK logger writing JSON lines into an array. */
function sdkLog() {
  const lines: string[] = [];
  const logger = sdkLoggerOf(
    createLogger('worker', { level: 'info', format: 'json', sink: { write: (line) => lines.push(line) } }),
  );
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("the SDK's entries in the worker's log", () => {
  it("log a simulated refusal at info, without a stack trace, from the activity's and the workflow's side", () => {
    const { logger, lines } = sdkLog();
    logger.warn('Activity failed', {
      activityType: 'fetchDayFromJao',
      error: ApplicationFailure.nonRetryable(REJECTED, 'JaoRejected'),
    });
    // What the workflow's thread hands over: a copy of the failure its code threw, which keeps only the stack.
    logger.warn('Workflow failed', {
      workflowType: 'deliveryDayWorkflow',
      error: structuredClone(ApplicationFailure.nonRetryable(REJECTED, 'DayFailed')),
    });
    expect(lines().map(({ level, message, error }) => ({ level, message, error }))).toEqual([
      {
        level: 'info',
        message: 'Activity failed',
        error: { type: 'JaoRejected', message: REJECTED, nonRetryable: true },
      },
      { level: 'info', message: 'Workflow failed', error: { type: 'ApplicationFailure', message: REJECTED } },
    ]);
  });

  it('keep the warning, with its stack, for what nobody raised on purpose', () => {
    const { logger, lines } = sdkLog();
    logger.warn('Activity failed', { error: new TypeError('x is not a function') });
    logger.warn('Activity failed', {
      error: ApplicationFailure.retryable('JAO unavailable for 2026-02-02: HTTP 503', 'JaoUnavailable'),
    });
    const [unexpected, outage] = lines();
    expect(unexpected).toMatchObject({ level: 'warn', error: { type: 'TypeError' } });
    expect((unexpected?.error as { stack?: string } | undefined)?.stack).toContain(
      'TypeError: x is not a function',
    );
    expect(outage).toMatchObject({ level: 'warn', error: { type: 'JaoUnavailable' } });
    expect(outage?.error).not.toHaveProperty('stack');
  });

  it('change no other level', () => {
    const refused = ApplicationFailure.nonRetryable('the database holds 3 day(s)', 'RestoreRefused');
    expect(sdkEntryLevel('WARN', 'Activity failed', { error: refused })).toBe('INFO');
    const wrapped = new ActivityFailure(
      'Activity task failed',
      'x',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'w',
      refused,
    );
    expect(sdkEntryLevel('WARN', 'Workflow failed', { error: wrapped })).toBe('INFO');
    expect(sdkEntryLevel('WARN', 'Activity failed', { error: wrapped })).toBe('WARN');
    expect(sdkEntryLevel('ERROR', 'Workflow failed', {})).toBe('ERROR');
    expect(sdkEntryLevel('WARN', 'Failed to poll', {})).toBe('WARN');
  });

  it('take an expected failure as information only in the SDK’s “Activity failed”; another warning carrying one stays', () => {
    const rejected = ApplicationFailure.nonRetryable(REJECTED, 'JaoRejected');
    expect(sdkEntryLevel('WARN', 'Activity failed', { error: rejected })).toBe('INFO');
    // The SDK's other warning with an error, and an activity's own warning that quotes a refusal it met.
    expect(
      sdkEntryLevel('WARN', 'Failed to encode heartbeat details, cancelling Activity', { error: rejected }),
    ).toBe('WARN');
    expect(sdkEntryLevel('WARN', 'archive: a day could not be restored', { error: rejected })).toBe('WARN');
  });

  it('take the activity-only fetch worker’s “not polling for workflow tasks” as information', () => {
    const message = 'No workflows registered, not polling for workflow tasks';
    expect(sdkEntryLevel('WARN', message, { taskQueue: 'jao-scraper-fetch' })).toBe('INFO');
    expect(sdkEntryLevel('WARN', message, { taskQueue: 'jao-scraper' })).toBe('WARN');
  });
});

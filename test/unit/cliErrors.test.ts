import { WorkflowFailedError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { messageWithCauses } from '../../cli/errors';

const REFUSED =
  'the database holds 3 day(s): restore rebuilds an empty database (create one and run jao migrate), or pass --merge';

const activityFailure = (cause: Error, activityType = 'planArchiveRestore') =>
  new ActivityFailure(
    'Activity task failed',
    activityType,
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    'w',
    cause,
  );
const workflowFailure = (cause: Error) =>
  new WorkflowFailedError('Workflow execution failed', cause, RetryState.NON_RETRYABLE_FAILURE);

describe('CLI error lines', () => {
  it("say a workflow's root cause, never Temporal's wrappers alone", () => {
    const refused = ApplicationFailure.nonRetryable(REFUSED, 'RestoreRefused');
    expect(messageWithCauses(workflowFailure(activityFailure(refused)))).toBe(REFUSED);
    const child = new ChildWorkflowFailure(
      'default',
      { workflowId: 'maxExchanges/day/2026-02-02', runId: 'r' },
      'deliveryDayWorkflow',
      RetryState.NON_RETRYABLE_FAILURE,
      ApplicationFailure.nonRetryable('JAO rejected the request for 2026-02-02: no', 'DayFailed'),
    );
    expect(messageWithCauses(workflowFailure(child))).toBe('JAO rejected the request for 2026-02-02: no');
  });

  it('name the activity or child a timeout ended', () => {
    const timeout = new TimeoutFailure(
      'activity StartToClose timeout',
      undefined,
      TimeoutType.START_TO_CLOSE,
    );
    expect(messageWithCauses(workflowFailure(activityFailure(timeout, 'restoreArchiveBatch')))).toBe(
      'activity restoreArchiveBatch: activity StartToClose timeout',
    );
  });

  it('keep a wrapper that has nothing beneath it, and every other message along the causes', () => {
    expect(messageWithCauses(workflowFailure(undefined as unknown as Error))).toBe(
      'Workflow execution failed',
    );
    expect(
      messageWithCauses(
        new WorkflowFailedError('Workflow execution cancelled', undefined, RetryState.NON_RETRYABLE_FAILURE),
      ),
    ).toBe('Workflow execution cancelled');
    const activity = new Error(
      'gave up after 1801 s of failing attempts: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(messageWithCauses(new Error('plan the backfill', { cause: activity }))).toBe(
      'plan the backfill: gave up after 1801 s of failing attempts: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(messageWithCauses('plain')).toBe('plain');
  });
});

// The backfill with stub activities: over more days than daysPerRun it continues as new, carrying its tally.
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_COMPLETE_DAYS_ATTRIBUTE } from '../../common/searchAttributes';
import { daysInRange } from '../../domain/calendar';
import type { BackfillResult, DayOutcome } from '../../domain/workflowInputs';
import type { backfillWorkflow } from '../../workflows';
import type { BackfillCarry } from '../../workflows/backfill';
import { REASONS, type StubCalls, type StubOutcome, stubActivities } from '../helpers/stubActivities';
import {
  type StubWorkers,
  startStubWorkers,
  type WorkflowTestEnvironment,
  workflowTestEnvironment,
} from '../helpers/workflowEnvironment';

const FROM = '2025-05-01';
const TO = '2025-05-07';
const DAYS_PER_RUN = 3;
const SCRIPT: Record<string, StubOutcome> = {
  '2025-05-02': 'partial',
  '2025-05-04': { fetchFails: 'JAO answered 400: bad request' },
  '2025-05-06': 'not_published',
  '2025-05-07': 'invalid',
};

interface Run {
  runId: string;
  carry: BackfillCarry | undefined;
  /** The run that follows (continue-as-new), if any. */
  next: string | undefined;
}

describe('backfillWorkflow (stub activities)', () => {
  let t: WorkflowTestEnvironment;
  let workers: StubWorkers;
  let calls: StubCalls;

  beforeAll(async () => {
    t = await workflowTestEnvironment('wf-backfill');
    const stub = stubActivities((day) => SCRIPT[day] ?? 'complete');
    calls = stub.calls;
    workers = await startStubWorkers(t, 'wf-backfill', stub.stubs);
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.env.teardown();
  });

  /** Every run of the chain, from the first: its carried state and the run it continued as. */
  async function runsOf(workflowId: string, firstRunId: string): Promise<Run[]> {
    const runs: Run[] = [];
    for (let runId: string | undefined = firstRunId; runId; runId = runs.at(-1)!.next) {
      const events = (await t.env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
      const payloads = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      const carried = payloads[1];
      runs.push({
        runId,
        carry: carried ? defaultPayloadConverter.fromPayload<BackfillCarry>(carried) : undefined,
        next: events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined,
      });
    }
    return runs;
  }

  it('continues as new every daysPerRun days and ends with the whole tally, each day counted once', async () => {
    const handle = await t.env.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `backfill-${workers.taskQueue}`,
      taskQueue: workers.taskQueue,
      // One day at a time: the outcomes are recorded in day order.
      args: [{ from: FROM, to: TO, mode: 'all', concurrency: 1, daysPerRun: DAYS_PER_RUN }],
    });
    const result = await handle.result();

    const notCompleted: DayOutcome[] = [
      { day: '2025-05-02', status: 'partial', reason: REASONS.partial },
      {
        day: '2025-05-04',
        status: 'failed',
        reason: 'JAO answered 400: bad request',
      },
      { day: '2025-05-06', status: 'not_published', reason: REASONS.not_published },
      { day: '2025-05-07', status: 'invalid', reason: REASONS.invalid },
    ];
    expect(result).toEqual({
      dataset: 'maxExchanges',
      from: FROM,
      to: TO,
      mode: 'all',
      total: 7,
      byStatus: { complete: 3, partial: 1, failed: 1, not_published: 1, invalid: 1 },
      notCompleted,
    } satisfies BackfillResult);
    expect([...calls.fetches].sort()).toEqual(daysInRange(FROM, TO));
    // Planned once: the later runs work through what the first one carried; the last re-checks its days once.
    expect(calls.plans).toBe(1);
    expect(calls.rechecks).toBe(1);

    // Three runs (3 + 3 + 1 days); each carries what is left and the tally so far, never a day twice.
    const runs = await runsOf(handle.workflowId, handle.firstExecutionRunId);
    expect(runs.map((run) => run.carry)).toEqual([
      undefined,
      {
        remaining: ['2025-05-04', '2025-05-05', '2025-05-06', '2025-05-07'],
        total: 7,
        tally: { done: 3, byStatus: { complete: 2, partial: 1 }, notCompleted: notCompleted.slice(0, 1) },
        completeDays: ['2025-05-01', '2025-05-03'],
        rerunDays: [],
      },
      {
        remaining: ['2025-05-07'],
        total: 7,
        tally: {
          done: 6,
          byStatus: { complete: 3, partial: 1, failed: 1, not_published: 1 },
          notCompleted: notCompleted.slice(0, 3),
        },
        completeDays: ['2025-05-01', '2025-05-03', '2025-05-05'],
        rerunDays: [],
      },
    ]);
    // The last run publishes the carried count too, not only its own.
    const last = await t.env.client.workflow.getHandle(handle.workflowId).describe();
    expect(last.runId).toBe(runs.at(-1)!.runId);
    expect(last.typedSearchAttributes.get(NOT_COMPLETE_DAYS_ATTRIBUTE)).toBe(4);
  });
});

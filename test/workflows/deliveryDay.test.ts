// The day workflow with stub activities: each outcome, the recorded failure, and the input a started day refuses.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_STATUS_ATTRIBUTE } from '../../common/searchAttributes';
import { addDays, marketTomorrow } from '../../domain/calendar';
import { type DayResult, dayWorkflowId } from '../../domain/workflowInputs';
import type { deliveryDayWorkflow } from '../../workflows';
import { DAY_FAILED, INVALID_INPUT } from '../../workflows/deliveryDay';
import { REASONS, type StubCalls, type StubOutcome, stubActivities } from '../helpers/stubActivities';
import {
  type StubWorkers,
  startStubWorkers,
  type WorkflowTestEnvironment,
  workflowTestEnvironment,
} from '../helpers/workflowEnvironment';

/** The outcome each test day is scripted to have. */
const SCRIPT: Record<string, StubOutcome> = {
  '2025-03-01': 'complete',
  '2025-03-02': 'partial',
  '2025-03-03': 'invalid',
  '2025-03-04': 'not_published',
  '2025-03-05': { fetchFails: 'JAO answered 400: bad request' },
  '2025-03-06': { writeFails: 'duplicate key value violates unique constraint' },
};

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => expect.fail('the workflow completed'),
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('deliveryDayWorkflow (stub activities)', () => {
  let t: WorkflowTestEnvironment;
  let workers: StubWorkers;
  let calls: StubCalls;

  beforeAll(async () => {
    t = await workflowTestEnvironment('wf-day');
    const stub = stubActivities((day) => SCRIPT[day] ?? 'complete');
    calls = stub.calls;
    workers = await startStubWorkers(t, 'wf-day', stub.stubs);
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.env.teardown();
  });

  const start = (day: string, workflowId = dayWorkflowId('maxExchanges', day)) =>
    t.env.client.workflow.start<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
      workflowId,
      taskQueue: workers.taskQueue,
      args: [{ dataset: 'maxExchanges', day, trigger: 'manual' }],
    });
  const dayStatusOf = async (day: string) =>
    (
      await t.env.client.workflow.getHandle(dayWorkflowId('maxExchanges', day)).describe()
    ).typedSearchAttributes.get(DAY_STATUS_ATTRIBUTE);

  const stored = (day: string, status: DayResult['status']): DayResult => ({
    day,
    status,
    mtus: 24,
    points: 0,
    changedPoints: 0,
    revision: 1,
    ...(status === 'complete' || status === 'failed' ? {} : { reason: REASONS[status] }),
  });

  it.each([
    ['2025-03-01', 'complete'],
    ['2025-03-02', 'partial'],
    ['2025-03-03', 'invalid'],
    ['2025-03-04', 'not_published'],
  ] as const)('%s ends %s, with that DayStatus', async (day, status) => {
    expect(await (await start(day)).result()).toEqual(stored(day, status));
    expect(await dayStatusOf(day)).toBe(status);
    expect(calls.writes.filter((written) => written === day)).toEqual([day]);
    expect(calls.failures.filter((failure) => failure.day === day)).toEqual([]);
  });

  it.each([
    ['the fetch fails for good', '2025-03-05', 'JAO answered 400: bad request', []],
    [
      'the write fails for good',
      '2025-03-06',
      'duplicate key value violates unique constraint',
      ['2025-03-06'],
    ],
  ])(
    'fails when %s: the failure is recorded with its message, DayStatus failed',
    async (_, day, message, writes) => {
      const failure = await failureOf((await start(day)).result());
      expect({ type: failure.type, message: failure.message, nonRetryable: failure.nonRetryable }).toEqual({
        type: DAY_FAILED,
        message,
        nonRetryable: true,
      });
      expect(calls.failures.filter((recorded) => recorded.day === day)).toEqual([{ day, error: message }]);
      expect(calls.writes.filter((written) => written === day)).toEqual(writes);
      expect(await dayStatusOf(day)).toBe('failed');
    },
  );

  it('refuses, started from outside, a day after tomorrow or an id that does not name the day', async () => {
    // Two days after tomorrow: still after tomorrow should the test cross midnight.
    const late = addDays(marketTomorrow(new Date()), 2);
    const fetchesBefore = calls.fetches.length;
    const tooLate = await failureOf((await start(late)).result());
    expect({ type: tooLate.type, nonRetryable: tooLate.nonRetryable }).toEqual({
      type: INVALID_INPUT,
      nonRetryable: true,
    });
    expect(tooLate.message).toMatch(new RegExp(`^invalid input: ${late} is after tomorrow \\(`));

    const misnamed = await failureOf((await start('2025-03-07', 'maxExchanges/day/2025-03-08')).result());
    expect({ type: misnamed.type, message: misnamed.message }).toEqual({
      type: INVALID_INPUT,
      message:
        'invalid input: workflow id "maxExchanges/day/2025-03-08" does not name the day: start it as "maxExchanges/day/2025-03-07"',
    });
    expect(calls.fetches.length).toBe(fetchesBefore);
  });
});

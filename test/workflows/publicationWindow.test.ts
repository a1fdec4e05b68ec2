// The publication window with stub activities. Its windows are chosen from the clock the workflow reads, so every
// scenario holds whatever the hour. The clock moves in real time: a window closes at the end of the current minute,
// and continue-as-new comes after the few checks per run the input asks for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketTomorrow } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import type { publicationWindowWorkflow } from '../../workflows';
import {
  CHECKS_PER_RUN,
  type PublicationWindowResult,
  type PublicationWindowWorkflowInput,
} from '../../workflows/publicationWindow';
import { localHhmm, msUntilLocalMidnight, windowClosedAt } from '../helpers/publicationWindows';
import { type StubCalls, type StubScript, stubActivities } from '../helpers/stubActivities';
import {
  type StubWorkers,
  startStubWorkers,
  type WorkflowTestEnvironment,
  workflowTestEnvironment,
} from '../helpers/workflowEnvironment';

const MINUTE_MS = 60_000;

describe('publicationWindowWorkflow (stub activities)', () => {
  let t: WorkflowTestEnvironment;
  let workers: StubWorkers;
  const stub = stubActivities(() => 'complete');

  beforeAll(async () => {
    t = await workflowTestEnvironment('wf-window');
    workers = await startStubWorkers(t, 'wf-window', stub.stubs);
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.env.teardown();
  });

  /** Now on the clock the workflow reads (the test server's, which skipped time moves). */
  const now = () => t.env.currentTimeMs();

  /** A window from the current minute to `minutes` later, within today: waits (a few seconds) past midnight first. */
  async function windowFromNow(minutes: number | 'midnight'): Promise<string> {
    const needed = minutes === 'midnight' ? 30_000 : (minutes + 1) * MINUTE_MS;
    const left = msUntilLocalMidnight(await now());
    if (left < needed) await t.env.sleep(left + 1_000);
    const at = await now();
    return `${localHhmm(at)}-${minutes === 'midnight' ? '24:00' : localHhmm(at + minutes * MINUTE_MS)}`;
  }

  /** Runs the workflow with the stubs following `script` (from a clean slate); the fetches are in `calls`. */
  async function runWindow(
    label: string,
    script: StubScript,
    window: string,
    checkIntervalMs: number,
    { checksBefore, checksPerRun }: { checksBefore?: number; checksPerRun?: number } = {},
  ): Promise<{ result: PublicationWindowResult; calls: StubCalls; tomorrows: DeliveryDay[]; runs: number }> {
    stub.reset(script);
    const input: PublicationWindowWorkflowInput = { window, checkIntervalMs, checksPerRun };
    const handle = await t.env.client.workflow.start<typeof publicationWindowWorkflow>(
      'publicationWindowWorkflow',
      {
        workflowId: `${label}-${workers.taskQueue}`,
        taskQueue: workers.taskQueue,
        args: checksBefore === undefined ? [input] : [input, checksBefore],
      },
    );
    const startedAt = (await handle.describe()).startTime;
    const result = await handle.result();
    // The day the workflow watches is tomorrow on its clock when it started (at most a task after startTime).
    const tomorrows = [marketTomorrow(startedAt), marketTomorrow(new Date(startedAt.getTime() + 10_000))];
    let runs = 0;
    for (let runId: string | undefined = handle.firstExecutionRunId; runId; runs += 1) {
      const history = await t.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      runId =
        history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ??
        undefined;
    }
    return { result, calls: stub.calls, tomorrows, runs };
  }

  it('outside its window: ends at once, no check', async () => {
    const window = windowClosedAt(await now());
    const { result, calls, tomorrows } = await runWindow('outside', () => 'complete', window, 1_000);
    expect(tomorrows).toContain(result.day);
    expect(result).toEqual({ day: result.day, outcome: 'outside-window', status: null, checks: 0 });
    expect([calls.fetches, calls.statusReads]).toEqual([[], 0]);
  });

  it('inside its window: checks tomorrow every interval until it is complete, then stops', async () => {
    let checked = 0;
    const { result, calls, tomorrows } = await runWindow(
      'open',
      () => (++checked < 3 ? 'not_published' : 'complete'),
      await windowFromNow('midnight'),
      1_000,
    );
    expect(tomorrows).toContain(result.day);
    expect(result).toEqual({ day: result.day, outcome: 'complete', status: 'complete', checks: 3 });
    expect(calls.fetches).toEqual([result.day, result.day, result.day]);
  });

  it('counts on from the checks of the run it continued from', async () => {
    let checked = 0;
    const { result, calls } = await runWindow(
      'carried',
      () => (++checked < 2 ? 'not_published' : 'complete'),
      await windowFromNow('midnight'),
      1_000,
      { checksBefore: 7 },
    );
    expect(result).toMatchObject({ outcome: 'complete', status: 'complete', checks: 9 });
    expect(calls.fetches).toHaveLength(2);
  });

  /** A window from the current minute to its end: it closes within a minute (at least 3 s away). */
  async function windowClosingThisMinute(): Promise<string> {
    const left = msUntilLocalMidnight(await now());
    if (left < 2 * MINUTE_MS) await t.env.sleep(left + 1_000);
    const untilNextMinute = MINUTE_MS - ((await now()) % MINUTE_MS);
    if (untilNextMinute < 3_000) await t.env.sleep(untilNextMinute + 100);
    const at = await now();
    return `${localHhmm(at)}-${localHhmm(at + MINUTE_MS)}`;
  }

  it('gives up when the window closes before tomorrow is complete', async () => {
    const { result, calls, tomorrows, runs } = await runWindow(
      'closes',
      () => 'not_published',
      await windowClosingThisMinute(),
      1_000,
    );
    expect(tomorrows).toContain(result.day);
    expect(result).toEqual({
      day: result.day,
      outcome: 'window-closed',
      status: 'not_published',
      checks: calls.fetches.length,
    });
    expect(calls.fetches.length).toBeGreaterThanOrEqual(1);
    expect(runs).toBe(1);
  }, 120_000);

  it('continues as new after its checks per run, counting on, and ends in the next run', async () => {
    let checked = 0;
    const { result, calls, runs } = await runWindow(
      'long',
      () => (++checked <= 4 ? 'not_published' : 'complete'),
      await windowFromNow('midnight'),
      1_000,
      { checksPerRun: 3 },
    );
    expect(result).toMatchObject({ outcome: 'complete', status: 'complete', checks: 5 });
    expect(calls.fetches).toHaveLength(5);
    expect(runs).toBe(2);
  });

  it('refuses checks per run outside 1..CHECKS_PER_RUN', async () => {
    const refused = runWindow('too-many', () => 'complete', await windowFromNow('midnight'), 1_000, {
      checksPerRun: CHECKS_PER_RUN + 1,
    });
    await expect(refused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/^invalid publication window input: checksPerRun: /) },
    });
  });
});

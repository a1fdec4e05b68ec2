// The publication window with stub activities. Its windows are chosen from the clock the workflow reads, so every
// scenario holds whatever the hour. The clock moves in real time: continue-as-new comes after the few checks per run
// the input asks for, and a window closes at the instant its input's `closesBy` says, seconds away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketTomorrow } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import { dayWorkflowId } from '../../domain/workflowInputs';
import type { deliveryDayWorkflow, publicationWindowWorkflow } from '../../workflows';
import {
  CHECKS_PER_RUN,
  type PublicationWindowResult,
  type PublicationWindowWorkflowInput,
  publicationProgressQuery,
} from '../../workflows/publicationWindow';
import { localHhmm, msUntilLocalMidnight, windowClosedAt } from '../helpers/publicationWindows';
import { type StubCalls, type StubScript, type Stubs, stubActivities } from '../helpers/stubActivities';
import { untilTrue } from '../helpers/until';
import {
  type StubWorkers,
  startStubWorkers,
  type WorkflowTestEnvironment,
  workflowTestEnvironment,
} from '../helpers/workflowEnvironment';

const MINUTE_MS = 60_000;

interface WindowRun {
  result: PublicationWindowResult;
  calls: StubCalls;
  tomorrows: DeliveryDay[];
  runs: number;
}

/** Where scenarios run: an environment, stub workers on a queue of their own, and their stubs. */
interface Scenarios {
  t: WorkflowTestEnvironment;
  workers: StubWorkers;
  stub: Stubs;
}

async function startScenarios(label: string): Promise<Scenarios> {
  const t = await workflowTestEnvironment(label);
  const stub = stubActivities(() => 'complete');
  const workers = await startStubWorkers(t, label, stub.stubs);
  return { t, workers, stub };
}

async function stopScenarios(scenarios: Scenarios | undefined): Promise<void> {
  await scenarios?.workers.stop();
  await scenarios?.t.env.teardown();
}

/** Now on the clock the workflow reads (the test server's, which skipped time moves). */
const nowOf = ({ t }: Scenarios) => t.env.currentTimeMs();

/** Runs the workflow with the stubs following `script` (from a clean slate); the fetches are in `calls`. */
async function runWindow(
  { t, workers, stub }: Scenarios,
  label: string,
  script: StubScript,
  window: string,
  checkIntervalMs: number,
  {
    checksBefore,
    checksPerRun,
    closesBy,
  }: { checksBefore?: number; checksPerRun?: number; closesBy?: string } = {},
): Promise<WindowRun> {
  stub.reset(script);
  const input: PublicationWindowWorkflowInput = { window, checkIntervalMs, checksPerRun, closesBy };
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
      history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { result, calls: stub.calls, tomorrows, runs };
}

describe('publicationWindowWorkflow (stub activities)', () => {
  let main: Scenarios;

  beforeAll(async () => {
    main = await startScenarios('wf-window');
  });
  afterAll(async () => {
    await stopScenarios(main);
  });

  /** A window from the current minute to `minutes` later, within today: waits (a few seconds) past midnight first. */
  async function windowFromNow(minutes: number | 'midnight'): Promise<string> {
    const needed = minutes === 'midnight' ? 30_000 : (minutes + 1) * MINUTE_MS;
    const left = msUntilLocalMidnight(await nowOf(main));
    if (left < needed) await main.t.env.sleep(left + 1_000);
    const at = await nowOf(main);
    return `${localHhmm(at)}-${minutes === 'midnight' ? '24:00' : localHhmm(at + minutes * MINUTE_MS)}`;
  }

  it('outside its window: ends at once, no check', async () => {
    const window = windowClosedAt(await nowOf(main));
    const { result, calls, tomorrows } = await runWindow(main, 'outside', () => 'complete', window, 1_000);
    expect(tomorrows).toContain(result.day);
    expect(result).toEqual({ day: result.day, outcome: 'outside-window', status: null, checks: 0 });
    expect([calls.fetches, calls.statusReads]).toEqual([[], 0]);
  });

  it('inside its window: checks tomorrow every interval until it is complete, then stops', async () => {
    let checked = 0;
    const { result, calls, tomorrows } = await runWindow(
      main,
      'open',
      () => (++checked < 2 ? 'not_published' : 'complete'),
      await windowFromNow('midnight'),
      1_000,
    );
    expect(tomorrows).toContain(result.day);
    expect(result).toEqual({ day: result.day, outcome: 'complete', status: 'complete', checks: 2 });
    expect(calls.fetches).toEqual([result.day, result.day]);
  });

  it('counts on from the checks of the run it continued from', async () => {
    const { result, calls } = await runWindow(
      main,
      'carried',
      () => 'complete',
      await windowFromNow('midnight'),
      1_000,
      { checksBefore: 7 },
    );
    expect(result).toMatchObject({ outcome: 'complete', status: 'complete', checks: 8 });
    expect(calls.fetches).toHaveLength(1);
  });

  it('continues as new after its checks per run, counting on, and ends in the next run', async () => {
    let checked = 0;
    const { result, calls, runs } = await runWindow(
      main,
      'long',
      () => (++checked <= 1 ? 'not_published' : 'complete'),
      await windowFromNow('midnight'),
      1_000,
      { checksPerRun: 1 },
    );
    expect(result).toMatchObject({ outcome: 'complete', status: 'complete', checks: 2 });
    expect(calls.fetches).toHaveLength(2);
    expect(runs).toBe(2);
  });

  it('refuses checks per run outside 1..CHECKS_PER_RUN', async () => {
    const refused = runWindow(main, 'too-many', () => 'complete', await windowFromNow('midnight'), 1_000, {
      checksPerRun: CHECKS_PER_RUN + 1,
    });
    await expect(refused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/^invalid publication window input: checksPerRun: /) },
    });
  });

  it('gives up when the window closes before tomorrow is complete', async () => {
    // Checks every 5 s, the window closing 2 s in: one check, and the wait after it is cut short at the close.
    const closesBy = new Date((await nowOf(main)) + 2_000).toISOString();
    const { result, calls, tomorrows, runs } = await runWindow(
      main,
      'closes',
      () => 'not_published',
      await windowFromNow('midnight'),
      5_000,
      { closesBy },
    );
    expect(tomorrows).toContain(result.day);
    expect(result).toEqual({ day: result.day, outcome: 'window-closed', status: 'not_published', checks: 1 });
    expect(calls.fetches).toEqual([result.day]);
    expect(runs).toBe(1);
  });

  it('refuses a closesBy that is not an instant', async () => {
    const refused = runWindow(main, 'bad-close', () => 'complete', await windowFromNow('midnight'), 1_000, {
      closesBy: 'soon',
    });
    await expect(refused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/^invalid publication window input: closesBy: /) },
    });
  });

  it("stands down while its region's monitoring is healthy, and checks again once it is not", async () => {
    const { t, workers, stub } = main;
    stub.reset(() => 'complete');
    stub.monitoring.healthy = true;
    const handle = await t.env.client.workflow.start<typeof publicationWindowWorkflow>(
      'publicationWindowWorkflow',
      {
        workflowId: `stand-down-${workers.taskQueue}`,
        taskQueue: workers.taskQueue,
        args: [{ window: await windowFromNow('midnight'), checkIntervalMs: 1_000 }],
      },
    );
    await untilTrue('three intervals stood down', () => stub.calls.modeReads >= 3, { timeoutMs: 20_000 });
    expect(stub.calls.fetches).toEqual([]);
    const progress = await handle.query(publicationProgressQuery);
    expect(progress).toMatchObject({ checks: 0, status: null });
    expect(progress.stoodDown).toBeGreaterThanOrEqual(2);
    // The monitoring down: the next interval checks tomorrow, which is complete.
    stub.monitoring.healthy = false;
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'complete', status: 'complete', checks: 1 });
    expect(result.stoodDown).toBeGreaterThanOrEqual(3);
    expect(stub.calls.fetches).toEqual([result.day]);
  });

  it('while stood down, ends complete once the day is stored by another run (the monitoring workflow)', async () => {
    const { t, workers, stub } = main;
    stub.reset(() => 'complete');
    stub.monitoring.healthy = true;
    const handle = await t.env.client.workflow.start<typeof publicationWindowWorkflow>(
      'publicationWindowWorkflow',
      {
        workflowId: `stand-down-stored-${workers.taskQueue}`,
        taskQueue: workers.taskQueue,
        args: [{ window: await windowFromNow('midnight'), checkIntervalMs: 1_000 }],
      },
    );
    await untilTrue('an interval stood down', () => stub.calls.modeReads >= 1, { timeoutMs: 20_000 });
    const { day } = await handle.query(publicationProgressQuery);
    // What the monitoring workflow does when JAO announces the day: runs the day workflow.
    await t.env.client.workflow.execute<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
      workflowId: dayWorkflowId('maxExchanges', day),
      taskQueue: workers.taskQueue,
      args: [{ dataset: 'maxExchanges', day, trigger: 'poll' }],
    });
    const result = await handle.result();
    expect(result).toMatchObject({ day, outcome: 'complete', status: 'complete', checks: 0 });
    expect(stub.calls.fetches).toEqual([day]);
    stub.monitoring.healthy = false;
  });
});

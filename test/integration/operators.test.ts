// What operators see in the Temporal Web UI and from `jao health`: each day's outcome as a search attribute,
// runs that count their non-complete days, summaries and details, refused starts, missing workers, and days a
// database outage failed being recorded as such.
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BackfillProgress, BackfillResult } from '../../domain/workflowInputs';
import { readTemporalHealth } from '../../workers/healthFacts';
import type { backfillWorkflow } from '../../workflows';
import { runCli } from '../helpers/cli';
import { startJaoGate } from '../helpers/gatedJao';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';
import { withAdminClient } from '../helpers/postgres';
import { untilRead, untilTrue } from '../helpers/until';

const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
/** Deadline of the waits for what visibility and the server show: eventually consistent, soon. */
const SOON = { timeoutMs: 15_000 };

describe('operators see the truth', () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;

  beforeAll(async () => {
    // The simulator's clock: 2025-07-05 02:00 local, so 2025-07-06 is not published yet.
    h = await createPipelineHarness('operators', {
      now: () => new Date('2025-07-05T00:00:00Z'),
      faults: { missingMtuDays: ['2025-07-02'], malformedDays: ['2025-07-03'], rejectedDays: ['2025-07-04'] },
    });
    workers = await h.startWorkers();
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.close();
  });

  const daysWith = async (query: string) => {
    const days: string[] = [];
    for await (const run of h.temporal.client.workflow.list({
      query: `TaskQueue = '${h.taskQueue}' AND ${query}`,
    })) {
      days.push(run.workflowId.replace('maxExchanges/day/', ''));
    }
    return days.sort();
  };

  it('lists each day by its DayStatus, and the backfill by NotCompleteDays, with reasons everywhere', async () => {
    const workflowId = `backfill-operators-${h.taskQueue}`;
    const handle = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ from: '2025-07-01', to: '2025-07-06', concurrency: 3, mode: 'all' }],
    });
    await expect(handle.result()).resolves.toBeDefined();
    const result: BackfillResult = await handle.result();
    expect(result.byStatus).toEqual({ complete: 2, partial: 1, invalid: 1, failed: 1, not_published: 1 });
    expect(result.notCompleted.map((o) => [o.day, o.status])).toEqual(
      expect.arrayContaining([
        ['2025-07-02', 'partial'],
        ['2025-07-03', 'invalid'],
        ['2025-07-04', 'failed'],
        ['2025-07-06', 'not_published'],
      ]),
    );
    for (const outcome of result.notCompleted) expect(outcome.reason, outcome.day).toMatch(/\w{4,}/);
    expect(result.notCompleted.find((o) => o.day === '2025-07-04')?.reason).toMatch(/rejected/);

    const progress = await handle.query<BackfillProgress>('progress');
    expect(progress.notCompleted).toEqual(result.notCompleted);

    const expected: Record<string, string[]> = {
      complete: ['2025-07-01', '2025-07-05'],
      partial: ['2025-07-02'],
      invalid: ['2025-07-03'],
      failed: ['2025-07-04'],
      not_published: ['2025-07-06'],
    };
    for (const [status, days] of Object.entries(expected)) {
      const found = await untilRead(
        `${days.length} day(s) listed ${status}`,
        () => daysWith(`DayStatus = '${status}'`),
        (list) => list.length === days.length,
        SOON,
      );
      expect(found, status).toEqual(days);
    }
    expect(await daysWith(`DayStatus != 'complete' AND DeliveryDay STARTS_WITH '2025-07'`)).toEqual([
      '2025-07-02',
      '2025-07-03',
      '2025-07-04',
      '2025-07-06',
    ]);
    const flagged = await untilRead(
      'the backfill listed with NotCompleteDays > 0',
      () => daysWith(`NotCompleteDays > 0 AND WorkflowId = '${workflowId}'`),
      (list) => list.length === 1,
      SOON,
    );
    expect(flagged).toEqual([workflowId]);
    const count = (await handle.describe()).searchAttributes.NotCompleteDays;
    expect(count).toEqual([4]);

    const child = h.temporal.client.workflow.getHandle('maxExchanges/day/2025-07-02');
    expect(await (await child.describe()).staticSummary()).toBe('maxExchanges 2025-07-02 (backfill)');
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('Finished: 6 of 6 days done.');
    expect(metadata.currentDetails).toContain('Not complete (4)');
    expect(metadata.currentDetails).toMatch(/2025-07-04 \*\*failed\*\*: .*rejected/);
  });

  it('records a day an operator cancels alone as failed, and the backfill goes on', async () => {
    // The backfill's first fetches wait at the gate: its first day is running when the operator cancels it.
    await workers.stop();
    const gate = await startJaoGate(h.simulator.origin);
    gate.close();
    workers = await h.startWorkers({ jaoBaseUrl: gate.origin });
    try {
      const handle = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
        workflowId: `backfill-cancel-one-${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [{ from: '2025-07-21', to: '2025-07-24', concurrency: 2, mode: 'all' }],
      });
      // the backfill counts a day as running once it asked for its child; the server may not have started it yet
      const day = h.temporal.client.workflow.getHandle('maxExchanges/day/2025-07-21');
      await untilRead(
        'the day 2025-07-21 running',
        () =>
          day.describe().then(
            (described) => described.status.name,
            () => 'NOT_STARTED',
          ),
        (status) => status === 'RUNNING',
        SOON,
      );
      await day.cancel();
      gate.open();
      const result: BackfillResult = await handle.result();
      // The simulator's clock is at 2025-07-05: the other days end not published.
      expect(result.byStatus).toEqual({ not_published: 3, failed: 1 });
      expect(result.notCompleted).toContainEqual({
        day: '2025-07-21',
        status: 'failed',
        reason: expect.stringMatching(/cancelled/),
      });
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    } finally {
      await workers.stop();
      await gate.stop();
      workers = await h.startWorkers();
    }
  });

  it('refuses a started day after tomorrow and one whose id names another day, without retrying', async () => {
    const start = (workflowId: string, day: string) =>
      h.temporal.client.workflow.execute('deliveryDayWorkflow', {
        workflowId,
        taskQueue: h.taskQueue,
        args: [{ dataset: 'maxExchanges', day, trigger: 'manual' }],
      });
    for (const [workflowId, day, message] of [
      ['maxExchanges/day/2099-01-01', '2099-01-01', /after tomorrow/],
      [
        'maxExchanges/day/2025-07-20',
        '2025-07-21',
        /does not name the day: start it as "maxExchanges\/day\/2025-07-21"/,
      ],
    ] as const) {
      const failure = await start(workflowId, day).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toMatchObject({
        type: 'InvalidInput',
        message: expect.stringMatching(message),
      });
    }
    const rows = await h.db.pool.query(
      `SELECT day FROM jao.delivery_day WHERE day IN ('2025-07-20', '2025-07-21')`,
    );
    expect(rows.rowCount).toBe(0);
  });

  it('records a day whose database went away past the retry horizon as failed, with the reason', async () => {
    const day = '2025-07-10';
    const admin = inject('adminDatabaseUrl');
    const setConnections = (allowed: boolean) =>
      withAdminClient(admin, async (client) => {
        await client.query(`ALTER DATABASE "${h.db.name}" WITH ALLOW_CONNECTIONS ${allowed}`);
        if (!allowed) {
          await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
            h.db.name,
          ]);
        }
      });
    await workers.stop();
    const gate = await startJaoGate(h.simulator.origin);
    gate.close();
    const fetching = await h.startWorkers({ retryHorizonMs: 2_000, jaoBaseUrl: gate.origin });
    let recovering: RunningWorkers | undefined;
    try {
      const handle = await h.startDay(day);
      // While the fetch waits at the gate before JAO, the workflow's worker stops; the fetch then stores the answer.
      await untilTrue('the fetch waiting at the gate', () => gate.waiting() > 0);
      const [mainWorker] = fetching.workers.workers;
      mainWorker!.shutdown();
      await untilRead(
        'the main worker stopped',
        () => mainWorker!.getState(),
        (state) => state === 'STOPPED',
        SOON,
      );
      // The worker stopped while JAO still answers: nobody can run validate before the database goes away.
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      expect(pending.map((a) => [a.activityType?.name, a.state])).toEqual([['fetchDayFromJao', STARTED]]);
      gate.open();
      await untilRead(
        'no activity pending',
        async () => (await handle.describe()).raw.pendingActivities?.length ?? 0,
        (pending) => pending === 0,
        SOON,
      );
      await fetching.stop();
      // Then the database goes away, and a worker takes the workflow up again: validate cannot read the answer.
      await setConnections(false);
      recovering = await h.startWorkers({ retryHorizonMs: 2_000 });
      // Validate gives up after the 2 s horizon; recording the failure waits for the database to come back.
      await untilRead(
        'recordDayFailure pending at its second attempt',
        async () =>
          ((await handle.describe()).raw.pendingActivities ?? []).map((a) => ({
            activity: a.activityType?.name,
            attempt: a.attempt ?? 0,
          })),
        (pending) => pending.some((a) => a.activity === 'recordDayFailure' && a.attempt >= 2),
        { timeoutMs: 30_000 },
      );
      await setConnections(true);
      const failure = await handle.result().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const rows = await h.db.pool.query('SELECT status, last_error FROM jao.delivery_day WHERE day = $1', [
        day,
      ]);
      expect(rows.rows).toEqual([
        {
          status: 'failed',
          last_error: expect.stringMatching(/gave up \d+ s after the day started \(retry horizon 2 s\)/),
        },
      ]);
      expect((await handle.describe()).searchAttributes.DayStatus).toEqual(['failed']);
    } finally {
      await gate.stop();
      await setConnections(true);
      if (fetching.workers.workers.some((worker) => worker.getState() !== 'STOPPED')) await fetching.stop();
      await recovering?.stop();
      workers = await h.startWorkers();
    }
  });

  it('names the task queues no worker polls once the workers stop', async () => {
    // Twice the time between an idle worker's polls (the run's dev server ends a long poll after 5 s).
    const STALE_AFTER_MS = 10_000;
    const env = {
      DATABASE_URL: h.db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      HEALTH_POLLER_STALE_AFTER: `${STALE_AFTER_MS / 1000}s`,
    };
    const pollerLines = async () => {
      const health = await runCli(['health', '--json'], env);
      const verdict = JSON.parse(health.stdout) as { healthy: boolean; problems: string[] };
      return verdict.problems.filter((line) => line.startsWith('no worker polls'));
    };
    expect(await pollerLines()).toEqual([]);
    await workers.stop();
    const stoppedAt = Date.now();
    // Until the workers' last polls are older than HEALTH_POLLER_STALE_AFTER, asked as `jao health` asks.
    await untilTrue(
      'both queues without a recent poll',
      async () => {
        const { queues } = await readTemporalHealth(h.temporal, {
          namespace: h.temporal.namespace,
          taskQueue: h.taskQueue,
          pollerStaleAfterMs: STALE_AFTER_MS,
          datasets: ['maxExchanges'],
        });
        return queues.every((queue) => queue.state.kind === 'unpolled');
      },
      { timeoutMs: 60_000 },
    );
    const lines = await pollerLines();
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^no worker polls task queue ${h.taskQueue} \\(workflows`)),
      expect.stringMatching(new RegExp(`^no worker polls task queue ${h.taskQueue}-fetch \\(JAO fetches`)),
    ]);
    expect(Date.now() - stoppedAt).toBeLessThan(60_000);
    workers = await h.startWorkers();
  });
});

// Day and backfill workflows end to end: real Temporal dev server, real PostgreSQL, the JAO simulator.
// Workflow ids are global to the dev server's namespace: every test file uses delivery days no other file uses.
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { daysInRange } from '../../domain/calendar';
import type { BackfillInput, BackfillProgress, BackfillResult } from '../../domain/workflowInputs';
import type { backfillWorkflow } from '../../workflows';
import { type JaoGate, startJaoGate } from '../helpers/gatedJao';
import { createPipelineHarness, type PipelineHarness, type RunningWorkers } from '../helpers/pipeline';
import { untilRead } from '../helpers/until';

const CORE_KEYS = 132;

interface DayCounts {
  day: string;
  mtus: number;
  points: number;
  status: string;
}

async function countsByDay(h: PipelineHarness, from: string, to: string): Promise<DayCounts[]> {
  const result = await h.db.pool.query<DayCounts>(
    `SELECT d.day::text AS day, d.status,
            (SELECT count(DISTINCT mtu)::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS mtus,
            (SELECT count(*)::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS points
       FROM jao.delivery_day d
      WHERE d.day BETWEEN $1 AND $2
      ORDER BY d.day`,
    [from, to],
  );
  return result.rows;
}

const hoursOf = (day: string) => (day === '2022-10-30' ? 25 : day === '2023-03-26' ? 23 : 24);

function expectedCounts(from: string, to: string): DayCounts[] {
  return daysInRange(from, to).map((day) => ({
    day,
    status: 'complete',
    mtus: hoursOf(day),
    points: hoursOf(day) * CORE_KEYS,
  }));
}

async function runBackfill(
  h: PipelineHarness,
  input: BackfillInput,
  id = `backfill-${input.from}-${input.mode}`,
) {
  return h.temporal.client.workflow.execute<typeof backfillWorkflow>('backfillWorkflow', {
    workflowId: `${id}-${h.taskQueue}`,
    taskQueue: h.taskQueue,
    args: [input],
  });
}

describe('orchestration on Temporal', () => {
  let h: PipelineHarness;
  let workers: RunningWorkers;

  /** Between the workers and the simulator: a test holds fetches there to look at what is running. */
  let gate: JaoGate;

  beforeAll(async () => {
    h = await createPipelineHarness('orchestration');
    gate = await startJaoGate(h.simulator.origin);
    workers = await h.startWorkers({ jaoBaseUrl: gate.origin });
  });
  afterAll(async () => {
    await workers?.stop();
    await h?.close();
    await gate?.stop();
  });
  // A test that failed with the gate closed leaves it open for the next.
  afterEach(() => gate?.open());

  it('runs one day end to end, and again without duplicating anything', async () => {
    const day = '2024-02-14';
    const first = await h.runDay(day);
    expect(first).toEqual({
      day,
      status: 'complete',
      mtus: 24,
      points: 24 * CORE_KEYS,
      changedPoints: 0,
      revision: 1,
    });

    const second = await h.runDay(day);
    expect(second).toMatchObject({ day, status: 'complete', mtus: 24, points: 24 * CORE_KEYS, revision: 1 });
    expect(second.changedPoints).toBe(0);

    const rows = await h.db.pool.query<{ n: number; distinct_cells: number; max_revision: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (border, mtu))::int AS distinct_cells, max(revision)::int AS max_revision
         FROM jao.max_exchanges WHERE delivery_day = $1`,
      [day],
    );
    expect(rows.rows[0]).toEqual({ n: 24 * CORE_KEYS, distinct_cells: 24 * CORE_KEYS, max_revision: 1 });
    const history = await h.db.pool.query('SELECT 1 FROM jao.observation_history');
    expect(history.rowCount).toBe(0);
    const status = await h.db.pool.query(
      `SELECT status, received_mtus, expected_mtus, revision_count, attempts FROM jao.delivery_day WHERE day = $1`,
      [day],
    );
    expect(status.rows).toEqual([
      { status: 'complete', received_mtus: 24, expected_mtus: 24, revision_count: 1, attempts: 2 },
    ]);
  });

  it('backfills 2022-10-27..2022-11-02 across the 25-hour day with exact counts', async () => {
    const result = await runBackfill(h, { from: '2022-10-27', to: '2022-11-02', concurrency: 6 });
    expect(result).toMatchObject({ total: 7, byStatus: { complete: 7 }, notCompleted: [] });
    expect(await countsByDay(h, '2022-10-27', '2022-11-02')).toEqual(
      expectedCounts('2022-10-27', '2022-11-02'),
    );
  });

  it('backfills 2023-03-23..2023-03-29 across the 23-hour day with exact counts', async () => {
    const result = await runBackfill(h, { from: '2023-03-23', to: '2023-03-29', concurrency: 4 });
    expect(result).toMatchObject({ total: 7, byStatus: { complete: 7 }, notCompleted: [] });
    expect(await countsByDay(h, '2023-03-23', '2023-03-29')).toEqual(
      expectedCounts('2023-03-23', '2023-03-29'),
    );
  });

  it('mode missing skips complete days, mode failed re-runs only unsuccessful ones', async () => {
    const from = '2023-05-01';
    const to = '2023-05-06';
    h.simulator.setFaults({ malformedDays: ['2023-05-03'], missingMtuDays: ['2023-05-05'] });
    const first = await runBackfill(h, { from, to, mode: 'all' }, 'modes-first');
    expect(first.byStatus).toEqual({ complete: 4, invalid: 1, partial: 1 });
    expect(first.notCompleted.map((outcome) => [outcome.day, outcome.status])).toEqual([
      ['2023-05-03', 'invalid'],
      ['2023-05-05', 'partial'],
    ]);

    h.simulator.setFaults({ malformedDays: [], missingMtuDays: [] });
    const before = h.simulator.requests.length;
    const missing = await runBackfill(h, { from, to, mode: 'missing' }, 'modes-missing');
    expect(missing).toMatchObject({ total: 2, byStatus: { complete: 2 } });
    const fetched = h.simulator.requests.slice(before).map((request) => request.fromUtc);
    expect(fetched.sort()).toEqual(['2023-05-02T22:00:00.000Z', '2023-05-04T22:00:00.000Z']);

    const failed = await runBackfill(h, { from, to, mode: 'failed' }, 'modes-failed');
    expect(failed).toMatchObject({ total: 0, byStatus: {}, notCompleted: [] });
    const statuses = await h.db.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM jao.delivery_day WHERE day BETWEEN $1 AND $2 GROUP BY status`,
      [from, to],
    );
    expect(statuses.rows).toEqual([{ status: 'complete', n: 6 }]);
  });

  it('ends a malformed day invalid with its rejection and no observation', async () => {
    h.simulator.setFaults({ truncatedDays: ['2023-06-07'] });
    expect(await h.runDay('2023-06-07')).toMatchObject({ status: 'invalid', points: 0 });
    h.simulator.setFaults({ truncatedDays: [] });
    const observations = await h.db.pool.query(
      `SELECT 1 FROM jao.max_exchanges WHERE delivery_day = '2023-06-07'`,
    );
    expect(observations.rowCount).toBe(0);
    const rejections = await h.db.pool.query<{ rule: string }>(
      `SELECT rule FROM jao.rejection WHERE day = '2023-06-07'`,
    );
    expect(rejections.rows.length).toBeGreaterThanOrEqual(1);
    const raw = await h.db.pool.query(`SELECT 1 FROM jao.raw_response WHERE day = '2023-06-07'`);
    expect(raw.rowCount).toBe(1);
    // An unpublished day ends not_published: operators.test.ts runs one (a simulator whose clock is behind).
  });

  it('fails a day JAO refuses (rejected:true) without retrying, and the backfill lists it with the reason', async () => {
    h.simulator.setFaults({ rejectedDays: ['2023-08-02'] });
    try {
      const before = h.simulator.requests.length;
      const result = await runBackfill(h, { from: '2023-08-01', to: '2023-08-03', mode: 'all' }, 'rejected');
      expect(result.byStatus).toEqual({ complete: 2, failed: 1 });
      expect(result.notCompleted).toEqual([
        {
          day: '2023-08-02',
          status: 'failed',
          reason: expect.stringMatching(/JAO rejected the request for 2023-08-02/),
        },
      ]);
      const refused = h.simulator.requests
        .slice(before)
        .filter((r) => r.fromUtc === '2023-08-01T22:00:00.000Z');
      expect(refused).toHaveLength(1);
    } finally {
      h.simulator.setFaults({ rejectedDays: [] });
    }
    const day = await h.db.pool.query(
      `SELECT status, last_error LIKE 'JAO rejected the request%' AS explained FROM jao.delivery_day WHERE day = '2023-08-02'`,
    );
    expect(day.rows).toEqual([{ status: 'failed', explained: true }]);
    const observations = await h.db.pool.query(
      `SELECT 1 FROM jao.max_exchanges WHERE delivery_day = '2023-08-02'`,
    );
    expect(observations.rowCount).toBe(0);
    await expect(
      h.temporal.client.workflow.getHandle('maxExchanges/day/2023-08-02').result(),
    ).rejects.toThrow(WorkflowFailedError);
  });

  it('completes a backfill through 20 % 5xx, 429 above the rate and 100 ms latency', async () => {
    // The simulator's seeded faults fail the storm's second request (with seed 1): at least one 5xx, whatever the load.
    h.simulator.setFaults({ errorRate: 0.2, maxRequestsPerMinute: 120, latencyMs: 100 });
    try {
      const result = await runBackfill(h, { from: '2023-09-01', to: '2023-09-08', concurrency: 4 }, 'storm');
      expect(result).toMatchObject({ total: 8, byStatus: { complete: 8 }, notCompleted: [] });
    } finally {
      h.simulator.setFaults({ errorRate: 0, maxRequestsPerMinute: null, latencyMs: 0 });
    }
    const failures = h.simulator.requests.filter(
      (request) => request.status >= 500 || request.status === 429,
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(await countsByDay(h, '2023-09-01', '2023-09-08')).toEqual(
      expectedCounts('2023-09-01', '2023-09-08'),
    );
  });

  it('answers the progress query while running and refuses bad input without retrying', async () => {
    // Its fetches wait at the gate until the progress shows days running.
    gate.close();
    const handle = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `progress-${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ from: '2023-10-01', to: '2023-10-10', concurrency: 2 }],
    });
    const seen: BackfillProgress[] = [];
    try {
      await untilRead(
        'the progress showing days running',
        async () => {
          const progress = await handle.query<BackfillProgress>('progress');
          seen.push(progress);
          return progress;
        },
        (progress) => progress.running > 0,
        { timeoutMs: 5_000, everyMs: 50 },
      );
    } finally {
      gate.open();
    }
    const running = seen.find((p) => p.running > 0);
    expect(running?.total).toBe(10);
    expect(Math.max(...seen.map((p) => p.running))).toBeLessThanOrEqual(2);
    const result: BackfillResult = await handle.result();
    expect(await handle.query<BackfillProgress>('progress')).toEqual({
      total: 10,
      done: 10,
      running: 0,
      byStatus: { complete: 10 },
      failedDays: [],
      notCompleted: [],
    });
    expect(result.byStatus).toEqual({ complete: 10 });

    const reversed = runBackfill(h, { from: '2023-10-10', to: '2023-10-01' }, 'reversed');
    await expect(reversed).rejects.toThrow(WorkflowFailedError);
    await expect(reversed).rejects.toMatchObject({ cause: { message: expect.stringContaining('reversed') } });
  });

  it('continues as new during a long backfill and still reports every day once', async () => {
    const handle = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `continue-as-new-${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ from: '2023-12-01', to: '2023-12-10', concurrency: 2, mode: 'all', daysPerRun: 3 }],
    });
    h.simulator.setFaults({ malformedDays: ['2023-12-09'] });
    try {
      const result = await handle.result();
      expect(result).toMatchObject({ total: 10, byStatus: { complete: 9, invalid: 1 } });
      expect(result.notCompleted).toEqual([
        { day: '2023-12-09', status: 'invalid', reason: expect.stringMatching(/^body is not JSON/) },
      ]);
    } finally {
      h.simulator.setFaults({ malformedDays: [] });
    }
    const runs = await h.temporal.client.workflow.list({
      query: `WorkflowId = 'continue-as-new-${h.taskQueue}'`,
    });
    let count = 0;
    for await (const _run of runs) count++;
    expect(count).toBe(4);
    expect(await countsByDay(h, '2023-12-01', '2023-12-08')).toEqual(
      expectedCounts('2023-12-01', '2023-12-08'),
    );
  });

  it('ends a cancelled backfill as cancelled, its running days with it', async () => {
    // Its first days' fetches wait at the gate: they are running when the backfill is cancelled.
    gate.close();
    try {
      const handle = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
        workflowId: `cancelled-${h.taskQueue}`,
        taskQueue: h.taskQueue,
        args: [{ from: '2023-07-01', to: '2023-07-20', concurrency: 2 }],
      });
      await untilRead(
        'the progress showing days running',
        () => handle.query<BackfillProgress>('progress'),
        (progress) => progress.running > 0,
        { timeoutMs: 5_000, everyMs: 50 },
      );
      await handle.cancel();
      gate.open();
      await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
      expect((await handle.describe()).status.name).toBe('CANCELLED');
    } finally {
      gate.open();
    }
    // The days that were running (concurrency 2) close with their parent, a moment after it.
    for (const day of ['2023-07-01', '2023-07-02']) {
      const child = h.temporal.client.workflow.getHandle(`maxExchanges/day/${day}`);
      const status = await untilRead(
        `the day ${day} closed`,
        async () => (await child.describe()).status.name,
        (name) => name !== 'RUNNING',
        { timeoutMs: 10_000 },
      );
      expect(['CANCELLED', 'TERMINATED']).toContain(status);
    }
  });

  it('refuses a second start of a running day cleanly instead of running it twice', async () => {
    const day = '2023-11-15';
    // The first run's fetch waits at the gate while the second start is refused.
    gate.close();
    try {
      const first = await h.startDay(day);
      await expect(h.startDay(day)).rejects.toThrow(/already started/i);
      gate.open();
      expect((await first.result()).status).toBe('complete');
    } finally {
      gate.open();
    }
    const fetches = h.simulator.requests.filter((request) => request.fromUtc === '2023-11-14T23:00:00.000Z');
    expect(fetches).toHaveLength(1);
  });
});

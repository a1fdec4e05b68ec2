// Worker processes as operators run them (`jao worker`): killed mid-backfill, and two sharing one backfill.
// Workflow ids are global to the dev server's namespace: these days are used by no other test file.
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { daysInRange } from '../../domain/calendar';
import { fetchRatePerSecond, TASK_QUEUE_PARTITIONS } from '../../domain/fetchRate';
import { type BackfillProgress, fetchTaskQueueOf } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import type { backfillWorkflow } from '../../workflows';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';

const CORE_KEYS = 132;

describe('worker processes', () => {
  let db: TestDatabase;
  let temporal: TemporalTestContext;
  let simulator: SimulatorHandle;
  const processes: JaoProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTemporal();
    simulator = await startSimulator();
  });
  afterAll(async () => {
    for (const process of processes) await stopProcess(process, 'SIGKILL');
    await simulator?.close();
    await temporal?.close();
    await db?.release();
  });

  async function startWorker(taskQueue: string, env: NodeJS.ProcessEnv = {}): Promise<JaoProcess> {
    const worker = spawnJao(['worker', '--no-schedule'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      JAO_BASE_URL: simulator.origin,
      METRICS_PORT: '0',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      ...env,
    });
    processes.push(worker);
    await worker.waitFor('worker polling task queue');
    return worker;
  }

  async function dayCounts(from: string, to: string) {
    const result = await db.pool.query<{ day: string; status: string; points: number; cells: number }>(
      `SELECT d.day::text AS day, d.status,
              (SELECT count(*)::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS points,
              (SELECT count(DISTINCT (m.border, m.mtu))::int FROM jao.max_exchanges m WHERE m.delivery_day = d.day) AS cells
         FROM jao.delivery_day d WHERE d.dataset = 'maxExchanges' AND d.day BETWEEN $1 AND $2 ORDER BY d.day`,
      [from, to],
    );
    return result.rows;
  }

  async function untilPolledByBoth(name: string): Promise<void> {
    for (;;) {
      const { pollers } = await temporal.connection.workflowService.describeTaskQueue({
        namespace: temporal.namespace,
        taskQueue: { name, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      if (new Set((pollers ?? []).map((poller) => poller.identity)).size >= 2) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('finishes a 30-day backfill after its worker is killed with SIGKILL, with nothing lost or duplicated', async () => {
    const from = '2024-03-17';
    const to = '2024-04-15';
    const taskQueue = uniqueTaskQueue('sigkill');
    simulator.setFaults({ latencyMs: 150 });
    // What is tested is the recovery, not the throughput: thirty days (the 23-hour one among them) and a budget well
    // above the default keep the run short on a loaded machine, where each day's fetch and store steps take seconds.
    const budget = { JAO_MAX_REQUESTS_PER_MINUTE: '600' };
    const first = await startWorker(taskQueue, budget);
    const handle = await temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `sigkill-${taskQueue}`,
      taskQueue,
      args: [{ from, to, concurrency: 4 }],
    });

    let doneBeforeKill = 0;
    while (doneBeforeKill < 8) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      doneBeforeKill = (await handle.query<BackfillProgress>('progress')).done;
    }
    // No query after the kill: with no worker to answer it, it waits out its deadline (about a minute).
    await stopProcess(first, 'SIGKILL');
    simulator.setFaults({ latencyMs: 0 });
    const second = await startWorker(taskQueue, budget);

    const result = await handle.result();
    expect(result).toMatchObject({ total: 30, byStatus: { complete: 30 }, notCompleted: [] });
    expect(doneBeforeKill).toBeLessThan(30);
    // Killed mid-run: the worker started after it wrote days of its own.
    expect(second.output()).toContain('"message":"day written"');
    const expected = daysInRange(from, to).map((day) => {
      const points = (day === '2024-03-31' ? 23 : 24) * CORE_KEYS;
      return { day, status: 'complete', points, cells: points };
    });
    expect(await dayCounts(from, to)).toEqual(expected);
    const history = await db.pool.query(
      `SELECT 1 FROM jao.observation_history WHERE mtu >= '2024-03-16T23:00Z' AND mtu < '2024-04-15T22:00Z'`,
    );
    expect(history.rowCount).toBe(0);
  });

  it('shares one backfill between two worker processes that together stay under the request limit', async () => {
    const from = '2024-06-01';
    const to = '2024-06-16';
    const limitPerMinute = 60;
    const taskQueue = uniqueTaskQueue('ratelimit');
    const env = { JAO_MAX_REQUESTS_PER_MINUTE: String(limitPerMinute), LOG_LEVEL: 'info' };
    const workers = [await startWorker(taskQueue, env), await startWorker(taskQueue, env)];
    // Both poll both queues before the backfill starts: on a loaded machine a worker whose pollers have not yet
    // reached the server would leave every task to the other.
    await untilPolledByBoth(taskQueue);
    await untilPolledByBoth(fetchTaskQueueOf(taskQueue));
    const firstRequest = simulator.requests.length;

    const result = await temporal.client.workflow.execute<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `ratelimit-${taskQueue}`,
      taskQueue,
      args: [{ from, to, concurrency: 8 }],
    });
    expect(result).toMatchObject({ total: 16, byStatus: { complete: 16 }, notCompleted: [] });

    const times = simulator.requests.slice(firstRequest).map((request) => request.at);
    expect(times).toHaveLength(16);
    // Any window holds at most the steady rate's share plus one burst task per task queue partition; a minute
    // therefore never more than the limit. Without the limiter all 16 would arrive within a second.
    const countWithin = (windowMs: number) =>
      Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + windowMs).length));
    const steadyPerSecond = fetchRatePerSecond(limitPerMinute);
    expect(countWithin(60_000)).toBeLessThanOrEqual(limitPerMinute);
    expect(countWithin(10_000)).toBeLessThanOrEqual(Math.ceil(steadyPerSecond * 10) + TASK_QUEUE_PARTITIONS);
    const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
    expect(spanSeconds).toBeGreaterThanOrEqual((times.length - TASK_QUEUE_PARTITIONS) / steadyPerSecond);

    // Waited for, not read at once: a worker's last lines may still be in the pipe when the result arrives.
    for (const worker of workers) await worker.waitFor('"message":"day written"', 10_000);
    for (const worker of workers) await stopProcess(worker, 'SIGTERM');
    expect(workers.map((worker) => worker.child.exitCode)).toEqual([0, 0]);
  });
});

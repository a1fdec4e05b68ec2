// One rate limit for the fleet: worker processes agree on the fetch queue's limit through the server, and one
// whose JAO_MAX_REQUESTS_PER_MINUTE conflicts with the running fleet's refuses to start. Runs no workflows.
import { hostname } from 'node:os';
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fetchRatePerSecond } from '../../domain/fetchRate';
import { fetchTaskQueueOf } from '../../domain/workflowInputs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';

describe('the fleet rate limit', () => {
  let db: TestDatabase;
  let temporal: TemporalTestContext;
  const processes: JaoProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTemporal();
  });
  afterAll(async () => {
    for (const process of processes) await stopProcess(process, 'SIGKILL');
    await temporal?.close();
    await db?.release();
  });

  const spawnWorker = (taskQueue: string, perMinute: number) => {
    const worker = spawnJao(['worker', '--no-schedule'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      JAO_BASE_URL: 'http://127.0.0.1:9',
      JAO_MAX_REQUESTS_PER_MINUTE: String(perMinute),
      METRICS_PORT: '0',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    });
    processes.push(worker);
    return worker;
  };

  const effectiveLimit = async (taskQueue: string) => {
    const description = await temporal.connection.workflowService.describeTaskQueue({
      namespace: temporal.namespace,
      taskQueue: { name: fetchTaskQueueOf(taskQueue) },
      taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportConfig: true,
    });
    return description.effectiveRateLimit;
  };

  it('keeps the running fleet at its limit: a worker with another one exits 2 with one line', async () => {
    const taskQueue = uniqueTaskQueue('fleet');
    const fetchQueue = fetchTaskQueueOf(taskQueue);
    const first = spawnWorker(taskQueue, 60);
    await first.waitFor('worker polling task queue');
    expect(first.output()).toContain(
      `rate limit of ${fetchQueue}: 60 requests/minute for the fleet, set; fleet-wide, held by the server`,
    );

    const greedy = spawnWorker(taskQueue, 600);
    const stillRunning = new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000));
    expect(await Promise.race([greedy.exited, stillRunning])).toBe(2);
    const refusal = greedy
      .output()
      .split('\n')
      .filter((line) => line.includes('conflicts'));
    expect(refusal).toEqual([
      `jao worker: JAO_MAX_REQUESTS_PER_MINUTE=600 conflicts with the JAO_MAX_REQUESTS_PER_MINUTE=60 the 1 ` +
        `running worker(s) of task queue ${fetchQueue} use (set by ${first.child.pid}@${hostname()}); ` +
        'start it with the same value, or stop every worker of the queue first',
    ]);
    expect(greedy.output()).not.toMatch(/worker polling|\n\s+at /);

    // The server dispatches the fleet's rate, whatever the refused worker would have sent with its polls.
    const limit = await effectiveLimit(taskQueue);
    expect(limit?.rateLimitSource).toBe(proto.api.enums.v1.RateLimitSource.RATE_LIMIT_SOURCE_API);
    expect(limit?.requestsPerSecond).toBeCloseTo(fetchRatePerSecond(60), 5);

    const second = spawnWorker(taskQueue, 60);
    await second.waitFor('worker polling task queue');
    expect(second.output()).toContain(
      `rate limit of ${fetchQueue}: 60 requests/minute for the fleet, agreed; fleet-wide, held by the server`,
    );
    for (const worker of [first, second]) await stopProcess(worker, 'SIGTERM');
    expect([first.child.exitCode, second.child.exitCode]).toEqual([0, 0]);
  });
});

// A worker whose start-up fails exits non-zero within seconds with one line; SIGTERM is honoured during start-up.
import { createServer, type Server, type Socket } from 'node:net';
import { ScheduleNotFoundError } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort as closedPort } from '../../common/ports';
import { pollScheduleIdFor } from '../../control/pollSchedule';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type JaoProcess, spawnJao, stopProcess } from '../helpers/processes';
import { connectTemporal, uniqueTaskQueue } from '../helpers/temporal';

/** A server that accepts connections and never answers: a database that hangs. */
async function blackHole() {
  const sockets: Socket[] = [];
  let onConnect: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnect = resolve;
  });
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    onConnect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connected,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const meaningfulLines = (text: string) =>
  text.split('\n').filter((line) => line.trim() && !line.includes('npm warn'));

describe('worker start-up', () => {
  let db: TestDatabase;
  const processes: JaoProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const process of processes) await stopProcess(process, 'SIGKILL');
    await db?.release();
  });

  function startWorker(env: NodeJS.ProcessEnv): JaoProcess {
    const worker = spawnJao(['worker'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('startup'),
      METRICS_PORT: '0',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      ...env,
    });
    processes.push(worker);
    return worker;
  }

  /** The exit code, or a failure naming the output when the process is still alive after `ms`. */
  async function exitWithin(worker: JaoProcess, ms: number): Promise<number | null> {
    const timer = new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), ms));
    const outcome = await Promise.race([worker.exited, timer]);
    if (outcome === 'alive') throw new Error(`still running after ${ms} ms; output:\n${worker.output()}`);
    return outcome;
  }

  it('exits 1 within 10 s of reaching for an unreachable Temporal, with one line saying so', async () => {
    const worker = startWorker({ TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });
    await worker.waitFor('database migrated', 60_000);
    expect(await exitWithin(worker, 10_000)).toBe(1);
    const lines = meaningfulLines(worker.output());
    // After the engine and migration lines, exactly one line says why the worker stops.
    expect(lines.slice(lines.findIndex((line) => line.includes('database migrated')) + 1)).toEqual([
      expect.stringMatching(
        /^jao worker failed: connecting to Temporal: nothing listens at 127\.0\.0\.1:\d+ \(TEMPORAL_ADDRESS\): connection refused$/,
      ),
    ]);
  });

  it('exits 1 at once when the database refuses connections, and 2 on an invalid POLL_INTERVAL', async () => {
    const noDatabase = startWorker({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/jao`,
    });
    const badInterval = startWorker({ POLL_INTERVAL: '0s' });
    expect(await exitWithin(noDatabase, 30_000)).toBe(1);
    expect(meaningfulLines(noDatabase.output())).toEqual([
      expect.stringMatching(
        /^jao worker failed: database at 127\.0\.0\.1:\d+\/jao does not answer: connect ECONNREFUSED/,
      ),
    ]);
    expect(await exitWithin(badInterval, 30_000)).toBe(2);
    expect(meaningfulLines(badInterval.output())).toEqual([
      'jao worker: invalid configuration: POLL_INTERVAL: expected a duration from 10s to 24h',
    ]);
  });

  it('asks JAO nothing with --offline, and says so once: no fetch worker, no schedule, no rate limit', async () => {
    const taskQueue = uniqueTaskQueue('offline');
    const worker = spawnJao(['worker', '--offline'], {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      METRICS_PORT: '0',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    });
    processes.push(worker);
    await worker.waitFor('worker polling task queue', 60_000);
    const said = meaningfulLines(worker.output())
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((line) => /JAO|schedule|rate limit/.test(line.message));
    expect(said).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        name: 'worker',
        taskQueue,
        buildId: expect.any(String),
        message: expect.stringMatching(
          new RegExp(
            `offline: JAO is not asked \\(task queue ${taskQueue}-fetch not served, no schedule set\\); a day to fetch waits for a worker that reaches JAO$`,
          ),
        ),
      },
    ]);
    const temporal = await connectTemporal();
    try {
      await expect(
        temporal.client.schedule.getHandle(pollScheduleIdFor(taskQueue, 'maxExchanges')).describe(),
      ).rejects.toThrow(ScheduleNotFoundError);
      const pollersOf = async (name: string) =>
        (
          await temporal.connection.workflowService.describeTaskQueue({
            namespace: temporal.namespace,
            taskQueue: { name, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
            taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
          })
        ).pollers ?? [];
      expect(await pollersOf(`${taskQueue}-fetch`)).toEqual([]);
      expect((await pollersOf(taskQueue)).length).toBeGreaterThan(0);
    } finally {
      await temporal.close();
    }
    await stopProcess(worker, 'SIGTERM');
  });

  it('ends on SIGTERM while its start-up hangs on a database that never answers', async () => {
    const hole = await blackHole();
    try {
      const worker = startWorker({ DATABASE_URL: `postgres://postgres@127.0.0.1:${hole.port}/jao` });
      await Promise.race([hole.connected, worker.exited]);
      worker.child.kill('SIGTERM');
      expect(await exitWithin(worker, 5_000)).toBe(0);
      expect(meaningfulLines(worker.output()).map((line) => JSON.parse(line) as unknown)).toEqual([
        { time: expect.any(String), level: 'info', name: 'worker', message: 'stopped during start-up' },
      ]);
    } finally {
      await hole.close();
    }
  });
});

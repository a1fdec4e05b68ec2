// A namespace the worker may not manage (Temporal Cloud, a cluster run by another team): Temporal refuses it
// AddSearchAttributes, ListSearchAttributes, UpdateTaskQueueConfig or DescribeTaskQueue. The dev server allows
// everything, and neither `temporal server start-dev` (no authorizer of its own) nor its dynamic config (no switch
// for these APIs) can refuse them: a client interceptor answers exactly those calls PERMISSION_DENIED, as the
// server's default authorizer does, and every other call goes to the real dev server.
import { randomBytes } from 'node:crypto';
import { InterceptingCall, type Interceptor, Metadata, status } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { busiestWindow } from '../../bench/busiestMinute';
import { type FetchBudget, shareWindowBound } from '../../control/fetchBudget';
import { agreeOnFetchRateLimit } from '../../control/fetchRateLimit';
import { ensureSearchAttributes, SearchAttributesProblem } from '../../control/searchAttributes';
import { fetchRatePerSecond } from '../../domain/fetchRate';
import { fetchTaskQueueOf } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createPipelineWorkers, type PipelineWorkers } from '../../workers/pipelineWorker';
import type { backfillWorkflow } from '../../workflows';
import { createPipelineHarness, type PipelineHarness, runBundle } from '../helpers/pipeline';
import { metricLinesOfTaskQueues } from '../helpers/runtime';
import { untilTrue } from '../helpers/until';

/** Answers the named methods PERMISSION_DENIED without sending them; passes every other call on. */
function refusing(methods: readonly string[]): Interceptor {
  return (options, nextCall) => {
    const method = options.method_definition.path.split('/').pop() ?? '';
    if (!methods.includes(method)) return new InterceptingCall(nextCall(options));
    return new InterceptingCall(nextCall(options), {
      start(_metadata, listener) {
        listener.onReceiveStatus({
          code: status.PERMISSION_DENIED,
          details: 'Request unauthorized.',
          metadata: new Metadata(),
        });
      },
      sendMessage() {},
      halfClose() {},
    });
  };
}

const connections: Connection[] = [];
async function connectRefusing(methods: readonly string[]): Promise<Connection> {
  const connection = await Connection.connect({
    address: inject('temporalAddress'),
    interceptors: [refusing(methods), makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
  });
  connections.push(connection);
  return connection;
}

afterAll(async () => {
  for (const connection of connections) await connection.close();
});

describe('search attributes on a namespace the worker may not manage', () => {
  let admin: Connection;
  let namespace: string;

  beforeAll(async () => {
    admin = await Connection.connect({ address: inject('temporalAddress') });
    connections.push(admin);
    namespace = `test-managed-${randomBytes(3).toString('hex')}`;
    await admin.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await untilTrue(
      'the new namespace',
      async () => {
        await admin.operatorService.listSearchAttributes({ namespace });
        return true;
      },
      { retryErrors: true },
    );
  });

  it('names each missing attribute and the commands that add it; adds them where allowed', async () => {
    const mayNotAdd = await connectRefusing(['AddSearchAttributes']);
    const refused = ensureSearchAttributes(mayNotAdd, namespace);
    await expect(refused).rejects.toBeInstanceOf(SearchAttributesProblem);
    await expect(refused).rejects.toThrow(
      `namespace ${namespace} lacks the search attributes Dataset (Keyword), DeliveryDay (Keyword), DayStatus ` +
        '(Keyword), NotCompleteDays (Int), and this worker may not add them (AddSearchAttributes: ' +
        `PERMISSION_DENIED); add them on Temporal Cloud with: tcld namespace search-attributes add --namespace ${namespace} ` +
        '--search-attribute "Dataset=Keyword" --search-attribute "DeliveryDay=Keyword" --search-attribute ' +
        '"DayStatus=Keyword" --search-attribute "NotCompleteDays=Int"; on a self-hosted cluster with: temporal ' +
        `operator search-attribute create --namespace ${namespace} --name Dataset --type Keyword --name DeliveryDay ` +
        '--type Keyword --name DayStatus --type Keyword --name NotCompleteDays --type Int',
    );
    const mayNotRead = await connectRefusing(['ListSearchAttributes']);
    await expect(ensureSearchAttributes(mayNotRead, namespace)).rejects.toThrow(
      `the search attributes of namespace ${namespace} cannot be read (ListSearchAttributes: PERMISSION_DENIED)`,
    );

    // Where adding is allowed, found by trying: the same call adds them.
    expect(await ensureSearchAttributes(admin, namespace)).toEqual([
      'Dataset',
      'DeliveryDay',
      'DayStatus',
      'NotCompleteDays',
    ]);
    await untilTrue(
      'the attributes listed',
      async () => {
        const listed = await admin.operatorService.listSearchAttributes({ namespace });
        return Object.keys(listed.customAttributes ?? {}).length >= 4;
      },
      { retryErrors: true },
    );
    // Once they exist, a worker that may not add any has nothing to add.
    expect(await ensureSearchAttributes(mayNotAdd, namespace)).toEqual([]);
  });
});

describe('the fetch budget where the fleet-wide limit is refused', () => {
  const LIMIT_PER_MINUTE = 240;
  const FETCH_WORKERS = 2;
  // Enough days for the first worker alone to fetch at its share for 10 s (20 requests), then both: the 20 left
  // would take the first alone 10 s. The second is created while the first fetches alone and only starts polling
  // then, so its slow start on a loaded machine (a connection, a worker) is behind it (with 30 days, and the second
  // connected and created only at that moment, it once got none).
  const FROM = '2025-11-01';
  const TO = '2025-12-10';
  const DAYS = 40;
  let h: PipelineHarness;
  let second: SimulatorHandle;
  const fetchWorkers: { workers: PipelineWorkers; done: Promise<void>; connection: NativeConnection }[] = [];

  beforeAll(async () => {
    h = await createPipelineHarness('managed-ns');
    second = await startSimulator();
  });
  afterAll(async () => {
    for (const { workers, done, connection } of fetchWorkers) {
      workers.shutdown();
      await done.catch(() => {});
      await connection.close();
    }
    await second?.close();
    await h?.close();
  });

  /**
   * A fetch worker process of its own (its own connection), asking JAO at `simulator`: connected and created, and
   * polling once `start` is called.
   */
  async function createFetchWorker(simulator: SimulatorHandle, fetchBudget: FetchBudget) {
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const workers = await createPipelineWorkers({
      connection,
      namespace: h.temporal.namespace,
      taskQueue: h.taskQueue,
      pool: h.db.pool,
      jao: { baseUrl: simulator.origin, timeoutMs: 10_000 },
      maxRequestsPerMinute: LIMIT_PER_MINUTE,
      fetchBudget,
      workflowBundle: runBundle(),
      queues: 'fetch',
    });
    return { start: () => fetchWorkers.push({ workers, done: workers.run(), connection }) };
  }

  const describeQueue = () =>
    h.temporal.connection.workflowService.describeTaskQueue({
      namespace: h.temporal.namespace,
      taskQueue: { name: fetchTaskQueueOf(h.taskQueue) },
      taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportConfig: true,
    });

  it("falls back to each worker's share, which two workers keep to, measured at JAO", async () => {
    const fetchQueue = fetchTaskQueueOf(h.taskQueue);
    const settings = {
      namespace: h.temporal.namespace,
      fetchQueue,
      maxRequestsPerMinute: LIMIT_PER_MINUTE,
      fetchWorkers: FETCH_WORKERS,
    };
    const mayNotRead = await connectRefusing(['DescribeTaskQueue', 'UpdateTaskQueueConfig']);
    expect(await agreeOnFetchRateLimit(mayNotRead, settings)).toMatchObject({
      mode: 'worker-share',
      refusal: { operation: 'DescribeTaskQueue', code: 'PERMISSION_DENIED' },
      livePollers: null,
    });
    const mayNotSet = await connectRefusing(['UpdateTaskQueueConfig']);
    const outcome = await agreeOnFetchRateLimit(mayNotSet, settings);
    expect(outcome).toMatchObject({
      mode: 'worker-share',
      refusal: { operation: 'UpdateTaskQueueConfig', code: 'PERMISSION_DENIED' },
      serverLimit: null,
      livePollers: 0,
    });
    if (outcome.mode !== 'worker-share') throw new Error('expected the worker share');
    const { share } = outcome;
    expect(share.perMinute).toBe(LIMIT_PER_MINUTE / FETCH_WORKERS);
    // Nothing was set on the server.
    expect((await describeQueue()).config?.queueRateLimit?.rateLimit).toBeFalsy();

    await h.startWorkers({ queues: 'main' });
    const backfill = await h.temporal.client.workflow.start<typeof backfillWorkflow>('backfillWorkflow', {
      workflowId: `backfill-${h.taskQueue}`,
      taskQueue: h.taskQueue,
      args: [{ from: FROM, to: TO, concurrency: 16, mode: 'all' }],
    });
    // One worker alone first: the server would dispatch the fleet's rate, the worker takes its share only.
    (await createFetchWorker(h.simulator, { mode: 'worker-share', share })).start();
    const secondWorker = await createFetchWorker(second, { mode: 'worker-share', share });
    try {
      await untilTrue('the first worker alone for a while', () => h.simulator.requests.length >= 20);
    } finally {
      // Started whatever the wait's outcome: afterAll stops what started (a worker never run holds its connection).
      secondWorker.start();
    }
    expect(await backfill.result()).toMatchObject({
      total: DAYS,
      byStatus: { complete: DAYS },
      notCompleted: [],
    });

    // The rate the workers send with their polls holds on the server too, where no limit is set through its API.
    const effective = (await describeQueue()).effectiveRateLimit;
    expect(effective?.rateLimitSource).toBe(proto.api.enums.v1.RateLimitSource.RATE_LIMIT_SOURCE_WORKER);
    expect(effective?.requestsPerSecond).toBeCloseTo(fetchRatePerSecond(LIMIT_PER_MINUTE), 5);
    const gauge = (await metricLinesOfTaskQueues(fetchQueue)).filter((line) =>
      line.startsWith('jao_fetch_budget_requests_per_minute'),
    );
    expect(gauge).toEqual([expect.stringMatching(/mode="worker-share".* 120$/)]);

    const first = h.simulator.requests.map((request) => request.at);
    const other = second.requests.map((request) => request.at);
    expect(first.length + other.length).toBe(DAYS);
    expect(other.length).toBeGreaterThan(0);
    expect([...h.simulator.requests, ...second.requests].filter((request) => request.status === 429)).toEqual(
      [],
    );
    // Each worker keeps to its share in every window (shareWindowBound), and the two to the sum of theirs: at 60 s,
    // 240 requests. The windows are short so that the test does not run for minutes.
    const windows = [1_000, 5_000, 10_000];
    for (const windowMs of windows) {
      const perWorker = shareWindowBound(share, windowMs);
      expect(busiestWindow(first, windowMs).count, `first worker, ${windowMs} ms`).toBeLessThanOrEqual(
        perWorker,
      );
      expect(busiestWindow(other, windowMs).count, `second worker, ${windowMs} ms`).toBeLessThanOrEqual(
        perWorker,
      );
      expect(busiestWindow([...first, ...other], windowMs).count, `both, ${windowMs} ms`).toBeLessThanOrEqual(
        FETCH_WORKERS * perWorker,
      );
    }
  });
});

// Where workflow tests run: Temporal's time-skipping test server when its binary is at hand (not by default: it is in
// no registry reachable here), otherwise a namespace of the file's own on the run's dev server, in real time. Every
// scenario runs on either.
import { existsSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { FetchActivities, FreshnessActivities, StoreActivities } from '../../activities';
import { fetchTaskQueueOf } from '../../domain/workflowInputs';
import { createTestNamespace } from './namespace';
import { runBundle } from './pipeline';
import { ensureTestRuntime } from './runtime';
import { uniqueTaskQueue } from './temporal';

/**
 * A time-skipping environment: the test server at TEMPORAL_TEST_SERVER_PATH, or the one the SDK downloads when
 * TEMPORAL_TEST_SERVER_DOWNLOAD=1 (needs the internet); null when neither is available.
 */
export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment | null> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (path) {
    if (!existsSync(path)) throw new Error(`TEMPORAL_TEST_SERVER_PATH ${path} does not exist`);
    await ensureTestRuntime();
    return TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path } },
    });
  }
  if (process.env.TEMPORAL_TEST_SERVER_DOWNLOAD === '1') {
    await ensureTestRuntime();
    return TestWorkflowEnvironment.createTimeSkipping();
  }
  return null;
}

export interface WorkflowTestEnvironment {
  env: TestWorkflowEnvironment;
  namespace: string;
  /** True on the time-skipping server: awaiting a result moves the clock; env.sleep() moves it at once. */
  timeSkipping: boolean;
}

/** The time-skipping environment when available, else the run's dev server in a namespace of the file's own. */
export async function workflowTestEnvironment(label: string): Promise<WorkflowTestEnvironment> {
  const skipping = await timeSkippingEnvironment();
  if (skipping) return { env: skipping, namespace: skipping.namespace ?? 'default', timeSkipping: true };
  await ensureTestRuntime();
  const namespace = await createTestNamespace(label);
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: inject('temporalAddress'),
    namespace,
  });
  return { env, namespace, timeSkipping: false };
}

/** Stub activities, typed against the real ones: a changed signature breaks the test. */
export interface StubActivities {
  fetch: FetchActivities;
  store: StoreActivities;
  freshness: FreshnessActivities;
}

export interface StubWorkers {
  taskQueue: string;
  stop(): Promise<void>;
}

/**
 * The run's workflow bundle on a fresh task queue with the stubs: fetches on the fetch queue next to it, store
 * and freshness activities (local ones included) on the workflow worker, as in workers/pipelineWorker.ts.
 */
export async function startStubWorkers(
  { env, namespace }: WorkflowTestEnvironment,
  label: string,
  stubs: StubActivities,
): Promise<StubWorkers> {
  const taskQueue = uniqueTaskQueue(label);
  const common = { connection: env.nativeConnection, namespace };
  const workers = [
    await Worker.create({
      ...common,
      taskQueue,
      workflowBundle: { code: runBundle().code },
      activities: { ...stubs.store, ...stubs.freshness },
    }),
    await Worker.create({ ...common, taskQueue: fetchTaskQueueOf(taskQueue), activities: stubs.fetch }),
  ];
  const running = Promise.all(workers.map((worker) => worker.run()));
  return {
    taskQueue,
    async stop() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

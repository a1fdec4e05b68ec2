// The pipeline's workers: one on the main queue (workflows, validate/write activities) and one on the fetch
// queue, whose task-queue-wide rate limit keeps every worker together under JAO's request limit.
import { join } from 'node:path';
import { type NativeConnection, Worker } from '@temporalio/worker';
import type pg from 'pg';
import { createFetchActivities, createStoreActivities } from '../activities';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import type { JaoClientOptions } from '../source/jaoClient';

export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

/** Task queue partitions the server runs by default; each may dispatch one task as a burst. */
export const TASK_QUEUE_PARTITIONS = 4;

/**
 * The fetch queue's dispatch rate (tasks/s) for a JAO limit in requests/minute: the server's limiter lets every
 * partition burst one task, so the steady rate leaves that much room in any minute.
 */
export function fetchRatePerSecond(maxRequestsPerMinute: number): number {
  return Math.max(maxRequestsPerMinute - TASK_QUEUE_PARTITIONS, maxRequestsPerMinute / 2) / 60;
}

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: pg.Pool;
  jao: JaoClientOptions;
  maxRequestsPerMinute: number;
  /** A prebuilt workflow bundle (tests, benchmarks); the workflows are bundled at start otherwise. */
  workflowBundlePath?: string;
  maxConcurrentActivities?: number;
}

export interface PipelineWorkers {
  workers: Worker[];
  /** Runs until shutdown() (or a fatal error). */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createPipelineWorkers(options: PipelineWorkerOptions): Promise<PipelineWorkers> {
  const { connection, namespace, taskQueue, pool } = options;
  const workflows = options.workflowBundlePath
    ? { workflowBundle: { codePath: options.workflowBundlePath } }
    : { workflowsPath: WORKFLOWS_PATH };
  const concurrency = options.maxConcurrentActivities ?? 32;

  const mainWorker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    ...workflows,
    activities: createStoreActivities({ pool }),
    maxConcurrentActivityTaskExecutions: concurrency,
    maxCachedWorkflows: 500,
  });
  const fetchWorker = await Worker.create({
    connection,
    namespace,
    taskQueue: fetchTaskQueueOf(taskQueue),
    activities: createFetchActivities({ pool, jao: options.jao }),
    maxConcurrentActivityTaskExecutions: concurrency,
    maxTaskQueueActivitiesPerSecond: fetchRatePerSecond(options.maxRequestsPerMinute),
  });
  const workers = [mainWorker, fetchWorker];
  return {
    workers,
    async run() {
      await Promise.all(workers.map((worker) => worker.run()));
    },
    shutdown() {
      for (const worker of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
    },
  };
}

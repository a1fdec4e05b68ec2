// An isolated pipeline for one test file: its own database, task queue and simulator, real Temporal.
import type { WorkflowHandle } from '@temporalio/client';
import type pg from 'pg';
import { inject } from 'vitest';
import type { Dataset } from '../../domain/types';
import { type DayResult, dayWorkflowId } from '../../domain/workflowInputs';
import { type SimulatorHandle, type SimulatorOptions, startSimulator } from '../../simulator/server';
import {
  createPipelineWorkers,
  type PipelineWorkerOptions,
  type PipelineWorkers,
} from '../../workers/pipelineWorker';
import { readWorkflowBundle, type WorkflowBundle } from '../../workers/workflowBundle';
import type { deliveryDayWorkflow } from '../../workflows';
import { createTestDatabase, type TestDatabase } from './database';
import { type ConnectOptions, connectTemporal, type TemporalTestContext, uniqueTaskQueue } from './temporal';

export interface RunningWorkers {
  workers: PipelineWorkers;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  maxRequestsPerMinute?: number;
  /** Default: the run's bundle. */
  workflowBundle?: WorkflowBundle;
  deployment?: PipelineWorkerOptions['deployment'];
  retryHorizonMs?: number;
  rawStoreRetry?: PipelineWorkerOptions['rawStoreRetry'];
  writeTimeouts?: PipelineWorkerOptions['writeTimeouts'];
  queues?: PipelineWorkerOptions['queues'];
  maxConcurrentFetches?: number;
  archiveUrl?: PipelineWorkerOptions['archiveUrl'];
  /** Default: the harness database's pool. A pool of its own starts without the answers judged before. */
  pool?: pg.Pool;
  rawRetentionDays?: PipelineWorkerOptions['rawRetentionDays'];
  /** Default: the harness's simulator. Another JAO stand-in (a capture served verbatim, say). */
  jaoBaseUrl?: string;
  /** JAO_REQUEST_TIMEOUT of the workers (default 10 s). */
  jaoTimeoutMs?: number;
  /** JAO_MAX_BODY_BYTES of the workers (default 8 MiB): each answer JAO sends, and what a stored answer may be. */
  jaoMaxBodyBytes?: number;
  /** Writes that change a day's outcome tell the queue's keeper of the bad-day markers (default off, as below). */
  keepBadDayMarkers?: boolean;
  /** JAO_MONITORING and its mode settings (default off: the polls never stand down). */
  monitoring?: PipelineWorkerOptions['monitoring'];
}

export interface PipelineHarness {
  db: TestDatabase;
  temporal: TemporalTestContext;
  simulator: SimulatorHandle;
  taskQueue: string;
  startWorkers(options?: WorkerOptions): Promise<RunningWorkers>;
  startDay(day: string, dataset?: Dataset): Promise<WorkflowHandle<typeof deliveryDayWorkflow>>;
  runDay(day: string, dataset?: Dataset): Promise<DayResult>;
  close(): Promise<void>;
}

let bundle: WorkflowBundle | undefined;
/** The run's workflow bundle (built once by the global setup). */
export function runBundle(): WorkflowBundle {
  bundle ??= readWorkflowBundle(inject('workflowBundlePath'));
  return bundle;
}

export async function createPipelineHarness(
  label: string,
  simulatorOptions: SimulatorOptions = {},
  connectOptions: ConnectOptions = {},
): Promise<PipelineHarness> {
  const db = await createTestDatabase();
  const temporal = await connectTemporal(connectOptions);
  const simulator = await startSimulator(simulatorOptions);
  const taskQueue = uniqueTaskQueue(label);
  const running: RunningWorkers[] = [];

  const harness: PipelineHarness = {
    db,
    temporal,
    simulator,
    taskQueue,
    async startWorkers(options = {}) {
      const workers = await createPipelineWorkers({
        connection: temporal.workerConnection,
        namespace: temporal.namespace,
        taskQueue,
        pool: options.pool ?? db.pool,
        jao: {
          baseUrl: options.jaoBaseUrl ?? simulator.origin,
          timeoutMs: options.jaoTimeoutMs ?? 10_000,
          maxBodyBytes: options.jaoMaxBodyBytes,
        },
        maxRequestsPerMinute: options.maxRequestsPerMinute ?? 100_000,
        workflowBundle: options.workflowBundle ?? runBundle(),
        deployment: options.deployment,
        retryHorizonMs: options.retryHorizonMs,
        rawStoreRetry: options.rawStoreRetry,
        writeTimeouts: options.writeTimeouts,
        queues: options.queues,
        maxConcurrentFetches: options.maxConcurrentFetches,
        archiveUrl: options.archiveUrl,
        rawRetentionDays: options.rawRetentionDays,
        keepBadDayMarkers: options.keepBadDayMarkers,
        monitoring: options.monitoring,
      });
      const done = workers.run();
      const handle: RunningWorkers = {
        workers,
        async stop() {
          workers.shutdown();
          await done;
          running.splice(running.indexOf(handle), 1);
        },
      };
      running.push(handle);
      return handle;
    },
    startDay(day, dataset = 'maxExchanges') {
      return temporal.client.workflow.start<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
        workflowId: dayWorkflowId(dataset, day),
        taskQueue,
        args: [{ dataset, day, trigger: 'manual' }],
      });
    },
    async runDay(day, dataset) {
      return (await harness.startDay(day, dataset)).result();
    },
    async close() {
      for (const workers of [...running]) await workers.stop();
      await simulator.close();
      await temporal.close();
      await db.release();
    },
  };
  return harness;
}

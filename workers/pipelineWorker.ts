// The pipeline's workers: one on the main queue (workflows, validate/write activities) and one on the fetch
// queue, whose task-queue-wide rate limit keeps every worker together under JAO's request limit (or, where Temporal
// refuses the worker that limit, each worker's share of it: control/fetchBudget.ts).
import { hostname } from 'node:os';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type pg from 'pg';
import {
  createFetchActivities,
  createFreshnessActivities,
  createPlanActivities,
  createReprocessActivities,
  createStoreActivities,
} from '../activities';
import { createArchiveActivities, createArchivedBodyReader } from '../activities/archive';
import { createBadDayActivities, tellBadDayMarkers } from '../activities/badDays';
import { createMonitoringActivities } from '../activities/monitoring';
import { settingsOf, type TemporalTarget } from '../common/temporal';
import { openConnection } from '../common/temporalConnect';
import {
  budgetPerMinute,
  createRequestSpacer,
  type FetchBudget,
  FLEET_BUDGET,
  fetchWorkerRateOptions,
  spacedFetch,
} from '../control/fetchBudget';
import { workerIdentityWith } from '../control/workerDatabase';
import { readDatabaseIdentity } from '../db/databaseIdentity';
import type { MonitoringModeSettings } from '../domain/monitoring';
import type { InAttemptRetry, TransactionTimeouts } from '../domain/timeBudget';
import type { Dataset } from '../domain/types';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import type { JaoClientOptions } from '../source/jaoClient';
import { runTogether } from './runTogether';
import type { WorkflowBundle } from './workflowBundle';

/** Worker Deployment name under which every build of the pipeline's workers registers. */
export const DEFAULT_DEPLOYMENT_NAME = 'jao-scraper';

/** The workers' native connection, opened from the same settings and failing with the same lines as every client's. */
export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  return openConnection(settingsOf(target), (options) => NativeConnection.connect(options));
}

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: pg.Pool;
  jao: JaoClientOptions;
  maxRequestsPerMinute: number;
  /**
   * How the fetch worker keeps to maxRequestsPerMinute (control/fetchRateLimit.ts decides; default: the fleet-wide
   * limit on the server).
   */
  fetchBudget?: FetchBudget;
  /** The workflow code to run, with the build it belongs to. */
  workflowBundle: WorkflowBundle;
  /**
   * Worker Deployment of this build. Without `versioned` the build id is only reported to the server (the Web
   * UI shows which build ran each workflow task); with it, the server routes tasks by deployment version.
   */
  deployment?: { name: string; versioned: boolean };
  maxConcurrentActivities?: number;
  /** Fetches one worker runs at once (default: maxConcurrentActivities). */
  maxConcurrentFetches?: number;
  /**
   * Which of the two queues this process serves (default both). A fetch-only fleet can be scaled apart from
   * the workflows; the fleet-wide rate limit holds whichever processes serve the fetch queue.
   */
  queues?: 'all' | 'main' | 'fetch';
  /** DATABASE_RETRY_HORIZON: how long after a day started its failing database work is retried before it fails. */
  retryHorizonMs?: number;
  /** How the fetch retries storing JAO's answer within one attempt (default RAW_STORE_RETRY). */
  rawStoreRetry?: InAttemptRetry;
  /** Lock and statement timeouts of a day's write (default WRITE_TIMEOUTS, domain/timeBudget.ts). */
  writeTimeouts?: TransactionTimeouts;
  /** ARCHIVE_URL, where the archive workflow ships writes (default: ARCHIVE_URL of the environment, docs/archive.md). */
  archiveUrl?: string;
  /** FRESHNESS_DEADLINE per dataset, after which a day not published is a bad day (default: its declaration's). */
  freshnessDeadlines?: Partial<Record<Dataset, string>>;
  /**
   * The datasets kept (JAO_DATASETS) with their publication windows: JAO's monitoring is read often while one of
   * their days is expected in its window (default: every dataset, in its declared window).
   */
  keptWindows?: Partial<Record<Dataset, string>>;
  /** RAW_RETENTION_DAYS: the archive workflow drops archived bodies older than this (unset: every body stays). */
  rawRetentionDays?: number;
  /**
   * Writes that change a day's outcome tell the task queue's keeper of the bad-day markers (signal-with-start:
   * activities/badDays.ts). The worker process turns it on; off, only the keeper's own sweep sees them.
   */
  keepBadDayMarkers?: boolean;
  /**
   * JAO_MONITORING and when a region's monitoring counts as healthy: the polls of the datasets it announces stand
   * down meanwhile (activities/freshness.ts pollsStandDown). Default off: the polls always run.
   */
  monitoring?: MonitoringModeSettings;
}

export interface PipelineWorkers {
  workers: Worker[];
  /**
   * Runs until shutdown(). When one worker fails, the other is shut down too (half a pipeline is of no use)
   * and run() rejects with that failure once both have stopped.
   */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * `jao_fetch_budget_requests_per_minute{mode="fleet"|"worker-share",task_queue}`: the requests a minute this
 * worker's fetches keep to, and whether the server holds them for the fleet or the worker holds its own share.
 */
function recordFetchBudget(budget: FetchBudget, maxRequestsPerMinute: number, fetchQueue: string): void {
  Runtime.instance()
    .metricMeter.createGauge(
      'jao_fetch_budget_requests_per_minute',
      'float',
      '',
      "JAO requests per minute of this worker's fetch budget; mode fleet: the fleet's, held by the server",
    )
    .set(budgetPerMinute(budget, maxRequestsPerMinute), { mode: budget.mode, task_queue: fetchQueue });
}

/** On its share, the worker's requests to JAO are spaced at its rate, whenever its fetches were dispatched. */
function jaoOfFetchWorker(jao: JaoClientOptions, budget: FetchBudget): JaoClientOptions {
  if (budget.mode === 'fleet') return jao;
  const take = createRequestSpacer(budget.share.ratePerSecond);
  return { ...jao, fetchImpl: spacedFetch(jao.fetchImpl ?? fetch, take, jao.timeoutMs) };
}

function deploymentOptions(
  buildId: string,
  deployment: PipelineWorkerOptions['deployment'],
): WorkerOptions['workerDeploymentOptions'] {
  const version = { deploymentName: deployment?.name ?? DEFAULT_DEPLOYMENT_NAME, buildId };
  return deployment?.versioned
    ? { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' }
    : { version, useWorkerVersioning: false };
}

export async function createPipelineWorkers(options: PipelineWorkerOptions): Promise<PipelineWorkers> {
  const { connection, namespace, taskQueue, pool, workflowBundle } = options;
  const buildId = workflowBundle.info.buildId;
  // Names this worker's database to the commands that start workflows (control/workerDatabase.ts). A database
  // away at this moment does not keep the worker from starting (its activities wait it out): it then names none,
  // and the commands do not compare.
  const database = await readDatabaseIdentity(pool).catch(() => null);
  const identity = database ? workerIdentityWith(database) : `${process.pid}@${hostname()}`;
  const workerDeploymentOptions = deploymentOptions(buildId, options.deployment);
  const concurrency = options.maxConcurrentActivities ?? 32;
  const fetchBudget = options.fetchBudget ?? FLEET_BUDGET;

  const onOutcomeChanged = options.keepBadDayMarkers ? tellBadDayMarkers : undefined;
  // What deriving a day from a stored answer needs, at fetch time and when reprocessing alike.
  const derivation = {
    onOutcomeChanged,
    // A body dropped under RAW_RETENTION_DAYS is read back from the archive.
    readArchived: createArchivedBodyReader(options.archiveUrl),
    pool,
    buildId,
    retryHorizonMs: options.retryHorizonMs,
    maxBodyBytes: options.jao.maxBodyBytes,
    secrets: options.jao.apiKey ? [options.jao.apiKey] : [],
    writeTimeouts: options.writeTimeouts,
  };
  const createMainWorker = () =>
    Worker.create({
      connection,
      namespace,
      identity,
      taskQueue,
      workflowBundle: { code: workflowBundle.code },
      workerDeploymentOptions,
      activities: {
        ...createStoreActivities(derivation),
        ...createPlanActivities(derivation),
        ...createFreshnessActivities({ pool, monitoring: options.monitoring }),
        // Reprocessing reads stored answers only: it runs here, never on the fetch queue, and has no JAO client.
        ...createReprocessActivities(derivation),
        // Shipping to the archive and restoring from it: no JAO client either.
        ...createArchiveActivities({
          pool,
          archiveUrl: options.archiveUrl,
          maxBodyBytes: options.jao.maxBodyBytes,
          rawRetentionDays: options.rawRetentionDays,
          onOutcomeChanged,
        }),
        // The bad-day markers: the database's bad days mirrored as running workflows (activities/badDays.ts).
        ...createBadDayActivities({ pool, deadlines: options.freshnessDeadlines }),
      },
      maxConcurrentActivityTaskExecutions: concurrency,
      maxCachedWorkflows: 500,
    });
  const createFetchWorker = () => {
    const fetchJao = jaoOfFetchWorker(options.jao, fetchBudget);
    return Worker.create({
      connection,
      namespace,
      identity,
      taskQueue: fetchTaskQueueOf(taskQueue),
      workerDeploymentOptions,
      activities: {
        ...createFetchActivities({
          pool,
          jao: fetchJao,
          retryHorizonMs: options.retryHorizonMs,
          rawStoreRetry: options.rawStoreRetry,
        }),
        // JAO's monitoring answer: one request per reading, inside the same budget (activities/monitoring.ts).
        ...createMonitoringActivities({
          pool,
          jao: fetchJao,
          lookbackDays: options.monitoring?.lookbackDays,
          keptWindows: options.keptWindows,
        }),
      },
      maxConcurrentActivityTaskExecutions: options.maxConcurrentFetches ?? concurrency,
      ...fetchWorkerRateOptions(fetchBudget, options.maxRequestsPerMinute),
    });
  };
  const queues = options.queues ?? 'all';
  const workers = [
    ...(queues === 'fetch' ? [] : [await createMainWorker()]),
    ...(queues === 'main' ? [] : [await createFetchWorker()]),
  ];
  if (queues !== 'main')
    recordFetchBudget(fetchBudget, options.maxRequestsPerMinute, fetchTaskQueueOf(taskQueue));
  const stop = (worker: Worker) => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    workers,
    run() {
      return runTogether(
        workers.map((worker) => ({
          name: `the worker on task queue ${worker.options.taskQueue}`,
          run: () => worker.run(),
          shutdown: () => stop(worker),
        })),
      );
    },
    shutdown() {
      for (const worker of workers) stop(worker);
    },
  };
}

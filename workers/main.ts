// The worker process: migrates the database, ensures the schedule, then runs the pipeline's workers until
// stopped (options.signal, or SIGINT/SIGTERM through the SDK's runtime when the caller does not handle them).
// Start-up fails fast: every step is bounded or ends at a stop request, and a failure names what failed.
import { Runtime } from '@temporalio/worker';
import pg from 'pg';
import { type Config, secretsOf } from '../common/config';
import { createLogger, type Logger } from '../common/logger';
import { connectClient, type TemporalClient } from '../common/temporal';
import { describeTemporalSecurity, temporalSettingsOf } from '../common/temporalSettings';
import { archiveScheduleIdFor, ensureArchiveSchedule } from '../control/archiveSchedule';
import { ensureBadDayMarkers } from '../control/badDayMarkers';
import { superviseDeploymentVersion } from '../control/deployment';
import type { FetchBudget } from '../control/fetchBudget';
import {
  agreeOnFetchRateLimit,
  describeFetchRateLimit,
  FleetRateLimitConflict,
} from '../control/fetchRateLimit';
import {
  ensureMonitoringWorkflow,
  monitoringWorkflowIdFor,
  stopMonitoringWorkflow,
} from '../control/monitoringWorkflow';
import { ensurePollSchedule, pollScheduleIdFor } from '../control/pollSchedule';
import { ensurePublicationSchedule, publicationScheduleIdFor } from '../control/publicationSchedule';
import { publicationSettingsOf } from '../control/publicationSettings';
import { ensureSearchAttributes, SearchAttributesProblem } from '../control/searchAttributes';
import { recordDatasetSource } from '../db/datasetSource';
import { readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { DATASET_TITLES, describePublicationSchedule, sourceEndpointOf } from '../domain/datasetSource';
import { DECLARATIONS, declarationOf, REGIONS } from '../domain/datasets';
import { declarationProblems } from '../domain/datasets/declarationSchema';
import { monitoredRegions, monitoringModeSettingsOf } from '../domain/monitoring';
import { fetchTaskQueueOf } from '../domain/workflowInputs';
import { jaoUserAgent } from '../source/userAgent';
import { startHealthMetrics } from './healthMetrics';
import { connectWorker, createPipelineWorkers } from './pipelineWorker';
import { installRuntime } from './runtime';
import { messageOf, StartupAborted, StartupFailed, settleWithin, step, temporalStep } from './startupSteps';
import { loadWorkflowBundle } from './workflowBundle';

export { StartupAborted } from './startupSteps';

/** How long start-up waits for the database to answer at all. */
export const DATABASE_PROBE_TIMEOUT_MS = 10_000;
/** How long start-up waits for resources to close after a failure or a stop request. */
const CLEANUP_TIMEOUT_MS = 2_000;

export interface WorkerProcessOptions {
  /**
   * Create or update the schedules at start-up, and keep the bad-day markers (start their keeper, tell it of days
   * whose outcome changed), as by default; false leaves all of them alone.
   */
  ensureSchedule?: boolean;
  /**
   * Ask JAO nothing (`--offline`, a stack for a restore): the fetch queue is not served, and no schedule or fetch
   * rate limit is set. A day to fetch waits for a worker that reaches JAO.
   */
  offline?: boolean;
  /** Called once the workers poll their queues. */
  onRunning?: () => Promise<void>;
  /** Stops the process gracefully: before the workers exist it ends start-up at once, after it drains them. */
  signal?: AbortSignal;
  /** Where the process's log lines go (default: the worker's JSON lines on stdout, common/logger.ts). */
  logger?: Logger;
}

/** Whether the database answers at all, within DATABASE_PROBE_TIMEOUT_MS (pg has no connect timeout of its own). */
async function probeDatabase(url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: DATABASE_PROBE_TIMEOUT_MS,
    query_timeout: DATABASE_PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    // pg's own words for its timeouts ("timeout expired", "Query read timeout") do not say whose timeout
    if (/timeout/i.test(messageOf(error)) && !(error instanceof pg.DatabaseError)) {
      throw new Error(`no answer within ${DATABASE_PROBE_TIMEOUT_MS / 1000} s`, { cause: error });
    }
    throw error;
  } finally {
    await settleWithin(client.end(), CLEANUP_TIMEOUT_MS);
  }
}

function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

export async function runWorkerProcess(config: Config, options: WorkerProcessOptions = {}): Promise<void> {
  const logger =
    options.logger ?? createLogger('worker', { level: config.LOG_LEVEL, secrets: secretsOf(config) });
  const log = (line: string) => logger.info(line);
  const signal = options.signal;
  const declarationProblem = declarationProblems(DECLARATIONS)[0];
  if (declarationProblem !== undefined)
    throw new StartupFailed(`a dataset declaration: ${declarationProblem}`);
  installRuntime(config);
  const database = `database at ${describeDatabase(config.DATABASE_URL)}`;
  const withSchedules = (options.ensureSchedule ?? true) && !options.offline;
  await step(`${database} does not answer`, probeDatabase(config.DATABASE_URL), signal);
  const pool = createPool(config.DATABASE_URL, {
    applicationName: 'jao-scraper-worker',
    report: (line) => logger.warn(line),
  });
  try {
    log((await readEngine(pool)).line);
    const report = await step(
      `migrating the ${database}`,
      migrate(pool, undefined, { onWait: log, onProgress: log }),
      signal,
    );
    logger.info({ applied: report.applied }, `database migrated: ${report.applied.length} applied`);
    const temporalAt = `Temporal at ${config.TEMPORAL_ADDRESS}`;
    let fetchBudget: FetchBudget = { mode: 'fleet' };
    const temporal: TemporalClient = await step('connecting to Temporal', connectClient(config), signal);
    log(
      `${temporalAt}, namespace ${config.TEMPORAL_NAMESPACE}: ${describeTemporalSecurity(temporalSettingsOf(config))}`,
    );
    try {
      const added = await temporalStep(
        `registering the search attributes on ${temporalAt}`,
        () => ensureSearchAttributes(temporal.connection, config.TEMPORAL_NAMESPACE),
        { signal, log, passThrough: (error) => error instanceof SearchAttributesProblem },
      );
      if (added.length) log(`search attributes registered: ${added.join(', ')}`);
      if (!options.offline) fetchBudget = await agreeOnRateLimit(temporal, config, log, signal);
      // Under Worker Versioning a build that is not current yet must not re-point the shared schedules: it
      // ensures them once it is current (below).
      if (withSchedules && !config.TEMPORAL_WORKER_VERSIONING) {
        await ensureSchedules(temporal, config, log, signal);
      }
    } finally {
      await settleWithin(temporal.close(), CLEANUP_TIMEOUT_MS);
    }
    const workflowBundle = await step(
      'loading the workflow bundle',
      loadWorkflowBundle(config.WORKFLOW_BUNDLE_PATH),
      signal,
    );
    const publications = config.JAO_DATASETS.map((dataset) => ({
      dataset,
      ...publicationSettingsOf(config, dataset),
    }));
    // What the catalogue says of each dataset's source: this worker's configuration and the declarations.
    for (const { dataset, ...publication } of publications) {
      await step(
        `recording the source of ${dataset} in the ${database}`,
        recordDatasetSource(pool, {
          dataset,
          title: DATASET_TITLES[dataset],
          endpoint: sourceEndpointOf(config.JAO_BASE_URL, dataset),
          publicationWindow: publication.window,
          freshnessDeadline: publication.deadline,
          publicationSchedule: describePublicationSchedule(publication),
          recordedBy: workflowBundle.info.buildId,
        }),
        signal,
      );
    }
    const connection = await step('connecting the workers to Temporal', connectWorker(config), signal);
    try {
      const workers = await step(
        `starting the workers on ${temporalAt}`,
        createPipelineWorkers({
          connection,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          pool,
          ...(options.offline ? { queues: 'main' as const } : {}),
          jao: {
            baseUrl: config.JAO_BASE_URL,
            apiKey: config.JAO_API_KEY,
            timeoutMs: config.JAO_REQUEST_TIMEOUT,
            maxBodyBytes: config.JAO_MAX_BODY_BYTES,
            userAgent: jaoUserAgent(config.JAO_CONTACT),
          },
          maxRequestsPerMinute: config.JAO_MAX_REQUESTS_PER_MINUTE,
          fetchBudget,
          workflowBundle,
          retryHorizonMs: config.DATABASE_RETRY_HORIZON,
          rawRetentionDays: config.RAW_RETENTION_DAYS,
          deployment: { name: config.TEMPORAL_DEPLOYMENT_NAME, versioned: config.TEMPORAL_WORKER_VERSIONING },
          // A worker that leaves the schedules alone (--no-schedule) leaves the keeper of the bad-day markers alone too.
          keepBadDayMarkers: options.ensureSchedule ?? true,
          freshnessDeadlines: Object.fromEntries(publications.map((each) => [each.dataset, each.deadline])),
          keptWindows: Object.fromEntries(publications.map((each) => [each.dataset, each.window])),
          // The polls of the datasets JAO's monitoring announces stand down while it is healthy (docs/monitoring.md).
          monitoring: monitoringModeSettingsOf(config),
        }),
        signal,
      );
      if (signal?.aborted) throw new StartupAborted();
      recordBuildInfo(workflowBundle.info.buildId);
      const running = workers.run();
      // Not aborted yet (checked above, nothing awaited since): a stop request from now on drains the workers.
      signal?.addEventListener('abort', () => workers.shutdown(), { once: true });
      logger.info(
        { taskQueue: config.TEMPORAL_TASK_QUEUE, buildId: workflowBundle.info.buildId },
        `worker polling task queue ${config.TEMPORAL_TASK_QUEUE}; build ${workflowBundle.info.buildId}` +
          ` (${config.WORKFLOW_BUNDLE_PATH ? `bundle ${config.WORKFLOW_BUNDLE_PATH}` : 'bundled at start-up'}` +
          `${config.TEMPORAL_WORKER_VERSIONING ? `, versioned deployment ${config.TEMPORAL_DEPLOYMENT_NAME}` : ''}); ` +
          (options.offline
            ? `offline: JAO is not asked (task queue ${fetchTaskQueueOf(config.TEMPORAL_TASK_QUEUE)} not served, no schedule set); a day to fetch waits for a worker that reaches JAO`
            : `JAO at ${config.JAO_BASE_URL}`),
      );
      // The health gauges only where they are exported (METRICS_PORT 0 turns metrics off).
      const health = config.METRICS_PORT > 0 ? startHealthMetrics(config, pool, log) : null;
      const versions = config.TEMPORAL_WORKER_VERSIONING
        ? await superviseVersion(config, workflowBundle.info.buildId, logger, withSchedules)
        : null;
      try {
        try {
          if (!signal?.aborted) await options.onRunning?.();
        } catch (error) {
          workers.shutdown();
          await running;
          throw error;
        }
        await running;
      } finally {
        await versions?.close();
        await health?.stop();
      }
      log('worker stopped');
    } finally {
      await settleWithin(connection.close(), CLEANUP_TIMEOUT_MS);
    }
  } finally {
    await settleWithin(pool.end(), CLEANUP_TIMEOUT_MS);
  }
}

/**
 * The fetch queue's limit for the whole fleet (control/fetchRateLimit.ts), or where Temporal refuses the worker
 * that limit, this worker's share of it; one line says which. A conflicting worker stops here with a configuration
 * error (one line, exit 2); any other failure names the step.
 */
async function agreeOnRateLimit(
  temporal: TemporalClient,
  config: Config,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<FetchBudget> {
  const fetchQueue = fetchTaskQueueOf(config.TEMPORAL_TASK_QUEUE);
  const limit = config.JAO_MAX_REQUESTS_PER_MINUTE;
  const outcome = await temporalStep(
    `setting the rate limit of ${fetchQueue}`,
    () =>
      agreeOnFetchRateLimit(temporal.connection, {
        namespace: config.TEMPORAL_NAMESPACE,
        fetchQueue,
        maxRequestsPerMinute: limit,
        fetchWorkers: config.JAO_FETCH_WORKERS,
      }),
    { signal, log, passThrough: (error) => error instanceof FleetRateLimitConflict },
  );
  log(describeFetchRateLimit(outcome, fetchQueue, limit));
  return outcome.mode === 'fleet' ? { mode: 'fleet' } : { mode: 'worker-share', share: outcome.share };
}

/**
 * Creates or updates this task queue's schedules: per dataset the poll and the publication window; the archive. Starts
 * the keeper of the bad-day markers (and removes release 1.1.0's bad-days schedule it replaces).
 */
async function ensureSchedules(
  temporal: TemporalClient,
  config: Config,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const onTemporal = <T>(what: string, work: () => Promise<T>) =>
    temporalStep(`${what} on Temporal at ${config.TEMPORAL_ADDRESS}`, work, { signal, log });
  for (const dataset of config.JAO_DATASETS) {
    const scheduleId = pollScheduleIdFor(config.TEMPORAL_TASK_QUEUE, dataset);
    const outcome = await onTemporal(`creating the schedule ${scheduleId}`, () =>
      ensurePollSchedule(temporal.client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        intervalMs: config.POLL_INTERVAL,
        lookbackDays: config.POLL_LOOKBACK_DAYS,
        dataset,
      }),
    );
    log(`schedule ${scheduleId} ${outcome}: every ${config.POLL_INTERVAL / 1000} s`);
    const { window } = publicationSettingsOf(config, dataset);
    const publicationId = publicationScheduleIdFor(config.TEMPORAL_TASK_QUEUE, dataset);
    const publication = await onTemporal(`creating the schedule ${publicationId}`, () =>
      ensurePublicationSchedule(temporal.client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        window,
        checkIntervalMs: config.PUBLICATION_POLL_INTERVAL,
        dataset,
      }),
    );
    log(
      `schedule ${publicationId} ${publication.outcome}: tomorrow every ` +
        `${config.PUBLICATION_POLL_INTERVAL / 1000} s from ${window} Europe/Amsterdam until complete` +
        `${publication.triggered ? ' (window open: started)' : ''}`,
    );
  }
  const regions =
    config.JAO_MONITORING === 'on' ? monitoredRegions(config.JAO_DATASETS.map(declarationOf)) : [];
  for (const region of regions) {
    const monitoringId = monitoringWorkflowIdFor(config.TEMPORAL_TASK_QUEUE, region);
    const monitoring = await onTemporal(`starting the monitoring workflow ${monitoringId}`, () =>
      ensureMonitoringWorkflow(temporal.client, {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        region,
        intervalMs: config.MONITORING_INTERVAL,
        quietIntervalMs: config.MONITORING_QUIET_INTERVAL,
        datasets: config.JAO_DATASETS,
      }),
    );
    log(
      `workflow ${monitoringId} ${monitoring}: JAO's monitoring read every ${config.MONITORING_INTERVAL / 1000} s ` +
        `while a day is expected, every ${config.MONITORING_QUIET_INTERVAL / 1000} s otherwise`,
    );
  }
  for (const region of REGIONS.filter((each) => !regions.includes(each))) {
    const monitoringId = monitoringWorkflowIdFor(config.TEMPORAL_TASK_QUEUE, region);
    const reason =
      config.JAO_MONITORING === 'on'
        ? `no dataset of JAO_DATASETS is announced in ${region}`
        : 'JAO_MONITORING=off';
    const stopped = await onTemporal(`stopping the monitoring workflow ${monitoringId}`, () =>
      stopMonitoringWorkflow(temporal.client, { taskQueue: config.TEMPORAL_TASK_QUEUE, region, reason }),
    );
    if (stopped === 'stopped')
      log(`workflow ${monitoringId} stopped (${reason}): the fixed polls fetch its days`);
  }
  const archiveId = archiveScheduleIdFor(config.TEMPORAL_TASK_QUEUE);
  const archive = await onTemporal(`creating the schedule ${archiveId}`, () =>
    ensureArchiveSchedule(temporal.client, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      intervalMs: config.ARCHIVE_INTERVAL,
    }),
  );
  log(`schedule ${archiveId} ${archive}: ships to the archive every ${config.ARCHIVE_INTERVAL / 1000} s`);
  const markers = await onTemporal('starting the keeper of the bad-day markers', () =>
    ensureBadDayMarkers(temporal.client, config.TEMPORAL_TASK_QUEUE),
  );
  log(
    `bad-day markers kept by workflow ${markers.keeper}` +
      (markers.schedule === 'removed' ? ' (schedule bad-days of release 1.1.0 removed)' : ''),
  );
}

/** `jao_worker_build_info{build_id="…"} 1`: which build every worker of the fleet runs. */
function recordBuildInfo(buildId: string): void {
  Runtime.instance()
    .metricMeter.createGauge('jao_worker_build_info', 'int', '', 'Build of this worker (value 1)')
    .set(1, { build_id: buildId });
}

/**
 * Under Worker Versioning: keeps checking whether this build should become current (control/deployment.ts), and
 * once it is, brings the schedules to this build's settings.
 */
async function superviseVersion(config: Config, buildId: string, logger: Logger, withSchedules: boolean) {
  const log = (line: string) => logger.info(line);
  const temporal = await connectClient(config);
  const supervisor = superviseDeploymentVersion(
    temporal.connection,
    {
      namespace: config.TEMPORAL_NAMESPACE,
      deploymentName: config.TEMPORAL_DEPLOYMENT_NAME,
      buildId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    },
    log,
  );
  // Set once this build is current; a build that never becomes current has nothing to wait for on close.
  let schedules: Promise<void> | null = null;
  if (withSchedules) {
    void supervisor.current.then(() => {
      schedules = ensureSchedules(temporal, config, log, undefined).catch((error: unknown) =>
        logger.warn({ error }, `schedules not updated: ${messageOf(error)}`),
      );
    });
  }
  return {
    async close() {
      await supervisor.stop();
      if (schedules) await settleWithin(schedules, CLEANUP_TIMEOUT_MS);
      await temporal.close();
    },
  };
}

// The worker process: migrates the database, ensures the schedule, then runs the pipeline's workers until
// SIGINT/SIGTERM (the SDK's runtime turns those signals into a graceful shutdown).
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { Config } from '../common/config';
import { connectClient } from '../common/temporal';
import { readEngine } from '../db/engine';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { jaoUserAgent } from '../source/userAgent';
import { superviseDeploymentVersion, type VersionSupervisor } from './deployment';
import { createPipelineWorkers } from './pipelineWorker';
import { installRuntime } from './runtime';
import { ensurePollSchedule } from './schedule';
import { ensureSearchAttributes } from './searchAttributes';
import { loadWorkflowBundle } from './workflowBundle';

export interface WorkerProcessOptions {
  /** Create or update the poll schedule at start-up (default true). */
  ensureSchedule?: boolean;
  /** Called once the workers poll their queues. */
  onRunning?: () => Promise<void>;
  /** Stops the process gracefully: before the workers exist it ends start-up, after it drains them. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Start-up ended by a stop request before the workers ran. */
export class StartupAborted extends Error {
  override name = 'StartupAborted';
  constructor() {
    super('stopped during start-up');
  }
}

export async function runWorkerProcess(config: Config, options: WorkerProcessOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.error(line));
  installRuntime(config);
  const stopRequested = () => {
    if (options.signal?.aborted) throw new StartupAborted();
  };
  const pool = createPool(config.DATABASE_URL, { applicationName: 'jao-scraper-worker', report: log });
  try {
    const report = await migrate(pool);
    stopRequested();
    log((await readEngine(pool)).line);
    log(`database migrated: ${report.applied.length} applied`);
    const temporal = await connectClient(config);
    try {
      const added = await ensureSearchAttributes(temporal.connection, config.TEMPORAL_NAMESPACE);
      if (added.length) log(`search attributes registered: ${added.join(', ')}`);
      if (options.ensureSchedule ?? true) {
        const outcome = await ensurePollSchedule(temporal.client, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          intervalMs: config.POLL_INTERVAL,
          lookbackDays: config.POLL_LOOKBACK_DAYS,
        });
        log(`schedule maxExchanges-poll ${outcome}: every ${config.POLL_INTERVAL / 1000} s`);
      }
    } finally {
      await temporal.close();
    }
    stopRequested();
    const workflowBundle = await loadWorkflowBundle(config.WORKFLOW_BUNDLE_PATH);
    stopRequested();
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    try {
      const workers = await createPipelineWorkers({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        pool,
        jao: {
          baseUrl: config.JAO_BASE_URL,
          apiKey: config.JAO_API_KEY,
          timeoutMs: config.JAO_REQUEST_TIMEOUT,
          userAgent: jaoUserAgent(config.JAO_CONTACT),
        },
        maxRequestsPerMinute: config.JAO_MAX_REQUESTS_PER_MINUTE,
        workflowBundle,
        retryHorizonMs: config.DATABASE_RETRY_HORIZON,
        deployment: { name: config.TEMPORAL_DEPLOYMENT_NAME, versioned: config.TEMPORAL_WORKER_VERSIONING },
      });
      recordBuildInfo(workflowBundle.info.buildId);
      const running = workers.run();
      options.signal?.addEventListener('abort', () => workers.shutdown(), { once: true });
      if (options.signal?.aborted) workers.shutdown();
      log(
        `worker polling task queue ${config.TEMPORAL_TASK_QUEUE}; build ${workflowBundle.info.buildId}` +
          ` (${config.WORKFLOW_BUNDLE_PATH ? `bundle ${config.WORKFLOW_BUNDLE_PATH}` : 'bundled at start-up'}` +
          `${config.TEMPORAL_WORKER_VERSIONING ? `, versioned deployment ${config.TEMPORAL_DEPLOYMENT_NAME}` : ''}); JAO at ${config.JAO_BASE_URL}`,
      );
      const versions = config.TEMPORAL_WORKER_VERSIONING
        ? await superviseVersion(config, workflowBundle.info.buildId, log)
        : null;
      try {
        try {
          if (!options.signal?.aborted) await options.onRunning?.();
        } catch (error) {
          workers.shutdown();
          await running;
          throw error;
        }
        await running;
      } finally {
        await versions?.close();
      }
      log('worker stopped');
    } finally {
      await connection.close();
    }
  } finally {
    await pool.end();
  }
}

/** `jao_worker_build_info{build_id="…"} 1`: which build every worker of the fleet runs. */
function recordBuildInfo(buildId: string): void {
  Runtime.instance()
    .metricMeter.createGauge('jao_worker_build_info', 'int', '', 'Build of this worker (value 1)')
    .set(1, { build_id: buildId });
}

/** Under Worker Versioning: keeps checking whether this build should become current (workers/deployment.ts). */
async function superviseVersion(config: Config, buildId: string, log: (line: string) => void) {
  const temporal = await connectClient(config);
  const supervisor: VersionSupervisor = superviseDeploymentVersion(
    temporal.connection,
    {
      namespace: config.TEMPORAL_NAMESPACE,
      deploymentName: config.TEMPORAL_DEPLOYMENT_NAME,
      buildId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    },
    log,
  );
  return {
    supervisor,
    async close() {
      await supervisor.stop();
      await temporal.close();
    },
  };
}

// The SDK runtime of a worker process: its logs (core, worker, activities, workflows) as the worker's JSON lines
// (common/logger.ts) and the Prometheus endpoint. Installed once, before anything connects to Temporal (a dev
// server started in-process counts too).
import {
  ApplicationFailure,
  type LogMetadata,
  type Logger as SdkLogger,
  type LogLevel as SdkLogLevel,
} from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { PUBLICATION_LATENCY_BUCKETS, PUBLICATION_LATENCY_METRIC } from '../activities/freshness';
import { type Config, secretsOf } from '../common/config';
import { createLogger, type Logger } from '../common/logger';
import { ARCHIVE_MISCONFIGURED, RESTORE_REFUSED } from '../domain/archiveInputs';
import { FAILURE_TYPES } from '../domain/failureTypes';
import { isFetchTaskQueue } from '../domain/workflowInputs';

/**
 * V8 heap limit the worker is deployed with (Dockerfile: NODE_OPTIONS=--max-old-space-size=256). Without a
 * limit V8 collects lazily and the resident size of a long backfill drifts towards 500 MB; with it the worker
 * stays near 340 MB at the same throughput.
 */
export const WORKER_HEAP_LIMIT_MB = 256;

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** What the SDK says of a worker given activities and no workflow: the fetch task queue's (workers/main.ts). */
const ACTIVITY_ONLY_WORKER = 'No workflows registered, not polling for workflow tasks';

/** Activity failures of these types are verdicts the pipeline raises on purpose, not faults of the worker. */
const EXPECTED_ACTIVITY_FAILURES: ReadonlySet<string> = new Set([
  FAILURE_TYPES.rejected,
  RESTORE_REFUSED,
  ARCHIVE_MISCONFIGURED,
]);

/**
 * The level of an SDK log entry, for people: an outcome the code raised on purpose is information, not a warning.
 * A workflow fails only with a failure its code threw or let through (any other error fails the workflow task and
 * is retried, with its own warning); an activity failure of an EXPECTED_ACTIVITY_FAILURES type is a verdict (JAO's
 * `rejected: true`, a restore refused). The fetch task queue's worker polls no workflow task by design: the SDK's
 * word of it is information there, and a warning on any other queue. Every other warning stays one.
 */
export function sdkEntryLevel(level: SdkLogLevel, message: string, meta?: LogMetadata): SdkLogLevel {
  if (level !== 'WARN') return level;
  if (message === 'Workflow failed') return 'INFO';
  if (message === ACTIVITY_ONLY_WORKER && isFetchTaskQueue(meta?.taskQueue)) return 'INFO';
  const error = meta?.error;
  const expected = error instanceof ApplicationFailure && EXPECTED_ACTIVITY_FAILURES.has(error.type ?? '');
  return message === 'Activity failed' && expected ? 'INFO' : level;
}

/** The SDK's logger interface over a pino logger: the entry's metadata become the line's fields. */
export function sdkLoggerOf(logger: Logger): SdkLogger {
  const at =
    (level: SdkLogLevel) =>
    (message: string, meta?: LogMetadata): void =>
      logger[LEVELS[sdkEntryLevel(level, message, meta)]](meta ?? {}, message);
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('TRACE'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}

let installed = false;

/**
 * Installs the runtime. By default it turns SIGINT/SIGTERM into a graceful shutdown of the workers; a caller
 * that owns more than workers (`jao start`) passes `handleSignals: false` and handles them itself.
 */
export function installRuntime(
  config: Pick<Config, 'METRICS_PORT' | 'METRICS_HOST' | 'LOG_LEVEL'> &
    Partial<Pick<Config, 'LOG_FORMAT' | 'JAO_API_KEY'>>,
  options: { handleSignals?: boolean } = {},
): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    ...(options.handleSignals === false ? { shutdownSignals: [] } : {}),
    logger: sdkLoggerOf(
      createLogger('worker', {
        level: config.LOG_LEVEL,
        format: config.LOG_FORMAT,
        secrets: secretsOf(config),
      }),
    ),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(config.METRICS_PORT > 0
        ? {
            metrics: {
              prometheus: {
                bindAddress: `${config.METRICS_HOST}:${config.METRICS_PORT}`,
                histogramBucketOverrides: { [PUBLICATION_LATENCY_METRIC]: PUBLICATION_LATENCY_BUCKETS },
              },
            },
          }
        : {}),
    },
  });
}

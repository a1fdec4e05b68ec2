// The SDK runtime of a worker process: its logs (core, worker, activities, workflows) as the worker's JSON lines
// (common/logger.ts) and the Prometheus endpoint. Installed once, before anything connects to Temporal (a dev
// server started in-process counts too).
import type { LogMetadata, Logger as SdkLogger, LogLevel as SdkLogLevel } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { PUBLICATION_LATENCY_BUCKETS, PUBLICATION_LATENCY_METRIC } from '../activities/freshness';
import { type Config, secretsOf } from '../common/config';
import { createLogger, type Logger } from '../common/logger';

/**
 * V8 heap limit the worker is deployed with (Dockerfile: NODE_OPTIONS=--max-old-space-size=256). Without a
 * limit V8 collects lazily and the resident size of a long backfill drifts towards 500 MB; with it the worker
 * stays near 340 MB at the same throughput.
 */
export const WORKER_HEAP_LIMIT_MB = 256;

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The SDK's logger interface over a pino logger: the entry's metadata become the line's fields. */
export function sdkLoggerOf(logger: Logger): SdkLogger {
  const at =
    (level: SdkLogLevel) =>
    (message: string, meta?: LogMetadata): void =>
      logger[LEVELS[level]](meta ?? {}, message);
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

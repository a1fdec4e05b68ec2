// The SDK runtime of a worker process: structured JSON logs and the Prometheus endpoint. Installed once,
// before anything connects to Temporal (a dev server started in-process counts too).
import { DefaultLogger, type LogEntry, Runtime } from '@temporalio/worker';
import { PUBLICATION_LATENCY_BUCKETS, PUBLICATION_LATENCY_METRIC } from '../activities/freshness';
import type { Config } from '../common/config';
import { formatLogLine } from './logFormat';

/**
 * V8 heap limit the worker is deployed with (Dockerfile: NODE_OPTIONS=--max-old-space-size=256). Without a
 * limit V8 collects lazily and the resident size of a long backfill drifts towards 500 MB; with it the worker
 * stays near 340 MB at the same throughput.
 */
export const WORKER_HEAP_LIMIT_MB = 256;

const LEVELS = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

function jsonLineWriter(secrets: readonly (string | undefined)[]) {
  return (entry: LogEntry): void => {
    const line = {
      time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
      level: entry.level.toLowerCase(),
      message: entry.message,
      ...entry.meta,
    };
    process.stdout.write(`${formatLogLine(line, secrets)}\n`);
  };
}

let installed = false;

/**
 * Installs the runtime. By default it turns SIGINT/SIGTERM into a graceful shutdown of the workers; a caller
 * that owns more than workers (`jao start`) passes `handleSignals: false` and handles them itself.
 */
export function installRuntime(
  config: Pick<Config, 'METRICS_PORT' | 'METRICS_HOST' | 'LOG_LEVEL'> & Partial<Pick<Config, 'JAO_API_KEY'>>,
  options: { handleSignals?: boolean } = {},
): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    ...(options.handleSignals === false ? { shutdownSignals: [] } : {}),
    logger: new DefaultLogger(LEVELS[config.LOG_LEVEL], jsonLineWriter([config.JAO_API_KEY])),
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

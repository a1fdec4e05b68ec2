import type { FastifyServerOptions } from 'fastify';
import { type LogLevel, type LogOutputOptions, logLineOptions, logLineSink } from '../common/logger';
import { createPool } from '../db/pool';
import { checkReleaseFloor } from '../db/releaseFloor';
import { TASK_QUEUE } from '../domain/workflowInputs';
import { buildApp } from './app';
import type { ApiSettings } from './config';
import { DayEventHub } from './eventHub';
import type { ApiApp } from './routing';
import { TemporalRunControl } from './runControl';
import { TemporalRunningDays } from './runningDays';

export interface RunningApi {
  app: ApiApp;
  /** http://host:port ('' when not listening: see StartApiOptions.listen) */
  url: string;
  close(): Promise<void>;
}

export interface StartApiOptions {
  heartbeatMs?: number;
  /** How often open streams' keys are checked again (tests). */
  keyRecheckMs?: number;
  /** Log lines go here instead of stdout (tests). */
  logDestination?: NodeJS.WritableStream;
  /** false: the app is made ready but listens on no port, driven through app.inject() (tests). Default true. */
  listen?: boolean;
}

/** Request headers that carry a key: never written to a log line. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'request.headers.authorization',
  'headers.authorization',
];

/**
 * The API's pino logger, given to Fastify: the lines of every other process (common/logger.ts), named `api`, with
 * Fastify's request fields (reqId, req, res, responseTime) and never a key.
 */
export function apiLoggerOptions(
  level: LogLevel,
  output: LogOutputOptions = {},
): FastifyServerOptions['logger'] {
  return {
    ...logLineOptions('api', level),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    stream: logLineSink(output),
  };
}

/**
 * Connects as jao_reader, starts the live feed's listener and listens on settings.host:port (unless options.listen is
 * false).
 */
export async function startApi(settings: ApiSettings, options: StartApiOptions = {}): Promise<RunningApi> {
  const pool = createPool(settings.databaseUrl, { max: 20, applicationName: 'jao-api' });
  try {
    await checkReleaseFloor(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const hub = new DayEventHub(settings.databaseUrl, pool, (line) => app.log.warn(line));
  const runningDays = settings.temporal ? new TemporalRunningDays(settings.temporal) : null;
  const runControl = settings.temporal
    ? new TemporalRunControl({ ...settings.temporal, taskQueue: settings.temporal.taskQueue ?? TASK_QUEUE })
    : null;
  let app: ApiApp;
  try {
    app = await buildApp({
      pool,
      hub,
      maxRangeDays: settings.maxRangeDays,
      rateLimitPerMinute: settings.rateLimitPerMinute,
      heartbeatMs: options.heartbeatMs,
      keyRecheckMs: options.keyRecheckMs,
      runningDays,
      runControl,
      publication: settings.publication,
      page: {
        temporalUiUrl: settings.temporalUiUrl,
        taskQueue: settings.taskQueue,
        namespace: settings.temporal?.namespace ?? 'default',
      },
      logger: apiLoggerOptions(settings.logLevel, { sink: options.logDestination }),
    });
    await hub.start();
    if (options.listen === false) await app.ready();
    else await app.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    await hub.stop();
    await runningDays?.close();
    await runControl?.close();
    await pool.end();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    app,
    url: options.listen === false ? '' : `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    async close() {
      await hub.stop();
      // Open event streams never end by themselves.
      app.server.closeAllConnections();
      await app.close();
      await runningDays?.close();
      await runControl?.close();
      await pool.end();
    },
  };
}

import type { FastifyServerOptions } from 'fastify';
import { type LogLevel, type LogOutputOptions, logLineOptions, logLineSink } from '../common/logger';

/** Request headers that carry a key: never written to a log line. */
export const REDACTED_PATHS = [
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

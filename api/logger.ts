import type { FastifyServerOptions } from 'fastify';

/** Request headers that carry a key: never written to a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'request.headers.authorization',
  'headers.authorization',
];

/**
 * The API's pino logger (JSON lines on stdout), given to Fastify. Its own, not the worker's: the API's lines carry
 * requests (method, URL, status, time) and never a key.
 */
export function apiLoggerOptions(
  level: string,
  destination?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    name: 'jao-api',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(destination ? { stream: destination } : {}),
  };
}

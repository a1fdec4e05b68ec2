// Every log line of the pipeline's processes (worker, API, the CLI's relayed and progress lines) is one JSON line on
// stdout, written by pino: `time` (ISO), `level`, `name` (the component), `message` and the entry's fields.
// Errors in the fields become their type, message, causes and (for unexpected errors) stack, instead of the `{}`
// JSON makes of them; secrets are masked in the whole line (common/redact.ts). On a terminal the same lines are
// pretty-printed (LOG_FORMAT).
import { TemporalFailure } from '@temporalio/common';
import pino, { type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';
import { z } from 'zod';
import { redactSecrets } from './redact';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggedError {
  type: string;
  message: string;
  /** SQLSTATE or a Node error code, when the error carries one. */
  code?: string;
  nonRetryable?: boolean;
  /** Only for unexpected errors: a failure the pipeline raised on purpose says what it needs to in its message. */
  stack?: string;
  cause?: LoggedError;
}

export interface LineSink {
  write(line: string): void;
}

export interface LogOutputOptions {
  /** Masked wherever they appear in a line. Default: JAO_API_KEY from the environment. */
  secrets?: readonly (string | undefined)[];
  /** Where the lines go. Default: stdout. */
  sink?: LineSink;
  /** Default: LOG_FORMAT from the environment; when unset or not a format, pretty on a terminal, JSON otherwise. */
  format?: LogFormat;
}

export interface LoggerOptions extends LogOutputOptions {
  /** Default: LOG_LEVEL from the environment (info when unset or not a level). */
  level?: LogLevel;
}

const MAX_CAUSES = 5;
const MAX_FIELD_DEPTH = 8;

/**
 * A failure the workflow code raised reaches the worker's log as a copy (it crossed from the workflow's thread):
 * a plain Error whose stack still names its class.
 */
const TEMPORAL_FAILURE_STACK =
  /^(ApplicationFailure|ActivityFailure|ChildWorkflowFailure|CancelledFailure|TimeoutFailure|TerminatedFailure|ServerFailure):/;

/** The class of a Temporal failure, also of a copy of one; undefined for any other error. */
function temporalFailureName(error: Error): string | undefined {
  if (error instanceof TemporalFailure) return error.name;
  return TEMPORAL_FAILURE_STACK.exec(error.stack ?? '')?.[1];
}

export function describeError(error: Error, depth = 0): LoggedError {
  const failure = temporalFailureName(error);
  const expected = failure !== undefined;
  const described: LoggedError = {
    type:
      'type' in error && typeof error.type === 'string' && error.type ? error.type : (failure ?? error.name),
    message: error.message,
  };
  if ('code' in error && (typeof error.code === 'string' || typeof error.code === 'number'))
    described.code = String(error.code);
  if ('nonRetryable' in error && typeof error.nonRetryable === 'boolean')
    described.nonRetryable = error.nonRetryable;
  if (!expected && error.stack) described.stack = error.stack;
  const cause = error.cause;
  if (depth < MAX_CAUSES && cause !== undefined && cause !== null) {
    described.cause =
      cause instanceof Error
        ? describeError(cause, depth + 1)
        : { type: typeof cause, message: String(cause) };
  }
  return described;
}

/** `value` with every Error in it (in plain objects and arrays) described; cycles are cut. */
function describeErrorsIn(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (value instanceof Error) return describeError(value);
  if (typeof value !== 'object' || value === null || depth > MAX_FIELD_DEPTH) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => describeErrorsIn(item, seen, depth + 1));
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, describeErrorsIn(field, seen, depth + 1)]),
    );
  } finally {
    seen.delete(value);
  }
}

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  return z.enum(LOG_LEVELS).catch('info').parse(env.LOG_LEVEL);
}

/** LOG_FORMAT, or undefined (the sink decides) when unset or not a format. */
export function logFormatFromEnv(env: NodeJS.ProcessEnv = process.env): LogFormat | undefined {
  return z.enum(LOG_FORMATS).optional().catch(undefined).parse(env.LOG_FORMAT);
}

const describeIfError = (value: unknown) => (value instanceof Error ? describeError(value) : value);

/** The pino options of every process's lines (createLogger's, the API's through Fastify): one shape. */
export function logLineOptions(name: string, level: LogLevel): PinoOptions {
  return {
    level,
    base: { name },
    messageKey: 'message',
    errorKey: 'error',
    timestamp: pino.stdTimeFunctions.isoTime,
    // Replace pino's and Fastify's error serializers (`err`), which would describe an already described error
    // again, as an object of type `Object`.
    serializers: { error: describeIfError, err: describeIfError },
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => describeErrorsIn(fields, new WeakSet(), 0) as Record<string, unknown>,
    },
  };
}

function isTerminal(sink: LineSink): boolean {
  return 'isTTY' in sink && sink.isTTY === true;
}

/** Where a logger writes its lines: secrets masked first, then the line as it is (json) or pretty-printed. */
export function logLineSink(options: LogOutputOptions = {}): LineSink {
  const secrets = options.secrets ?? [process.env.JAO_API_KEY];
  const sink = options.sink ?? process.stdout;
  const format = options.format ?? logFormatFromEnv() ?? (isTerminal(sink) ? 'pretty' : 'json');
  if (format === 'json') return { write: (line) => sink.write(redactSecrets(line, secrets)) };
  const prettify = prettyFactory({
    messageKey: 'message',
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    colorize: isColorSupported && isTerminal(sink),
  });
  return { write: (line) => sink.write(prettify(redactSecrets(line, secrets))) };
}

/** A logger whose lines carry `name` (worker, start, migrate, …). */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino(logLineOptions(name, options.level ?? logLevelFromEnv()), logLineSink(options));
}

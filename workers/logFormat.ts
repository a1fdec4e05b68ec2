// One JSON log line per entry. Errors in a line's fields become their type, message, causes and (for
// unexpected errors) stack, instead of the `{}` JSON.stringify makes of them; secrets are masked in the line.
import { TemporalFailure } from '@temporalio/common';
import { redactSecrets } from '../common/redact';

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

const MAX_CAUSES = 5;

export function describeError(error: Error, depth = 0): LoggedError {
  const expected = error instanceof TemporalFailure;
  const described: LoggedError = {
    type: 'type' in error && typeof error.type === 'string' && error.type ? error.type : error.name,
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

export interface LogLine {
  time: string;
  level: string;
  message: string;
  [field: string]: unknown;
}

/** The line as JSON, errors described and secrets masked; never throws (a field that cannot be serialized is named). */
export function formatLogLine(line: LogLine, secrets: readonly (string | undefined)[] = []): string {
  let text: string;
  try {
    text = JSON.stringify(line, (_key, value: unknown) =>
      value instanceof Error ? describeError(value) : value,
    );
  } catch (error) {
    text = JSON.stringify({
      time: line.time,
      level: line.level,
      message: line.message,
      logError: `fields not serializable: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  return redactSecrets(text, secrets);
}

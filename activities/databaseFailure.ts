// Database errors as activity failures: a deterministic one is not retried, a transient one is, both say why.
import { ApplicationFailure } from '@temporalio/activity';
import { redactSecrets } from '../common/redact';
import { classifyConnectionError, classifyDatabaseError } from '../db/errors';
import { connectionErrorMessage } from '../db/pool';
import { FAILURE_TYPES } from '../domain/failureTypes';

/**
 * `error` as the failure an activity throws: PostgreSQL errors classified by SQLSTATE, a connection that could
 * not be made or broke as transient, others unchanged.
 */
export function asDatabaseFailure(error: unknown, action: string, secrets: readonly string[] = []): unknown {
  const connectionProblem = classifyConnectionError(error);
  if (connectionProblem !== null) {
    return ApplicationFailure.create({
      message: `${action}: ${connectionProblem}: ${redactSecrets(connectionErrorMessage(error), secrets)}`,
      type: FAILURE_TYPES.databaseUnavailable,
    });
  }
  const databaseClass = classifyDatabaseError(error);
  if (databaseClass === null || !(error instanceof Error)) return error;
  const what = `${action}: SQLSTATE ${databaseClass.sqlState} (${databaseClass.description}): ${redactSecrets(error.message, secrets)}`;
  if (databaseClass.deterministic) {
    return ApplicationFailure.create({
      message: `${what}; not retried, another attempt would fail the same way`,
      type: FAILURE_TYPES.databaseRefused,
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({ message: what, type: FAILURE_TYPES.databaseUnavailable });
}

/** Whether `error` is a database failure another try may get past (asDatabaseFailure's transient ones). */
export function isTransientDatabaseFailure(error: unknown): boolean {
  return (
    error instanceof ApplicationFailure &&
    error.type === FAILURE_TYPES.databaseUnavailable &&
    !error.nonRetryable
  );
}

/** Runs database work of an activity, turning its errors into classified failures. */
export async function withDatabaseFailures<T>(
  action: string,
  work: () => Promise<T>,
  secrets: readonly string[] = [],
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asDatabaseFailure(error, action, secrets);
  }
}

// Failure types the activities raise; the workflows' retry policies name the non-retryable ones.
export const FAILURE_TYPES = {
  unavailable: 'JaoUnavailable',
  permanent: 'JaoPermanentError',
  rejected: 'JaoRejected',
  /** Database work kept failing past the worker's retry horizon. */
  storeGaveUp: 'StoreRetryHorizonExceeded',
  /** PostgreSQL refused a statement in a way another attempt repeats (SQLSTATE classes 22, 23, 42, 54, …). */
  databaseRefused: 'DatabaseRefused',
  /** PostgreSQL could not serve the statement now (connection, deadlock, timeout, shutdown): retried. */
  databaseUnavailable: 'DatabaseUnavailable',
} as const;

/** Another attempt cannot change the outcome: other 4xx, `rejected: true`, a deterministic database error, a
 * database that stayed unreachable past the retry horizon. */
export const NON_RETRYABLE_FAILURE_TYPES: string[] = [
  FAILURE_TYPES.permanent,
  FAILURE_TYPES.rejected,
  FAILURE_TYPES.databaseRefused,
  FAILURE_TYPES.storeGaveUp,
];

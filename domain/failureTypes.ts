// Failure types the activities raise; the workflows' retry policies name the non-retryable ones.
export const FAILURE_TYPES = {
  unavailable: 'JaoUnavailable',
  permanent: 'JaoPermanentError',
  rejected: 'JaoRejected',
  /** Database work kept failing past the worker's retry horizon. */
  storeGaveUp: 'StoreRetryHorizonExceeded',
} as const;

/** Another attempt cannot change JAO's answer: other 4xx, and `rejected: true`. */
export const NON_RETRYABLE_FAILURE_TYPES: string[] = [
  FAILURE_TYPES.permanent,
  FAILURE_TYPES.rejected,
  FAILURE_TYPES.storeGaveUp,
];

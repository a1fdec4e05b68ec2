// Failure types the fetch activity raises; the workflows' retry policy names the non-retryable ones.
export const FAILURE_TYPES = {
  unavailable: 'JaoUnavailable',
  permanent: 'JaoPermanentError',
  rejected: 'JaoRejected',
} as const;

/** Another attempt cannot change JAO's answer: other 4xx, and `rejected: true`. */
export const NON_RETRYABLE_FAILURE_TYPES: string[] = [FAILURE_TYPES.permanent, FAILURE_TYPES.rejected];

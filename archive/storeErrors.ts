// How a store fails, so that the archiver knows whether to try again: every store throws one of these (or an
// ArchiveKeyError for a malformed key), each a one-line message naming the archive's location, never a secret.

export abstract class ArchiveStoreError extends Error {
  /** True when the same call may succeed later without anyone changing anything. */
  abstract readonly retryable: boolean;
}

/**
 * The archive cannot be reached or did not answer properly now: connection refused or reset, a timeout, a 5xx or
 * throttling answer, a full or failing disk. Retry later; the answers wait in the database meanwhile.
 */
export class ArchiveUnavailableError extends ArchiveStoreError {
  override name = 'ArchiveUnavailableError';
  readonly retryable = true;
}

/**
 * The archive refuses us until someone fixes the set-up: bad or expired credentials, access denied, no such
 * bucket, a directory without permission. Retrying alone does not help.
 */
export class ArchiveAccessError extends ArchiveStoreError {
  override name = 'ArchiveAccessError';
  readonly retryable = false;
}

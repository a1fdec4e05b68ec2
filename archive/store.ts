// Where archived raw answers live: a local directory (file://…) or S3-compatible object storage (s3://bucket/prefix).
// Objects are written once and never changed: a key names its content, so writing an existing key is a no-op.
// Every store accepts the same keys (keySegments) and throws one of the errors below (or an ArchiveKeyError for a
// malformed key), each a one-line message naming the archive's location, never a secret, so that the archiver knows
// whether to try again.

export interface ArchiveStore {
  /** The archive's address without credentials, for logs, lineage and messages. */
  readonly location: string;
  /** Writes `body` under `key` unless an object already holds that key; says which happened. */
  putIfAbsent(key: string, body: Uint8Array): Promise<'written' | 'existed'>;
  /** The object's bytes, or undefined when there is none under `key`. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every key that starts with `prefix`, in ascending byte order of the key. */
  list(prefix: string): AsyncIterable<string>;
}

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

/** What a file name and an S3 key can both hold, the same in each store. */
const MAX_SEGMENT_BYTES = 255;

/** A key no store can hold: the archiver built it wrong. Not retryable. */
export class ArchiveKeyError extends Error {
  override name = 'ArchiveKeyError';
}

/**
 * A key's '/'-separated segments. Each is non-empty, does not start with '.' (no '.', '..' or hidden file, and
 * nothing the file store's temporary files could be taken for), has no NUL and fits a file name (255 bytes).
 */
export function keySegments(key: string): string[] {
  const segments = key.split('/');
  for (const segment of segments) {
    if (
      segment === '' ||
      segment.startsWith('.') ||
      segment.includes('\0') ||
      Buffer.byteLength(segment) > MAX_SEGMENT_BYTES
    )
      throw new ArchiveKeyError(
        `archive key ${JSON.stringify(key)}: segments must be non-empty, not start with '.', and have no NUL`,
      );
  }
  return segments;
}

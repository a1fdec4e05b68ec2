// The keys every store accepts: what a file name and an S3 key can both hold, the same in each.

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

// Where archived raw answers live: a local directory (file://…) or S3-compatible object storage (s3://bucket/prefix).
// Objects are written once and never changed: a key names its content, so writing an existing key is a no-op.

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

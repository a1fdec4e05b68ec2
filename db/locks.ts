/**
 * Advisory lock keys of the storage layer: (namespace, key) pairs for pg_advisory_lock(int, int), so they
 * cannot collide with one another. The key within a namespace is hashtext() of a string computed in SQL.
 */
export const LOCK_NAMESPACE = {
  /** Session lock held while migrations run (one per database). */
  migrate: 1_245_793_024,
  /** Transaction lock per (dataset, delivery day) for writeDay: two writes of one day serialize. */
  writeDay: 1_245_793_025,
  /** Transaction lock per (dataset, delivery day) for storeRawResponse. */
  rawResponse: 1_245_793_026,
} as const;

/** The string whose hashtext() keys the per-day locks. */
export function dayLockName(dataset: string, day: string): string {
  return `${dataset}/${day}`;
}

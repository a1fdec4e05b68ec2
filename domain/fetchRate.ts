// The fetch queue's dispatch rate for JAO's request limit (docs/design.md §5): what the server's limiter may let
// through in any minute.

/**
 * Task queue partitions the server runs by default; each may dispatch one task as a burst. The dev server runs
 * every queue with one partition (devstack/devServer.ts), a cluster should do so for the fetch queue (docs/cluster.md:
 * "Temporal server settings"): the limit is split evenly over the partitions, and a partition that has no fetch
 * waiting wastes its share, which left a backfill at 60–70 % of its budget with four.
 */
export const TASK_QUEUE_PARTITIONS = 4;

/** After a pause the server's limiter dispatches this much of its rate at once (its burst), plus one per partition. */
export const BURST_SECONDS = 1;

/**
 * The fetch queue's dispatch rate (tasks/s) for a JAO limit in requests/minute, such that no minute holds more
 * than the limit: a minute can see a minute of the steady rate plus the limiter's burst. The server holds it
 * for the fleet (control/fetchRateLimit.ts); each worker also sends it with its polls.
 */
export function fetchRatePerSecond(maxRequestsPerMinute: number): number {
  return Math.max(
    (maxRequestsPerMinute - TASK_QUEUE_PARTITIONS) / (60 + BURST_SECONDS),
    maxRequestsPerMinute / 2 / 60,
  );
}

// Transient database failures retried inside one activity attempt: a short outage costs a pause, not another
// attempt (for the fetch activity: not another request to JAO).
import { Context } from '@temporalio/activity';
import { isTransientDatabaseFailure } from './databaseFailure';

export interface InAttemptRetry {
  /** Pause after the first failure; each further pause doubles, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** How long after the attempt began the last try may start. */
  budgetMs: number;
}

/**
 * The raw store's: 1 s doubling to 15 s, tries starting up to 2 minutes into the attempt, which leaves the last
 * try (connection timeout, lock and statement timeouts of db/locks.ts) within the fetch's 3-minute
 * start-to-close timeout.
 */
export const RAW_STORE_RETRY: InAttemptRetry = {
  initialDelayMs: 1_000,
  maxDelayMs: 15_000,
  budgetMs: 120_000,
};

/**
 * Runs `work` (whose errors are classified by withDatabaseFailures) until it succeeds or fails otherwise than
 * transiently; after a transient failure it pauses and tries again, the last time at `deadlineMs` (epoch ms),
 * and then throws that try's failure. A cancelled activity stops pausing (CancelledFailure). The caller
 * heartbeats (activities/heartbeat.ts).
 */
export async function retryTransientFailures<T>(
  retry: InAttemptRetry,
  deadlineMs: number,
  work: () => Promise<T>,
): Promise<T> {
  let delayMs = retry.initialDelayMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const leftMs = deadlineMs - Date.now();
      if (!isTransientDatabaseFailure(error) || leftMs <= 0) throw error;
      await Context.current().sleep(Math.min(delayMs, leftMs));
      delayMs = Math.min(delayMs * 2, retry.maxDelayMs);
    }
  }
}

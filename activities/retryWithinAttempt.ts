// Transient database failures retried inside one activity attempt: a short outage costs a pause, not another
// attempt (for the fetch activity: not another request to JAO).
import { Context } from '@temporalio/activity';
import { type InAttemptRetry, LAST_TRY_MS } from '../domain/timeBudget';
import { isTransientDatabaseFailure } from './databaseFailure';

export interface AttemptTimes {
  /** When this attempt began (epoch ms). */
  attemptStartMs: number;
  /** When the day's retry horizon began (epoch ms): the day workflow's start. */
  horizonStartMs: number;
  /** The attempt's start-to-close timeout. */
  startToCloseMs: number;
}

/**
 * When the raw store's last try may start: within the retry's budget, early enough to finish before the
 * attempt's start-to-close timeout, and not after the retry horizon (past it the day fails at once instead of
 * after another request to JAO).
 */
export function rawStoreDeadline(retry: InAttemptRetry, times: AttemptTimes, horizonMs: number): number {
  return Math.min(
    times.attemptStartMs + retry.budgetMs,
    times.attemptStartMs + times.startToCloseMs - LAST_TRY_MS,
    times.horizonStartMs + horizonMs,
  );
}

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

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
 * The raw store's: 1 s doubling to 15 s, for as long as DATABASE_RETRY_HORIZON may be (45 minutes): within one
 * attempt, so a database outage never uses up one of JAO's attempts (activities/jaoAttempts.ts).
 * rawStoreDeadline bounds it by the attempt's own timeout and the horizon.
 */
export const RAW_STORE_RETRY: InAttemptRetry = {
  initialDelayMs: 1_000,
  maxDelayMs: 15_000,
  budgetMs: 45 * 60_000,
};

/** Room left after the last try starts: a connection (10 s), the day's lock (10 s) and a statement (30 s). */
export const LAST_TRY_MS = 60_000;

export interface AttemptTimes {
  /** When this attempt began (epoch ms). */
  attemptStartMs: number;
  /** When the activity was first scheduled (epoch ms): the horizon counts from here. */
  scheduledMs: number;
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
    times.scheduledMs + horizonMs,
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

// How long database work keeps retrying: the store activities and the fetch activity's raw store retry without
// an attempt limit (workflows/activities.ts) and give up here, non-retryably, once the day workflow started longer
// ago than the worker's DATABASE_RETRY_HORIZON. An outage shorter than that heals by itself; a longer one fails
// the day with the reason, early enough for the day to end within its parent's timeout (domain/timeBudget.ts).
import { ApplicationFailure, Context } from '@temporalio/activity';
import { FAILURE_TYPES } from '../domain/failureTypes';
import { withDatabaseFailures } from './databaseFailure';
import { withHeartbeat } from './heartbeat';

/**
 * Runs `work`; a retryable failure past the horizon becomes a non-retryable one naming it. The horizon counts
 * from `horizonStartMs` (the day workflow's start), or, for a caller that does not pass it (a history from before
 * it was passed, planning), from when this activity was first scheduled.
 */
export async function withinRetryHorizon<T>(
  horizonMs: number,
  horizonStartMs: number | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApplicationFailure && error.nonRetryable) throw error;
    const elapsedMs = Date.now() - (horizonStartMs ?? Context.current().info.scheduledTimestampMs);
    if (elapsedMs < horizonMs) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const since = horizonStartMs === undefined ? 'its first attempt' : 'the day started';
    throw ApplicationFailure.create({
      message: `gave up ${Math.round(elapsedMs / 1000)} s after ${since} (retry horizon ${Math.round(horizonMs / 1000)} s): ${message}`,
      type: FAILURE_TYPES.storeGaveUp,
      nonRetryable: true,
      cause: error instanceof Error ? error : undefined,
    });
  }
}

/**
 * Database work of an activity: heartbeating while it runs, its errors classified (a deterministic one is not
 * retried, activities/databaseFailure.ts), transient ones retried up to the horizon.
 */
export function retriedDatabaseWork(retryHorizonMs: number, secrets: readonly string[]) {
  return <T>(action: string, horizonStartMs: number | undefined, work: () => Promise<T>): Promise<T> =>
    withHeartbeat(() =>
      withinRetryHorizon(retryHorizonMs, horizonStartMs, () => withDatabaseFailures(action, work, secrets)),
    );
}

// How long database work keeps retrying: the store activities and the fetch activity's raw store retry without
// an attempt limit (workflows/activities.ts) and give up here, non-retryably, once their first attempt was
// scheduled longer ago than the worker's DATABASE_RETRY_HORIZON. An outage shorter than that heals by itself; a longer one fails the day with the reason.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { FAILURE_TYPES } from '../domain/failureTypes';

/** DATABASE_RETRY_HORIZON's default (common/config.ts). */
export const DEFAULT_RETRY_HORIZON_MS = 30 * 60_000;

export async function withinRetryHorizon<T>(horizonMs: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApplicationFailure && error.nonRetryable) throw error;
    const elapsedMs = Date.now() - Context.current().info.scheduledTimestampMs;
    if (elapsedMs < horizonMs) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw ApplicationFailure.create({
      message: `gave up after ${Math.round(elapsedMs / 1000)} s of failing attempts (retry horizon ${Math.round(horizonMs / 1000)} s): ${message}`,
      type: FAILURE_TYPES.storeGaveUp,
      nonRetryable: true,
      cause: error instanceof Error ? error : undefined,
    });
  }
}

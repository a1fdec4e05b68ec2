// Activity proxies shared by the workflows, with their timeouts and retry policies (docs/design.md §5).
import type { Priority } from '@temporalio/common';
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { FetchActivities, StoreActivities } from '../activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../domain/failureTypes';
import { fetchTaskQueueOf } from '../domain/workflowInputs';

/**
 * Fetches run on the fetch queue next to the workflow's own queue, where a queue-wide rate limit applies; among
 * the fetches waiting there, those of higher priority (workflows/fetchPriority.ts) are dispatched first. No
 * attempt limit: the fetch itself gives up, non-retryably, at attempt 8 when JAO is unavailable
 * (activities/jaoAttempts.ts) and past DATABASE_RETRY_HORIZON when its answer cannot be stored, like the store
 * activities below. The start-to-close timeout leaves room for that horizon (at most 45 minutes) within one
 * attempt, so an outage never uses up JAO's attempts; JAO's own requests are bounded by JAO_REQUEST_TIMEOUT, and a
 * worker that dies is noticed by the heartbeat timeout.
 */
export function fetchActivities(priority?: Priority) {
  return proxyActivities<FetchActivities>({
    taskQueue: fetchTaskQueueOf(workflowInfo().taskQueue),
    ...(priority ? { priority } : {}),
    startToCloseTimeout: '50 minutes',
    heartbeatTimeout: '15 seconds',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
    },
  });
}

/**
 * Database work retries without an attempt limit: the store activities themselves give up, non-retryably, once
 * the database has been unreachable for the worker's DATABASE_RETRY_HORIZON (activities/retryHorizon.ts), and
 * errors that cannot heal are non-retryable from the first attempt. Backoff stays under the SDK's local retry
 * threshold (1 minute), so local attempts need no workflow timers.
 */
const STORE_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
};

/** Planning a backfill: a regular activity (once per backfill). */
export const store = proxyActivities<StoreActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '15 seconds',
  retry: STORE_RETRY,
});

/**
 * Recording that a day failed: the last word of a day workflow, so it outlasts any database outage (a regular
 * activity: its retries wait on the server, not in the worker).
 */
export const failureStore = proxyActivities<StoreActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Validate and write read the stored raw response by id and take milliseconds: as local activities they run
 * in the workflow's own worker without a round trip through the server per step (one workflow task instead
 * of three, per day). A worker that dies mid-write has its workflow task retried elsewhere, which re-runs the
 * (idempotent) step.
 */
export const localStore = proxyLocalActivities<StoreActivities>({
  startToCloseTimeout: '2 minutes',
  retry: STORE_RETRY,
});

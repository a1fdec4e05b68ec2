// Activity proxies shared by the workflows (docs/design.md §5): each exposes only the activities its workflow
// calls, with the timeouts and retry policies of the time budget (domain/timeBudget.ts).
import type { Priority, RetryPolicy } from '@temporalio/common';
import {
  ActivityCancellationType,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { FetchActivities, ReprocessActivities, StoreActivities } from '../activities';
import type { ArchiveActivities } from '../activities/archive';
import type { BadDayActivities } from '../activities/badDays';
import { ARCHIVE_MISCONFIGURED, RESTORE_REFUSED } from '../domain/archiveInputs';
import { NON_RETRYABLE_FAILURE_TYPES } from '../domain/failureTypes';
import {
  ARCHIVE_ACTIVITY,
  BAD_DAYS_SYNC_ACTIVITY,
  type Backoff,
  FAILURE_RECORD_ACTIVITY,
  FAILURE_RECORD_BACKOFF,
  FETCH_ACTIVITY,
  FETCH_BACKOFF,
  LOCAL_RETRY_THRESHOLD_MS,
  PLAN_ACTIVITY,
  REPROCESS_BATCH_ACTIVITY,
  STORE_BACKOFF,
  STORE_STEP_ACTIVITY,
} from '../domain/timeBudget';
import { fetchTaskQueueOf } from '../domain/workflowInputs';

/** A retry policy without an attempt limit. */
export function retryPolicyOf(backoff: Backoff, nonRetryableErrorTypes?: string[]): RetryPolicy {
  return {
    initialInterval: backoff.initialIntervalMs,
    backoffCoefficient: backoff.backoffCoefficient,
    maximumInterval: backoff.maximumIntervalMs,
    ...(nonRetryableErrorTypes ? { nonRetryableErrorTypes } : {}),
  };
}

/**
 * Fetches run on the fetch queue next to the workflow's own queue, where a queue-wide rate limit applies; among
 * the fetches waiting there, those of higher priority (workflows/fetchPriority.ts) are dispatched first. No
 * attempt limit: the fetch itself gives up, non-retryably, at MAX_JAO_ATTEMPTS when JAO is unavailable
 * (activities/jaoAttempts.ts) and past DATABASE_RETRY_HORIZON when its answer cannot be stored, like the store
 * activities below. The start-to-close timeout leaves room for that horizon within one attempt, so an outage never
 * uses up JAO's attempts; JAO's own requests are bounded by JAO_REQUEST_TIMEOUT, and a worker that dies is noticed
 * by the heartbeat timeout.
 */
export function fetchActivities(priority: Priority) {
  return proxyActivities<Pick<FetchActivities, 'fetchDayFromJao' | 'fetchDomainPage'>>({
    taskQueue: fetchTaskQueueOf(workflowInfo().taskQueue),
    priority,
    startToCloseTimeout: FETCH_ACTIVITY.startToCloseMs,
    heartbeatTimeout: FETCH_ACTIVITY.heartbeatTimeoutMs,
    retry: retryPolicyOf(FETCH_BACKOFF, NON_RETRYABLE_FAILURE_TYPES),
  });
}

/**
 * Database work retries without an attempt limit: the store activities themselves give up, non-retryably, once
 * the day has been running for the worker's DATABASE_RETRY_HORIZON (activities/retryHorizon.ts), and errors that
 * cannot heal are non-retryable from the first attempt. Backoff stays under the SDK's local retry threshold, so
 * local attempts need no workflow timers.
 */
const STORE_RETRY = retryPolicyOf(STORE_BACKOFF, NON_RETRYABLE_FAILURE_TYPES);

/** Planning a backfill: a regular activity (once per backfill). */
export const store = proxyActivities<Pick<StoreActivities, 'planBackfillDays' | 'findIncompleteDays'>>({
  startToCloseTimeout: PLAN_ACTIVITY.startToCloseMs,
  heartbeatTimeout: PLAN_ACTIVITY.heartbeatTimeoutMs,
  retry: STORE_RETRY,
});

/**
 * Recording that a day failed: the last word of a day workflow, so it outlasts any database outage (a regular
 * activity: its retries wait on the server, not in the worker).
 */
export const failureStore = proxyActivities<Pick<StoreActivities, 'recordDayFailure'>>({
  startToCloseTimeout: FAILURE_RECORD_ACTIVITY.startToCloseMs,
  scheduleToCloseTimeout: FAILURE_RECORD_ACTIVITY.scheduleToCloseMs,
  retry: retryPolicyOf(FAILURE_RECORD_BACKOFF),
});

const localStoreOptions = {
  startToCloseTimeout: STORE_STEP_ACTIVITY.startToCloseMs,
  localRetryThreshold: LOCAL_RETRY_THRESHOLD_MS,
  retry: STORE_RETRY,
};

/**
 * The day's store steps as local activities: what runs before STORE_ACTIVITY_TASKS_PATCH replay through (one
 * workflow task for validate and write, held open while they ran).
 */
export const localStore =
  proxyLocalActivities<Pick<StoreActivities, 'validateStoredDay' | 'writeStoredDay' | 'assemblePagedDay'>>(
    localStoreOptions,
  );

/**
 * The day's store steps (assemble a paged answer, validate, write) as activities of their own
 * (STORE_ACTIVITY_TASKS_PATCH): they share the worker's one JavaScript thread with every other activity, so inside
 * a workflow task, as local activities, they kept it open for as long as that thread was busy elsewhere (a
 * flow-based day's megabytes, other days' writes), past the SDK's 5 s (TMPRL1104). Their retries wait on the
 * server. A live day's steps are dispatched before a backfill's, as its fetches are.
 */
export function activityStore(priority: Priority) {
  return proxyActivities<Pick<StoreActivities, 'validateStoredDay' | 'writeStoredDay' | 'assemblePagedDay'>>({
    priority,
    startToCloseTimeout: STORE_STEP_ACTIVITY.startToCloseMs,
    heartbeatTimeout: STORE_STEP_ACTIVITY.heartbeatTimeoutMs,
    retry: STORE_RETRY,
  });
}

/** The store steps of a day: local activities, or activities of their own (see activityStore). */
export type StoreSteps = typeof localStore;

/** Planning a reprocessing: a regular activity (once per run of reprocessWorkflow). */
export const reprocessPlanner = proxyActivities<Pick<ReprocessActivities, 'planReprocessDays'>>({
  startToCloseTimeout: PLAN_ACTIVITY.startToCloseMs,
  heartbeatTimeout: PLAN_ACTIVITY.heartbeatTimeoutMs,
  retry: STORE_RETRY,
});

/**
 * Reprocessing one day reads its stored answers and writes in one transaction, in milliseconds: a local activity,
 * like the day workflow's validate and write. It has no JAO client: nothing it does reaches JAO.
 */
export const localReprocess =
  proxyLocalActivities<Pick<ReprocessActivities, 'reprocessStoredDay'>>(localStoreOptions);

/**
 * Reprocessing a batch of days (reprocessWorkflow since REPROCESS_BATCHES_PATCH): a regular activity, heartbeating
 * each day's outcome, so a retry resumes after the days done and a cancellation reaches it between two days; the
 * run waits for that before it ends, so no day of it is written after the run closed.
 */
export const reprocessBatches = proxyActivities<Pick<ReprocessActivities, 'reprocessStoredDays'>>({
  startToCloseTimeout: REPROCESS_BATCH_ACTIVITY.startToCloseMs,
  heartbeatTimeout: REPROCESS_BATCH_ACTIVITY.heartbeatTimeoutMs,
  retry: STORE_RETRY,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

/**
 * Shipping to the archive and restoring from it: regular activities with heartbeats (an archive outage is retried
 * on the server's schedule, not in the worker); a mistake of the user's (a refused database, a bad URL) is not
 * retried.
 */
export const archiveActivities = proxyActivities<
  Pick<ArchiveActivities, 'shipToArchive' | 'planArchiveRestore' | 'restoreArchiveBatch'>
>({
  startToCloseTimeout: ARCHIVE_ACTIVITY.startToCloseMs,
  heartbeatTimeout: ARCHIVE_ACTIVITY.heartbeatTimeoutMs,
  retry: retryPolicyOf(STORE_BACKOFF, [RESTORE_REFUSED, ARCHIVE_MISCONFIGURED]),
});

/** Syncing the bad-day markers: a regular activity with heartbeats, retried like the store's work. */
export const badDayActivities = proxyActivities<Pick<BadDayActivities, 'syncBadDayMarkers'>>({
  startToCloseTimeout: BAD_DAYS_SYNC_ACTIVITY.startToCloseMs,
  heartbeatTimeout: BAD_DAYS_SYNC_ACTIVITY.heartbeatTimeoutMs,
  retry: STORE_RETRY,
});

// How the fetch worker keeps JAO_MAX_REQUESTS_PER_MINUTE (docs/operations.md, "Where the worker may not manage the
// namespace"): through the fetch queue's limit on the server, fleet-wide, where the worker may set it; otherwise
// each worker enforces its own share of the limit, JAO_MAX_REQUESTS_PER_MINUTE / JAO_FETCH_WORKERS.
import type { WorkerOptions } from '@temporalio/worker';
import { fetchRatePerSecond } from '../domain/fetchRate';

/** Activity polls a fetch worker on its share keeps open at once: each one open when a minute begins adds to it. */
export const SHARE_POLLS = 1;

/**
 * What a minute of one worker's limiter lets through beyond 60 s of its rate: its burst (one), the poll whose rate
 * token was taken before the minute, and each poll already open when the minute began.
 */
export const SHARE_SLACK = 2 + SHARE_POLLS;

export interface WorkerShare {
  /** JAO_FETCH_WORKERS: the worker processes that serve the fetch queue. */
  fetchWorkers: number;
  /** Requests per minute this worker may make: JAO_MAX_REQUESTS_PER_MINUTE / JAO_FETCH_WORKERS. */
  perMinute: number;
  /** The worker's own fetch rate (tasks/s), such that no minute of it holds more than `perMinute`. */
  ratePerSecond: number;
}

export type FetchBudget = { mode: 'fleet' } | { mode: 'worker-share'; share: WorkerShare };

export const FLEET_BUDGET: FetchBudget = { mode: 'fleet' };

/**
 * One worker's share of the limit. Any minute of the worker holds at most 60·rate + SHARE_SLACK fetches, which is
 * `perMinute` at most while the share is at least 2·SHARE_SLACK (6) requests a minute; below that, half the share
 * keeps the worker fetching at all.
 */
export function workerShareOf(maxRequestsPerMinute: number, fetchWorkers: number): WorkerShare {
  const perMinute = maxRequestsPerMinute / fetchWorkers;
  return {
    fetchWorkers,
    perMinute,
    ratePerSecond: Math.max((perMinute - SHARE_SLACK) / 60, perMinute / 2 / 60),
  };
}

type RateOptions = Pick<
  WorkerOptions,
  'maxTaskQueueActivitiesPerSecond' | 'maxActivitiesPerSecond' | 'maxConcurrentActivityTaskPolls'
>;

/**
 * The fetch worker's rate options. Both modes send the fleet's rate with every poll: the server applies the last
 * rate polled where no limit is set through its API, so a fleet that agrees on the setting is held there too. On
 * its share a worker also limits itself (the SDK's worker-local limit), which holds whatever the server does.
 */
export function fetchWorkerRateOptions(budget: FetchBudget, maxRequestsPerMinute: number): RateOptions {
  const fleet = { maxTaskQueueActivitiesPerSecond: fetchRatePerSecond(maxRequestsPerMinute) };
  if (budget.mode === 'fleet') return fleet;
  return {
    ...fleet,
    maxActivitiesPerSecond: budget.share.ratePerSecond,
    maxConcurrentActivityTaskPolls: SHARE_POLLS,
  };
}

/** Requests per minute the budget gives this worker's fetches: the fleet's limit, or the worker's share of it. */
export function budgetPerMinute(budget: FetchBudget, maxRequestsPerMinute: number): number {
  return budget.mode === 'fleet' ? maxRequestsPerMinute : budget.share.perMinute;
}

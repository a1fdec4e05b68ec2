// How the fetch worker keeps JAO_MAX_REQUESTS_PER_MINUTE (docs/operations.md, "Where the worker may not manage the
// namespace"): through the fetch queue's limit on the server, fleet-wide, where the worker may set it; otherwise
// each worker enforces its own share of the limit, JAO_MAX_REQUESTS_PER_MINUTE / JAO_FETCH_WORKERS.
import type { WorkerOptions } from '@temporalio/worker';
import { fetchRatePerSecond } from '../domain/fetchRate';

/**
 * Activity polls a fetch worker on its share keeps open at once: it takes no more fetches than it can start, and the
 * rest wait on the server, in priority order, for whichever worker is free.
 */
export const SHARE_POLLS = 1;

/** After a pause the worker's spacer lets one request through at once (its burst); then one per 1/rate s. */
export const SHARE_BURST = 1;

/** A request reaches JAO within this long of the spacer letting it through (the client sends it at once). */
export const FETCH_DELAY_SECONDS = 1;

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
 * One worker's share of the limit. A window of T seconds holds at most rate·(T + FETCH_DELAY_SECONDS) + SHARE_BURST of
 * the worker's requests at JAO (shareWindowBound): at T = 60, `perMinute` at most while the share is at least
 * 2·SHARE_BURST (2) requests a minute; below that, half the share keeps the worker fetching at all.
 */
export function workerShareOf(maxRequestsPerMinute: number, fetchWorkers: number): WorkerShare {
  const perMinute = maxRequestsPerMinute / fetchWorkers;
  return {
    fetchWorkers,
    perMinute,
    ratePerSecond: Math.max(perMinute - SHARE_BURST, perMinute / 2) / (60 + FETCH_DELAY_SECONDS),
  };
}

/** The most requests one worker on `share` makes in any window of `windowMs`, as JAO counts them. */
export function shareWindowBound(share: WorkerShare, windowMs: number): number {
  return Math.floor(share.ratePerSecond * (windowMs / 1000 + FETCH_DELAY_SECONDS)) + SHARE_BURST;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Lets one caller through at a time, each at least 1/ratePerSecond after the one before it was let through, measured
 * when it was (a timer that fires late, in a busy process, delays the next one instead of bunching them).
 */
export function createRequestSpacer(ratePerSecond: number, clock: Clock = SYSTEM_CLOCK): () => Promise<void> {
  const periodMs = 1000 / ratePerSecond;
  let last = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();
  return () => {
    const turn = queue.then(async () => {
      for (let wait = last + periodMs - clock.now(); wait > 0; wait = last + periodMs - clock.now())
        await clock.sleep(wait);
      last = clock.now();
    });
    queue = turn;
    return turn;
  };
}

/**
 * `base`, each request sent once `take` lets it through. The JAO client times a request from when it asks for it
 * (JAO_REQUEST_TIMEOUT); the wait for the share is not JAO's time, so the request's timeout starts when it is sent.
 */
export function spacedFetch(base: typeof fetch, take: () => Promise<void>, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    await take();
    return base(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };
}

type RateOptions = Pick<
  WorkerOptions,
  'maxTaskQueueActivitiesPerSecond' | 'maxActivitiesPerSecond' | 'maxConcurrentActivityTaskPolls'
>;

/**
 * The fetch worker's rate options. Both modes send the fleet's rate with every poll: the server applies the last
 * rate polled where no limit is set through its API, so a fleet that agrees on the setting is held there too. On
 * its share a worker also takes fetches at its own rate (the SDK's worker-local limit), one poll at a time; its
 * requests are spaced at that rate too (spacedFetch), which holds whatever the server and the SDK do.
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

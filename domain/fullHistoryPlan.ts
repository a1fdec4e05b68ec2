// What fetching every dataset's whole history costs of JAO's request budget, leaving room for the live polls and
// publication windows, which are served first (`jao backfill --dry-run --all`). Pure.
import type { Dataset } from './datasets';
import { plannedRequests } from './plannedRequests';

/** What the live fetches of each dataset kept current ask of JAO (docs/reference/settings.md). */
export interface LiveSettings {
  /** JAO_MAX_REQUESTS_PER_MINUTE: every fetch together, live and backfill. */
  requestsPerMinute: number;
  /** POLL_INTERVAL: each dataset's poll fetches POLL_LOOKBACK_DAYS days, today and tomorrow this often. */
  pollIntervalMs: number;
  lookbackDays: number;
  /** PUBLICATION_POLL_INTERVAL: inside its window, each dataset's tomorrow is fetched this often. */
  checkIntervalMs: number;
}

export interface DatasetHistory {
  dataset: Dataset;
  from: string;
  to: string;
  /** The days the backfill would fetch (its mode decides which of the range). */
  days: number;
}

export interface DatasetPlan extends DatasetHistory {
  requests: number;
  /** How the requests are counted, in words. */
  basis: string;
  /** Minutes its requests take at the rate the live fetches leave. */
  minutes: number;
}

export type FullHistoryPlan =
  | {
      ok: true;
      /** Requests a minute the live fetches take at their peak: every dataset's poll, and every window open. */
      liveReserve: number;
      /** What the budget leaves the backfill. */
      backfillRate: number;
      datasets: DatasetPlan[];
      requests: number;
      minutes: number;
    }
  | { ok: false; liveReserve: number; message: string };

const MINUTE_MS = 60_000;

/** Requests a minute the live fetches of `datasets` take when every publication window is open at once. */
export function liveRequestsPerMinute(datasets: readonly Dataset[], live: LiveSettings): number {
  let perMinute = 0;
  for (const dataset of datasets) {
    const poll = plannedRequests(dataset, live.lookbackDays + 2).requests;
    const check = plannedRequests(dataset, 1).requests;
    perMinute += (poll * MINUTE_MS) / live.pollIntervalMs + (check * MINUTE_MS) / live.checkIntervalMs;
  }
  return perMinute;
}

/**
 * Every dataset's history at the rate the budget leaves once the live fetches of every dataset are served at their
 * peak: the plan holds whenever it runs, windows open or not. Not ok when the live fetches alone fill the budget.
 */
export function planFullHistory(histories: readonly DatasetHistory[], live: LiveSettings): FullHistoryPlan {
  const liveReserve = liveRequestsPerMinute(
    histories.map((history) => history.dataset),
    live,
  );
  const backfillRate = live.requestsPerMinute - liveReserve;
  if (backfillRate <= 0) {
    return {
      ok: false,
      liveReserve,
      message:
        `the live polls and publication windows alone take up to ${liveReserve.toFixed(1)} requests/min, ` +
        `JAO_MAX_REQUESTS_PER_MINUTE is ${live.requestsPerMinute}: no room for a backfill`,
    };
  }
  const datasets = histories.map((history) => {
    const { requests, basis } = plannedRequests(history.dataset, history.days);
    return { ...history, requests, basis, minutes: requests / backfillRate };
  });
  const requests = datasets.reduce((sum, plan) => sum + plan.requests, 0);
  return { ok: true, liveReserve, backfillRate, datasets, requests, minutes: requests / backfillRate };
}

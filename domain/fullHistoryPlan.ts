// What fetching every dataset's whole history costs of JAO's request budget, leaving room for the live fetches,
// which are served first (`jao backfill --dry-run --all`). Pure.
import { declarationOf } from './datasets';
import { plannedRequests } from './plannedRequests';
import { parseWindow } from './publicationWindow';
import type { Dataset } from './types';

/** What the live fetches of each dataset kept current ask of JAO (docs/reference/settings.md). */
export interface LiveSettings {
  /** JAO_MAX_REQUESTS_PER_MINUTE: every fetch together, live and backfill. */
  requestsPerMinute: number;
  /** POLL_INTERVAL: each dataset's poll fetches POLL_LOOKBACK_DAYS days, today and tomorrow this often. */
  pollIntervalMs: number;
  lookbackDays: number;
  /** PUBLICATION_POLL_INTERVAL: inside its window, each dataset's tomorrow is fetched this often. */
  checkIntervalMs: number;
  /** Each dataset's publication window, `HH:MM-HH:MM` local time (PUBLICATION_WINDOWS, else its declaration). */
  windowOf: (dataset: Dataset) => string;
  /**
   * MONITORING_INTERVAL when JAO_MONITORING is on, else null: a dataset whose steps JAO's monitoring announces has
   * its poll and window stand down while the monitoring is read (docs/monitoring.md), and each region of such
   * datasets is read this often.
   */
  monitoringIntervalMs: number | null;
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

/** The live fetches over a market day (Europe/Amsterdam), minute by minute. */
export interface LiveLoad {
  /** Requests a minute at the busiest minute of the day, and on average over the day. */
  peak: number;
  mean: number;
  /** The local stretches (`HH:MM-HH:MM`) in which the live fetches take the whole budget: the backfill waits. */
  saturated: string[];
  /** The datasets whose polls and windows stand down for JAO's monitoring, and the regions it reads. */
  monitored: Dataset[];
  monitoredRegions: string[];
}

export type FullHistoryPlan =
  | {
      ok: true;
      live: LiveLoad;
      /** What the budget leaves the backfill, on average over the day (nothing in a saturated minute). */
      backfillRate: number;
      datasets: DatasetPlan[];
      requests: number;
      minutes: number;
    }
  | { ok: false; live: LiveLoad; message: string };

const MINUTE_MS = 60_000;
const MINUTES_OF_DAY = 1440;

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Requests a minute the live fetches of `datasets` ask at each minute of a market day. */
export function liveRequestsByMinute(datasets: readonly Dataset[], live: LiveSettings): number[] {
  const monitored = monitoredDatasets(datasets, live);
  const regions = new Set(monitored.map((dataset) => declarationOf(dataset).region));
  const reads =
    live.monitoringIntervalMs === null ? 0 : (regions.size * MINUTE_MS) / live.monitoringIntervalMs;
  const byMinute = new Array<number>(MINUTES_OF_DAY).fill(reads);
  for (const dataset of datasets) {
    if (monitored.includes(dataset)) continue;
    const poll = (plannedRequests(dataset, live.lookbackDays + 2).requests * MINUTE_MS) / live.pollIntervalMs;
    const check = (plannedRequests(dataset, 1).requests * MINUTE_MS) / live.checkIntervalMs;
    const window = parseWindow(live.windowOf(dataset));
    const [opens, closes] = window ? [minuteOfDay(window.start), minuteOfDay(window.end)] : [0, 0];
    for (let minute = 0; minute < MINUTES_OF_DAY; minute += 1)
      byMinute[minute]! += poll + (minute >= opens && minute < closes ? check : 0);
  }
  return byMinute;
}

function monitoredDatasets(datasets: readonly Dataset[], live: LiveSettings): Dataset[] {
  if (live.monitoringIntervalMs === null) return [];
  return datasets.filter((dataset) => declarationOf(dataset).monitoring !== undefined);
}

/** The stretches of minutes at or over `budget`, as `HH:MM-HH:MM`. */
function saturatedStretches(byMinute: readonly number[], budget: number): string[] {
  const stretches: string[] = [];
  let start: number | null = null;
  for (let minute = 0; minute <= MINUTES_OF_DAY; minute += 1) {
    const full = minute < MINUTES_OF_DAY && byMinute[minute]! >= budget;
    if (full && start === null) start = minute;
    if (!full && start !== null) {
      stretches.push(`${hhmmOf(start)}-${minute === MINUTES_OF_DAY ? '24:00' : hhmmOf(minute)}`);
      start = null;
    }
  }
  return stretches;
}

/** The live fetches of `datasets` over a day, against the budget. */
export function liveLoadOf(datasets: readonly Dataset[], live: LiveSettings): LiveLoad {
  return loadOf(liveRequestsByMinute(datasets, live), datasets, live);
}

function loadOf(byMinute: readonly number[], datasets: readonly Dataset[], live: LiveSettings): LiveLoad {
  const monitored = monitoredDatasets(datasets, live);
  return {
    peak: Math.max(...byMinute),
    mean: byMinute.reduce((sum, rate) => sum + rate, 0) / MINUTES_OF_DAY,
    saturated: saturatedStretches(byMinute, live.requestsPerMinute),
    monitored,
    monitoredRegions: [...new Set(monitored.map((dataset) => declarationOf(dataset).region))],
  };
}

/**
 * Every dataset's history at the rate the budget leaves the backfill minute by minute once the live fetches are
 * served (none in a minute they fill), averaged over the day. Not ok when they leave nothing at any minute.
 */
export function planFullHistory(histories: readonly DatasetHistory[], live: LiveSettings): FullHistoryPlan {
  const kept = histories.map((history) => history.dataset);
  const byMinute = liveRequestsByMinute(kept, live);
  const load = loadOf(byMinute, kept, live);
  const backfillRate =
    byMinute.reduce((sum, rate) => sum + Math.max(0, live.requestsPerMinute - rate), 0) / MINUTES_OF_DAY;
  if (backfillRate <= 0) {
    return {
      ok: false,
      live: load,
      message:
        `the live fetches alone take at least ${Math.min(...byMinute).toFixed(1)} requests/min at every hour, ` +
        `JAO_MAX_REQUESTS_PER_MINUTE is ${live.requestsPerMinute}: no room for a backfill`,
    };
  }
  const datasets = histories.map((history) => {
    const { requests, basis } = plannedRequests(history.dataset, history.days);
    return { ...history, requests, basis, minutes: requests / backfillRate };
  });
  const requests = datasets.reduce((sum, plan) => sum + plan.requests, 0);
  return { ok: true, live: load, backfillRate, datasets, requests, minutes: requests / backfillRate };
}

// bench:freshness's figures and targets, from the simulator's request log and the rounds' latencies: per dataset
// publication → stored and polling, then for every dataset together the backfill's share of its budget, the 429s
// and the busiest 60 s.
import { addDays, dayOfInstant } from '../domain/calendar';
import { DEFAULT_DATASET } from '../domain/datasets';
import { DEFAULT_CHECK_INTERVAL_MS } from '../domain/publicationWindow';
import type { Dataset, DeliveryDay } from '../domain/types';
import type { RequestLogEntry } from '../simulator/server';
import { busiestWindow } from './busiestMinute';
import { DEFAULT_BENCH_DATASETS } from './freshnessOptions';
import { printTargets, ratio, type Target } from './report';

/** The worker's settings the bench measures (its defaults). */
export const LIMIT_PER_MINUTE = 90;
export const CHECK_INTERVAL_MS = DEFAULT_CHECK_INTERVAL_MS;
export const POLL_INTERVAL_MINUTES = 10;
/** The publication window polling is costed for (the default, 08:00-11:00). */
const DEFAULT_WINDOW_MINUTES = 180;
const TARGETS = { p95NoBackfill: 60, p95WithBackfill: 90, pollingShare: 0.05, backfillShare: 0.9 };

/** The targets judged per dataset: p95 without and with a backfill, polling. */
function datasetTargetNames(dataset: Dataset): [string, string, string] {
  return [
    `${dataset}: publication → stored p95 without a backfill ≤ ${TARGETS.p95NoBackfill} s`,
    `${dataset}: publication → stored p95 with a backfill ≤ ${TARGETS.p95WithBackfill} s`,
    `${dataset}: polling ≤ ${(100 * TARGETS.pollingShare).toFixed(2)} % of the daily request budget`,
  ];
}

/** The targets judged for the run as a whole: the backfill's share, no 429, the busiest minute. */
const RUN_TARGET_NAMES = [
  `backfill uses ≥ ${TARGETS.backfillShare} of its budget`,
  'no 429 answers',
  `every dataset's requests together ≤ JAO_MAX_REQUESTS_PER_MINUTE (${LIMIT_PER_MINUTE}) in any 60 s`,
] as const;

/** The targets judged for these datasets, in the order printed. */
export function targetNames(datasets: readonly Dataset[]): string[] {
  return [...datasets.flatMap(datasetTargetNames), ...RUN_TARGET_NAMES];
}

/** The targets of the default run (`--smoke` included), for test/bench/smoke.test.ts. */
export const TARGET_NAMES = targetNames(DEFAULT_BENCH_DATASETS);

export interface Round {
  latencyS: number;
  windowOpenS: number;
}

export interface FreshnessRun {
  datasets: readonly Dataset[];
  lookbackDays: number;
  /** The simulator's requests since the run started. */
  log: readonly RequestLogEntry[];
  runMinutes: number;
  tomorrow: DeliveryDay;
  today: DeliveryDay;
  quiet: ReadonlyMap<Dataset, Round[]>;
  busy: ReadonlyMap<Dataset, Round[]>;
  /** When the rounds with a backfill started and ended, epoch ms. */
  busyFrom: number;
  busyTo: number;
  /** Poll schedule actions during the run, by dataset. */
  pollRuns: ReadonlyMap<Dataset, number>;
  histogram: { count: number; sum: number } | null;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

const dayOf = (request: RequestLogEntry) => (request.fromUtc ? dayOfInstant(request.fromUtc) : '');
const datasetOf = (request: RequestLogEntry): Dataset => request.dataset ?? DEFAULT_DATASET;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** Polling requests a day by the schedules, when tomorrow never comes within the window. */
function scheduledPollingPerDay(lookbackDays: number): number {
  const pollsPerDay = 1440 / POLL_INTERVAL_MINUTES;
  return pollsPerDay * (lookbackDays + 2) + DEFAULT_WINDOW_MINUTES / (CHECK_INTERVAL_MS / 60_000);
}

/** Prints the run's figures, then its targets (bench/report.ts). */
export function reportFreshness(run: FreshnessRun): void {
  const {
    datasets,
    lookbackDays,
    log,
    runMinutes,
    tomorrow,
    today,
    quiet,
    busy,
    busyFrom,
    busyTo,
    pollRuns,
    histogram,
  } = run;
  const recent = new Set([...Array(lookbackDays + 1).keys()].map((n) => addDays(today, -n)));
  const isLive = (request: RequestLogEntry) => recent.has(dayOf(request)) || dayOf(request) === tomorrow;
  const inBusy = log.filter((request) => request.at >= busyFrom && request.at < busyTo);
  const busyMinutes = (busyTo - busyFrom) / 60_000;
  const livePerMinute = inBusy.filter(isLive).length / busyMinutes;
  const backfillPerMinute = inBusy.filter((request) => !isLive(request)).length / busyMinutes;
  const backfillShare = backfillPerMinute / (LIMIT_PER_MINUTE - livePerMinute);
  const tooMany = log.filter((request) => request.status === 429).length;
  const busiest = busiestWindow(log.map((request) => request.at));
  const inBusiest = log.filter(
    (request) => busiest.from !== null && request.at >= busiest.from && request.at < busiest.from + 60_000,
  );

  const dailyBudget = LIMIT_PER_MINUTE * 1440;
  const pollsPerDay = 1440 / POLL_INTERVAL_MINUTES;
  const scheduledPolling = scheduledPollingPerDay(lookbackDays);
  const p = (rounds: Round[], q: number) =>
    percentile(
      rounds.map((r) => r.latencyS),
      q,
    );
  const targets: Target[] = [];
  let pollingTogether = 0;
  console.log('');
  for (const dataset of datasets) {
    const ofDataset = log.filter((request) => datasetOf(request) === dataset);
    const runs = pollRuns.get(dataset)!;
    // Polling per day: from the schedule, and from this run.
    const pastAndToday = ofDataset.filter((request) => recent.has(dayOf(request))).length;
    const tomorrowChecks = ofDataset.filter((request) => dayOf(request) === tomorrow).length;
    const openMinutes =
      [...quiet.get(dataset)!, ...busy.get(dataset)!].reduce((sum, r) => sum + r.windowOpenS, 0) / 60;
    const checksPerOpenMinute = Math.max(0, tomorrowChecks - runs) / openMinutes;
    const measuredPolling =
      runs > 0
        ? (pastAndToday / runs + 1) * pollsPerDay + checksPerOpenMinute * DEFAULT_WINDOW_MINUTES
        : null;
    const polling = Math.max(scheduledPolling, measuredPolling ?? 0);
    pollingTogether += polling;
    const [quietP95, busyP95] = [p(quiet.get(dataset)!, 95), p(busy.get(dataset)!, 95)];
    console.log(`${dataset}:`);
    console.log(
      `  publication → stored, no backfill:   p50 ${p(quiet.get(dataset)!, 50).toFixed(1)} s, p95 ${quietP95.toFixed(1)} s (baseline)`,
    );
    console.log(
      `  publication → stored, with backfill: p50 ${p(busy.get(dataset)!, 50).toFixed(1)} s, p95 ${busyP95.toFixed(1)} s ` +
        `(${ratio(busyP95, quietP95)} to the baseline p95)`,
    );
    console.log(
      `  polling, requests per day: ${scheduledPolling} by the schedules (${pollsPerDay} polls × ${lookbackDays + 2} days ` +
        `+ ${DEFAULT_WINDOW_MINUTES / (CHECK_INTERVAL_MS / 60_000)} checks if tomorrow never comes in a ${DEFAULT_WINDOW_MINUTES}-minute window) = ` +
        `${pct(scheduledPolling / dailyBudget)} of the daily budget of ${dailyBudget}; measured ` +
        (measuredPolling === null
          ? 'n/a (no poll ran)'
          : `${Math.round(measuredPolling)} (${runs} polls, ${checksPerOpenMinute.toFixed(2)} checks per open-window minute) = ${pct(measuredPolling / dailyBudget)}`),
    );
    console.log(
      `  requests: ${ofDataset.length}, ${(inBusy.filter((r) => datasetOf(r) === dataset && !isLive(r)).length / busyMinutes).toFixed(1)}/min of backfill while the backfill ran`,
    );
    const names = datasetTargetNames(dataset);
    targets.push(
      {
        name: names[0],
        met: quietP95 <= TARGETS.p95NoBackfill,
        measured: `${quietP95.toFixed(1)} s`,
      },
      {
        name: names[1],
        met: busyP95 <= TARGETS.p95WithBackfill,
        measured: `${busyP95.toFixed(1)} s`,
      },
      {
        name: names[2],
        met: polling / dailyBudget <= TARGETS.pollingShare,
        measured: pct(polling / dailyBudget),
      },
    );
  }
  console.log(`polling of every dataset together: ${pct(pollingTogether / dailyBudget)} of the daily budget`);
  console.log(
    `backfill: ${backfillPerMinute.toFixed(1)} requests/min beside ${livePerMinute.toFixed(1)} live, budget ` +
      `${(LIMIT_PER_MINUTE - livePerMinute).toFixed(1)} (the limit less the live requests, the baseline): ` +
      `${ratio(backfillPerMinute, LIMIT_PER_MINUTE - livePerMinute)}`,
  );
  console.log(`429 answers: ${tooMany} of ${log.length} requests in ${runMinutes.toFixed(1)} min`);
  console.log(
    `busiest 60 s: ${busiest.count} requests (${datasets.map((d) => `${d} ${inBusiest.filter((r) => datasetOf(r) === d).length}`).join(', ')}), ` +
      `${ratio(busiest.count, LIMIT_PER_MINUTE)} to JAO_MAX_REQUESTS_PER_MINUTE`,
  );
  console.log(
    `worker histogram jao_publication_latency_seconds: ${histogram ? `${histogram.count} observations, mean ${(histogram.sum / Math.max(1, histogram.count)).toFixed(1)} s (publication → stored, at most)` : 'not found'}`,
  );
  printTargets([
    ...targets,
    {
      name: RUN_TARGET_NAMES[0],
      met: backfillShare >= TARGETS.backfillShare,
      measured: Number.isFinite(backfillShare) ? backfillShare.toFixed(3) : 'not measured',
    },
    { name: RUN_TARGET_NAMES[1], met: tooMany === 0, measured: `${tooMany} of ${log.length} requests` },
    {
      name: RUN_TARGET_NAMES[2],
      met: busiest.count <= LIMIT_PER_MINUTE,
      measured: `${busiest.count} at most`,
    },
  ]);
}

// bench:freshness's mode comparison, reported: what each mode cost and how fresh it kept the days, measured in the
// quiet stretch and the rounds, then a week extrapolated from those pieces, the fixed polls the baseline.
import type { Dataset } from '../domain/types';
import type { RequestLogEntry } from '../simulator/server';
import type { EventKind, Mode, ModeRun } from './freshnessModes';
import { CHECK_INTERVAL_MS, POLL_INTERVAL_MINUTES } from './freshnessReport';
import { ratio, type Target } from './report';

const WEEK_MINUTES = 7 * 1440;
/** One round is one business day's events: a week holds seven. */
const DAYS_PER_WEEK = 7;
const TARGETS = { fewerRequests: 5, requestsPerVersion: 1.2 };

export const MODE_TARGET_NAMES = [
  `a simulated week: requests to JAO with monitoring ≥ ${TARGETS.fewerRequests}× fewer than with the fixed polls`,
  'freshness p95 with monitoring ≤ with the fixed polls',
  'a quiet stretch with monitoring: monitoring reads only, no data request',
  `data requests per stored day-version with monitoring ≤ ${TARGETS.requestsPerVersion} (paging aside)`,
] as const;

export interface ModesComparison {
  datasets: readonly Dataset[];
  monitoringIntervalMs: number;
  monitoringQuietIntervalMs: number;
  runs: readonly ModeRun[];
  /** The simulator's requests since the run started. */
  log: readonly RequestLogEntry[];
}

interface Counts {
  reads: number;
  data: number;
  /** Data requests for a page of rows of a paged answer (its count probe, `Take=0`, is counted as the fetch). */
  pages: number;
  tooMany: number;
}

function countIn(log: readonly RequestLogEntry[], from: number, to: number): Counts {
  const counts: Counts = { reads: 0, data: 0, pages: 0, tooMany: 0 };
  for (const request of log) {
    if (request.at < from || request.at >= to) continue;
    if (request.status === 429) counts.tooMany += 1;
    if (request.monitoring !== undefined) counts.reads += 1;
    else if ((request.take ?? 0) > 0) counts.pages += 1;
    else counts.data += 1;
  }
  return counts;
}

/** Reads a minute from the mean gap between consecutive reads in [from, to); `fallback` with fewer than two. */
function readRateIn(log: readonly RequestLogEntry[], from: number, to: number, fallback: number): number {
  const at = log
    .filter((request) => request.monitoring !== undefined && request.at >= from && request.at < to)
    .map((request) => request.at);
  if (at.length < 2) return fallback;
  const meanGapMs = (at.at(-1)! - at[0]!) / (at.length - 1);
  return 60_000 / meanGapMs;
}

const percentile = (values: readonly number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

const whole = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const seconds = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} s` : 'n/a');

interface ModeFigures {
  mode: Mode;
  quiet: Counts & { minutes: number; polls: number; readsPerMinute: number; dataPerPoll: number };
  /** Requests a minute while nothing is published: reads at their rate, the poll's data every POLL_INTERVAL. */
  quietPerMinute: number;
  rounds: Counts & { count: number; minutes: number; versions: number };
  p50: number;
  p95: number;
  byKind: Map<EventKind, number[]>;
  week: { reads: number; data: number; total: number };
}

function figuresOf(run: ModeRun, comparison: ModesComparison): ModeFigures {
  const { log, datasets } = comparison;
  const quietCounts = countIn(log, run.quietFrom, run.quietTo);
  const minutes = (run.quietTo - run.quietFrom) / 60_000;
  // Reads while nothing is expected: their rate from the gaps between the quiet stretch's reads (a stretch of a few
  // intervals holds one read more or less than its share); the rounds' reads, those of the expected days, apart.
  const readsPerMinute = readRateIn(log, run.quietFrom, run.quietTo, quietCounts.reads / minutes);
  const dataPerPoll = run.quietPolls > 0 ? (quietCounts.data + quietCounts.pages) / run.quietPolls : 0;
  // Each dataset's poll runs every POLL_INTERVAL; a poll's cost is the one measured in the quiet stretch.
  const quietPerMinute = readsPerMinute + (dataPerPoll * datasets.length) / POLL_INTERVAL_MINUTES;
  const roundCounts = countIn(log, run.roundsFrom, run.roundsTo);
  const roundCount = new Set(run.events.map((event) => event.round)).size;
  const roundMinutes = (run.roundsTo - run.roundsFrom) / 60_000;
  const scale = DAYS_PER_WEEK / roundCount;
  const restMinutes = Math.max(0, WEEK_MINUTES - roundMinutes * scale);
  const weekReads = roundCounts.reads * scale + readsPerMinute * restMinutes;
  const weekData =
    (roundCounts.data + roundCounts.pages) * scale +
    ((dataPerPoll * datasets.length) / POLL_INTERVAL_MINUTES) * restMinutes;
  const byKind = new Map<EventKind, number[]>();
  for (const event of run.events)
    byKind.set(event.kind, [...(byKind.get(event.kind) ?? []), event.freshnessS]);
  const all = run.events.map((event) => event.freshnessS);
  return {
    mode: run.mode,
    quiet: { ...quietCounts, minutes, polls: run.quietPolls, readsPerMinute, dataPerPoll },
    quietPerMinute,
    rounds: { ...roundCounts, count: roundCount, minutes: roundMinutes, versions: run.versions },
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    byKind,
    week: { reads: weekReads, data: weekData, total: weekReads + weekData },
  };
}

const MODE_TITLE: Record<Mode, string> = {
  polls: 'fixed polls (JAO_MONITORING=off; the baseline)',
  monitoring: 'JAO monitoring (JAO_MONITORING=on)',
};

/** Prints both modes' figures, then returns their targets (printed by the caller with the others). */
export function reportModes(comparison: ModesComparison): Target[] {
  const { datasets, monitoringIntervalMs, monitoringQuietIntervalMs } = comparison;
  const polls = figuresOf(comparison.runs.find((run) => run.mode === 'polls')!, comparison);
  const monitoring = figuresOf(comparison.runs.find((run) => run.mode === 'monitoring')!, comparison);
  const base = (pick: (figures: ModeFigures) => number, figures: ModeFigures) =>
    figures.mode === 'polls' ? '(baseline)' : `(${ratio(pick(figures), pick(polls))} to the polls)`;

  console.log('');
  console.log(
    `mode comparison: ${datasets.join(' and ')} (one monitoring step announces them); MONITORING_INTERVAL ` +
      `${monitoringIntervalMs / 1000} s (a day expected), MONITORING_QUIET_INTERVAL ${monitoringQuietIntervalMs / 1000} s, POLL_INTERVAL ${POLL_INTERVAL_MINUTES} min, PUBLICATION_POLL_INTERVAL ` +
      `${CHECK_INTERVAL_MS / 1000} s`,
  );
  for (const figures of [polls, monitoring]) {
    const { quiet, rounds } = figures;
    const dataPerVersion = rounds.data / rounds.versions;
    console.log(`${MODE_TITLE[figures.mode]}:`);
    console.log(
      `  measured, quiet stretch: ${quiet.minutes.toFixed(1)} min, ${quiet.reads} monitoring reads, ` +
        `${quiet.data} data requests (+${quiet.pages} pages of rows) in ${quiet.polls} poll run(s): ` +
        `${quiet.dataPerPoll.toFixed(1)} data requests per poll; ${quiet.readsPerMinute.toFixed(2)} reads/min ` +
        '(from the gaps between its reads)',
    );
    console.log(
      `  extrapolated, a quiet day: ${whole(figures.quietPerMinute * 1440)} requests ` +
        `(reads at the measured rate, a poll every ${POLL_INTERVAL_MINUTES} min per dataset at the measured cost` +
        (figures.mode === 'polls'
          ? `; a publication window that never sees tomorrow would add ${whole((180 * 60_000) / CHECK_INTERVAL_MS)} checks per dataset) `
          : ') ') +
        base((f) => f.quietPerMinute, figures),
    );
    console.log(
      `  measured, rounds: ${rounds.count} business day(s) in ${rounds.minutes.toFixed(1)} min, ` +
        `${rounds.reads} monitoring reads, ${rounds.data} data requests (+${rounds.pages} pages of rows), ` +
        `${rounds.versions} day-versions stored: ${dataPerVersion.toFixed(2)} data requests per day-version ` +
        `(${((rounds.data + rounds.pages) / rounds.versions).toFixed(2)} with the pages) ` +
        base((f) => f.rounds.data / f.rounds.versions, figures),
    );
    console.log(
      `  measured, freshness (the step turning Received or moving → the day stored): p50 ${seconds(figures.p50)}, ` +
        `p95 ${seconds(figures.p95)} ${base((f) => f.p95, figures)}; ` +
        [...figures.byKind]
          .map(([kind, values]) => `${kind} p95 ${seconds(percentile(values, 95))}`)
          .join(', '),
    );
    console.log(
      `  extrapolated, a week (${DAYS_PER_WEEK} × the rounds' mean day + the quiet stretch's rate for the rest): ` +
        `${whole(figures.week.total)} requests (${whole(figures.week.reads)} monitoring reads, ` +
        `${whole(figures.week.data)} data requests) ${base((f) => f.week.total, figures)}`,
    );
    console.log(`  429 answers: ${quiet.tooMany + rounds.tooMany}`);
  }
  const fewer = polls.week.total / monitoring.week.total;
  console.log(
    `a week's requests, polls / monitoring: ${fewer.toFixed(2)}× (target ≥ ${TARGETS.fewerRequests}×)`,
  );
  // What would reach the target, from the same pieces (an extrapolation, not a measurement): the quiet reads are
  // the ones an interval moves; the rounds' reads (the days expected) and the data requests stay.
  const roundsReadsWeek = (monitoring.rounds.reads * DAYS_PER_WEEK) / monitoring.rounds.count;
  const quietReadsWeek = monitoring.week.reads - roundsReadsWeek;
  const quietReadsAllowed = polls.week.total / TARGETS.fewerRequests - monitoring.week.data - roundsReadsWeek;
  console.log(
    `  extrapolated: ${TARGETS.fewerRequests}× would need a MONITORING_QUIET_INTERVAL of ` +
      (quietReadsAllowed > 0 && quietReadsWeek > 0
        ? `≥ ${Math.ceil((monitoringQuietIntervalMs / 1000) * (quietReadsWeek / quietReadsAllowed))} s`
        : "n/a (the monitoring mode's data requests and expected days' reads alone exceed it)") +
      (() => {
        const pollsPerDataset = polls.week.total / datasets.length;
        const monitoringDataPerDataset = monitoring.week.data / datasets.length;
        const margin = pollsPerDataset - TARGETS.fewerRequests * monitoringDataPerDataset;
        return margin > 0
          ? `, or ≥ ${Math.ceil((TARGETS.fewerRequests * monitoring.week.reads) / margin)} datasets announced in the region at these intervals`
          : '';
      })(),
  );
  console.log(
    `  not counted: a real day's wait in the publication window before JAO publishes (the bench publishes about a ` +
      `minute after it opens; MaxBEX typically 30-90 min): each minute costs the fixed polls ` +
      `${60_000 / CHECK_INTERVAL_MS} requests per dataset, ${whole(((DAYS_PER_WEEK * 60 * 60_000) / CHECK_INTERVAL_MS) * datasets.length)} a week at an hour a day`,
  );

  const dataPerVersion = monitoring.rounds.data / monitoring.rounds.versions;
  return [
    {
      name: MODE_TARGET_NAMES[0],
      met: fewer >= TARGETS.fewerRequests,
      measured: `${fewer.toFixed(2)}×: ${whole(polls.week.total)} / ${whole(monitoring.week.total)}, extrapolated`,
    },
    {
      name: MODE_TARGET_NAMES[1],
      met: monitoring.p95 <= polls.p95,
      measured: `${seconds(monitoring.p95)} vs ${seconds(polls.p95)}`,
    },
    {
      name: MODE_TARGET_NAMES[2],
      met: monitoring.quiet.reads > 0 && monitoring.quiet.data + monitoring.quiet.pages === 0,
      measured: `${monitoring.quiet.reads} reads, ${monitoring.quiet.data + monitoring.quiet.pages} data requests in ${monitoring.quiet.minutes.toFixed(1)} min`,
    },
    {
      name: MODE_TARGET_NAMES[3],
      met: dataPerVersion <= TARGETS.requestsPerVersion,
      measured: `${Number.isFinite(dataPerVersion) ? dataPerVersion.toFixed(2) : 'n/a'} (${monitoring.rounds.data} / ${monitoring.rounds.versions})`,
    },
  ];
}

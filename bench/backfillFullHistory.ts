// `npm run bench:backfill -- --full-history`: the whole history, Core flow-based go-live to today (about 1,630 days,
// some 18 minutes), backfilled by one real worker process at the default JAO_MAX_REQUESTS_PER_MINUTE against the
// simulator answering like JAO (429 above 100 requests a minute). It samples the worker's resident size all along
// and reads every workflow history afterwards, and judges: the share of the request budget used, no 429 from JAO,
// the worker's peak RSS and whether it stays flat, and the largest workflow history (the backfill's runs, chained
// by continue-as-new, and its day children).
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../common/config';
import { marketToday } from '../domain/calendar';
import { declarationOf } from '../domain/datasets';
import type { Dataset, DeliveryDay } from '../domain/types';
import type { BackfillProgress, BackfillResult } from '../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../simulator/server';
import type { Cleanup } from './cleanup';
import type { Target } from './report';
import { startWorkerProcess, type WorkerProcess } from './workerProcess';

const DATASET: Dataset = 'maxExchanges';
/** JAO answers 429 above about 100 requests a minute (docs/design.md §2); the simulator does the same here. */
const JAO_LIMIT_PER_MINUTE = 100;
const MB = 1024 * 1024;

export const FULL_HISTORY_TARGETS = {
  budgetShare: 0.9,
  peakRssMb: 300,
  /** Flat: the mean RSS of the last third of the run (after warm-up) at most this much above the first third's. */
  flatGrowth: 0.1,
  /**
   * Temporal's warning limits for one history (a fifth of the hard limits, 51,200 events and 50 MB): a history
   * that stays under them whatever the range is bounded by continue-as-new, not by luck.
   */
  historyEvents: 10_240,
  historyMb: 10,
} as const;

export const FULL_HISTORY_TARGET_NAMES = [
  `full history: backfill uses ≥ ${FULL_HISTORY_TARGETS.budgetShare} of the request budget`,
  'full history: no 429 answers',
  `full history: worker peak RSS ≤ ${FULL_HISTORY_TARGETS.peakRssMb} MB`,
  `full history: worker RSS flat (last third's mean ≤ ${1 + FULL_HISTORY_TARGETS.flatGrowth} × first third's, after warm-up)`,
  `full history: every workflow history ≤ ${FULL_HISTORY_TARGETS.historyEvents} events and ≤ ${FULL_HISTORY_TARGETS.historyMb} MB`,
] as const;

export interface FullHistoryOptions {
  from: DeliveryDay;
  to: DeliveryDay;
  concurrency?: number;
  /** Days per backfill run before it continues as new (the workflow's default when absent). */
  daysPerRun?: number;
  /** How often the worker's RSS is read. */
  sampleEveryMs: number;
  /** How often a progress line is printed. */
  reportEveryMs: number;
}

export function fullHistoryOptions(smoke: boolean, now = new Date()): FullHistoryOptions {
  const to = marketToday(now);
  // Smoke: ten days in runs of four, so the run chain is walked, at the same budget (about 7 s of requests).
  if (smoke) {
    const from = new Date(`${to}T00:00:00Z`);
    from.setUTCDate(from.getUTCDate() - 9);
    return {
      from: from.toISOString().slice(0, 10),
      to,
      daysPerRun: 4,
      sampleEveryMs: 500,
      reportEveryMs: 5_000,
    };
  }
  return { from: declarationOf(DATASET).firstDay, to, sampleEveryMs: 5_000, reportEveryMs: 60_000 };
}

interface RssSample {
  atMs: number;
  bytes: number;
}

/** Warm-up (the first tenth of the run) left out, the rest in thirds: the first third's mean and the last's. */
export function rssFlatness(samples: readonly RssSample[]): { first: number; last: number } | null {
  const settled = samples.slice(Math.floor(samples.length / 10));
  const third = Math.floor(settled.length / 3);
  if (third < 1) return null;
  const mean = (part: readonly RssSample[]) => part.reduce((sum, s) => sum + s.bytes, 0) / part.length;
  return { first: mean(settled.slice(0, third)), last: mean(settled.slice(settled.length - third)) };
}

interface HistoryFigures {
  runs: number;
  largestRun: { events: number; bytes: number };
  largestDay: { events: number; bytes: number };
  days: number;
}

/** Every run of the backfill (its continue-as-new chain) and every day child on the task queue, from visibility. */
async function historyFigures(
  client: Client,
  workflowId: string,
  taskQueue: string,
): Promise<HistoryFigures> {
  const largest = { events: 0, bytes: 0 };
  let runs = 0;
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs += 1;
    // describe() reads the history's own figures (visibility may lag behind the last run's close).
    const described = await client.workflow.getHandle(workflowId, run.runId).describe();
    largest.events = Math.max(largest.events, described.historyLength);
    largest.bytes = Math.max(largest.bytes, described.historySize ?? 0);
  }
  const largestDay = { events: 0, bytes: 0 };
  let days = 0;
  const query = `TaskQueue = '${taskQueue}' AND WorkflowType = 'deliveryDayWorkflow'`;
  for await (const day of client.workflow.list({ query })) {
    days += 1;
    largestDay.events = Math.max(largestDay.events, day.historyLength);
    largestDay.bytes = Math.max(largestDay.bytes, day.historySize ?? 0);
  }
  return { runs, largestRun: largest, largestDay, days };
}

export interface FullHistoryContext {
  client: Client;
  temporal: { address: string; namespace: string };
  bundlePath: string;
  databaseUrl: string;
  taskQueue: string;
  cleanup: Cleanup;
}

export async function runFullHistory(
  context: FullHistoryContext,
  options: FullHistoryOptions,
): Promise<Target[]> {
  const { client, taskQueue, cleanup } = context;
  const simulator: SimulatorHandle = await startSimulator({
    faults: { maxRequestsPerMinute: JAO_LIMIT_PER_MINUTE },
  });
  const closeSimulator = cleanup.add('full-history simulator', () => simulator.close());
  // The configuration's default (the worker is started without the setting).
  const budget = loadConfig({}).JAO_MAX_REQUESTS_PER_MINUTE;
  console.log(
    `full history: ${options.from}..${options.to} through one worker process at JAO_MAX_REQUESTS_PER_MINUTE ` +
      `${budget} (the default), simulator answering 429 above ${JAO_LIMIT_PER_MINUTE} requests a minute`,
  );
  const worker: WorkerProcess = await startWorkerProcess(
    {
      DATABASE_URL: context.databaseUrl,
      TEMPORAL_ADDRESS: context.temporal.address,
      TEMPORAL_NAMESPACE: context.temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      JAO_BASE_URL: simulator.origin,
      JAO_MAX_REQUESTS_PER_MINUTE: String(budget),
      METRICS_PORT: '0',
      WORKFLOW_BUNDLE_PATH: context.bundlePath,
    },
    cleanup,
  );
  const samples: RssSample[] = [];
  const sample = () => {
    const bytes = worker.rss();
    if (bytes !== null) samples.push({ atMs: performance.now(), bytes });
  };
  const workflowId = `bench-full-history-${taskQueue}`;
  let result: BackfillResult;
  let seconds: number;
  let peakRss: number | null;
  const requestsBefore = simulator.requests.length;
  try {
    sample();
    const sampler = setInterval(sample, options.sampleEveryMs);
    const started = performance.now();
    // A query still in flight when the connection closes leaves the SDK a retry timer that throws on the
    // closed channel: each report is awaited before the worker stops.
    const reports = new Set<Promise<void>>();
    const reporter = setInterval(() => {
      const minutes = (performance.now() - started) / 60_000;
      const requests = simulator.requests.length - requestsBefore;
      const rss = worker.rss();
      // The latest run of the chain (continue-as-new) answers; a failed query only skips the day count.
      const report = client.workflow
        .getHandle(workflowId)
        .query<BackfillProgress>('progress')
        .then(
          (progress) => `${progress.done} of ${progress.total} days done`,
          () => 'days done unknown',
        )
        .then((days) =>
          console.log(
            `full history: ${minutes.toFixed(1)} min: ${days}; ${requests} requests (${(requests / minutes).toFixed(1)} a minute)` +
              (rss !== null ? `; worker RSS ${(rss / MB).toFixed(0)} MB` : ''),
          ),
        );
      reports.add(report);
      void report.finally(() => reports.delete(report));
    }, options.reportEveryMs);
    try {
      result = await client.workflow.execute<(input: unknown) => Promise<BackfillResult>>(
        'backfillWorkflow',
        {
          taskQueue,
          workflowId,
          args: [
            {
              dataset: DATASET,
              from: options.from,
              to: options.to,
              mode: 'missing',
              ...(options.concurrency ? { concurrency: options.concurrency } : {}),
              ...(options.daysPerRun ? { daysPerRun: options.daysPerRun } : {}),
            },
          ],
        },
      );
    } finally {
      clearInterval(sampler);
      clearInterval(reporter);
      await Promise.all(reports);
    }
    seconds = (performance.now() - started) / 1000;
    sample();
    peakRss = worker.peakRss();
  } finally {
    await worker.stop();
  }
  const answers = simulator.requests.slice(requestsBefore);
  await closeSimulator();

  const requests = answers.length;
  const tooMany = answers.filter((entry) => entry.status === 429).length;
  const perMinute = requests / (seconds / 60);
  const share = perMinute / budget;
  const flat = rssFlatness(samples);
  const histories = await historyFigures(client, workflowId, taskQueue);
  const complete = result.byStatus.complete ?? 0;
  const statuses = Object.entries(result.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

  console.log(
    `full history: ${result.total} days in ${(seconds / 60).toFixed(1)} min (${statuses}); ${requests} requests to ` +
      `JAO (${tooMany} answered 429), ${perMinute.toFixed(1)} a minute: ratio ${share.toFixed(2)} (requests a minute / budget of ${budget})`,
  );
  console.log(
    `full history: worker RSS sampled every ${options.sampleEveryMs / 1000} s (${samples.length} samples): ` +
      `peak (VmHWM) ${peakRss !== null ? mb(peakRss) : 'not measured'}` +
      (flat
        ? `, first third ${mb(flat.first)}, last third ${mb(flat.last)}: ratio ${(flat.last / flat.first).toFixed(2)} (last / first)`
        : ''),
  );
  console.log(
    `full history: ${histories.runs} backfill runs (continue-as-new), largest ${histories.largestRun.events} events ` +
      `${(histories.largestRun.bytes / 1024).toFixed(0)} KB; ${histories.days} day workflows, largest ` +
      `${histories.largestDay.events} events ${(histories.largestDay.bytes / 1024).toFixed(0)} KB`,
  );
  if (complete !== result.total) {
    throw new Error(`full history: not every day ended complete: ${statuses} of ${result.total}`);
  }

  const largestEvents = Math.max(histories.largestRun.events, histories.largestDay.events);
  const largestBytes = Math.max(histories.largestRun.bytes, histories.largestDay.bytes);
  return [
    {
      name: FULL_HISTORY_TARGET_NAMES[0],
      met: share >= FULL_HISTORY_TARGETS.budgetShare,
      measured: share.toFixed(2),
    },
    { name: FULL_HISTORY_TARGET_NAMES[1], met: tooMany === 0, measured: `${tooMany} of ${requests}` },
    {
      name: FULL_HISTORY_TARGET_NAMES[2],
      met: peakRss !== null && peakRss / MB <= FULL_HISTORY_TARGETS.peakRssMb,
      measured: peakRss !== null ? mb(peakRss) : 'not measured',
    },
    {
      name: FULL_HISTORY_TARGET_NAMES[3],
      met: flat !== null && flat.last <= flat.first * (1 + FULL_HISTORY_TARGETS.flatGrowth),
      measured: flat ? `${(flat.last / flat.first).toFixed(2)}` : 'not measured',
    },
    {
      name: FULL_HISTORY_TARGET_NAMES[4],
      met:
        histories.runs > 0 &&
        largestEvents <= FULL_HISTORY_TARGETS.historyEvents &&
        largestBytes <= FULL_HISTORY_TARGETS.historyMb * MB,
      measured: `largest ${largestEvents} events, ${(largestBytes / MB).toFixed(2)} MB`,
    },
  ];
}

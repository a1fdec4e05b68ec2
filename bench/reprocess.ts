// `npm run bench:reprocess [-- --days N --concurrency C --from DAY | --full-history | --smoke]`: reprocessing a year through Temporal
// (reprocessWorkflow, its days in batches, on a worker process) against the backfill's speed at the default
// budget, which JAO's rate limit bounds: JAO_MAX_REQUESTS_PER_MINUTE's default, one request per day. The days are
// first fetched from the simulator and stored (raw answers and values); every tenth day then gets damaged values,
// as a faulty build would have stored them, so the reprocessing has something to repair. A second run over the same
// days must change nothing. The simulator's request log must stay empty while reprocessing. `--full-history`: Core's
// 1,630 days from go-live, the target users feel (≤ 60 s through Temporal); a shorter run projects its days/s onto it.
// Prints each pass's CPU per day (the worker process, the dev server, this process) beside the direct pass's.
// `--smoke`: six days.

import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { createFetchActivities, createStoreActivities } from '../activities';
import { reprocessDay } from '../activities/reprocess';
import { UsageError } from '../cli/errors';
import { configSchema } from '../common/config';
import { inLanes } from '../common/lanes';
import { createPool, watchClient } from '../db/pool';
import { addDays, daysBetween, marketTomorrow } from '../domain/calendar';
import { DEFAULT_REPROCESS_CONCURRENCY, type ReprocessResult, totalOf } from '../domain/reprocessInputs';
import { countOf } from '../domain/runDetails';
import type { Dataset, DeliveryDay } from '../domain/types';
import { dayWorkflowId } from '../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../simulator/server';
import { readWorkflowBundle } from '../workers/workflowBundle';
import { Cleanup, createPassDatabase, temporalFor, workflowBundleFor } from './backfill';
import { cpuPerDayLine, measurePassCpu, type PassCpu, selfCpuSeconds } from './processStats';
import { printTargets, ratio, type Target, takeSmokeFlag } from './report';
import { fetchAndKeep } from './storedAnswer';
import { startWorkerProcess } from './workerProcess';

const DATASET: Dataset = 'maxExchanges';
/** The backfill's budget by default: JAO_MAX_REQUESTS_PER_MINUTE as the configuration defaults it. */
const DEFAULT_REQUESTS_PER_MINUTE = configSchema.shape.JAO_MAX_REQUESTS_PER_MINUTE.parse(undefined);
/** Every DAMAGE_EVERY-th day gets damaged values before the reprocessing. */
const DAMAGE_EVERY = 10;
/** Core's whole history when issue 32 set the target: go-live (2022-06-09) to late 2026. */
const FULL_HISTORY_DAYS = 1630;
const FULL_HISTORY_FIRST_DAY = '2022-06-09';
const TARGETS = { timesBackfill: 5, fullHistorySeconds: 60 };
export const TARGET_NAMES = [
  `reprocessing ≥ ${TARGETS.timesBackfill} × the backfill's days/s at the default budget`,
  'no request to JAO while reprocessing',
  'a second run changes nothing',
  `full-history reprocessing (${FULL_HISTORY_DAYS.toLocaleString('en')} days, zero JAO requests, through Temporal) ≤ ${TARGETS.fullHistorySeconds} s`,
] as const;

interface BenchOptions {
  days: number;
  concurrency: number;
  firstDay: DeliveryDay;
}

function parseArgs(argv: string[]): BenchOptions {
  const { smoke, rest: args } = takeSmokeFlag(argv);
  const options: BenchOptions = {
    days: smoke ? 6 : 365,
    concurrency: DEFAULT_REPROCESS_CONCURRENCY,
    firstDay: '2023-01-01',
  };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    const number = Number(value);
    if (flag === '--days' && Number.isInteger(number) && number > 0) options.days = number;
    else if (flag === '--concurrency' && Number.isInteger(number) && number >= 1 && number <= 64)
      options.concurrency = number;
    else if (flag === '--from' && value && /^\d{4}-\d{2}-\d{2}$/.test(value)) options.firstDay = value;
    else if (flag === '--full-history') {
      options.days = FULL_HISTORY_DAYS;
      options.firstDay = FULL_HISTORY_FIRST_DAY;
      i -= 1; // a flag without a value
    } else throw new UsageError(`bench:reprocess: unknown or invalid argument ${flag} ${value ?? ''}`.trim());
    i += 1;
  }
  const lastDay = addDays(options.firstDay, options.days - 1);
  const tomorrow = marketTomorrow(new Date());
  if (lastDay > tomorrow) {
    throw new UsageError(
      `bench:reprocess: ${options.days} days from ${options.firstDay} reach ${lastDay}, after tomorrow (${tomorrow}), ` +
        `which JAO has not published: at most ${daysBetween(options.firstDay, tomorrow) + 1} days from ${options.firstDay}`,
    );
  }
  return options;
}

/**
 * The full history's reprocessing, measured with --full-history; a shorter run projects its own days/s onto the
 * full history and says so.
 */
function fullHistoryTarget(seconds: number, days: number, requests: number): Target {
  const measured = days >= FULL_HISTORY_DAYS;
  const fullSeconds = measured ? seconds : (seconds * FULL_HISTORY_DAYS) / days;
  return {
    name: TARGET_NAMES[3],
    met: requests === 0 && fullSeconds <= TARGETS.fullHistorySeconds,
    measured: measured
      ? `${fullSeconds.toFixed(1)} s for ${days} days`
      : `${fullSeconds.toFixed(1)} s projected from ${days} days in ${seconds.toFixed(1)} s (--full-history measures it)`,
  };
}

/** Fetches and stores every day (raw answer and values) with the pipeline's own activities, called directly. */
export async function storeDays(
  pool: pg.Pool,
  simulator: SimulatorHandle,
  days: DeliveryDay[],
  buildId = 'bench:reprocess (stored before)',
  dataset: Dataset = DATASET,
): Promise<void> {
  const logger = new DefaultLogger('WARN');
  const fetch = createFetchActivities({ pool, jao: { baseUrl: simulator.origin, timeoutMs: 30_000 } });
  const store = createStoreActivities({ pool, buildId });
  await inLanes(days, 8, async (day) => {
    const workflowExecution = { workflowId: dayWorkflowId(dataset, day), runId: 'bench' };
    const run = <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> =>
      new MockActivityEnvironment({ workflowExecution }, { logger }).run(fn, input) as Promise<R>;
    const ref = { dataset, day, rawResponseId: await fetchAndKeep(run, fetch, store, dataset, day) };
    const written = await run(store.writeStoredDay, ref);
    if (written.status !== 'complete')
      throw new Error(`${buildId}: ${dataset} ${day} stored ${written.status}`);
  });
}

/** What a faulty build would have stored: one border's values of every DAMAGE_EVERY-th day off by one. */
async function damage(pool: pg.Pool, days: DeliveryDay[]): Promise<number> {
  const damaged = days.filter((_, i) => i % DAMAGE_EVERY === 0);
  await pool.query(
    `UPDATE jao.observation o SET value = o.value + 1
       FROM unnest($1::date[]) AS d(day)
      WHERE o.mtu >= d.day::timestamp AT TIME ZONE 'Europe/Amsterdam'
        AND o.mtu < (d.day + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
        AND o.series_id = (SELECT series_id FROM jao.series WHERE dataset = $2 AND key = 'border_AT_BE')`,
    [damaged, DATASET],
  );
  return damaged.length;
}

interface Pass {
  seconds: number;
  result: ReprocessResult;
  requests: number;
  cpu: PassCpu;
}

export async function runReprocessBenchmark(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const days = Array.from({ length: options.days }, (_, i) => addDays(options.firstDay, i));
  const from = days[0]!;
  const to = days.at(-1)!;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`bench:reprocess: ${signal}, tearing down`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    const bundlePath = await workflowBundleFor(cleanup);
    const bundle = readWorkflowBundle(bundlePath);
    const adminUrl = new URL(serverUrl);
    adminUrl.pathname = '/postgres';
    const admin = watchClient(new pg.Client({ connectionString: adminUrl.toString() }));
    await admin.connect();
    cleanup.add('admin connection', () => admin.end());
    const database = await createPassDatabase(
      admin,
      serverUrl,
      `jao_bench_reprocess_${process.pid}`,
      cleanup,
    );
    const pool = createPool(database.url, { applicationName: 'bench:reprocess' });
    cleanup.add('pool', () => pool.end());
    const simulator = await startSimulator();
    cleanup.add('simulator', () => simulator.close());

    console.log(
      `bench:reprocess: ${days.length} days ${from}..${to}, reprocessed at concurrency ${options.concurrency}; ` +
        `every ${DAMAGE_EVERY}th day damaged first`,
    );
    const storing = performance.now();
    await storeDays(pool, simulator, days);
    const damaged = await damage(pool, days);
    console.log(
      `stored ${days.length} days from the simulator in ${((performance.now() - storing) / 1000).toFixed(1)} s; ` +
        `${damaged} damaged`,
    );

    const temporal = await temporalFor(cleanup);
    const connection = await Connection.connect({ address: temporal.address });
    cleanup.add('client connection', () => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const taskQueue = `jao-bench-reprocess-${process.pid}`;
    // The worker as deployed, in a process of its own (its CPU read from /proc). Reprocessing has no JAO client; the
    // fetch worker's is pointed at the simulator, so a request would show in its log.
    const worker = await startWorkerProcess(
      {
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
        JAO_BASE_URL: simulator.origin,
        JAO_MAX_REQUESTS_PER_MINUTE: String(DEFAULT_REQUESTS_PER_MINUTE),
        METRICS_PORT: '0',
        WORKFLOW_BUNDLE_PATH: bundlePath,
      },
      cleanup,
    );

    const pass = async (run: number): Promise<Pass> => {
      const requestsBefore = simulator.requests.length;
      const passCpu = measurePassCpu(() => worker.cpuSeconds());
      const started = performance.now();
      const result = await client.workflow.execute<(input: unknown) => Promise<ReprocessResult>>(
        'reprocessWorkflow',
        {
          taskQueue,
          workflowId: `bench-reprocess-${process.pid}-${run}`,
          args: [{ dataset: DATASET, from, to, concurrency: options.concurrency }],
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const cpu = passCpu();
      return { seconds, result, requests: simulator.requests.length - requestsBefore, cpu };
    };
    const first = await pass(1);
    const second = await pass(2);
    await worker.stop();
    // The same reprocessing of each day called in-process, as many at a time: what Temporal adds to it.
    const directCpuBefore = selfCpuSeconds();
    const directStarted = performance.now();
    await inLanes(days, options.concurrency, async (day) => {
      await reprocessDay(
        { pool, buildId: bundle.info.buildId },
        { dataset: DATASET, day, workflowId: null, dryRun: false },
      );
    });
    const directSeconds = (performance.now() - directStarted) / 1000;
    const directCpu: PassCpu = { self: selfCpuSeconds() - directCpuBefore };

    const backfillRate = DEFAULT_REQUESTS_PER_MINUTE / 60;
    const rate = (p: Pass) => p.result.total / p.seconds;
    const cpuIndent = ' '.repeat(4);
    console.log(
      `${'backfill at the default budget (baseline)'.padEnd(50)} ${(days.length / backfillRate).toFixed(1).padStart(8)} s ` +
        `${backfillRate.toFixed(2).padStart(8)} days/s  (JAO_MAX_REQUESTS_PER_MINUTE ${DEFAULT_REQUESTS_PER_MINUTE}, ` +
        'one request per day: the most the rate limit allows)',
    );
    for (const [label, p] of [
      ['reprocess (reprocessWorkflow)', first],
      ['reprocess again (nothing to change)', second],
    ] as const) {
      console.log(
        `${label.padEnd(50)} ${p.seconds.toFixed(1).padStart(8)} s ${rate(p).toFixed(2).padStart(8)} days/s  ` +
          `${ratio(rate(p), backfillRate)} (to the backfill)  changed ${countOf(p.result.changedDays, 'day')} ` +
          `(${countOf(totalOf(p.result.values), 'value')}), ` +
          `${p.requests} requests to JAO`,
      );
      console.log(`${cpuIndent}CPU: ${cpuPerDayLine(p.cpu, p.result.total)}`);
    }
    console.log(
      `${'reprocessDay called directly (nothing to change)'.padEnd(50)} ${directSeconds.toFixed(1).padStart(8)} s ` +
        `${(days.length / directSeconds).toFixed(2).padStart(8)} days/s  ` +
        `${ratio(second.seconds, directSeconds)} (Temporal time / direct time, second run)`,
    );
    console.log(
      `${cpuIndent}CPU: ${cpuPerDayLine(directCpu, days.length)}; the worker's CPU per day / the direct pass's ` +
        `(second run): ${second.cpu.worker === undefined ? 'not measured' : ratio(second.cpu.worker, directCpu.self)}`,
    );
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: rate(first) >= TARGETS.timesBackfill * backfillRate,
        measured: `${(rate(first) / backfillRate).toFixed(1)} ×`,
      },
      {
        name: TARGET_NAMES[1],
        met: first.requests + second.requests === 0,
        measured: `${first.requests + second.requests} requests`,
      },
      {
        name: TARGET_NAMES[2],
        met: second.result.changedDays === 0,
        measured: `${second.result.changedDays} days changed`,
      },
      fullHistoryTarget(first.seconds, days.length, first.requests),
    ]);
    const problems = [first, second].filter(
      (p) => p.result.total !== days.length || p.result.notCompleted.length > 0,
    );
    if (problems.length > 0 || first.result.changedDays !== damaged) {
      throw new Error(
        `bench:reprocess: expected ${days.length} complete days and ${damaged} changed, got ` +
          `${first.result.total} (${first.result.changedDays} changed, ${first.result.notCompleted.length} not complete)`,
      );
    }
  } finally {
    await cleanup.runAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

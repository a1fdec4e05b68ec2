// `npm run bench:backfill [-- --days N --concurrency 8,32 --from DAY | --smoke]`: backfill throughput (days/s)
// through Temporal — the backfill workflow fanning out day workflows to a worker process — against the same
// activities called directly in-process with the same concurrency, measured in the same run, each pass on an empty
// database of its own, with the simulator answering without latency or rate limit. Also reports the worker
// process's peak RSS.
// `--smoke`: six days at concurrency 32.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { createFetchActivities, createStoreActivities } from '../activities';
import { MAX_JAO_REQUESTS_PER_MINUTE } from '../common/config';
import { migrate } from '../db/migrate';
import { createPool, watchClient } from '../db/pool';
import { startDevServer } from '../devstack/devServer';
import { addDays } from '../domain/calendar';
import { DATABASE_RETRY_HORIZON, JAO_REQUEST_TIMEOUT } from '../domain/timeBudget';
import type { Dataset, DeliveryDay } from '../domain/types';
import { type BackfillResult, dayWorkflowId } from '../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../simulator/server';
import { WORKER_HEAP_LIMIT_MB } from '../workers/runtime';
import { BUNDLE_FILE, writeWorkflowBundle } from '../workers/workflowBundle';
import { createDatabaseSql, givenTemporal } from './environment';
import { printTargets, ratio, takeSmokeFlag } from './report';

const REPO_ROOT = join(__dirname, '..');
const JAO_BIN = join(REPO_ROOT, 'bin', 'jao.js');
const DATASET: Dataset = 'maxExchanges';
/** What the worker reads as JAO_REQUEST_TIMEOUT by default; the direct pass uses the same. */
const JAO_TIMEOUT_MS = JAO_REQUEST_TIMEOUT.defaultMs;
/**
 * The fetch queue's limit: the highest JAO_MAX_REQUESTS_PER_MINUTE the configuration accepts (about 98 fetches/s
 * on the fetch queue), five times the days/s target, so the limiter is not what this measures.
 */
const RATE_LIMIT_PER_MINUTE = MAX_JAO_REQUESTS_PER_MINUTE;
const WORKER_START_TIMEOUT_MS = 120_000;

const TARGETS = { daysPerSecondAt32: 20, ratio: 2, peakRssMb: 400 };
export const TARGET_NAMES = [
  `≥ ${TARGETS.daysPerSecondAt32} days/s at concurrency 32`,
  `ratio (Temporal time / direct time) ≤ ${TARGETS.ratio}`,
  `worker peak RSS ≤ ${TARGETS.peakRssMb} MB`,
] as const;

interface BenchOptions {
  days: number;
  concurrencies: number[];
  firstDay: DeliveryDay;
}

function parseArgs(argv: string[]): BenchOptions {
  const { smoke, rest: args } = takeSmokeFlag(argv);
  const options: BenchOptions = smoke
    ? { days: 6, concurrencies: [32], firstDay: '2023-01-01' }
    : { days: 365, concurrencies: [8, 32], firstDay: '2023-01-01' };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    const number = Number(value);
    if (flag === '--days' && Number.isInteger(number) && number > 0) options.days = number;
    else if (flag === '--concurrency' && value) {
      const list = value.split(',').map(Number);
      if (!list.every((n) => Number.isInteger(n) && n >= 1 && n <= 64)) {
        throw new Error(`bench:backfill: --concurrency expects integers 1..64 separated by commas: ${value}`);
      }
      options.concurrencies = list;
    } else if (flag === '--from' && value && /^\d{4}-\d{2}-\d{2}$/.test(value)) options.firstDay = value;
    else throw new Error(`bench:backfill: unknown or invalid argument ${flag} ${value ?? ''}`.trim());
    i += 1;
  }
  return options;
}

function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Everything started by the benchmark, undone in reverse order at the end, on error and on SIGINT/SIGTERM. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<void> | void }[] = [];

  add(label: string, run: () => Promise<void> | void): () => Promise<void> {
    const step = { label, run };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await run();
    };
  }

  async runAll(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`bench:backfill: cleanup of ${step.label} failed: ${String(error)}`);
      }
    }
  }
}

/** WORKFLOW_BUNDLE_PATH when given (the test run's bundle), else a bundle built now and removed at the end. */
export async function workflowBundleFor(cleanup: Cleanup): Promise<string> {
  if (process.env.WORKFLOW_BUNDLE_PATH) return process.env.WORKFLOW_BUNDLE_PATH;
  const bundleDir = mkdtempSync(join(tmpdir(), 'jao-bench-bundle-'));
  cleanup.add('workflow bundle', () => rmSync(bundleDir, { recursive: true, force: true }));
  await writeWorkflowBundle(bundleDir);
  return join(bundleDir, BUNDLE_FILE);
}

/** The Temporal server handed over (bench/environment.ts), else a dev server of the benchmark's own. */
export async function temporalFor(cleanup: Cleanup): Promise<{ address: string; namespace: string }> {
  const given = givenTemporal();
  if (given) return given;
  const devServer = await startDevServer();
  cleanup.add('Temporal dev server', () => devServer.stop());
  return devServer;
}

/** A fresh, migrated database for one pass; dropped by the returned function (and by the cleanup). */
export async function createPassDatabase(
  admin: pg.Client,
  serverUrl: string,
  name: string,
  cleanup: Cleanup,
): Promise<{ url: string; drop: () => Promise<void> }> {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(createDatabaseSql(name));
  const drop = cleanup.add(`database ${name}`, async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  const url = databaseUrlFor(serverUrl, name);
  const pool = createPool(url, { max: 2, applicationName: 'bench:backfill migrate' });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return { url, drop };
}

interface PassResult {
  label: string;
  concurrency: number;
  days: number;
  complete: number;
  seconds: number;
  /** Temporal passes: the worker process's VmHWM, in bytes. */
  peakRss?: number;
}

const rate = (r: PassResult) => r.days / r.seconds;

/** The baseline: fetch → validate → write per day, called directly, `concurrency` days at a time. */
async function directPass(
  databaseUrl: string,
  simulator: SimulatorHandle,
  days: DeliveryDay[],
  concurrency: number,
): Promise<PassResult> {
  // The same pool size (createPool's default), JAO client options and retry horizon as the worker process.
  const pool = createPool(databaseUrl, { applicationName: 'bench:backfill direct' });
  const logger = new DefaultLogger('WARN');
  const retryHorizonMs = DATABASE_RETRY_HORIZON.defaultMs;
  const fetch = createFetchActivities({
    pool,
    jao: { baseUrl: simulator.origin, timeoutMs: JAO_TIMEOUT_MS },
    retryHorizonMs,
  });
  const store = createStoreActivities({ pool, buildId: 'bench:backfill direct', retryHorizonMs });
  let next = 0;
  let complete = 0;
  try {
    const started = performance.now();
    const lane = async () => {
      while (next < days.length) {
        const day = days[next]!;
        next += 1;
        const workflowExecution = { workflowId: dayWorkflowId(DATASET, day), runId: 'bench' };
        // A fresh activity Context per call, as the worker gives each activity task.
        const run = <A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> =>
          new MockActivityEnvironment({ workflowExecution }, { logger }).run(fn, input) as Promise<R>;
        const fetched = await run(fetch.fetchDayFromJao, { dataset: DATASET, day });
        const ref = { dataset: DATASET, day, rawResponseId: fetched.rawResponseId };
        await run(store.validateStoredDay, ref);
        const result = await run(store.writeStoredDay, ref);
        if (result.status === 'complete') complete += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const seconds = (performance.now() - started) / 1000;
    return { label: 'direct (baseline)', concurrency, days: days.length, complete, seconds };
  } finally {
    await pool.end();
  }
}

interface WorkerProcess {
  child: ChildProcess;
  /** Peak resident set size (VmHWM) so far, in bytes; null once the process is gone. */
  peakRss(): number | null;
  stop(): Promise<void>;
}

function readVmHwm(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** `node bin/jao.js worker --no-schedule` on its own database and task queue; resolves once it polls. */
async function startWorkerProcess(env: Record<string, string>, cleanup: Cleanup): Promise<WorkerProcess> {
  // The worker runs with the heap limit it is deployed with (Dockerfile), so its peak RSS is the deployed one.
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${WORKER_HEAP_LIMIT_MB}`, JAO_BIN, 'worker', '--no-schedule'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let tail = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = cleanup.add(`worker process ${child.pid}`, async () => {
    if (gone()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!gone()) child.kill('SIGKILL');
    }, 15_000);
    await exited;
    clearTimeout(timer);
  });
  const polling = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start polling in time; output:\n${tail}`)),
      WORKER_START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('worker polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`worker exited before polling (code ${child.exitCode}); output:\n${tail}`));
    });
  });
  try {
    await polling;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    child,
    peakRss: () => (child.pid && !gone() ? readVmHwm(child.pid) : null),
    stop,
  };
}

async function temporalPass(
  context: {
    client: Client;
    temporal: { address: string; namespace: string };
    simulator: SimulatorHandle;
    bundlePath: string;
  },
  databaseUrl: string,
  taskQueue: string,
  days: DeliveryDay[],
  concurrency: number,
  cleanup: Cleanup,
): Promise<PassResult> {
  const worker = await startWorkerProcess(
    {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: context.temporal.address,
      TEMPORAL_NAMESPACE: context.temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      JAO_BASE_URL: context.simulator.origin,
      JAO_MAX_REQUESTS_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
      JAO_REQUEST_TIMEOUT: `${JAO_TIMEOUT_MS}ms`,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info', // the start-up line "worker polling task queue" is an info line
      WORKFLOW_BUNDLE_PATH: context.bundlePath,
    },
    cleanup,
  );
  try {
    const started = performance.now();
    const result = await context.client.workflow.execute<(input: unknown) => Promise<BackfillResult>>(
      'backfillWorkflow',
      {
        taskQueue,
        workflowId: `bench-backfill-${taskQueue}`,
        args: [{ dataset: DATASET, from: days[0], to: days[days.length - 1], concurrency, mode: 'all' }],
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const peakRss = worker.peakRss() ?? undefined;
    return {
      label: 'Temporal (backfillWorkflow)',
      concurrency,
      days: result.total,
      complete: result.byStatus.complete ?? 0,
      seconds,
      peakRss,
    };
  } finally {
    await worker.stop();
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;

export async function runBackfillBenchmark(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const days = Array.from({ length: options.days }, (_, i) => addDays(options.firstDay, i));
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`bench:backfill: ${signal}, tearing down`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    // The dev server runs on the SDK's native runtime in this process: keep its logs quiet.
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

    const bundlePath = await workflowBundleFor(cleanup);

    const admin = watchClient(new pg.Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') }));
    await admin.connect();
    cleanup.add('admin connection', () => admin.end());

    const temporalServer = await temporalFor(cleanup);
    const simulator = await startSimulator();
    cleanup.add('simulator', () => simulator.close());
    const connection = await Connection.connect({ address: temporalServer.address });
    cleanup.add('client connection', () => connection.close());
    const client = new Client({ connection, namespace: temporalServer.namespace });

    console.log(
      `bench:backfill: ${days.length} days ${days[0]}..${days[days.length - 1]}, simulator without latency ` +
        `or rate limit, fetch queue limited to ${RATE_LIMIT_PER_MINUTE} requests/min, concurrency ${options.concurrencies.join(', ')}; each pass on an empty database`,
    );

    const results: { direct: PassResult; temporal: PassResult }[] = [];
    let pass = 0;
    for (const concurrency of options.concurrencies) {
      pass += 1;
      const directDb = await createPassDatabase(
        admin,
        serverUrl,
        `jao_bench_${process.pid}_${pass}d`,
        cleanup,
      );
      const direct = await directPass(directDb.url, simulator, days, concurrency);
      await directDb.drop();
      print(direct);

      const temporalDb = await createPassDatabase(
        admin,
        serverUrl,
        `jao_bench_${process.pid}_${pass}t`,
        cleanup,
      );
      const temporal = await temporalPass(
        { client, temporal: temporalServer, simulator, bundlePath },
        temporalDb.url,
        `jao-bench-${process.pid}-${pass}`,
        days,
        concurrency,
        cleanup,
      );
      await temporalDb.drop();
      print(temporal, direct);
      results.push({ direct, temporal });
    }

    const at32 = results.find((r) => r.temporal.concurrency === 32)?.temporal;
    const worstRatio = Math.max(...results.map((r) => r.temporal.seconds / r.direct.seconds));
    const peakRss = Math.max(...results.map((r) => r.temporal.peakRss ?? 0));
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: at32 !== undefined && rate(at32) >= TARGETS.daysPerSecondAt32,
        measured: at32 ? `${rate(at32).toFixed(1)} days/s` : 'not measured',
      },
      { name: TARGET_NAMES[1], met: worstRatio <= TARGETS.ratio, measured: `worst ${worstRatio.toFixed(2)}` },
      {
        name: TARGET_NAMES[2],
        met: peakRss > 0 && mb(peakRss) <= TARGETS.peakRssMb,
        measured: peakRss > 0 ? `${mb(peakRss).toFixed(0)} MB` : 'not measured',
      },
    ]);
    const incomplete = results.flatMap((r) => [r.direct, r.temporal]).filter((r) => r.complete !== r.days);
    if (incomplete.length > 0) {
      throw new Error(
        `bench:backfill: not every day ended complete: ${incomplete.map((r) => `${r.label} c=${r.concurrency} ${r.complete}/${r.days}`).join(', ')}`,
      );
    }
  } finally {
    await cleanup.runAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function print(result: PassResult, baseline?: PassResult): void {
  const head = `concurrency ${String(result.concurrency).padStart(2)}  ${result.label.padEnd(28)}`;
  const figures = `${result.seconds.toFixed(2).padStart(7)} s ${rate(result).toFixed(1).padStart(7)} days/s`;
  const toBaseline = baseline
    ? `  ${ratio(result.seconds, baseline.seconds)} (Temporal time / direct time)`
    : '';
  const rss =
    result.peakRss !== undefined
      ? `  worker process peak RSS (VmHWM) ${mb(result.peakRss).toFixed(0)} MB`
      : '';
  const days = result.complete === result.days ? '' : `  (${result.complete}/${result.days} complete)`;
  console.log(`${head} ${figures}${toBaseline}${rss}${days}`);
}

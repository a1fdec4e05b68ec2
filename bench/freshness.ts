// `npm run bench:freshness [-- --rounds N --publish-after-s S --latency-ms MS | --smoke]`: how soon tomorrow is
// stored after JAO publishes it, with and without a backfill saturating the rate limit, what polling costs, and
// whether the backfill uses its budget. One worker process (`jao worker`, default settings:
// JAO_MAX_REQUESTS_PER_MINUTE=90, PUBLICATION_POLL_INTERVAL=30s, POLL_INTERVAL=10m) against the simulator (429 above 100 requests a minute, like
// JAO), on a dev server and database of its own. Each round opens the publication window (the schedule's
// action) with tomorrow unpublished and a fresh day in the database, and the simulator publishes tomorrow
// `publish-after` seconds later plus a random share of a check interval (publications do not keep time with
// the checks). Baselines of the same run: the rounds without a backfill for the latency, the limit less the live
// requests for the backfill's rate. `--smoke` waits for no window and no time of day: one round each, tomorrow
// published at once and fetched by a triggered poll (the publication window stays closed), a ten-day backfill,
// no answer latency.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { freePort } from '../common/ports';
import { pollScheduleIdFor } from '../control/pollSchedule';
import { publicationScheduleIdFor } from '../control/publicationSchedule';
import { createPool } from '../db/pool';
import {
  addDays,
  dayOfInstant,
  dayWindow,
  marketToday,
  marketTomorrow,
  utcOffsetMinutesAt,
} from '../domain/calendar';
import { DEFAULT_CHECK_INTERVAL_MS } from '../domain/publicationWindow';
import type { DeliveryDay } from '../domain/types';
import { dayWorkflowId } from '../domain/workflowInputs';
import { seededRandom } from '../simulator/random';
import { type RequestLogEntry, startSimulator } from '../simulator/server';
import { Cleanup, createPassDatabase, temporalFor, workflowBundleFor } from './backfill';
import { printTargets, ratio, takeSmokeFlag } from './report';

const REPO_ROOT = join(__dirname, '..');
const JAO_BIN = join(REPO_ROOT, 'bin', 'jao.js');
const LIMIT_PER_MINUTE = 90;
const JAO_LIMIT_PER_MINUTE = 100;
const CHECK_INTERVAL_MS = DEFAULT_CHECK_INTERVAL_MS;
const POLL_INTERVAL_MINUTES = 10;
const DEFAULT_LOOKBACK_DAYS = 3;
const DEFAULT_WINDOW_MINUTES = 180;
const BACKFILL = { from: '2022-07-01', to: '2025-06-30', concurrency: 16 };
const SMOKE_BACKFILL = { from: '2024-01-01', to: '2024-01-10', concurrency: 4 };
const TARGETS = { p95NoBackfill: 60, p95WithBackfill: 90, pollingShare: 0.05, backfillShare: 0.9 };
export const TARGET_NAMES = [
  `publication → stored p95 without a backfill ≤ ${TARGETS.p95NoBackfill} s`,
  `publication → stored p95 with a backfill ≤ ${TARGETS.p95WithBackfill} s`,
  `polling ≤ ${(100 * TARGETS.pollingShare).toFixed(2)} % of the daily request budget`,
  `backfill uses ≥ ${TARGETS.backfillShare} of its budget`,
  'no 429 answers',
] as const;

interface BenchOptions {
  rounds: number;
  publishAfterMs: number;
  latencyMs: number;
  seed: number;
  smoke: boolean;
  lookbackDays: number;
  backfill: { from: string; to: string; concurrency: number };
  backfillWarmUpMs: number;
}

function parseArgs(argv: string[]): BenchOptions {
  const { smoke, rest: args } = takeSmokeFlag(argv);
  const options: BenchOptions = smoke
    ? {
        rounds: 1,
        publishAfterMs: 0,
        latencyMs: 0,
        seed: 1,
        smoke,
        lookbackDays: 0,
        backfill: SMOKE_BACKFILL,
        backfillWarmUpMs: 1_000,
      }
    : {
        rounds: 5,
        publishAfterMs: 60_000,
        latencyMs: 200,
        seed: 1,
        smoke,
        lookbackDays: DEFAULT_LOOKBACK_DAYS,
        backfill: BACKFILL,
        backfillWarmUpMs: 20_000,
      };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0)
      throw new Error(`bench:freshness: ${flag} needs a whole number`);
    if (flag === '--rounds' && number >= 1) options.rounds = number;
    else if (flag === '--publish-after-s') options.publishAfterMs = number * 1000;
    else if (flag === '--latency-ms') options.latencyMs = number;
    else if (flag === '--seed') options.seed = number;
    else throw new Error(`bench:freshness: unknown or invalid argument ${flag} ${value ?? ''}`.trim());
  }
  return options;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function localHhmm(epochMs: number): string {
  return new Date(epochMs + utcOffsetMinutesAt(epochMs) * 60_000).toISOString().slice(11, 16);
}

/** A publication window open from a minute ago for `minutes`, within today (local). */
function windowFromNow(minutes: number): string {
  const now = Date.now();
  const start = localHhmm(now - 60_000);
  const end = localHhmm(now + minutes * 60_000);
  if (end <= start || marketToday(new Date(now + minutes * 60_000)) !== marketToday(new Date(now))) {
    throw new Error(`bench:freshness needs ${minutes} minutes before local (Europe/Amsterdam) midnight`);
  }
  return `${start}-${end}`;
}

/** An hour-long window that does not hold now (twelve hours away), so it never opens during a smoke run. */
function closedWindow(): string {
  const hour = (Number(localHhmm(Date.now()).slice(0, 2)) + 12) % 24;
  const hh = String(hour).padStart(2, '0');
  return hour === 23 ? '23:00-23:59' : `${hh}:00-${hh}:59`;
}

function spawnWorker(env: Record<string, string>, cleanup: Cleanup): Promise<ChildProcess> {
  const child = spawn(process.execPath, [JAO_BIN, 'worker'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup.add(`worker process ${child.pid}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  });
  let tail = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start; output:\n${tail}`)), 120_000);
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('worker polling task queue')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`worker exited (code ${child.exitCode}); output:\n${tail}`)));
  });
}

/** The day as if never fetched: rounds start from an empty database day, as a new delivery day would. */
async function forgetDay(pool: pg.Pool, day: DeliveryDay): Promise<void> {
  const { from, to } = dayWindow(day);
  await pool.query('DELETE FROM jao.rejection WHERE day = $1', [day]);
  await pool.query('DELETE FROM jao.observation_history WHERE mtu >= $1 AND mtu < $2', [from, to]);
  await pool.query('DELETE FROM jao.observation WHERE mtu >= $1 AND mtu < $2', [from, to]);
  await pool.query('DELETE FROM jao.day_write WHERE day = $1', [day]);
  await pool.query('DELETE FROM jao.derivation WHERE day = $1', [day]);
  await pool.query('DELETE FROM jao.raw_response WHERE day = $1', [day]);
  await pool.query('DELETE FROM jao.delivery_day WHERE day = $1', [day]);
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench:freshness: timed out waiting for ${what}`);
    await sleep(250);
  }
}

interface Round {
  latencyS: number;
  windowOpenS: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

const dayOf = (request: RequestLogEntry) => (request.fromUtc ? dayOfInstant(request.fromUtc) : '');

export async function runFreshnessBenchmark(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`bench:freshness: ${signal}, tearing down`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const random = seededRandom(options.seed);

  try {
    const roundMinutes = (options.publishAfterMs + 2 * CHECK_INTERVAL_MS + 30_000) / 60_000;
    const window = options.smoke
      ? closedWindow()
      : windowFromNow(Math.ceil(2 * options.rounds * roundMinutes + 15));
    const lookbackDays = options.lookbackDays;
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    const bundlePath = await workflowBundleFor(cleanup);

    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    cleanup.add('admin connection', () => admin.end());
    const db = await createPassDatabase(admin, serverUrl, `jao_bench_freshness_${process.pid}`, cleanup);
    const pool = createPool(db.url, { max: 2, applicationName: 'bench:freshness' });
    cleanup.add('pool', () => pool.end());
    const temporal = await temporalFor(cleanup);
    const simulator = await startSimulator({
      faults: { maxRequestsPerMinute: JAO_LIMIT_PER_MINUTE, latencyMs: options.latencyMs },
    });
    cleanup.add('simulator', () => simulator.close());
    const connection = await Connection.connect({ address: temporal.address });
    cleanup.add('client connection', () => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });

    const tomorrow = marketTomorrow(new Date());
    const today = marketToday(new Date());
    simulator.unpublishDay(tomorrow);
    const metricsPort = await freePort();
    const taskQueue = `jao-bench-freshness-${process.pid}`;
    // The worker creates these; on a server that outlives the benchmark they must not keep starting workflows.
    for (const scheduleId of [pollScheduleIdFor(taskQueue), publicationScheduleIdFor(taskQueue)]) {
      cleanup.add(`schedule ${scheduleId}`, () =>
        client.schedule
          .getHandle(scheduleId)
          .delete()
          .catch(() => undefined),
      );
    }
    await spawnWorker(
      {
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_TASK_QUEUE: taskQueue,
        JAO_BASE_URL: simulator.origin,
        JAO_MAX_REQUESTS_PER_MINUTE: String(LIMIT_PER_MINUTE),
        PUBLICATION_WINDOW: window,
        PUBLICATION_POLL_INTERVAL: `${CHECK_INTERVAL_MS / 1000}s`,
        POLL_INTERVAL: `${POLL_INTERVAL_MINUTES}m`,
        POLL_LOOKBACK_DAYS: String(lookbackDays),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info', // the start-up line "worker polling task queue" is an info line
        WORKFLOW_BUNDLE_PATH: bundlePath,
      },
      cleanup,
    );
    const pollSchedule = client.schedule.getHandle(pollScheduleIdFor(taskQueue));
    const pollRunsBefore = (await pollSchedule.describe()).info.numActionsTaken;
    const runStartedAt = Date.now();
    console.log(
      `bench:freshness: ${options.rounds} publications without and ${options.rounds} with a backfill ` +
        `(concurrency ${options.backfill.concurrency}); ` +
        (options.smoke
          ? 'smoke: tomorrow published at once, fetched by a triggered poll;'
          : `publication ${options.publishAfterMs / 1000} s + U(0, ${CHECK_INTERVAL_MS / 1000} s) after the window opens;`) +
        ` JAO_MAX_REQUESTS_PER_MINUTE=${LIMIT_PER_MINUTE}, ` +
        `simulator 429 above ${JAO_LIMIT_PER_MINUTE}/min, ${options.latencyMs} ms per answer; window ${window}`,
    );

    const round = async (label: string, index: number): Promise<Round> => {
      await until(
        async () => {
          const day = await client.workflow
            .getHandle(dayWorkflowId('maxExchanges', tomorrow))
            .describe()
            .catch(() => null);
          return day?.status.name === 'RUNNING' ? undefined : true;
        },
        120_000,
        'tomorrow to be idle',
      );
      simulator.unpublishDay(tomorrow);
      await forgetDay(pool, tomorrow);
      const openedAt = Date.now();
      let publishedAt: number;
      if (options.smoke) {
        publishedAt = openedAt;
        simulator.publishDay(tomorrow, new Date(publishedAt));
        await pollSchedule.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
      } else {
        await client.schedule
          .getHandle(publicationScheduleIdFor(taskQueue))
          .trigger(ScheduleOverlapPolicy.SKIP);
        publishedAt = openedAt + options.publishAfterMs + random() * CHECK_INTERVAL_MS;
        simulator.publishDay(tomorrow, new Date(publishedAt));
      }
      const storedAt = await until(
        async () => {
          const row = await pool.query<{ at: Date | null }>(
            'SELECT first_complete_at AS at FROM jao.delivery_day WHERE day = $1',
            [tomorrow],
          );
          return row.rows[0]?.at ?? undefined;
        },
        options.publishAfterMs + (options.smoke ? 60_000 : 5 * 60_000),
        `tomorrow stored (${label} round ${index})`,
      );
      const latencyS = (storedAt.getTime() - publishedAt) / 1000;
      console.log(`  ${label.padEnd(16)} round ${index}: publication → stored ${latencyS.toFixed(1)} s`);
      return { latencyS, windowOpenS: (storedAt.getTime() - openedAt) / 1000 };
    };

    const quiet: Round[] = [];
    for (let i = 1; i <= options.rounds; i++) quiet.push(await round('no backfill', i));

    const backfill = await client.workflow.start('backfillWorkflow', {
      taskQueue,
      workflowId: `bench-freshness-backfill-${process.pid}`,
      args: [{ dataset: 'maxExchanges', ...options.backfill, mode: 'all' }],
    });
    cleanup.add('backfill', async () => {
      await backfill.terminate().catch(() => undefined);
    });
    await sleep(options.backfillWarmUpMs);
    const busyFrom = Date.now();
    const busy: Round[] = [];
    for (let i = 1; i <= options.rounds; i++) busy.push(await round('with backfill', i));
    const busyTo = Date.now();
    await backfill.terminate();
    const pollRuns = (await pollSchedule.describe()).info.numActionsTaken - pollRunsBefore;
    const runMinutes = (Date.now() - runStartedAt) / 60_000;
    const histogram = await scrapeHistogram(metricsPort);

    // Requests, from the simulator's log.
    const log = simulator.requests.filter((request) => request.at >= runStartedAt);
    const recent = new Set([...Array(lookbackDays + 1).keys()].map((n) => addDays(today, -n)));
    const isLive = (request: RequestLogEntry) => recent.has(dayOf(request)) || dayOf(request) === tomorrow;
    const inBusy = log.filter((request) => request.at >= busyFrom && request.at < busyTo);
    const busyMinutes = (busyTo - busyFrom) / 60_000;
    const backfillPerMinute = inBusy.filter((request) => !isLive(request)).length / busyMinutes;
    const livePerMinute = inBusy.filter(isLive).length / busyMinutes;
    const backfillShare = backfillPerMinute / (LIMIT_PER_MINUTE - livePerMinute);
    const tooMany = log.filter((request) => request.status === 429).length;

    // Polling per day: from the schedule, and from this run.
    const dailyBudget = LIMIT_PER_MINUTE * 1440;
    const pollsPerDay = 1440 / POLL_INTERVAL_MINUTES;
    const scheduledPolling =
      pollsPerDay * (lookbackDays + 2) + DEFAULT_WINDOW_MINUTES / (CHECK_INTERVAL_MS / 60_000);
    const pastAndToday = log.filter((request) => recent.has(dayOf(request))).length;
    const tomorrowChecks = log.filter((request) => dayOf(request) === tomorrow).length;
    const openMinutes = [...quiet, ...busy].reduce((sum, r) => sum + r.windowOpenS, 0) / 60;
    const checksPerOpenMinute = Math.max(0, tomorrowChecks - pollRuns) / openMinutes;
    const measuredPolling =
      pollRuns > 0
        ? (pastAndToday / pollRuns + 1) * pollsPerDay + checksPerOpenMinute * DEFAULT_WINDOW_MINUTES
        : null;

    const p = (rounds: Round[], q: number) =>
      percentile(
        rounds.map((r) => r.latencyS),
        q,
      );
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
    const pollingShare = Math.max(scheduledPolling, measuredPolling ?? 0) / dailyBudget;
    console.log('');
    console.log(
      `publication → stored, no backfill:   p50 ${p(quiet, 50).toFixed(1)} s, p95 ${p(quiet, 95).toFixed(1)} s (baseline)`,
    );
    console.log(
      `publication → stored, with backfill: p50 ${p(busy, 50).toFixed(1)} s, p95 ${p(busy, 95).toFixed(1)} s ` +
        `(${ratio(p(busy, 95), p(quiet, 95))} to the baseline p95)`,
    );
    console.log(
      `polling, requests per day: ${scheduledPolling} by the schedule (${pollsPerDay} polls × ${lookbackDays + 2} days ` +
        `+ ${DEFAULT_WINDOW_MINUTES / (CHECK_INTERVAL_MS / 60_000)} checks if tomorrow never comes in a ${DEFAULT_WINDOW_MINUTES}-minute window) = ` +
        `${pct(scheduledPolling / dailyBudget)} of the daily budget of ${dailyBudget}; measured ` +
        (measuredPolling === null
          ? 'n/a (no poll ran)'
          : `${Math.round(measuredPolling)} (${pollRuns} polls, ${checksPerOpenMinute.toFixed(2)} checks per open-window minute) = ${pct(measuredPolling / dailyBudget)}`),
    );
    console.log(
      `backfill: ${backfillPerMinute.toFixed(1)} requests/min beside ${livePerMinute.toFixed(1)} live, budget ` +
        `${(LIMIT_PER_MINUTE - livePerMinute).toFixed(1)} (the limit less the live requests, the baseline): ` +
        `${ratio(backfillPerMinute, LIMIT_PER_MINUTE - livePerMinute)}`,
    );
    console.log(`429 answers: ${tooMany} of ${log.length} requests in ${runMinutes.toFixed(1)} min`);
    console.log(
      `worker histogram jao_publication_latency_seconds: ${histogram ? `${histogram.count} observations, mean ${(histogram.sum / Math.max(1, histogram.count)).toFixed(1)} s (publication → stored, at most)` : 'not found'}`,
    );
    printTargets([
      {
        name: TARGET_NAMES[0],
        met: p(quiet, 95) <= TARGETS.p95NoBackfill,
        measured: `${p(quiet, 95).toFixed(1)} s`,
      },
      {
        name: TARGET_NAMES[1],
        met: p(busy, 95) <= TARGETS.p95WithBackfill,
        measured: `${p(busy, 95).toFixed(1)} s`,
      },
      { name: TARGET_NAMES[2], met: pollingShare <= TARGETS.pollingShare, measured: pct(pollingShare) },
      {
        name: TARGET_NAMES[3],
        met: backfillShare >= TARGETS.backfillShare,
        measured: Number.isFinite(backfillShare) ? backfillShare.toFixed(3) : 'not measured',
      },
      { name: TARGET_NAMES[4], met: tooMany === 0, measured: `${tooMany} of ${log.length} requests` },
    ]);
  } finally {
    await cleanup.runAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

async function scrapeHistogram(port: number): Promise<{ count: number; sum: number } | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (suffix: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`jao_publication_latency_seconds_${suffix}`));
      return line ? Number(line.split(' ').at(-1)) : null;
    };
    const count = value('count');
    const sum = value('sum');
    return count === null || sum === null ? null : { count, sum };
  } catch {
    return null;
  }
}

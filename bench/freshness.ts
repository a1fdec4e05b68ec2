// `npm run bench:freshness [-- --measure modes|backfill|all --rounds N --monitoring-interval-s S
// --monitoring-quiet-interval-s S --quiet-s S --publish-after-s S --latency-ms MS --seed N --datasets ID,ID|all
// --backfill ID,ID | --smoke]`, against the simulator
// (429 above 100 requests a minute, like JAO, every dataset counted together) on a dev server and databases of its
// own, each part with `jao worker` processes of its own (JAO_MAX_REQUESTS_PER_MINUTE=90,
// PUBLICATION_POLL_INTERVAL=30s, POLL_INTERVAL=10m, JAO_DATASETS the datasets measured).
//
// `--measure modes` (the default; bench/freshnessModes.ts): the fixed polls against JAO's monitoring, in the same
// run, over the same business days' events (by default Core maxExchanges and the final flow-based domain, which one
// step announces): requests to JAO per mode, measured in a quiet stretch and in the rounds and extrapolated to a
// week, data requests per stored day-version, and freshness from the step turning Received to the day stored.
//
// `--measure backfill`: how soon each dataset's tomorrow is stored after JAO publishes it, with and without a
// backfill saturating the one JAO budget (by default Core and Nordic maxExchanges), what polling costs, whether the
// backfill uses its budget, and whether every dataset's requests together stay under the limit. Each round opens every
// dataset's publication window (the schedules' action) with its tomorrow unpublished and a fresh day in the
// database, and the simulator publishes each dataset's tomorrow `publish-after` seconds later plus a random share of
// a check interval of its own (publications do not keep time with the checks, nor with each other). The rounds with
// a backfill run one per dataset of `--backfill` (default: every dataset measured). Baselines of the same run: the
// rounds without a backfill for the latency, the limit less the live requests for the backfill's rate.
//
// `--smoke` waits for no window and no time of day: one round each, every tomorrow published at once and fetched by
// triggered polls (the publication windows stay closed), MONITORING_INTERVAL 2 s, ten-day backfills, no answer
// latency.
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { freePort } from '../common/ports';
import { pollScheduleIdFor } from '../control/pollSchedule';
import { ensurePublicationSchedule, publicationScheduleIdFor } from '../control/publicationSchedule';
import { createPool, watchClient } from '../db/pool';
import { addDays, marketToday, marketTomorrow } from '../domain/calendar';
import { DEFAULT_DATASET, declarationOf } from '../domain/datasets';
import type { Dataset, DeliveryDay } from '../domain/types';
import { dayWorkflowId } from '../domain/workflowInputs';
import { seededRandom } from '../simulator/random';
import { startSimulator } from '../simulator/server';
import { Cleanup, createPassDatabase, temporalFor, workflowBundleFor } from './backfill';
import { MODES, type ModeRig, type ModeRun, runMode } from './freshnessModes';
import { MODE_TARGET_NAMES, reportModes } from './freshnessModesReport';
import {
  DEFAULT_BENCH_DATASETS,
  type FreshnessOptions,
  type Measure,
  parseFreshnessArgs,
} from './freshnessOptions';
import {
  targetNames as backfillTargetNames,
  CHECK_INTERVAL_MS,
  LIMIT_PER_MINUTE,
  POLL_INTERVAL_MINUTES,
  type Round,
  reportFreshness,
} from './freshnessReport';
import { closedWindow, forgetDay, sleep, spawnWorker, until, windowFromNow } from './freshnessRig';
import { printTargets } from './report';

/** The targets a run measuring `measure` judges, in the order printed. */
export function targetNames(
  measure: Measure,
  datasets: readonly Dataset[] = DEFAULT_BENCH_DATASETS,
): string[] {
  return [
    ...(measure === 'backfill' ? [] : MODE_TARGET_NAMES),
    ...(measure === 'modes' ? [] : backfillTargetNames(datasets)),
  ];
}

/** The targets of the default run (`--smoke` included), for test/bench/smoke.test.ts. */
export const TARGET_NAMES = targetNames('modes');

const JAO_LIMIT_PER_MINUTE = 100;
/** Backfills start here, or on the dataset's first day when it is later. */
const BACKFILL_FROM: DeliveryDay = '2022-07-01';

/** The backfill of a dataset: `days` days from BACKFILL_FROM or its first day, ending before the polled days. */
function backfillRange(
  dataset: Dataset,
  days: number,
  lastDay: DeliveryDay,
): { from: DeliveryDay; to: DeliveryDay } {
  const firstDay = declarationOf(dataset).firstDay;
  const from = firstDay > BACKFILL_FROM ? firstDay : BACKFILL_FROM;
  const to = addDays(from, days - 1);
  return { from, to: to < lastDay ? to : lastDay };
}

export async function runFreshnessBenchmark(args: string[]): Promise<void> {
  const options: FreshnessOptions = parseFreshnessArgs(args);
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
    // The publication window, open from now for the whole run: the modes' rounds (the polls' revision and late
    // publication wait for the 10-minute poll) and the backfill's.
    const roundMinutes = (options.publishAfterMs + 2 * CHECK_INTERVAL_MS + 30_000) / 60_000;
    // The monitoring's quiet stretch holds two quiet intervals; a round waits for up to two quiet readings.
    const quietIntervalMinutes = options.monitoringQuietIntervalMs / 60_000;
    const modesMinutes =
      2 *
      (Math.max(options.quietMs / 60_000, 2 * quietIntervalMinutes + 1) +
        options.modeRounds * (Math.max(POLL_INTERVAL_MINUTES, 2 * quietIntervalMinutes) + 3) +
        5);
    const backfillMinutes = 2 * options.rounds * roundMinutes + 15;
    const window = options.smoke
      ? closedWindow()
      : windowFromNow(
          Math.ceil(
            (options.measure === 'backfill' ? 0 : modesMinutes) +
              (options.measure === 'modes' ? 0 : backfillMinutes),
          ),
        );
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    const bundlePath = await workflowBundleFor(cleanup);

    const admin = watchClient(new pg.Client({ connectionString: serverUrl }));
    await admin.connect();
    cleanup.add('admin connection', () => admin.end());
    const temporal = await temporalFor(cleanup);
    const simulator = await startSimulator({
      faults: { maxRequestsPerMinute: JAO_LIMIT_PER_MINUTE, latencyMs: options.latencyMs },
    });
    cleanup.add('simulator', () => simulator.close());
    const connection = await Connection.connect({ address: temporal.address });
    cleanup.add('client connection', () => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const rig: ModeRig = {
      options,
      admin,
      serverUrl,
      client,
      temporal,
      simulator,
      bundlePath,
      cleanup,
      random,
      window,
    };

    if (options.measure !== 'backfill') {
      const runStartedAt = Date.now();
      console.log(
        `bench:freshness: the fixed polls, then JAO's monitoring (MONITORING_INTERVAL ` +
          `${options.monitoringIntervalMs / 1000} s, MONITORING_QUIET_INTERVAL ${options.monitoringQuietIntervalMs / 1000} s), each on a worker and a database of its own, ` +
          `${options.modeDatasets.join(' and ')}; a quiet stretch of ${options.quietMs / 1000} s, then ` +
          `${options.modeRounds} business day(s) each: tomorrow published ` +
          (options.smoke
            ? 'at once (smoke: found by a poll run at once in the polls mode)'
            : `${options.publishAfterMs / 1000} s + U(0, ${CHECK_INTERVAL_MS / 1000} s) after the window opens`) +
          `, the last day's publication late (no window check), then today revised; window ${window}`,
      );
      const runs: ModeRun[] = [];
      for (const mode of MODES) runs.push(await runMode(rig, mode));
      const targets = reportModes({
        datasets: options.modeDatasets,
        monitoringIntervalMs: options.monitoringIntervalMs,
        monitoringQuietIntervalMs: options.monitoringQuietIntervalMs,
        runs,
        log: simulator.requests.filter((request) => request.at >= runStartedAt),
      });
      printTargets(targets);
    }
    if (options.measure !== 'modes') await measureBackfill(rig);
  } finally {
    await cleanup.runAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** The rounds without and with a backfill (`--measure backfill`), on a worker and a database of their own. */
async function measureBackfill(rig: ModeRig): Promise<void> {
  const { options, admin, serverUrl, client, temporal, simulator, bundlePath, cleanup, random, window } = rig;
  const { datasets, lookbackDays } = options;
  {
    const db = await createPassDatabase(admin, serverUrl, `jao_bench_freshness_${process.pid}`, cleanup);
    const pool = createPool(db.url, { max: 2 + datasets.length, applicationName: 'bench:freshness' });
    cleanup.add('pool', () => pool.end());
    const tomorrow = marketTomorrow(new Date());
    const today = marketToday(new Date());
    for (const dataset of datasets) simulator.unpublishDay(tomorrow, dataset);
    const metricsPort = await freePort();
    const taskQueue = `jao-bench-freshness-${process.pid}`;
    // The worker creates these; on a server that outlives the benchmark they must not keep starting workflows.
    for (const scheduleId of datasets.flatMap((dataset) => [
      pollScheduleIdFor(taskQueue, dataset),
      publicationScheduleIdFor(taskQueue, dataset),
    ])) {
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
        JAO_DATASETS: datasets.join(','),
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
    // PUBLICATION_WINDOW sets the default dataset's window; the others keep their declared one: the bench's
    // window for them too, so that every dataset is measured alike.
    for (const dataset of datasets.filter((d) => d !== DEFAULT_DATASET)) {
      await ensurePublicationSchedule(client, {
        taskQueue,
        window,
        checkIntervalMs: CHECK_INTERVAL_MS,
        dataset,
      });
    }
    const pollSchedules = new Map(
      datasets.map((dataset) => [dataset, client.schedule.getHandle(pollScheduleIdFor(taskQueue, dataset))]),
    );
    const pollRunsOf = async (dataset: Dataset) =>
      (await pollSchedules.get(dataset)!.describe()).info.numActionsTaken;
    const pollRunsBefore = new Map<Dataset, number>();
    for (const dataset of datasets) pollRunsBefore.set(dataset, await pollRunsOf(dataset));
    const runStartedAt = Date.now();
    console.log(
      `bench:freshness: ${datasets.join(' and ')} on one worker and one JAO budget; ${options.rounds} ` +
        `publications each without and ${options.rounds} with a backfill of ` +
        `${options.backfillDatasets.join(' and ')} (concurrency ${options.backfillConcurrency} each); ` +
        (options.smoke
          ? 'smoke: every tomorrow published at once, fetched by triggered polls;'
          : `publication ${options.publishAfterMs / 1000} s + U(0, ${CHECK_INTERVAL_MS / 1000} s) after the window opens, per dataset;`) +
        ` JAO_MAX_REQUESTS_PER_MINUTE=${LIMIT_PER_MINUTE}, ` +
        `simulator 429 above ${JAO_LIMIT_PER_MINUTE}/min, ${options.latencyMs} ms per answer; window ${window}`,
    );

    const round = async (dataset: Dataset, label: string, index: number, delayMs: number): Promise<Round> => {
      await until(
        async () => {
          const day = await client.workflow
            .getHandle(dayWorkflowId(dataset, tomorrow))
            .describe()
            .catch(() => null);
          return day?.status.name === 'RUNNING' ? undefined : true;
        },
        120_000,
        `${dataset}'s tomorrow to be idle`,
      );
      simulator.unpublishDay(tomorrow, dataset);
      await forgetDay(pool, dataset, tomorrow);
      const openedAt = Date.now();
      const publishedAt = openedAt + delayMs;
      simulator.publishDay(tomorrow, new Date(publishedAt), dataset);
      if (options.smoke) await pollSchedules.get(dataset)!.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
      else
        await client.schedule
          .getHandle(publicationScheduleIdFor(taskQueue, dataset))
          .trigger(ScheduleOverlapPolicy.SKIP);
      const storedAt = await until(
        async () => {
          const row = await pool.query<{ at: Date | null }>(
            'SELECT first_complete_at AS at FROM jao.delivery_day WHERE dataset = $1 AND day = $2',
            [dataset, tomorrow],
          );
          return row.rows[0]?.at ?? undefined;
        },
        options.publishAfterMs + (options.smoke ? 60_000 : 5 * 60_000),
        `${dataset}'s tomorrow stored (${label} round ${index})`,
      );
      const latencyS = (storedAt.getTime() - publishedAt) / 1000;
      console.log(
        `  ${dataset.padEnd(20)} ${label.padEnd(14)} round ${index}: publication → stored ${latencyS.toFixed(1)} s`,
      );
      return { latencyS, windowOpenS: (storedAt.getTime() - openedAt) / 1000 };
    };
    /** One round of every dataset at once, each published at its own moment. */
    const rounds = async (label: string, into: Map<Dataset, Round[]>) => {
      for (let i = 1; i <= options.rounds; i++) {
        const delays = datasets.map(() =>
          options.smoke ? 0 : options.publishAfterMs + random() * CHECK_INTERVAL_MS,
        );
        const results = await Promise.all(datasets.map((dataset, n) => round(dataset, label, i, delays[n]!)));
        for (const [n, dataset] of datasets.entries()) into.get(dataset)!.push(results[n]!);
      }
    };
    const quiet = new Map(datasets.map((dataset) => [dataset, [] as Round[]]));
    const busy = new Map(datasets.map((dataset) => [dataset, [] as Round[]]));
    await rounds('no backfill', quiet);

    const lastBackfillDay = addDays(today, -(lookbackDays + 2));
    const backfills = [];
    for (const dataset of options.backfillDatasets) {
      const range = backfillRange(dataset, options.backfillDays, lastBackfillDay);
      const handle = await client.workflow.start('backfillWorkflow', {
        taskQueue,
        workflowId: `bench-freshness-backfill-${dataset}-${process.pid}`,
        args: [{ dataset, ...range, concurrency: options.backfillConcurrency, mode: 'all' }],
      });
      cleanup.add(`backfill of ${dataset}`, async () => {
        await handle.terminate().catch(() => undefined);
      });
      console.log(`  backfill of ${dataset}: ${range.from} … ${range.to}`);
      backfills.push(handle);
    }
    await sleep(options.backfillWarmUpMs);
    const busyFrom = Date.now();
    await rounds('with backfill', busy);
    const busyTo = Date.now();
    for (const handle of backfills) await handle.terminate().catch(() => undefined);
    const pollRuns = new Map<Dataset, number>();
    for (const dataset of datasets)
      pollRuns.set(dataset, (await pollRunsOf(dataset)) - pollRunsBefore.get(dataset)!);
    const runMinutes = (Date.now() - runStartedAt) / 60_000;
    const histogram = await scrapeHistogram(metricsPort);

    reportFreshness({
      datasets,
      lookbackDays,
      log: simulator.requests.filter((request) => request.at >= runStartedAt),
      runMinutes,
      tomorrow,
      today,
      quiet,
      busy,
      busyFrom,
      busyTo,
      pollRuns,
      histogram,
    });
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

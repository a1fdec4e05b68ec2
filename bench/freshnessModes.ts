// bench:freshness's mode comparison (docs/monitoring.md): the same business days' events fetched by a worker with
// the fixed polls (JAO_MONITORING=off), then by one with JAO's monitoring (JAO_MONITORING=on), each on a database
// and a task queue of its own, against the one simulator whose request log counts both. Per mode: a warm-up (the
// kept days and tomorrow stored), a quiet stretch (nothing published or expected; one poll run by its schedule; the
// monitoring at its quiet interval), then the rounds, each one business day's events for every dataset measured at
// once: tomorrow published, in the last round late (after the publication window closed, so that no window check
// finds it), then today revised once tomorrow is stored, as a revision comes when nothing is expected.
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import type pg from 'pg';
import { freePort } from '../common/ports';
import { monitoringWorkflowIdFor } from '../control/monitoringWorkflow';
import { pollScheduleIdFor } from '../control/pollSchedule';
import { ensurePublicationSchedule, publicationScheduleIdFor } from '../control/publicationSchedule';
import { createPool } from '../db/pool';
import { addDays, marketToday, marketTomorrow } from '../domain/calendar';
import { DECLARATIONS, DEFAULT_DATASET, declarationOf } from '../domain/datasets';
import { datasetsPublishedWith } from '../domain/monitoring';
import type { Dataset, DeliveryDay } from '../domain/types';
import { dayWorkflowId } from '../domain/workflowInputs';
import type { SimulatorHandle } from '../simulator/server';
import { type Cleanup, createPassDatabase } from './backfill';
import type { FreshnessOptions } from './freshnessOptions';
import { CHECK_INTERVAL_MS, LIMIT_PER_MINUTE, POLL_INTERVAL_MINUTES } from './freshnessReport';
import { forgetDay, sleep, spawnWorker, until } from './freshnessRig';

export const MODES = ['polls', 'monitoring'] as const;
export type Mode = (typeof MODES)[number];

/** How long a mode's round waits for a day found by the 10-minute poll (a revision, a late publication). */
const POLL_FOUND_TIMEOUT_MS = (POLL_INTERVAL_MINUTES + 3) * 60_000;

export interface ModeRig {
  options: FreshnessOptions;
  admin: pg.Client;
  serverUrl: string;
  client: Client;
  temporal: { address: string; namespace: string };
  simulator: SimulatorHandle;
  bundlePath: string;
  cleanup: Cleanup;
  random: () => number;
  /** PUBLICATION_WINDOW of both workers: open for the whole run, or (smoke) closed. */
  window: string;
}

export type EventKind = 'publication' | 'late publication' | 'revision';

export interface ModeEvent {
  dataset: Dataset;
  round: number;
  kind: EventKind;
  /** From the simulator publishing (or revising) the day, which turns its step Received (or moves it), to stored. */
  freshnessS: number;
}

export interface ModeRun {
  mode: Mode;
  /** The quiet stretch, epoch ms: nothing published, nothing expected. */
  quietFrom: number;
  quietTo: number;
  /** Poll runs (schedule actions) in the quiet stretch, every dataset together. */
  quietPolls: number;
  /** The rounds, one stretch, epoch ms. */
  roundsFrom: number;
  roundsTo: number;
  events: ModeEvent[];
  /** Day-versions stored in the rounds (each dataset's `jao.delivery_day.revision_count` moving). */
  versions: number;
}

async function revisionCounts(pool: pg.Pool, datasets: readonly Dataset[]): Promise<number> {
  const row = await pool.query<{ n: string | null }>(
    'SELECT sum(revision_count) AS n FROM jao.delivery_day WHERE dataset = ANY($1)',
    [datasets],
  );
  return Number(row.rows[0]?.n ?? 0);
}

async function dayRecord(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<{ revisions: number; firstCompleteAt: Date | null; lastChangedAt: Date | null } | undefined> {
  const row = await pool.query<{ revisions: number; first: Date | null; changed: Date | null }>(
    `SELECT revision_count AS revisions, first_complete_at AS first, last_changed_at AS changed
       FROM jao.delivery_day WHERE dataset = $1 AND day = $2`,
    [dataset, day],
  );
  const record = row.rows[0];
  return record
    ? { revisions: record.revisions, firstCompleteAt: record.first, lastChangedAt: record.changed }
    : undefined;
}

/** One mode from its worker's start to its end; the simulator's log is read by the report afterwards. */
export async function runMode(rig: ModeRig, mode: Mode): Promise<ModeRun> {
  const { options, client, simulator, cleanup } = rig;
  const datasets = options.modeDatasets;
  const db = await createPassDatabase(
    rig.admin,
    rig.serverUrl,
    `jao_bench_freshness_${mode}_${process.pid}`,
    cleanup,
  );
  const pool = createPool(db.url, { max: 2 + datasets.length, applicationName: `bench:freshness ${mode}` });
  const endPool = cleanup.add(`pool of ${mode}`, () => pool.end());
  const taskQueue = `jao-bench-freshness-${mode}-${process.pid}`;
  const regions = [...new Set(datasets.map((dataset) => declarationOf(dataset).region))];
  const leftovers = cleanup.add(`schedules and workflows of ${mode}`, async () => {
    for (const scheduleId of datasets.flatMap((dataset) => [
      pollScheduleIdFor(taskQueue, dataset),
      publicationScheduleIdFor(taskQueue, dataset),
    ])) {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
    for (const region of regions) {
      await client.workflow
        .getHandle(monitoringWorkflowIdFor(taskQueue, region))
        .terminate('bench:freshness: mode measured')
        .catch(() => undefined);
    }
    // Day workflows left running (a poll's) would hold their ids, `{dataset}/day/…`, from the next mode.
    try {
      const running = client.workflow.list({
        query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
      });
      for await (const workflow of running) {
        await client.workflow
          .getHandle(workflow.workflowId, workflow.runId)
          .terminate('bench:freshness: mode measured')
          .catch(() => undefined);
      }
    } catch {
      // A server without that query: the days' own idle checks of the next mode wait for them instead.
    }
  });

  const today = marketToday(new Date());
  const tomorrow = marketTomorrow(new Date());
  // What JAO publishes together: a step is Received once every dataset it announces is out, so a dataset measured
  // alone (--smoke) is published with those it shares a step with, whatever the hour (before the simulator's
  // publication time none of them is out on its own).
  const publishedTogether = datasetsPublishedWith(datasets, DECLARATIONS) as Dataset[];
  // Tomorrow out, as it is from its publication to the next window: the quiet stretch expects nothing.
  for (const dataset of publishedTogether) simulator.publishDay(tomorrow, new Date(), dataset);
  const worker = await spawnWorker(
    {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: rig.temporal.address,
      TEMPORAL_NAMESPACE: rig.temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      JAO_BASE_URL: simulator.origin,
      JAO_MAX_REQUESTS_PER_MINUTE: String(LIMIT_PER_MINUTE),
      JAO_DATASETS: datasets.join(','),
      JAO_MONITORING: mode === 'monitoring' ? 'on' : 'off',
      MONITORING_INTERVAL: `${options.monitoringIntervalMs / 1000}s`,
      MONITORING_QUIET_INTERVAL: `${options.monitoringQuietIntervalMs / 1000}s`,
      PUBLICATION_WINDOW: rig.window,
      PUBLICATION_POLL_INTERVAL: `${CHECK_INTERVAL_MS / 1000}s`,
      POLL_INTERVAL: `${POLL_INTERVAL_MINUTES}m`,
      POLL_LOOKBACK_DAYS: String(options.lookbackDays),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'info', // the start-up line "worker polling task queue" is an info line
      WORKFLOW_BUNDLE_PATH: rig.bundlePath,
    },
    cleanup,
  );
  for (const dataset of datasets.filter((d) => d !== DEFAULT_DATASET)) {
    await ensurePublicationSchedule(client, {
      taskQueue,
      window: rig.window,
      checkIntervalMs: CHECK_INTERVAL_MS,
      dataset,
    });
  }
  const pollOf = (dataset: Dataset) => client.schedule.getHandle(pollScheduleIdFor(taskQueue, dataset));
  const pollRuns = async () => {
    let runs = 0;
    for (const dataset of datasets) runs += (await pollOf(dataset).describe()).info.numActionsTaken;
    return runs;
  };
  /** Every poll run `runs` or more times in all, and none running. */
  const pollsEnded = (runs: number) =>
    until(
      async () => {
        if ((await pollRuns()) < runs) return undefined;
        for (const dataset of datasets) {
          if ((await pollOf(dataset).describe()).info.runningActions.length > 0) return undefined;
        }
        return true;
      },
      120_000,
      `the polls of ${mode} to end`,
    );
  /** Every dataset's poll run now by its schedule, and ended. */
  const pollNow = async () => {
    const before = await pollRuns();
    for (const dataset of datasets) await pollOf(dataset).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    await pollsEnded(before + datasets.length);
  };
  const idle = (dataset: Dataset, day: DeliveryDay) =>
    until(
      async () => {
        const run = await client.workflow
          .getHandle(dayWorkflowId(dataset, day))
          .describe()
          .catch(() => null);
        return run?.status.name === 'RUNNING' ? undefined : true;
      },
      POLL_FOUND_TIMEOUT_MS,
      `${dataset}'s ${day} to be idle (${mode})`,
    );
  const readingAfter = (at: number) =>
    until(
      async () => {
        const row = await pool.query(
          "SELECT 1 FROM jao.monitoring_reading WHERE outcome = 'read' AND read_at > $1 LIMIT 1",
          [new Date(at)],
        );
        return row.rowCount ? true : undefined;
      },
      60_000 + 3 * Math.max(options.monitoringIntervalMs, options.monitoringQuietIntervalMs),
      `a monitoring reading (${mode})`,
    );

  // Warm-up: the days each mode keeps stored (the polls': tomorrow, today and its look-back; the monitoring's:
  // yesterday to tomorrow), as they would be on any day but the first.
  await pollNow();
  const kept =
    mode === 'monitoring'
      ? [addDays(today, -1), today, tomorrow]
      : [...Array(options.lookbackDays + 2).keys()].map((n) => addDays(tomorrow, -n));
  for (const dataset of datasets) {
    for (const day of kept.filter((each) => each >= declarationOf(dataset).firstDay)) {
      await until(
        async () => ((await dayRecord(pool, dataset, day))?.firstCompleteAt ? true : undefined),
        120_000,
        `${dataset}'s ${day} stored in the warm-up (${mode})`,
      );
      await idle(dataset, day);
    }
  }
  if (mode === 'monitoring') await readingAfter(Date.now());

  // Quiet: nothing is published; the poll runs once, as its schedule has it every POLL_INTERVAL; the monitoring
  // reads at its quiet interval, long enough for two of them (the report takes the rate from their gaps).
  const quietFrom = Date.now();
  const quietPollsBefore = await pollRuns();
  await pollNow();
  const quietMs =
    mode === 'monitoring'
      ? Math.max(options.quietMs, 2 * options.monitoringQuietIntervalMs + 5_000)
      : options.quietMs;
  await sleep(Math.max(0, quietFrom + quietMs - Date.now()));
  const quietPolls = (await pollRuns()) - quietPollsBefore;
  const quietTo = Date.now();
  console.log(
    `  ${mode}: quiet stretch of ${((quietTo - quietFrom) / 1000).toFixed(0)} s with ${quietPolls} poll run(s)`,
  );

  const events: ModeEvent[] = [];
  let versions = 0;
  const roundsFrom = Date.now();
  for (let round = 1; round <= options.modeRounds; round++) {
    try {
      versions += await runRound(round);
    } catch (error) {
      console.error(
        `bench:freshness: ${mode} round ${round} failed; the worker's last output:\n${worker.output()}`,
      );
      throw error;
    }
  }
  const roundsTo = Date.now();

  await leftovers();
  await worker.stop();
  await endPool();
  return { mode, quietFrom, quietTo, quietPolls, roundsFrom, roundsTo, events, versions };

  /** One business day's events; the day-versions stored. */
  async function runRound(round: number): Promise<number> {
    const late = round === options.modeRounds;
    // Tomorrow as a new delivery day: unpublished (JAO's word Pending), idle and forgotten; today as stored.
    const unpublishedAt = Date.now();
    for (const dataset of publishedTogether) simulator.unpublishDay(tomorrow, dataset);
    if (mode === 'monitoring') await readingAfter(unpublishedAt);
    for (const dataset of datasets) {
      await idle(dataset, tomorrow);
      await idle(dataset, today);
      await forgetDay(pool, dataset, tomorrow);
    }
    const todayBefore = new Map<Dataset, number>();
    for (const dataset of datasets)
      todayBefore.set(dataset, (await dayRecord(pool, dataset, today))?.revisions ?? 0);
    const versionsBefore = await revisionCounts(pool, datasets);

    // One step announces every dataset measured: they are published at the same instant.
    const delayMs = options.smoke ? 0 : options.publishAfterMs + rig.random() * CHECK_INTERVAL_MS;
    const publishedAt = Date.now() + delayMs;
    for (const dataset of publishedTogether) simulator.publishDay(tomorrow, new Date(publishedAt), dataset);
    // Smoke: the polls' poll, run at once, stands in for their window and their 10-minute poll. With monitoring
    // its poll stands down (as measured in the quiet stretch): the monitoring reading finds the changes.
    const pollAtOnce = async () => {
      if (options.smoke && mode === 'polls') {
        for (const dataset of datasets) await pollOf(dataset).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
      }
    };
    await pollAtOnce();
    if (!options.smoke && !late) {
      for (const dataset of datasets) {
        await client.schedule
          .getHandle(publicationScheduleIdFor(taskQueue, dataset))
          .trigger(ScheduleOverlapPolicy.SKIP);
      }
    }
    const timeoutMs = options.smoke ? 60_000 : late ? POLL_FOUND_TIMEOUT_MS : delayMs + 5 * 60_000;
    const kind: EventKind = late ? 'late publication' : 'publication';
    await Promise.all(
      datasets.map(async (dataset) => {
        const storedAt = await until(
          async () => (await dayRecord(pool, dataset, tomorrow))?.firstCompleteAt ?? undefined,
          timeoutMs,
          `${dataset}'s tomorrow stored (${mode} round ${round})`,
        );
        events.push({ dataset, round, kind, freshnessS: (storedAt.getTime() - publishedAt) / 1000 });
      }),
    );
    // Every day the round started ended first: a poll leaves a day running elsewhere to that run (workflows/poll.ts),
    // so a today still closing after a fetch made before the revision would keep the revision from the next poll.
    await pollsEnded(0);
    for (const dataset of datasets) {
      await idle(dataset, tomorrow);
      await idle(dataset, today);
    }

    // Today revised once nothing is expected: the polls find it at their 10-minute poll, the monitoring at a quiet
    // reading.
    const revisedAt = Date.now();
    for (const dataset of datasets) simulator.reviseDay(today, dataset);
    await pollAtOnce();
    await Promise.all(
      datasets.map(async (dataset) => {
        const revisedStoredAt = await until(
          async () => {
            const record = await dayRecord(pool, dataset, today);
            return record && record.revisions > todayBefore.get(dataset)! ? record.lastChangedAt! : undefined;
          },
          options.smoke ? 60_000 : POLL_FOUND_TIMEOUT_MS,
          `${dataset}'s revised today stored (${mode} round ${round})`,
        );
        events.push({
          dataset,
          round,
          kind: 'revision',
          freshnessS: (revisedStoredAt.getTime() - revisedAt) / 1000,
        });
      }),
    );
    for (const dataset of datasets) {
      await idle(dataset, tomorrow);
      await idle(dataset, today);
    }
    const ofRound = events.filter((event) => event.round === round);
    console.log(
      `  ${mode}: round ${round}${late ? ' (publication late)' : ''}: ` +
        ofRound.map((event) => `${event.dataset} ${event.kind} ${event.freshnessS.toFixed(1)} s`).join(', '),
    );
    return (await revisionCounts(pool, datasets)) - versionsBefore;
  }
}

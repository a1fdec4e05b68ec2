// `npm run histories:capture [-- --label NAME]`: runs every workflow type to each of its endings on a throwaway
// stack (own Temporal dev server, database and simulator) and stores the event histories under
// test/replay/histories/<label>/, where the replay tests check every later build against them.
// Capture a new set whenever a workflow change adds a path (a patch): older sets stay, so both paths replay.
// Capturing again under a label replaces that set; a chain that should have continued as new and did not fails it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createFetchActivities, createPlanActivities, createStoreActivities } from '../../activities';
import { REPO_ROOT } from '../../common/buildInfo';
import {
  DATASET_ATTRIBUTE,
  DAY_STATUS_ATTRIBUTE,
  DELIVERY_DAY_ATTRIBUTE,
} from '../../common/searchAttributes';
import { connectClient } from '../../common/temporal';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { startDevServer } from '../../devstack/devServer';
import type { RestoreInput } from '../../domain/archiveInputs';
import { addDays, marketToday, utcOffsetMinutesAt } from '../../domain/calendar';
import { declarationOf } from '../../domain/datasets';
import { MONITORING_SETTINGS_SIGNAL } from '../../domain/monitoring';
import type { ReprocessDayInput, ReprocessInput } from '../../domain/reprocessInputs';
import {
  type BackfillInput,
  type BackfillProgress,
  type DayInput,
  fetchTaskQueueOf,
  type PollInput,
} from '../../domain/workflowInputs';
import { startSimulator } from '../../simulator/server';
import { createPipelineWorkers } from '../../workers/pipelineWorker';
import { loadWorkflowBundle } from '../../workers/workflowBundle';
import type { PublicationWindowWorkflowInput } from '../../workflows/publicationWindow';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';
import {
  type HistoryManifest,
  type HistoryManifestEntry,
  REPLAY_HISTORIES_DIR,
  type WorkflowTypeName,
} from './manifest';

const TASK_QUEUE = 'jao-capture';
const DAY_MS = 86_400_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Stack {
  client: Client;
  setFaults: (faults: Parameters<Awaited<ReturnType<typeof startSimulator>>['setFaults']>[0]) => void;
  /** Runs `work` while the store activities of queue `taskQueue` cannot reach their database. */
  withStoreDown: <T>(taskQueue: string, work: () => Promise<T>) => Promise<T>;
  publishDay: (day: string) => void;
  unpublishDay: (day: string) => void;
  /** Runs SQL on the capture's own database (to make it refuse a write, or lose a day). */
  sql: (text: string) => Promise<{ rows: Record<string, unknown>[] }>;
  /** Acts on a day of the simulator's flow-based final domain (`countChange`, `revise`, …). */
  flowBasedControl: (action: string, day: string) => Promise<void>;
}

interface Capture {
  scenario: string;
  workflowType: WorkflowTypeName;
  workflowId: string;
  /** The run to capture; every run of the id (a continue-as-new chain) when absent. */
  runId?: string;
  /** A chain that must have continued as new at least once. */
  continuesAsNew?: boolean;
}

async function settle(handle: WorkflowHandle): Promise<void> {
  try {
    await handle.result();
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
  }
}

/** The scenarios: every workflow type, every ending the issue lists. */
async function runScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const captures: Capture[] = [];
  const startDay = (day: string, trigger: DayInput['trigger'] = 'manual') =>
    client.workflow.start('deliveryDayWorkflow', {
      workflowId: `maxExchanges/day/${day}`,
      taskQueue: TASK_QUEUE,
      args: [{ dataset: 'maxExchanges', day, trigger } satisfies DayInput],
    });
  const day = async (scenario: string, date: string) => {
    const handle = await startDay(date);
    await settle(handle);
    captures.push({
      scenario,
      workflowType: 'deliveryDayWorkflow',
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
    });
  };

  stack.setFaults({
    missingMtuDays: ['2024-01-11'],
    malformedDays: ['2024-01-12'],
    rejectedDays: ['2024-01-14', '2024-01-20'],
  });
  await day('day-complete', '2024-01-10');
  // JAO answers nothing for a day already stored complete: the day keeps its values and status, the error noted.
  stack.unpublishDay('2024-01-10');
  await day('day-recheck-nothing', '2024-01-10');
  stack.publishDay('2024-01-10');
  await day('day-partial', '2024-01-11');
  await day('day-invalid', '2024-01-12');
  await day('day-failed', '2024-01-14');
  // A failed day whose failure the database refuses to record: the run still ends with its DayStatus.
  await stack.sql(`
    CREATE FUNCTION jao.capture_refuse_day() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.day = DATE '2024-01-20' THEN RAISE EXCEPTION 'refused by the capture' USING ERRCODE = '22003'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER capture_refuse_day BEFORE INSERT OR UPDATE ON jao.delivery_day
      FOR EACH ROW EXECUTE FUNCTION jao.capture_refuse_day();`);
  await day('day-failed-unrecorded', '2024-01-20');
  // The simulator's clock runs three days behind: tomorrow is not published there.
  await day('day-not-published', addDays(marketToday(new Date()), 1));

  // A backfill over three runs (continue-as-new every 3 days) with a partial, an invalid and a failed day.
  stack.setFaults({
    missingMtuDays: ['2024-02-02'],
    malformedDays: ['2024-02-04'],
    rejectedDays: ['2024-02-06'],
  });
  const backfillId = 'maxExchanges/backfill/2024-02-01..2024-02-07/all';
  const backfill = await client.workflow.start('backfillWorkflow', {
    workflowId: backfillId,
    taskQueue: TASK_QUEUE,
    args: [
      {
        dataset: 'maxExchanges',
        from: '2024-02-01',
        to: '2024-02-07',
        concurrency: 2,
        mode: 'all',
        daysPerRun: 3,
      },
    ] satisfies BackfillInput[],
  });
  await settle(backfill);
  captures.push({
    scenario: 'backfill-continue-as-new',
    workflowType: 'backfillWorkflow',
    workflowId: backfillId,
    continuesAsNew: true,
  });
  captures.push({
    scenario: 'day-child-of-backfill',
    workflowType: 'deliveryDayWorkflow',
    workflowId: 'maxExchanges/day/2024-02-01',
  });
  // A child that fails (JAO refuses its day): its failure recorded, DayStatus failed, as its parent started it.
  captures.push({
    scenario: 'day-failed-in-backfill',
    workflowType: 'deliveryDayWorkflow',
    workflowId: 'maxExchanges/day/2024-02-06',
  });
  stack.setFaults({ missingMtuDays: [], malformedDays: [], rejectedDays: [] });

  // A backfill whose database loses a day its first run counted complete: the last run fetches it again.
  stack.setFaults({ latencyMs: 700 });
  const recheckId = 'maxExchanges/backfill/2024-05-01..2024-05-04/all';
  const recheck = await client.workflow.start('backfillWorkflow', {
    workflowId: recheckId,
    taskQueue: TASK_QUEUE,
    args: [
      {
        dataset: 'maxExchanges',
        from: '2024-05-01',
        to: '2024-05-04',
        concurrency: 1,
        mode: 'all',
        daysPerRun: 2,
      },
    ] satisfies BackfillInput[],
  });
  const lostDayStatus = `SELECT status FROM jao.delivery_day WHERE day = DATE '2024-05-01'`;
  for (let i = 0; i < 200 && (await stack.sql(lostDayStatus)).rows[0]?.status !== 'complete'; i++)
    await sleep(50);
  await stack.sql(`
    WITH lost AS (DELETE FROM jao.delivery_day WHERE day = DATE '2024-05-01' RETURNING window_from, window_to),
         history AS (DELETE FROM jao.observation_history h USING lost
                      WHERE h.mtu >= lost.window_from AND h.mtu < lost.window_to)
    DELETE FROM jao.observation o USING lost WHERE o.mtu >= lost.window_from AND o.mtu < lost.window_to`);
  await settle(recheck);
  stack.setFaults({ latencyMs: 0 });
  captures.push({
    scenario: 'backfill-rechecks-lost-day',
    workflowType: 'backfillWorkflow',
    workflowId: recheckId,
  });

  // A day whose every run reports complete while the database keeps it partial: fetched again once, then failed.
  await stack.sql(`
    CREATE FUNCTION jao.capture_keep_partial() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE jao.delivery_day SET status = 'partial' WHERE dataset = NEW.dataset AND day = NEW.day;
      RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER capture_keep_partial AFTER INSERT OR UPDATE ON jao.delivery_day
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN (NEW.day = DATE '2024-05-10' AND NEW.status = 'complete')
      EXECUTE FUNCTION jao.capture_keep_partial();`);
  const lostAgainId = 'maxExchanges/backfill/2024-05-10..2024-05-11/all';
  const lostAgain = await client.workflow.start('backfillWorkflow', {
    workflowId: lostAgainId,
    taskQueue: TASK_QUEUE,
    args: [
      { dataset: 'maxExchanges', from: '2024-05-10', to: '2024-05-11', concurrency: 2, mode: 'all' },
    ] satisfies BackfillInput[],
  });
  await settle(lostAgain);
  await stack.sql('DROP TRIGGER capture_keep_partial ON jao.delivery_day');
  captures.push({
    scenario: 'backfill-day-lost-after-rerun',
    workflowType: 'backfillWorkflow',
    workflowId: lostAgainId,
  });

  // "Start Workflow Like This One" on a backfill's invalid day: the old run's search attributes (DayStatus
  // invalid), summary and input (trigger backfill) copied into a top-level run, which heals the day.
  const rerun = await client.workflow.start('deliveryDayWorkflow', {
    workflowId: 'maxExchanges/day/2024-02-04',
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', day: '2024-02-04', trigger: 'backfill' } satisfies DayInput],
    typedSearchAttributes: [
      { key: DATASET_ATTRIBUTE, value: 'maxExchanges' },
      { key: DELIVERY_DAY_ATTRIBUTE, value: '2024-02-04' },
      { key: DAY_STATUS_ATTRIBUTE, value: 'invalid' },
    ],
    staticSummary: 'maxExchanges 2024-02-04 (backfill)',
  });
  await settle(rerun);
  captures.push({
    scenario: 'day-rerun-like-backfill-child',
    workflowType: 'deliveryDayWorkflow',
    workflowId: rerun.workflowId,
    runId: rerun.firstExecutionRunId,
  });

  // Reprocessing from the stored answers: a run over three runs (continue-as-new every 3 days) with a day whose
  // values a faulty build damaged, a day without a stored answer; one day's child; a day reprocessed on its own
  // without a stored answer.
  await stack.sql(`
    UPDATE jao.observation SET value = value + 1
     WHERE mtu = '2024-02-03T10:00:00Z'
       AND series_id = (SELECT series_id FROM jao.series WHERE key = 'border_AT_BE')`);
  const reprocessId = 'maxExchanges/reprocess/2024-02-01..2024-02-08';
  const reprocess = await client.workflow.start('reprocessWorkflow', {
    workflowId: reprocessId,
    taskQueue: TASK_QUEUE,
    args: [
      { dataset: 'maxExchanges', from: '2024-02-01', to: '2024-02-08', concurrency: 2, daysPerRun: 3 },
    ] satisfies ReprocessInput[],
  });
  await settle(reprocess);
  captures.push({
    scenario: 'reprocess-continue-as-new',
    workflowType: 'reprocessWorkflow',
    workflowId: reprocessId,
    continuesAsNew: true,
  });
  captures.push({
    scenario: 'reprocess-day-child',
    workflowType: 'reprocessDayWorkflow',
    workflowId: 'maxExchanges/day/2024-02-03/reprocess',
  });
  const noAnswer = await client.workflow.start('reprocessDayWorkflow', {
    workflowId: 'maxExchanges/day/2024-02-09/reprocess',
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', day: '2024-02-09' } satisfies ReprocessDayInput],
  });
  await settle(noAnswer);
  captures.push({
    scenario: 'reprocess-day-without-answer',
    workflowType: 'reprocessDayWorkflow',
    workflowId: noAnswer.workflowId,
    runId: noAnswer.firstExecutionRunId,
  });

  // A poll that finds one of its days already running and leaves it to that run.
  stack.setFaults({ latencyMs: 3_000 });
  const busyDay = addDays(marketToday(new Date()), -1);
  const busy = await startDay(busyDay);
  const pollId = 'maxExchanges/poll-capture';
  const poll = await client.workflow.start('pollWorkflow', {
    workflowId: pollId,
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', lookbackDays: 1, lookaheadDays: 1 } satisfies PollInput],
  });
  await settle(poll);
  await settle(busy);
  captures.push({ scenario: 'poll-skips-busy-day', workflowType: 'pollWorkflow', workflowId: pollId });

  // A backfill cancelled while two of its days run.
  const cancelledId = 'maxExchanges/backfill/2024-03-01..2024-03-10/missing';
  const cancelled = await client.workflow.start('backfillWorkflow', {
    workflowId: cancelledId,
    taskQueue: TASK_QUEUE,
    args: [
      {
        dataset: 'maxExchanges',
        from: '2024-03-01',
        to: '2024-03-10',
        concurrency: 2,
      } satisfies BackfillInput,
    ],
  });
  for (let i = 0; i < 200 && (await cancelled.query<BackfillProgress>('progress')).running < 2; i++)
    await sleep(50);
  await cancelled.cancel();
  await settle(cancelled);
  captures.push({
    scenario: 'backfill-cancelled',
    workflowType: 'backfillWorkflow',
    workflowId: cancelledId,
  });
  const cancelledChild = client.workflow.getHandle('maxExchanges/day/2024-03-01');
  for (let i = 0; i < 100 && (await cancelledChild.describe()).status.name === 'RUNNING'; i++)
    await sleep(100);
  captures.push({
    scenario: 'day-cancelled-with-backfill',
    workflowType: 'deliveryDayWorkflow',
    workflowId: 'maxExchanges/day/2024-03-01',
  });
  stack.setFaults({ latencyMs: 0 });

  // One day of a backfill cancelled on its own: the backfill records it and goes on.
  stack.setFaults({ latencyMs: 3_000 });
  const aloneId = 'maxExchanges/backfill/2024-04-01..2024-04-04/all';
  const alone = await client.workflow.start('backfillWorkflow', {
    workflowId: aloneId,
    taskQueue: TASK_QUEUE,
    args: [
      { dataset: 'maxExchanges', from: '2024-04-01', to: '2024-04-04', concurrency: 2, mode: 'all' },
    ] satisfies BackfillInput[],
  });
  for (let i = 0; i < 200 && (await alone.query<BackfillProgress>('progress')).running < 1; i++)
    await sleep(50);
  await client.workflow.getHandle('maxExchanges/day/2024-04-01').cancel();
  await settle(alone);
  stack.setFaults({ latencyMs: 0 });
  captures.push({
    scenario: 'backfill-day-cancelled-alone',
    workflowType: 'backfillWorkflow',
    workflowId: aloneId,
  });
  captures.push({
    scenario: 'day-cancelled-alone',
    workflowType: 'deliveryDayWorkflow',
    workflowId: 'maxExchanges/day/2024-04-01',
  });

  // A day whose database went away after the fetch: validate gives up at the retry horizon, the failure is
  // recorded once the database is back.
  const storeDownQueue = `${TASK_QUEUE}-store-down`;
  const storeDownDay = '2024-01-15';
  const storeDown = await stack.withStoreDown(storeDownQueue, async () => {
    const handle = await client.workflow.start('deliveryDayWorkflow', {
      workflowId: `maxExchanges/day/${storeDownDay}`,
      taskQueue: storeDownQueue,
      args: [{ dataset: 'maxExchanges', day: storeDownDay, trigger: 'manual' } satisfies DayInput],
    });
    for (let i = 0; i < 300; i++) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      if (pending.some((a) => a.activityType?.name === 'recordDayFailure' && (a.attempt ?? 0) >= 2)) break;
      await sleep(100);
    }
    return handle;
  });
  await settle(storeDown);
  captures.push({
    scenario: 'day-failed-store-unreachable',
    workflowType: 'deliveryDayWorkflow',
    workflowId: storeDown.workflowId,
    runId: storeDown.firstExecutionRunId,
  });
  return captures;
}

/** `HH:MM` in Europe/Amsterdam, `minutes` from now. */
function localHhmm(minutes: number): string {
  const at = Date.now() + minutes * 60_000;
  return new Date(at + utcOffsetMinutesAt(at) * 60_000).toISOString().slice(11, 16);
}

/**
 * The publication window: opened outside its hours; closing while tomorrow is still unpublished, its first check
 * finding tomorrow busy with another run; and checking until tomorrow is published and stored complete. Runs
 * last: it publishes tomorrow. Needs a local time between 00:02 and 23:57.
 */
async function runPublicationScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const captures: Capture[] = [];
  const tomorrow = addDays(marketToday(new Date()), 1);
  const run = async (
    scenario: string,
    window: string,
    during?: () => Promise<void>,
    checksPerRun?: number,
  ) => {
    const workflowId = `maxExchanges/publication-capture-${scenario}`;
    const input: PublicationWindowWorkflowInput = { dataset: 'maxExchanges', window, checkIntervalMs: 2_000 };
    const handle = await client.workflow.start('publicationWindowWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [checksPerRun === undefined ? input : { ...input, checksPerRun }],
    });
    await during?.();
    await settle(handle);
    captures.push({
      scenario,
      workflowType: 'publicationWindowWorkflow',
      workflowId,
      continuesAsNew: checksPerRun !== undefined,
    });
  };
  /** Checks the latest run of a window has counted, its earlier runs' included (0 while it is between runs). */
  const checksOf = (workflowId: string) =>
    client.workflow
      .getHandle(workflowId)
      .query<{ checks: number }>('progress')
      .then(
        (progress) => progress.checks,
        () => 0,
      );

  await run('publication-outside-window', localHhmm(-2) < '12:00' ? '23:00-23:01' : '00:00-00:01');

  // Closes at the end of the current minute: at least 5 s away.
  if (new Date().getSeconds() > 55) await sleep(6_000);
  stack.setFaults({ latencyMs: 3_000 });
  const busy = await client.workflow.start('deliveryDayWorkflow', {
    workflowId: `maxExchanges/day/${tomorrow}`,
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', day: tomorrow, trigger: 'manual' } satisfies DayInput],
  });
  await run('publication-window-closes', `${localHhmm(-1)}-${localHhmm(1).slice(0, 5)}`, async () => {
    await settle(busy);
    stack.setFaults({ latencyMs: 0 });
  });

  // A check whose day run an operator cancels: the window goes on checking until it closes.
  if (new Date().getSeconds() > 40) await sleep(21_000);
  stack.setFaults({ latencyMs: 3_000 });
  await run('publication-check-cancelled', `${localHhmm(-1)}-${localHhmm(1).slice(0, 5)}`, async () => {
    const check = client.workflow.getHandle(`maxExchanges/day/${tomorrow}`);
    for (let i = 0; i < 200; i++) {
      const running = await check.describe().then(
        (d) => d.status.name === 'RUNNING',
        () => false,
      );
      if (running) break;
      await sleep(100);
    }
    await check.cancel();
    stack.setFaults({ latencyMs: 0 });
  });

  // Checks until tomorrow is published and stored complete, two checks a run: it continues as new on the way.
  await run(
    'publication-complete',
    `${localHhmm(-1)}-${localHhmm(10)}`,
    async () => {
      const workflowId = 'maxExchanges/publication-capture-publication-complete';
      for (let i = 0; i < 300 && (await checksOf(workflowId)) < 3; i++) await sleep(100);
      stack.publishDay(tomorrow);
    },
    2,
  );
  return captures;
}

/**
 * The archive's workflows (1.1.0): a day written and shipped; a restore refused by a database that holds days; a
 * merge into it, one entry per batch and one batch per run, so that it continues as new.
 */
async function runArchiveScenarios(stack: Stack, archiveUrl: string): Promise<Capture[]> {
  const { client } = stack;
  const day = addDays(marketToday(new Date()), -5);
  await client.workflow.execute('deliveryDayWorkflow', {
    workflowId: `maxExchanges/day/${day}`,
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', day, trigger: 'manual' } satisfies DayInput],
  });
  const captures: Capture[] = [];
  await client.workflow.execute('archiveWorkflow', {
    workflowId: 'archive/ship-capture',
    taskQueue: TASK_QUEUE,
  });
  captures.push({
    scenario: 'archive-ships',
    workflowType: 'archiveWorkflow',
    workflowId: 'archive/ship-capture',
  });
  await client.workflow.execute('deliveryDayWorkflow', {
    workflowId: `maxExchanges/day/${day}`,
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', day, trigger: 'manual' } satisfies DayInput],
  });
  await client.workflow.execute('archiveWorkflow', {
    workflowId: 'archive/ship-capture',
    taskQueue: TASK_QUEUE,
  });
  const refused = await client.workflow.start('restoreWorkflow', {
    workflowId: 'archive/restore-capture-refused',
    taskQueue: TASK_QUEUE,
    args: [{ from: archiveUrl } satisfies RestoreInput],
  });
  await settle(refused);
  captures.push({
    scenario: 'restore-refused',
    workflowType: 'restoreWorkflow',
    workflowId: 'archive/restore-capture-refused',
  });
  const merged = await client.workflow.start('restoreWorkflow', {
    workflowId: 'archive/restore-capture-merge',
    taskQueue: TASK_QUEUE,
    args: [{ from: archiveUrl, merge: true, batchSize: 1, batchesPerRun: 1 } satisfies RestoreInput],
  });
  await settle(merged);
  captures.push({
    scenario: 'restore-continue-as-new',
    workflowType: 'restoreWorkflow',
    workflowId: 'archive/restore-capture-merge',
    continuesAsNew: true,
  });
  return captures;
}

/**
 * Reprocessing in batches (REPROCESS_BATCHES_PATCH): a run over three runs of continue-as-new (three days a run, two
 * batches at a time) with a day whose values a faulty build damaged, a partial day and a day without a stored answer;
 * a run cancelled while its batch waits for a day's lock.
 */
async function runReprocessBatchScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const captures: Capture[] = [];
  stack.setFaults({ missingMtuDays: ['2024-03-05'] });
  await client.workflow.execute('backfillWorkflow', {
    workflowId: 'maxExchanges/backfill/2024-03-01..2024-03-08/all',
    taskQueue: TASK_QUEUE,
    args: [
      { dataset: 'maxExchanges', from: '2024-03-01', to: '2024-03-08', concurrency: 4, mode: 'all' },
    ] satisfies BackfillInput[],
  });
  stack.setFaults({ missingMtuDays: [] });
  await stack.sql(`
    UPDATE jao.observation SET value = value + 1
     WHERE mtu = '2024-03-03T10:00:00Z'
       AND series_id = (SELECT series_id FROM jao.series WHERE key = 'border_AT_BE')`);
  const batchesId = 'maxExchanges/reprocess/2024-03-01..2024-03-09';
  const batches = await client.workflow.start('reprocessWorkflow', {
    workflowId: batchesId,
    taskQueue: TASK_QUEUE,
    args: [
      { dataset: 'maxExchanges', from: '2024-03-01', to: '2024-03-09', concurrency: 2, daysPerRun: 3 },
    ] satisfies ReprocessInput[],
  });
  await settle(batches);
  captures.push({
    scenario: 'reprocess-batches-continue-as-new',
    workflowType: 'reprocessWorkflow',
    workflowId: batchesId,
    continuesAsNew: true,
  });

  // The first day's write lock held for 5 s: the one batch waits on it, sees the cancellation after that day.
  const held = stack.sql(`
    WITH held AS (
      INSERT INTO jao.day_lock AS l (dataset, day, purpose) VALUES ('maxExchanges', '2024-03-01', 'write')
      ON CONFLICT (dataset, day, purpose) DO UPDATE SET locked_at = now() RETURNING 1)
    SELECT pg_sleep(5) FROM held`);
  await sleep(500);
  const cancelledId = 'maxExchanges/reprocess/2024-03-01..2024-03-08';
  const cancelled = await client.workflow.start('reprocessWorkflow', {
    workflowId: cancelledId,
    taskQueue: TASK_QUEUE,
    args: [
      { dataset: 'maxExchanges', from: '2024-03-01', to: '2024-03-08', concurrency: 1 },
    ] satisfies ReprocessInput[],
  });
  await sleep(1_000);
  await cancelled.cancel();
  await settle(cancelled);
  await held;
  captures.push({
    scenario: 'reprocess-batches-cancelled',
    workflowType: 'reprocessWorkflow',
    workflowId: cancelledId,
  });
  return captures;
}

/**
 * A day of the flow-based domain fetched page by page (the patch paged-day): read whole in a probe and its pages, read
 * again when its count moves while paging, and run as a backfill's child.
 */
async function runPagedDayScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const dataset = 'coreFinalComputation';
  const captures: Capture[] = [];
  const pagedDay = async (scenario: string, day: string) => {
    const handle = await client.workflow.start('deliveryDayWorkflow', {
      workflowId: `${dataset}/day/${day}`,
      taskQueue: TASK_QUEUE,
      args: [{ dataset, day, trigger: 'manual', pageSize: 1_000 } satisfies DayInput],
    });
    await settle(handle);
    captures.push({ scenario, workflowType: 'deliveryDayWorkflow', workflowId: handle.workflowId });
  };
  await pagedDay('paged-day-complete', '2026-11-10');
  await stack.flowBasedControl('countChange', '2026-11-11');
  await pagedDay('paged-day-count-moved', '2026-11-11');
  const backfillId = `${dataset}/backfill/2026-11-12..2026-11-13/missing`;
  await client.workflow.execute('backfillWorkflow', {
    workflowId: backfillId,
    taskQueue: TASK_QUEUE,
    args: [
      { dataset, from: '2026-11-12', to: '2026-11-13', concurrency: 2, mode: 'missing' },
    ] satisfies BackfillInput[],
  });
  captures.push({
    scenario: 'paged-days-backfill',
    workflowType: 'backfillWorkflow',
    workflowId: backfillId,
  });
  captures.push({
    scenario: 'paged-day-child-of-backfill',
    workflowType: 'deliveryDayWorkflow',
    workflowId: `${dataset}/day/2026-11-12`,
  });
  return captures;
}

/**
 * The bad-day markers (1.1.0): a partial day marked by the sync, healed by a later run and its marker completed by
 * the next sync (two runs of one sync id); a marker started by hand with input that names no bad day, refused.
 */
async function runBadDayScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const day = addDays(marketToday(new Date()), -5);
  const runDay = () =>
    client.workflow.execute('deliveryDayWorkflow', {
      workflowId: `maxExchanges/day/${day}`,
      taskQueue: TASK_QUEUE,
      args: [{ dataset: 'maxExchanges', day, trigger: 'manual' } satisfies DayInput],
    });
  const syncId = `bad-days/sync-capture/${TASK_QUEUE}`;
  const markerId = `maxExchanges/bad-day/${day}/partial/${TASK_QUEUE}`;
  stack.setFaults({ missingMtuDays: [day] });
  await runDay();
  await client.workflow.execute('badDaysSyncWorkflow', { workflowId: syncId, taskQueue: TASK_QUEUE });
  stack.setFaults({ missingMtuDays: [] });
  await runDay();
  await client.workflow.execute('badDaysSyncWorkflow', { workflowId: syncId, taskQueue: TASK_QUEUE });
  await client.workflow.getHandle(markerId).result();
  const refusedId = `maxExchanges/bad-day/${day}/fine/${TASK_QUEUE}`;
  const refused = await client.workflow.start('badDayWorkflow', {
    workflowId: refusedId,
    taskQueue: TASK_QUEUE,
    args: [{ dataset: 'maxExchanges', day, status: 'fine' }],
  });
  await settle(refused);
  return [
    { scenario: 'bad-days-sync', workflowType: 'badDaysSyncWorkflow', workflowId: syncId },
    { scenario: 'bad-day-marker-over', workflowType: 'badDayWorkflow', workflowId: markerId },
    { scenario: 'bad-day-refused', workflowType: 'badDayWorkflow', workflowId: refusedId },
  ];
}

/**
 * The keeper of the bad-day markers (1.2.0), three syncs a run: its start; a day turning partial (a write's word);
 * tomorrow stored not published, whose deadline (FRESHNESS_DEADLINE, set a minute or two ahead for this capture)
 * the keeper hands on as it continues as new; then in its second run the sync at that deadline (tomorrow late) and
 * the one after the partial day healed, which completes its marker. The second run is terminated: a keeper never
 * ends on its own.
 */
async function runBadDayMarkerScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const day = addDays(marketToday(new Date()), -5);
  const tomorrow = addDays(marketToday(new Date()), 1);
  const runDay = (date: string) =>
    client.workflow.execute('deliveryDayWorkflow', {
      workflowId: `maxExchanges/day/${date}`,
      taskQueue: TASK_QUEUE,
      args: [{ dataset: 'maxExchanges', day: date, trigger: 'manual' } satisfies DayInput],
    });
  const keeperId = `bad-days/markers/${TASK_QUEUE}`;
  const keeper = await client.workflow.signalWithStart('badDayMarkersWorkflow', {
    workflowId: keeperId,
    taskQueue: TASK_QUEUE,
    args: [{ syncsPerRun: 3 }],
    signal: 'dayOutcomeChanged',
    signalArgs: [],
  });
  const details = async () => {
    const metadata = await client.workflow
      .getHandle(keeperId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    return metadata.currentDetails ?? '';
  };
  const until = async (what: string, holds: () => Promise<boolean>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await holds())) {
      if (Date.now() > deadline) throw new Error(`the keeper: timed out waiting for ${what}`);
      await sleep(200);
    }
  };
  const syncsOfRun = async (runId: string) => {
    const history = await client.workflow.getHandle(keeperId, runId).fetchHistory();
    return (history.events ?? []).filter((event) => event.activityTaskCompletedEventAttributes).length;
  };
  await until('its first sync', async () => (await syncsOfRun(keeper.signaledRunId)) === 1);
  stack.setFaults({ missingMtuDays: [day] });
  await runDay(day);
  await until('the sync of the partial day', async () => (await syncsOfRun(keeper.signaledRunId)) === 2);
  stack.unpublishDay(tomorrow);
  await runDay(tomorrow);
  await until(
    'its second run',
    async () => (await client.workflow.getHandle(keeperId).describe()).runId !== keeper.signaledRunId,
  );
  await until('the sync at the deadline', async () => /a deadline passed/.test(await details()), 180_000);
  stack.setFaults({ missingMtuDays: [] });
  await runDay(day);
  await client.workflow.getHandle(`maxExchanges/bad-day/${day}/partial/${TASK_QUEUE}`).result();
  const second = (await client.workflow.getHandle(keeperId).describe()).runId;
  await until('the sync of the healed day', async () => (await syncsOfRun(second)) === 2);
  await client.workflow.getHandle(keeperId).terminate('the capture is over');
  return [
    {
      scenario: 'bad-day-markers-continue-as-new',
      workflowType: 'badDayMarkersWorkflow',
      workflowId: keeperId,
      continuesAsNew: true,
    },
  ];
}

/**
 * The monitoring workflow (1.3.0-monitoring; since 1.3.0-monitoring-kept-datasets with the kept datasets, maxExchanges
 * alone, in its input; since 1.3.0-monitoring-quiet-interval each reading's pace, the intervals 0.3 and 1 s, then 0.8 s
 * by the settings signal): readings with every step Pending, an outage of the monitoring path, new settings, today and
 * tomorrow published (their steps turn Received
 * and start the kept datasets' days; the readings after them are quiet), and continue-as-new carrying the last
 * reading and the list.
 * The simulator's clock is three days behind, so the days the readings cover are unpublished until published here.
 */
async function runMonitoringScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const today = marketToday(new Date());
  const workflowId = `monitoring/core/${TASK_QUEUE}`;
  const handle = await client.workflow.start('monitoringWorkflow', {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [
      {
        region: 'core',
        intervalMs: 300,
        quietIntervalMs: 1000,
        readingsPerRun: 10,
        datasets: ['maxExchanges'],
      },
    ],
  });
  const readings = async () => {
    const history = await client.workflow.getHandle(workflowId, handle.firstExecutionRunId).fetchHistory();
    return (history.events ?? []).filter((event) => event.activityTaskCompletedEventAttributes).length;
  };
  const until = async (what: string, holds: () => Promise<boolean>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await holds())) {
      if (Date.now() > deadline) throw new Error(`the monitoring workflow: timed out waiting for ${what}`);
      await sleep(200);
    }
  };
  await until('two readings', async () => (await readings()) >= 2);
  stack.setFaults({ monitoringOutage: true });
  await until('a reading in the outage', async () => (await readings()) >= 4);
  stack.setFaults({ monitoringOutage: false });
  // A worker starting up with other settings (1.3.0-monitoring-quiet-interval): the run takes them by signal.
  await client.workflow.getHandle(workflowId).signal(MONITORING_SETTINGS_SIGNAL, {
    intervalMs: 300,
    quietIntervalMs: 800,
    datasets: ['maxExchanges'],
  });
  // Today and tomorrow published: no step pending in its window, so the readings after them are quiet (since
  // 1.3.0-monitoring-quiet-interval, the longer interval), whatever the hour.
  stack.publishDay(today);
  stack.publishDay(addDays(today, 1));
  await until(
    'its second run',
    async () => (await client.workflow.getHandle(workflowId).describe()).runId !== handle.firstExecutionRunId,
  );
  await client.workflow.getHandle(workflowId).terminate('the capture is over');
  return [
    {
      scenario: 'monitoring-continue-as-new',
      workflowType: 'monitoringWorkflow',
      workflowId,
      continuesAsNew: true,
    },
  ];
}

/**
 * The polls standing down (1.3.0-polls-stand-down, patch polls-stand-down): the workers run with JAO_MONITORING on
 * and two failed readings in a row handing a region to the polls; the readings are written here, as the monitoring
 * workflow would (it does not run). A poll while core reads (it stands down), one after two failed readings (it runs
 * its days), and a publication window that stands down for its first intervals, then checks once the readings
 * fail, until tomorrow is published and stored complete. Needs a local time between 00:02 and 23:49.
 */
async function runPollsStandDownScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const captures: Capture[] = [];
  const reading = (outcome: 'read' | 'failed') =>
    stack.sql(
      `INSERT INTO jao.monitoring_reading (region, read_at, outcome, detail, steps, changed)
       VALUES ('core', clock_timestamp(), '${outcome}', ${outcome === 'read' ? 'NULL' : "'monitoring answer failed: HTTP 503'"}, 0, 0)`,
    );
  const poll = async (scenario: string) => {
    const workflowId = `maxExchanges/poll-capture-${scenario}`;
    const handle = await client.workflow.start('pollWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [{ dataset: 'maxExchanges', lookbackDays: 1, lookaheadDays: 1 } satisfies PollInput],
    });
    await settle(handle);
    captures.push({ scenario, workflowType: 'pollWorkflow', workflowId });
  };
  // The polls stand down only while the readings list one of the dataset's steps for today or tomorrow: tomorrow's,
  // Pending before its deadline (not yet published, so nothing for the polls to take back).
  const [step] = declarationOf('maxExchanges').monitoring?.steps ?? [];
  await stack.sql(
    `INSERT INTO jao.monitoring_step (region, business_day, page, version, status, deadline, valid_from, last_seen_at)
     VALUES ('core', '${addDays(marketToday(new Date()), 1)}', '${step}', 1, 'Pending',
             clock_timestamp() + interval '1 day', clock_timestamp(), clock_timestamp())`,
  );
  await reading('read');
  await poll('poll-stands-down');
  await reading('failed');
  await reading('failed');
  await poll('poll-takes-over');

  const tomorrow = addDays(marketToday(new Date()), 1);
  const workflowId = 'maxExchanges/publication-capture-stands-down';
  const progress = () =>
    client.workflow
      .getHandle(workflowId)
      .query<{ checks: number; stoodDown?: number }>('progress')
      .catch(() => ({ checks: 0, stoodDown: 0 }));
  const until = async (what: string, holds: (seen: { checks: number; stoodDown?: number }) => boolean) => {
    for (let i = 0; i < 600; i++) {
      if (holds(await progress())) return;
      await sleep(100);
    }
    throw new Error(`the publication window: timed out waiting for ${what}`);
  };
  await reading('read');
  const handle = await client.workflow.start('publicationWindowWorkflow', {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [
      {
        dataset: 'maxExchanges',
        window: `${localHhmm(-1)}-${localHhmm(10)}`,
        checkIntervalMs: 1_000,
      } satisfies PublicationWindowWorkflowInput,
    ],
  });
  await until('two intervals stood down', (seen) => (seen.stoodDown ?? 0) >= 2);
  await reading('failed');
  await reading('failed');
  await until('a check', (seen) => seen.checks >= 1);
  stack.publishDay(tomorrow);
  await settle(handle);
  captures.push({
    scenario: 'publication-window-stands-down',
    workflowType: 'publicationWindowWorkflow',
    workflowId,
  });
  return captures;
}

/**
 * A publication window on the delivery day (1.3.0-window-on-the-day, patch window-on-the-day): it watches today, not
 * tomorrow, and checks until today is published and stored complete. The simulator runs three days behind, so today
 * is not published until the capture publishes it. Needs a local time between 00:02 and 23:49.
 */
async function runWindowOnTheDayScenarios(stack: Stack): Promise<Capture[]> {
  const { client } = stack;
  const workflowId = 'maxExchanges/publication-capture-on-the-day';
  const handle = await client.workflow.start('publicationWindowWorkflow', {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [
      {
        dataset: 'maxExchanges',
        window: `D ${localHhmm(-1)}-${localHhmm(10)}`,
        checkIntervalMs: 1_000,
      } satisfies PublicationWindowWorkflowInput,
    ],
  });
  for (let i = 0; ; i++) {
    const seen = await handle.query<{ checks: number }>('progress').catch(() => ({ checks: 0 }));
    if (seen.checks >= 1) break;
    if (i >= 600) throw new Error('the window on the day: timed out waiting for a check');
    await sleep(100);
  }
  stack.publishDay(marketToday(new Date()));
  await settle(handle);
  return [
    { scenario: 'publication-window-on-the-day', workflowType: 'publicationWindowWorkflow', workflowId },
  ];
}

/** FRESHNESS_DEADLINE a minute or two ahead (Europe/Amsterdam): tomorrow turns late during the capture. */
function deadlineSoon(): string {
  const now = Date.now();
  const at = now + 2 * 60_000;
  const local = new Date(at + utcOffsetMinutesAt(at) * 60_000).toISOString().slice(11, 16);
  if (local < '00:03')
    throw new Error('--only bad-day-markers needs a local time before 23:57: capture again then');
  return local;
}

/** Every run of a workflow id, oldest first (a continue-as-new chain has several). */
async function runsOf(client: Client, workflowId: string): Promise<{ runId: string; status: string }[]> {
  const runs: { runId: string; status: string; start: number }[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs.push({ runId: run.runId, status: run.status.name, start: run.startTime.getTime() });
  }
  return runs.sort((a, b) => a.start - b.start);
}

async function waitForVisibility(client: Client, workflowId: string, expectedRuns: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const runs = await runsOf(client, workflowId);
    if (runs.length >= expectedRuns && runs.every((run) => run.status !== 'RUNNING')) return;
    await sleep(100);
  }
}

function fileNameOf(scenario: string, run: number, runs: number): string {
  return runs > 1 ? `${scenario}.run${run + 1}.json` : `${scenario}.json`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { label: { type: 'string' }, only: { type: 'string' } },
    allowPositionals: false,
  });
  // `--only archive` / `--only bad-days` / `--only reprocess-batches` / `--only bad-day-markers`: those workflows
  // alone (their sets, 1.1.0-archive, 1.1.0-bad-days, 1.1.0-reprocess-batches, 1.2.0-bad-day-markers and
  // 1.3.0-paged-day, sit beside the 1.0.0 set).
  const only = [
    'archive',
    'bad-days',
    'reprocess-batches',
    'bad-day-markers',
    'paged-day',
    'monitoring',
    'polls-stand-down',
    'window-on-the-day',
  ];
  if (values.only !== undefined && !only.includes(values.only))
    throw new Error(`--only takes ${only.map((name) => `"${name}"`).join(', ')}, got "${values.only}"`);
  const label = values.label ?? new Date().toISOString().slice(0, 10);
  if (!/^[0-9A-Za-z._-]+$/.test(label)) throw new Error(`--label must be a file name, got "${label}"`);
  const outDir = join(REPLAY_HISTORIES_DIR, label);

  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const adminUrl = databaseUrlFor(serverUrl, 'postgres');
  const database = `jao_capture_${Date.now().toString(36)}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await withAdminClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(database)}`));
    cleanups.unshift(() => dropDatabase(adminUrl, database));
    const pool = createPool(databaseUrlFor(serverUrl, database), { applicationName: 'histories:capture' });
    cleanups.unshift(() => pool.end());
    await migrate(pool);

    console.log('starting a Temporal dev server, the simulator and a worker');
    const server = await startDevServer();
    cleanups.unshift(() => server.stop());
    const simulator = await startSimulator({ now: () => new Date(Date.now() - 3 * DAY_MS) });
    cleanups.unshift(() => simulator.close());
    const bundle = await loadWorkflowBundle();
    const connection = await NativeConnection.connect({ address: server.address });
    cleanups.unshift(() => connection.close());
    const archiveDir = mkdtempSync(join(tmpdir(), 'jao-capture-archive-'));
    cleanups.unshift(async () => rmSync(archiveDir, { recursive: true, force: true }));
    const archiveUrl = pathToFileURL(archiveDir).href;
    const workers = await createPipelineWorkers({
      connection,
      namespace: server.namespace,
      taskQueue: TASK_QUEUE,
      pool,
      jao: { baseUrl: simulator.origin, timeoutMs: 10_000 },
      maxRequestsPerMinute: 100_000,
      workflowBundle: bundle,
      archiveUrl,
      ...(values.only === 'bad-day-markers'
        ? { keepBadDayMarkers: true, freshnessDeadlines: { maxExchanges: deadlineSoon() } }
        : {}),
      ...(values.only === 'polls-stand-down'
        ? { monitoring: { on: true, failuresBeforePolls: 2, staleAfterMs: 10 * 60_000, lookbackDays: 1 } }
        : {}),
    });
    const running = workers.run();
    cleanups.unshift(async () => {
      workers.shutdown();
      await running;
    });
    const temporal = await connectClient({
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: server.namespace,
    });
    cleanups.unshift(() => temporal.close());

    const pipelineOptions = {
      connection,
      namespace: server.namespace,
      jao: { baseUrl: simulator.origin, timeoutMs: 10_000 },
      maxRequestsPerMinute: 100_000,
      workflowBundle: bundle,
    };
    const withStoreDown = async <T>(taskQueue: string, work: () => Promise<T>): Promise<T> => {
      const unreachable = createPool(databaseUrlFor(serverUrl, `${database}_unreachable`), { max: 2 });
      const broken = await Worker.create({
        connection,
        namespace: server.namespace,
        taskQueue,
        workflowBundle: { code: bundle.code },
        activities: {
          ...createStoreActivities({
            pool: unreachable,
            buildId: bundle.info.buildId,
            retryHorizonMs: 1_000,
          }),
          ...createPlanActivities({ pool: unreachable, retryHorizonMs: 1_000 }),
        },
      });
      const fetcher = await Worker.create({
        connection,
        namespace: server.namespace,
        taskQueue: fetchTaskQueueOf(taskQueue),
        activities: createFetchActivities({ pool, jao: pipelineOptions.jao, retryHorizonMs: 1_000 }),
      });
      let result: T;
      await Promise.all([
        broken.run(),
        fetcher.run(),
        (async () => {
          try {
            result = await work();
          } finally {
            broken.shutdown();
            fetcher.shutdown();
          }
        })(),
      ]);
      await unreachable.end();
      const healthy = await createPipelineWorkers({ ...pipelineOptions, taskQueue, pool });
      const running = healthy.run();
      cleanups.unshift(async () => {
        healthy.shutdown();
        await running;
      });
      return result!;
    };

    const stack = {
      client: temporal.client,
      setFaults: simulator.setFaults,
      withStoreDown,
      publishDay: (day: string) => simulator.publishDay(day),
      unpublishDay: (day: string) => simulator.unpublishDay(day),
      sql: (text: string) => pool.query(text),
      flowBasedControl: async (action: string, day: string) => {
        const url = `${simulator.origin}/_simulator/flowbased/${action}?day=${day}&endpoint=finalComputation`;
        const response = await fetch(url, { method: 'POST' });
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      },
    };
    const captures =
      values.only === 'archive'
        ? await runArchiveScenarios(stack, archiveUrl)
        : values.only === 'bad-days'
          ? await runBadDayScenarios(stack)
          : values.only === 'reprocess-batches'
            ? await runReprocessBatchScenarios(stack)
            : values.only === 'bad-day-markers'
              ? await runBadDayMarkerScenarios(stack)
              : values.only === 'paged-day'
                ? await runPagedDayScenarios(stack)
                : values.only === 'monitoring'
                  ? await runMonitoringScenarios(stack)
                  : values.only === 'polls-stand-down'
                    ? await runPollsStandDownScenarios(stack)
                    : values.only === 'window-on-the-day'
                      ? await runWindowOnTheDayScenarios(stack)
                      : [...(await runScenarios(stack)), ...(await runPublicationScenarios(stack))];

    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const entries: HistoryManifestEntry[] = [];
    for (const capture of captures) {
      await waitForVisibility(temporal.client, capture.workflowId, capture.continuesAsNew ? 2 : 1);
      const runs = (await runsOf(temporal.client, capture.workflowId)).filter(
        (run) => capture.runId === undefined || run.runId === capture.runId,
      );
      if (capture.continuesAsNew && runs.length < 2)
        throw new Error(`${capture.scenario} did not continue as new (${runs.length} run): capture again`);
      for (const [index, run] of runs.entries()) {
        const history = await temporal.client.workflow
          .getHandle(capture.workflowId, run.runId)
          .fetchHistory();
        const file = fileNameOf(capture.scenario, index, runs.length);
        // Failures carry stack traces: their paths are stored relative to the checkout, wherever it was.
        const json = historyToJSON(history).replaceAll(`${REPO_ROOT}/`, '');
        writeFileSync(join(outDir, file), `${json}\n`);
        entries.push({
          file,
          scenario: capture.scenario,
          workflowType: capture.workflowType,
          workflowId: capture.workflowId,
          ending: run.status,
        });
        console.log(`  ${file}: ${capture.workflowType} ${run.status}`);
      }
    }
    const manifest: HistoryManifest = {
      label,
      capturedAt: new Date().toISOString(),
      buildId: bundle.info.buildId,
      histories: entries,
    };
    writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`${entries.length} histories in ${outDir.replace(`${REPO_ROOT}/`, '')}`);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

main().catch((error: unknown) => {
  console.error(`histories:capture failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

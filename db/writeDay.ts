// One delivery day's write in one transaction, one entry point per mode (a check of JAO, with or without its facts;
// a failed run; a reprocessing and its dry run; a restore) over the same steps, each in a module of its own: the
// day's lane (db/lanes) prepares and merges its content, db/dayState.ts, db/dayRow.ts, db/reprocessChecks.ts,
// db/writtenDayFacts.ts, db/writeJournal.ts and db/dayEvents.ts do the rest.
import type pg from 'pg';
import { outcomeChanged } from '../domain/badDays';
import { withFirstSeenKeys } from '../domain/drift';
import { isRepublication } from '../domain/republication';
import { type TransactionTimeouts, WRITE_TIMEOUTS } from '../domain/timeBudget';
import type { DayStatus, Rejection } from '../domain/types';
import { dayEventTypeOf, raiseDayEvent } from './dayEvents';
import { upsertDayRow } from './dayRow';
import { checkWindow, readDayState } from './dayState';
import type {
  ContentOutcome,
  DayWrite,
  FailedRun,
  ReprocessedDayResult,
  ReprocessWrite,
  WriteDayInput,
  WriteDayResult,
  WriteDayResultWithFacts,
} from './dayWriteTypes';
import { ensureKeySet } from './keySets';
import { contentOf, firstSeenKeysOf, type LaneContent, type MergedDay } from './lanes';
import { DECOMPRESSION_LIMIT_LIFTED, lockDay } from './locks';
import { withDecidedTransaction, withTransaction } from './pool';
import { insertRejections } from './rejections';
import { checkNewestAnswer, readJudgedRecord } from './reprocessChecks';
import { recordRepublication } from './rowFields';
import { journalWrite } from './writeJournal';
import { readWrittenDayFacts } from './writtenDayFacts';

export type {
  DayWrite,
  Derivation,
  FailedRun,
  ReprocessedDayResult,
  WriteDayResult,
  WriteDayResultWithFacts,
  WrittenDayFacts,
} from './dayWriteTypes';
export { NewerAnswerStored } from './reprocessChecks';

/** The day's content and key set, made ready before the transaction: normalizing and hashing need no lock. */
interface PreparedWrite {
  input: WriteDayInput;
  content: LaneContent | null;
  rejections: Rejection[];
  keySetId: number | null;
}

async function prepareWrite(pool: pg.Pool, input: WriteDayInput): Promise<PreparedWrite> {
  const storesContent =
    input.validated !== null && (input.status === 'complete' || input.status === 'partial');
  const rejections = input.rejections ?? input.validated?.rejections ?? [];
  const content = storesContent && input.validated ? contentOf(input.validated, rejections) : null;
  const keySetId =
    input.validated && input.validated.keys.length > 0
      ? await ensureKeySet(pool, input.dataset, input.validated.keys)
      : null;
  if (content) await content.prepare(pool, input.dataset, { dryRun: input.reprocess?.dryRun ?? false });
  return { input, content, rejections, keySetId };
}

/** What the steps did inside the transaction, before it is committed or rolled back. */
interface WrittenSteps {
  result: WriteDayResult;
  merged: MergedDay | null;
  /** The day's judged record before and after (reprocessing writes only: db/reprocessChecks.ts). */
  judgedBefore: { status: DayStatus; judged: string } | null;
  judged: string;
}

/**
 * The write's steps under the day's lock, in one transaction (docs/design.md §6): the lane's content merged into
 * the revision history, the day's record, row fields, re-publication, the journal, the live feed's event (db/
 * dayEvents.ts) with its NOTIFY, rejections. Two writes of the same day serialize on the day's row in jao.day_lock,
 * within lock and statement timeouts (`timeouts`). Content is stored only for `complete` and `partial`; other
 * statuses record the run in jao.delivery_day (and rejections) only.
 */
async function writeSteps(
  client: pg.PoolClient,
  pool: pg.Pool,
  { input, content, rejections, keySetId }: PreparedWrite,
  timeouts: TransactionTimeouts,
  commitAsync: boolean,
): Promise<WrittenSteps> {
  if (commitAsync) await client.query('SET LOCAL synchronous_commit = off');
  await lockDay(client, input.dataset, input.day, 'write', timeouts, DECOMPRESSION_LIMIT_LIFTED);
  const state = await readDayState(client, input, content !== null);
  if (content) checkWindow(input, content, state);
  const reprocess = input.reprocess ?? null;
  // A reprocessing compares with the stored values themselves: a faulty build may have stored others under the
  // right hash.
  const unchanged =
    reprocess === null &&
    content !== null &&
    state.revisionCount > 0 &&
    state.contentHash === content.contentHash;
  if (reprocess) await checkNewestAnswer(client, input, reprocess);
  const judgedBefore = reprocess ? await readJudgedRecord(client, input) : null;
  const merged =
    content && !unchanged
      ? await content.merge(client, { pool, dataset: input.dataset, day: input.day }, state, {
          fresh: state.revisionCount === 0 && reprocess === null,
          compareAll: reprocess !== null,
        })
      : null;
  const outcome: ContentOutcome | null = merged?.outcome ?? null;
  const contentChanged = outcome !== null && outcome.changed + outcome.added + outcome.vanished > 0;
  const { revision, status, judged, recheckError, hasLastError } = await upsertDayRow(
    client,
    input,
    state,
    content,
    outcome,
    contentChanged,
    contentChanged ? (merged?.touchedSeries ?? null) : null,
    keySetId,
  );
  // A reprocessing re-derives a stored answer: its row fields are no news from JAO.
  const movedFields =
    content && reprocess === null
      ? await content.storeRowFields(client, {
          dataset: input.dataset,
          day: input.day,
          seenAt: state.txTime,
          rawResponseId: input.rawResponseId,
        })
      : 0;
  const republished = isRepublication({
    reprocess: reprocess !== null,
    storedBefore: state.revisionCount > 0,
    contentChanged,
    movedFields,
    recheckError,
  });
  if (republished)
    await recordRepublication(client, { dataset: input.dataset, day: input.day, at: state.txTime });
  await journalWrite(client, input, state);
  const eventType = dayEventTypeOf({ contentChanged, revision, status, recheckError, republished });
  if (eventType) {
    await raiseDayEvent(client, {
      type: eventType,
      dataset: input.dataset,
      day: input.day,
      status,
      revision,
      buildId: input.buildId ?? null,
      raisedAt: state.txTime,
      error: eventType === 'day.recheck_failed' ? recheckError : null,
    });
  }
  // Rejections belong to their raw response, whether or not its content changed the day: insertRejections
  // stores them once per raw_response_id. Without a raw response, only a write that changed content adds them.
  if (rejections.length > 0 && (input.rawResponseId !== null || !unchanged)) {
    await insertRejections(client, {
      dataset: input.dataset,
      day: input.day,
      rawResponseId: input.rawResponseId,
      workflowId: input.workflowId,
      rejectedAt: state.txTime,
      rejections,
    });
  }
  const result: WriteDayResult = {
    status,
    mtus: content ? (input.validated?.receivedMtus ?? 0) : 0,
    points: content ? content.size : 0,
    changedPoints: outcome?.changed ?? 0,
    newPoints: outcome?.added ?? 0,
    vanishedPoints: outcome?.vanished ?? 0,
    newSeries: outcome?.newSeries ?? 0,
    revision,
    contentChanged,
    republished,
    outcomeChanged: outcomeChanged(
      state.status === null ? null : { status: state.status, lastError: state.hasLastError },
      { status, lastError: hasLastError },
    ),
  };
  return { result, merged, judgedBefore, judged };
}

/** A check of JAO (a fetch's answer judged, or a failed run), committed. */
async function checkedWrite<T>(
  pool: pg.Pool,
  input: WriteDayInput,
  timeouts: TransactionTimeouts,
  commitAsync: boolean,
  report: (client: pg.PoolClient, result: WriteDayResult) => Promise<T>,
): Promise<T> {
  const prepared = await prepareWrite(pool, input);
  let merged: MergedDay | null = null;
  const reported = await withTransaction(pool, async (client) => {
    const steps = await writeSteps(client, pool, prepared, timeouts, commitAsync);
    merged = steps.merged;
    return report(client, steps.result);
  });
  (merged as MergedDay | null)?.afterCommit();
  return reported;
}

/**
 * A reprocessing's write: committed only when it changes the values or the day's judged record, and never on a dry
 * run (`input.reprocess.dryRun`); rolled back otherwise, with what it would have done.
 */
async function reprocessingWrite(
  pool: pg.Pool,
  input: WriteDayInput & { reprocess: ReprocessWrite },
  timeouts: TransactionTimeouts,
  commitAsync: boolean,
): Promise<ReprocessedDayResult> {
  const prepared = await prepareWrite(pool, input);
  const { value, commit } = await withDecidedTransaction(pool, async (client) => {
    const steps = await writeSteps(client, pool, prepared, timeouts, commitAsync);
    const dayChanged = steps.judgedBefore?.judged !== steps.judged;
    const committed = !input.reprocess.dryRun && (steps.result.contentChanged || dayChanged);
    const reprocessed = { statusBefore: steps.judgedBefore?.status ?? null, dayChanged, committed };
    return { value: { steps, reprocessed }, commit: committed };
  });
  if (!commit) return { ...value.steps.result, outcomeChanged: false, reprocessed: value.reprocessed };
  value.steps.merged?.afterCommit();
  return { ...value.steps.result, reprocessed: value.reprocessed };
}

const noReport = async (_client: pg.PoolClient, result: WriteDayResult) => result;

/**
 * Writes one delivery day as a check of JAO found it (docs/design.md §6): series catalog, current values, revision
 * history, day status, rejections, and the live feed's event. Set-based: a day's first content is one binary COPY,
 * later content travels as binary arrays expanded with unnest.
 */
export function writeDay(
  pool: pg.Pool,
  input: DayWrite,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<WriteDayResult> {
  return checkedWrite(pool, input, timeouts, false, noReport);
}

/**
 * writeDay, reading inside its transaction what its caller reports after it (db/writtenDayFacts.ts): the day's
 * drift, the dataset's latest complete day, the day's publication facts.
 */
export function writeDayWithFacts(
  pool: pg.Pool,
  input: DayWrite,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<WriteDayResultWithFacts> {
  return checkedWrite(pool, input, timeouts, false, async (client, result) => {
    const facts = await readWrittenDayFacts(client, input, result);
    const firstSeen = result.contentChanged && input.validated ? firstSeenKeysOf(input.validated) : [];
    const resolution = input.validated?.resolutionMinutes ?? null;
    return { ...result, facts: { ...facts, drift: withFirstSeenKeys(facts.drift, firstSeen, resolution) } };
  });
}

/** Records a day's run that failed before it judged an answer: the day's record and error, no content. */
export function recordFailedDay(
  pool: pg.Pool,
  run: FailedRun,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<WriteDayResult> {
  return writeDay(pool, { ...run, status: 'failed', validated: null, rawResponseId: null }, timeouts);
}

/**
 * Re-derives a day from its stored answer `input.rawResponseId` (activities/reprocess.ts); `newestAnswerId`: the
 * newest of the day's answers when the source was chosen (ReprocessWrite). Commits only what changes.
 */
export function writeReprocessedDay(
  pool: pg.Pool,
  input: DayWrite,
  newestAnswerId: number,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<ReprocessedDayResult> {
  return reprocessingWrite(pool, { ...input, reprocess: { newestAnswerId, dryRun: false } }, timeouts, false);
}

/** What writeReprocessedDay would change, written in a transaction that is always rolled back. */
export function previewReprocessedDay(
  pool: pg.Pool,
  input: DayWrite,
  newestAnswerId: number,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<ReprocessedDayResult> {
  return reprocessingWrite(pool, { ...input, reprocess: { newestAnswerId, dryRun: true } }, timeouts, false);
}

/**
 * Repeats a journaled write from the archive (archive/restore.ts): its journal row names the archive object
 * `restoredFrom` and counts as archived; `reprocessedAgainst`: a journaled reprocessing's newest answer, the write
 * then committed only when it changes something, as the reprocessing was. Committed without waiting for the WAL to
 * reach the disk (synchronous_commit off): the restore makes its batch durable itself and repeats what a crash lost.
 */
export async function restoreDayWrite(
  pool: pg.Pool,
  input: DayWrite,
  restore: { restoredFrom: string; reprocessedAgainst?: number },
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<WriteDayResult> {
  const restored = { ...input, restoredFrom: restore.restoredFrom };
  if (restore.reprocessedAgainst === undefined) return checkedWrite(pool, restored, timeouts, true, noReport);
  const reprocess = { newestAnswerId: restore.reprocessedAgainst, dryRun: false };
  return reprocessingWrite(pool, { ...restored, reprocess }, timeouts, true);
}

// One delivery day's write in one transaction, one entry point per mode (a check of JAO, with or without its facts;
// a failed run; a reprocessing and its dry run; a restore, whose checks of small days share a transaction) over the
// same steps: the day's lane (db/lanes) prepares
// its content before the transaction; under the day's lock db/dayState.ts reads the day, db/writeSteps.ts writes it,
// and db/writtenDayFacts.ts reads back what the caller reports. What a mode decides is a value it returns, never an
// exception.
import type pg from 'pg';
import { type TransactionTimeouts, WRITE_TIMEOUTS } from '../domain/timeBudget';
import { copyPending, type PendingCopies } from './copy';
import { lockedDayState, readDayState } from './dayState';
import type {
  DayWrite,
  Derivation,
  FailedRun,
  NewerAnswer,
  ReprocessedDayResult,
  ReprocessWrite,
  WriteDayInput,
  WriteDayResult,
  WriteDayResultWithFacts,
} from './dayWriteTypes';
import { ensureKeySet } from './keySets';
import { contentOf } from './lanes';
import type { LaneContent, MergedDay } from './lanes/lane';
import { boundTransaction, DECOMPRESSION_LIMIT_LIFTED, lockDayFor, type TransactionSetting } from './locks';
import { withDecidedTransaction } from './pool';
import { type PreparedWrite, type WrittenSteps, writeSteps } from './writeSteps';
import { readWrittenDayFacts } from './writtenDayFacts';

export type { DayWrite, NewerAnswer, ReprocessedDayResult } from './dayWriteTypes';

/** A restore of a journaled reprocessing met a newer answer of the day than the one it was journaled against. */
export class NewerAnswerStored extends Error {
  override name = 'NewerAnswerStored';
}

/** What jao.derivation says of a write without an explicit derivation: a fetch, from its raw answer. */
function fetchDerivation(input: WriteDayInput): Derivation {
  return {
    kind: 'fetch',
    reason:
      input.rawResponseId === null
        ? 'written without a stored raw answer'
        : `derived from JAO's answer (raw response ${input.rawResponseId})`,
  };
}

/**
 * The write made ready before the transaction: its derivation decided, its content and key set built (normalizing and
 * hashing need no lock).
 */
async function prepareWrite(pool: pg.Pool, input: WriteDayInput): Promise<PreparedWrite> {
  const derived = { ...input, derivation: input.derivation ?? fetchDerivation(input) };
  const storesContent =
    input.validated !== null && (input.status === 'complete' || input.status === 'partial');
  const rejections = input.rejections ?? input.validated?.rejections ?? [];
  const content = storesContent && input.validated ? await contentOf(input.validated, rejections) : null;
  const keySetId =
    input.validated && input.validated.keys.length > 0
      ? await ensureKeySet(pool, input.dataset, input.validated.keys)
      : null;
  if (content) await content.prepare(pool, input.dataset, { dryRun: input.reprocess?.dryRun ?? false });
  return { input: derived, content, rejections, keySetId };
}

/**
 * A restored check's answer stored in the write's own transaction, under the day's raw-answer and write locks
 * (restoreCheckedWrites takes them): its id, or null when the database holds the write already: nothing is written.
 */
export type RestoredAnswerStore = (client: pg.PoolClient) => Promise<number | null>;

/** A check of JAO (a fetch's answer judged, or a failed run), committed. */
async function checkedWrite<T>(
  pool: pg.Pool,
  input: WriteDayInput,
  timeouts: TransactionTimeouts,
  commitAsync: boolean,
  report: (client: pg.PoolClient, result: WriteDayResult, content: LaneContent | null) => Promise<T>,
): Promise<T> {
  const prepared = await prepareWrite(pool, input);
  let merged: MergedDay | null = null;
  const { value } = await withDecidedTransaction(pool, async (client) => {
    if (commitAsync) await client.query('SET LOCAL synchronous_commit = off');
    const state = await lockedDayState(client, input, prepared.content, timeouts);
    const steps = await writeSteps(client, pool, prepared, state);
    merged = steps.merged;
    return { value: await report(client, steps.result, prepared.content), commit: true };
  });
  (merged as MergedDay | null)?.afterCommit();
  return value;
}

/**
 * A reprocessing's write: committed only when it changes the values or the day's judged record, and never on a dry
 * run (`input.reprocess.dryRun`); rolled back otherwise, with what it would have done. Nothing is written when a
 * newer answer of the day was stored since its source was chosen (NewerAnswer).
 */
async function reprocessingWrite(
  pool: pg.Pool,
  input: WriteDayInput & { reprocess: ReprocessWrite },
  timeouts: TransactionTimeouts,
  commitAsync: boolean,
): Promise<ReprocessedDayResult | NewerAnswer> {
  const prepared = await prepareWrite(pool, input);
  type Decided = { steps: WrittenSteps; reprocessed: ReprocessedDayResult['reprocessed'] } | NewerAnswer;
  const { value, commit } = await withDecidedTransaction<Decided>(pool, async (client) => {
    if (commitAsync) await client.query('SET LOCAL synchronous_commit = off');
    const state = await lockedDayState(client, input, prepared.content, timeouts);
    const newest = state.newestAnswerId ?? 0;
    if (newest > input.reprocess.newestAnswerId) return { value: { newerAnswerId: newest }, commit: false };
    const steps = await writeSteps(client, pool, prepared, state);
    const dayChanged = state.judgedBefore?.judged !== steps.judged;
    const committed = !input.reprocess.dryRun && (steps.result.contentChanged || dayChanged);
    const reprocessed = { statusBefore: state.judgedBefore?.status ?? null, dayChanged, committed };
    return { value: { steps, reprocessed }, commit: committed };
  });
  if ('newerAnswerId' in value) return value;
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
  return checkedWrite(pool, input, timeouts, false, async (client, result, content) => ({
    ...result,
    facts: await readWrittenDayFacts(client, input, result, content?.firstSeenKeys ?? []),
  }));
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
 * newest of the day's answers when the source was chosen (ReprocessWrite). Commits only what changes; writes nothing
 * when a newer answer was stored since (NewerAnswer).
 */
export function writeReprocessedDay(
  pool: pg.Pool,
  input: DayWrite,
  newestAnswerId: number,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<ReprocessedDayResult | NewerAnswer> {
  return reprocessingWrite(pool, { ...input, reprocess: { newestAnswerId, dryRun: false } }, timeouts, false);
}

/** What writeReprocessedDay would change, written in a transaction that is always rolled back. */
export function previewReprocessedDay(
  pool: pg.Pool,
  input: DayWrite,
  newestAnswerId: number,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<ReprocessedDayResult | NewerAnswer> {
  return reprocessingWrite(pool, { ...input, reprocess: { newestAnswerId, dryRun: true } }, timeouts, false);
}

/**
 * Repeats a journaled write from the archive (archive/restore.ts) whose answer is stored already, or that judged none:
 * its journal row names the archive object `restoredFrom` and counts as archived; `reprocessedAgainst`: a journaled
 * reprocessing's newest answer, the write then committed only when it changes something, as the reprocessing was.
 * Committed without waiting for the WAL to reach the disk (synchronous_commit off): the restore makes its batch
 * durable itself and repeats what a crash lost.
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
  const written = await reprocessingWrite(pool, { ...restored, reprocess }, timeouts, true);
  // The journal is repeated in its order: an answer newer than the one the reprocessing was journaled against is
  // an archive that does not hold what it should.
  if ('newerAnswerId' in written)
    throw new NewerAnswerStored(
      `${input.day}: a newer answer (raw response ${written.newerAnswerId}) than the journaled reprocessing's ` +
        `(raw response ${restore.reprocessedAgainst}) is stored`,
    );
  return written;
}

/** A journaled check of JAO repeated from the archive with its answer (restoreCheckedWrites). */
export interface RestoredCheck {
  input: DayWrite;
  /** The archive object of the write's journal entry: its journal row names it, and counts as archived. */
  restoredFrom: string;
  storeAnswer: RestoredAnswerStore;
}

/** Bounds of a restored group's transaction: a restored write commits without waiting for the disk. */
const RESTORED_GROUP_SETTINGS: readonly TransactionSetting[] = [
  DECOMPRESSION_LIMIT_LIFTED,
  { name: 'synchronous_commit', value: 'off' },
];

/**
 * Repeats journaled checks of JAO of different days from the archive, in their order, in one transaction
 * (archive/restore.ts groups small days): one BEGIN, COMMIT and statement of bounds for them all, each day's
 * raw-answer and write locks taken in one statement, its answer stored (`storeAnswer`) and its write made under them,
 * the values of the fresh days copied with one COPY after the last. Committed without waiting for the WAL to reach the
 * disk, as restoreDayWrite; a group that deadlocks with another is repeated a check at a time. Each check's result, or
 * null when the database holds its write (nothing of it is written).
 */
export async function restoreCheckedWrites(
  pool: pg.Pool,
  checks: readonly RestoredCheck[],
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<(WriteDayResult | null)[]> {
  try {
    return await restoreGroup(pool, checks, timeouts);
  } catch (error) {
    // A day locks the catalogue rows it moves in id order; a group, day after day: one that deadlocked (40P01) was
    // rolled back whole, and its checks are repeated one a transaction, as the live path writes them.
    if (checks.length < 2 || (error as { code?: unknown }).code !== '40P01') throw error;
    const results: (WriteDayResult | null)[] = [];
    for (const check of checks) results.push(...(await restoreGroup(pool, [check], timeouts)));
    return results;
  }
}

async function restoreGroup(
  pool: pg.Pool,
  checks: readonly RestoredCheck[],
  timeouts: TransactionTimeouts,
): Promise<(WriteDayResult | null)[]> {
  const days = new Set(checks.map((check) => `${check.input.dataset}/${check.input.day}`));
  // A later write of a day reads what the earlier one wrote: one write of a day per group.
  if (days.size < checks.length) throw new Error('restoreCheckedWrites: two writes of one day in a group');
  const prepared: PreparedWrite[] = [];
  for (const check of checks)
    prepared.push(await prepareWrite(pool, { ...check.input, restoredFrom: check.restoredFrom }));
  const merges: MergedDay[] = [];
  const { value } = await withDecidedTransaction(pool, async (client) => {
    await boundTransaction(client, timeouts, RESTORED_GROUP_SETTINGS);
    const pendingCopies: PendingCopies = new Map();
    const results: (WriteDayResult | null)[] = [];
    for (const [index, check] of checks.entries()) {
      const write = prepared[index]!;
      await lockDayFor(client, check.input.dataset, check.input.day, ['raw', 'write']);
      const rawResponseId = await check.storeAnswer(client);
      // Null: the database holds the write, and nothing of it is written.
      const input = rawResponseId === null ? null : { ...write.input, rawResponseId };
      const state = input && (await readDayState(client, input, write.content));
      const steps =
        input && state && (await writeSteps(client, pool, { ...write, input }, state, pendingCopies));
      if (steps?.merged) merges.push(steps.merged);
      results.push(steps?.result ?? null);
    }
    await copyPending(client, pendingCopies);
    return { value: results, commit: true };
  });
  for (const merged of merges) merged.afterCommit();
  return value;
}

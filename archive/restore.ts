// Rebuilding a database from the archive (jao restore, the restore workflow): each journaled write repeated from its
// archived answer, at its original transaction time, with zero requests to JAO; the writes of one day in the order they
// happened, different days in parallel (nothing a day's write reads or moves depends on another day's).
import type pg from 'pg';
import { inLanes } from '../common/lanes';
import { laneOf } from '../db/lanes';
import { lockDay, type TransactionSetting } from '../db/locks';
import { namedStatement } from '../db/namedStatement';
import { withTransaction } from '../db/pool';
import { assessAnswerBytes, assessStoredAnswer } from '../db/storedAnswer';
import { type RestoredCheck, restoreCheckedWrites, restoreDayWrite } from '../db/writeDay';
import type { RestoreProgressView } from '../domain/archiveInputs';
import { DEFAULT_MAX_BODY_BYTES } from '../domain/bodyLimit';
import { storedAnswerLimit } from '../domain/storedAnswerLimit';
import { RAW_STORE_TIMEOUTS } from '../domain/timeBudget';
import type { DeliveryDay } from '../domain/types';
import {
  decodeEntry,
  JOURNAL_PREFIX,
  type JournalEntry,
  journalDateOf,
  jsonOf,
  MANIFEST_KEY,
  manifestSchema,
  nextJournalDate,
  parseJournalKey,
  readAnswerObject,
} from './format';
import type { ArchiveStore } from './store';

/** The database already holds days and no merge was asked for: nothing is written. */
export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** The URL names no archive (nothing there, or not one this project wrote): another attempt finds the same. */
export class NotAnArchive extends Error {
  override name = 'NotAnArchive';
}

export interface RestoreRange {
  /** Only entries of delivery days in [fromDay, toDay] (either bound optional). */
  fromDay?: DeliveryDay;
  toDay?: DeliveryDay;
}

export interface RestorePlan {
  /** Journal entries of the range in the archive. */
  total: number;
  /** The folders of the first and last entries' dates (journal/YYYYMMDD/), null when the range has no entry. */
  firstDate: string | null;
  lastDate: string | null;
}

export interface RestoreBatchResult {
  /** Entries written into the database. */
  applied: number;
  /** Entries the database held already (a resumed restore) or that are older than its day's latest write (merge). */
  skipped: number;
  /** The last key handled, null when nothing was left. */
  lastKey: string | null;
  /** The day of the last entry handled. */
  lastDay: DeliveryDay | null;
  /** No entry of the range is left after lastKey. */
  done: boolean;
}

/** Refuses a database that holds days (jao.delivery_day), unless `merge`. */
export async function checkRestoreTarget(pool: pg.Pool, merge: boolean): Promise<{ heldDays: number }> {
  const result = await pool.query<{ days: string }>('SELECT count(*) AS days FROM jao.delivery_day');
  const days = Number(result.rows[0]!.days);
  if (days > 0 && !merge)
    throw new RestoreRefused(
      `the database holds ${days} day(s): restore rebuilds an empty database (create one and run jao migrate), or pass --merge to add the archive's writes that are newer than what each day holds`,
    );
  return { heldDays: days };
}

async function checkManifest(store: ArchiveStore): Promise<void> {
  const bytes = await store.get(MANIFEST_KEY);
  if (!bytes)
    throw new NotAnArchive(
      `${store.location} is not an archive of jao-scraper (no ${MANIFEST_KEY}): restore from the ARCHIVE_URL the pipeline shipped to (--from)`,
    );
  if (!manifestSchema.safeParse(jsonOf(bytes)).success)
    throw new NotAnArchive(`${store.location}: ${MANIFEST_KEY} is not a jao-archive manifest of version 1`);
}

const inRange = (day: string, range: RestoreRange) =>
  (range.fromDay === undefined || day >= range.fromDay) && (range.toDay === undefined || day <= range.toDay);

/** Counts the range's entries (one listing of the journal) and checks the archive's manifest. */
export async function planRestore(store: ArchiveStore, range: RestoreRange): Promise<RestorePlan> {
  await checkManifest(store);
  const plan: RestorePlan = { total: 0, firstDate: null, lastDate: null };
  for await (const key of store.list(JOURNAL_PREFIX)) {
    const named = parseJournalKey(key);
    if (!named || !inRange(named.day, range)) continue;
    plan.total += 1;
    plan.firstDate ??= journalDateOf(key);
    plan.lastDate = journalDateOf(key);
  }
  return plan;
}

/** The next `limit` keys of the range after `after`, listing one date of transaction times at a time. */
async function nextKeys(
  store: ArchiveStore,
  plan: RestorePlan,
  range: RestoreRange,
  after: string | null,
  limit: number,
): Promise<{ keys: string[]; done: boolean }> {
  if (plan.firstDate === null || plan.lastDate === null) return { keys: [], done: true };
  const keys: string[] = [];
  let date = after === null ? plan.firstDate : journalDateOf(after);
  while (date <= plan.lastDate) {
    for await (const key of store.list(date)) {
      if (after !== null && key <= after) continue;
      const named = parseJournalKey(key);
      if (!named || !inRange(named.day, range)) continue;
      keys.push(key);
      if (keys.length > limit) return { keys: keys.slice(0, limit), done: false };
    }
    date = nextJournalDate(date);
  }
  return { keys, done: true };
}

/**
 * SQL: whether the database holds the journaled write `key` of `dataset`'s `day` already, or its day holds a write
 * later than `writtenAt` (which it must not precede).
 */
const heldTest = (key: string, dataset: string, day: string, writtenAt: string) =>
  `EXISTS (SELECT 1 FROM jao.day_write WHERE archive_key = ${key})
   OR COALESCE((SELECT GREATEST(d.last_checked_at, d.last_changed_at) FROM jao.delivery_day d
                 WHERE d.dataset = ${dataset} AND d.day = ${day}), '-infinity') > ${writtenAt}
   OR EXISTS (SELECT 1 FROM jao.day_write x
               WHERE x.dataset = ${dataset} AND x.day = ${day} AND x.written_at > ${writtenAt})`;

/** The keys of `writes` the database holds already (`held`): one statement for a batch. */
async function heldKeys(pool: pg.Pool, writes: { key: string; entry: JournalEntry }[]): Promise<Set<string>> {
  const result = await pool.query<{ key: string }>(
    `SELECT w.key FROM unnest($1::text[], $2::text[], $3::date[], $4::timestamptz[]) AS w(key, dataset, day, written_at)
      WHERE ${heldTest('w.key', 'w.dataset', 'w.day', 'w.written_at')}`,
    [
      writes.map((write) => write.key),
      writes.map((write) => write.entry.dataset),
      writes.map((write) => write.entry.day),
      writes.map((write) => write.entry.writtenAt),
    ],
  );
  return new Set(result.rows.map((row) => row.key));
}

/** A restored write commits without waiting for the disk: restoreBatch makes its batch durable at its end. */
const ASYNC_COMMIT: TransactionSetting = { name: 'synchronous_commit', value: 'off' };

/**
 * A write's raw answer in the restored database, in one statement under the day's raw-answer lock (db/rawResponse.ts
 * takes the same): nothing when the database holds the write already (`held`); else the row it judged
 * when the day holds it (a resumed restore, or a reprocessing: the day's latest row of the answer's hash; a fetch: the
 * day's latest row when it is this answer, its fetch counted as storeRawResponse counts a repeated one when it did not
 * hold it), or a new row as the fetch stored it. Either way the row names the archive object its bytes came from, as it
 * did where the answer was first archived.
 */
const STORE_RESTORED_ANSWER = namedStatement<
  ReturnType<typeof restoredAnswerParams>,
  { held: boolean; raw_response_id: string | null }
>(
  'jao.restore.storeAnswer',
  `WITH held AS (
     SELECT ${heldTest(':key', ':dataset', ':day::date', ':writtenAt::timestamptz')} AS held
   ),
   latest AS (
     SELECT raw_response_id, sha256 FROM jao.raw_response
      WHERE dataset = :dataset AND day = :day::date
      ORDER BY raw_response_id DESC LIMIT 1
   ),
   -- a reprocessing re-derived the day's latest row of its answer's hash; a fetch judged the day's latest row
   reused AS (
     (SELECT r.raw_response_id FROM jao.raw_response r
       WHERE :reprocess::boolean AND r.dataset = :dataset AND r.day = :day::date AND r.sha256 = :sha256
         AND NOT (SELECT held FROM held)
       ORDER BY r.raw_response_id DESC LIMIT 1)
     UNION ALL
     SELECT l.raw_response_id FROM latest l
      WHERE NOT :reprocess::boolean AND l.sha256 = :sha256 AND NOT (SELECT held FROM held)
   ),
   named AS (
     UPDATE jao.raw_response r
        SET archive_key = COALESCE(r.archive_key, :object),
            last_fetched_at = GREATEST(r.last_fetched_at, :fetchedAt::timestamptz),
            fetch_count = r.fetch_count
                          + CASE WHEN NOT :reprocess::boolean AND r.last_fetched_at < :fetchedAt::timestamptz
                                 THEN 1 ELSE 0 END
       FROM reused u
      WHERE r.raw_response_id = u.raw_response_id
        AND (r.archive_key IS NULL OR (NOT :reprocess::boolean AND r.last_fetched_at < :fetchedAt::timestamptz))
   ),
   inserted AS (
     INSERT INTO jao.raw_response
            (dataset, day, request_from, request_to, http_status, body, sha256, bytes, fetched_at, last_fetched_at,
             truncated_reason, answer, archive_key)
     SELECT :dataset, :day::date, :requestFrom, :requestTo, :httpStatus, :body, :sha256, :bytes,
            :fetchedAt::timestamptz, :fetchedAt::timestamptz, :truncatedReason, :answer, :object
      WHERE NOT (SELECT held FROM held) AND NOT EXISTS (SELECT 1 FROM reused)
     RETURNING raw_response_id
   ),
   answer AS (
     SELECT raw_response_id FROM reused UNION ALL SELECT raw_response_id FROM inserted
   )
   SELECT (SELECT held FROM held) AS held, (SELECT raw_response_id FROM answer) AS raw_response_id`,
);

/** STORE_RESTORED_ANSWER's parameters: a journaled write and its answer, whose bytes were read from the archive. */
function restoredAnswerParams(
  key: string,
  entry: JournalEntry,
  answer: NonNullable<JournalEntry['answer']>,
  { body, sha256 }: ReadAnswer,
) {
  const truncated = answer.truncatedReason !== null;
  return {
    key,
    dataset: entry.dataset,
    day: entry.day,
    writtenAt: entry.writtenAt,
    reprocess: entry.kind === 'reprocess',
    // A truncated answer is named by the hash of what was read (storeRawResponse's `truncated.sha256`).
    sha256: truncated ? answer.sha256 : sha256,
    fetchedAt: answer.fetchedAt,
    object: answer.object,
    requestFrom: answer.request.from,
    requestTo: answer.request.to,
    httpStatus: answer.httpStatus,
    body,
    bytes: truncated ? answer.bytes : body.byteLength,
    truncatedReason: answer.truncatedReason,
    answer: answer.answer,
  };
}

async function newestAnswerId(pool: pg.Pool, entry: JournalEntry): Promise<number> {
  const result = await pool.query<{ newest: string | null }>(
    `SELECT max(raw_response_id) AS newest FROM jao.raw_response
      WHERE dataset = $1 AND day = $2::date AND answer IS DISTINCT FROM 'rejected'`,
    [entry.dataset, entry.day],
  );
  return Number(result.rows[0]?.newest ?? 0);
}

/** A journaled write's answer read from the archive, its bytes checked against the hash that names them. */
interface ReadAnswer {
  body: Uint8Array;
  sha256: string;
}

async function readAnswer(
  store: ArchiveStore,
  key: string,
  answer: NonNullable<JournalEntry['answer']>,
): Promise<ReadAnswer> {
  const object = await store.get(answer.object);
  if (!object) throw new Error(`${store.location}: ${answer.object} (the answer of ${key}) is missing`);
  const read = await readAnswerObject(answer.object, object);
  if (!read.bytes || !read.sha256 || !read.matches)
    throw new Error(
      `${store.location}: ${answer.object} does not hold the bytes its name says (${read.bytes ? 'sha256 mismatch' : 'not gzip'})`,
    );
  return { body: read.bytes, sha256: read.sha256 };
}

/** A journaled write with its answer as read from the archive, its bytes checked (null: it judged none). */
interface ReadWrite {
  key: string;
  entry: JournalEntry;
  read: ReadAnswer | null;
}

/** What a journaled write's repetition takes from its entry whatever its answer. */
const writeOf = (entry: JournalEntry) => ({
  dataset: entry.dataset,
  day: entry.day,
  status: entry.status,
  expectedMtus: entry.expectedMtus,
  workflowId: entry.workflowId,
  buildId: entry.buildId,
  error: entry.error,
  observedAt: new Date(entry.writtenAt),
  derivation: entry.derivation,
});

/** Stores a write's answer in `client`'s transaction (STORE_RESTORED_ANSWER); null when the database holds the write. */
async function storeRestoredAnswer(
  client: pg.PoolClient,
  params: ReturnType<typeof restoredAnswerParams>,
): Promise<number | null> {
  const row = (await STORE_RESTORED_ANSWER.run(client, params)).rows[0]!;
  return row.held ? null : Number(row.raw_response_id);
}

/**
 * Whether a write goes in a group of checks (restoreCheckedWrites): a check of a lane that restores in groups, whose
 * whole answer, within its dataset's bound, is judged from the bytes just checked and stored in its write's
 * transaction.
 */
function isGroupedCheck(write: ReadWrite, maxBodyBytes: number): write is ReadWrite & { read: ReadAnswer } {
  const { entry, read } = write;
  return (
    read !== null &&
    entry.answer !== null &&
    entry.kind !== 'reprocess' &&
    entry.answer.truncatedReason === null &&
    laneOf(entry.dataset).restoresInGroups &&
    read.body.byteLength <= storedAnswerLimit(entry.dataset, maxBodyBytes).bytes
  );
}

/** A grouped check judged from its answer's bytes, ready for its group's transaction. */
async function restoredCheck(pool: pg.Pool, { key, entry, read }: ReadWrite & { read: ReadAnswer }) {
  const text = Buffer.from(read.body.buffer, read.body.byteOffset, read.body.byteLength).toString('utf8');
  const { validated, rejections } = (await laneOf(entry.dataset).judge(pool, entry, text)).assessment;
  const params = restoredAnswerParams(key, entry, entry.answer!, read);
  return {
    input: { ...writeOf(entry), validated, rejections, rawResponseId: null, reason: entry.reason },
    restoredFrom: key,
    storeAnswer: (client: pg.PoolClient) => storeRestoredAnswer(client, params),
  } satisfies RestoredCheck;
}

/**
 * Repeats, in a transaction of its own, a journaled write no group takes, unless the database holds it already: a
 * recorded failure (no answer), a reprocessing, or a check whose answer is truncated or oversized, stored first and
 * judged as the database holds it (refused). Whether it was written.
 */
async function applyAlone(
  pool: pg.Pool,
  { key, entry, read }: ReadWrite,
  maxBodyBytes: number,
): Promise<boolean> {
  const answer = entry.answer;
  if (answer === null || read === null) {
    if ((await heldKeys(pool, [{ key, entry }])).size > 0) return false;
    // A recorded failure judged no answer, and gave no reason of its own (the day's reason is its error).
    await restoreDayWrite(
      pool,
      { ...writeOf(entry), validated: null, rawResponseId: null },
      { restoredFrom: key },
    );
    return true;
  }
  const params = restoredAnswerParams(key, entry, answer, read);
  const rawResponseId = await withTransaction(pool, async (client) => {
    await lockDay(client, params.dataset, params.day, 'raw', RAW_STORE_TIMEOUTS, ASYNC_COMMIT);
    return storeRestoredAnswer(client, params);
  });
  if (rawResponseId === null) return false;
  const ref = { dataset: entry.dataset, day: entry.day, rawResponseId };
  const { validated, rejections } =
    answer.truncatedReason === null
      ? await assessAnswerBytes(pool, ref, { bytes: read.body }, maxBodyBytes)
      : await assessStoredAnswer(pool, ref, maxBodyBytes);
  const write = { ...writeOf(entry), validated, rejections, rawResponseId, reason: entry.reason };
  await restoreDayWrite(pool, write, {
    restoredFrom: key,
    ...(entry.kind === 'reprocess' ? { reprocessedAgainst: await newestAnswerId(pool, entry) } : {}),
  });
  return true;
}

/** Lanes of days restored at once within a batch: each day's writes stay in their order. */
export const RESTORE_LANES = 4;
/**
 * A group of checks (restoreCheckedWrites) holds at most this many writes, of different days, and this many bytes of
 * their answers: small days share a transaction, a large one has its own.
 */
const GROUP_WRITES = 8;
const GROUP_BYTES = 4 * 1024 * 1024;

/**
 * Repeats the writes of a lane's days (`writes`, each day's in the order they were written) unless the database holds
 * them: checks of different days in groups, a group committed before a later write of one of its days is judged, every
 * other write alone. How many were written.
 */
async function applyWrites(
  pool: pg.Pool,
  store: ArchiveStore,
  writes: readonly { key: string; entry: JournalEntry }[],
  answers: ReturnType<typeof answerReader>,
  maxBodyBytes: number,
): Promise<number> {
  let applied = 0;
  let group: RestoredCheck[] = [];
  let groupBytes = 0;
  const commitGroup = async () => {
    if (group.length === 0) return;
    const results = await restoreCheckedWrites(pool, group);
    applied += results.filter((result) => result !== null).length;
    group = [];
    groupBytes = 0;
  };
  for (const { key, entry } of writes) {
    const answer = entry.answer;
    const read = answer === null ? null : await (answers.take(key) ?? readAnswer(store, key, answer));
    const write = { key, entry, read };
    if (!isGroupedCheck(write, maxBodyBytes)) {
      await commitGroup();
      if (await applyAlone(pool, write, maxBodyBytes)) applied += 1;
      continue;
    }
    const sameDay = group.some(
      (check) => check.input.dataset === entry.dataset && check.input.day === entry.day,
    );
    if (sameDay || group.length >= GROUP_WRITES || groupBytes + write.read.body.byteLength > GROUP_BYTES)
      await commitGroup();
    group.push(await restoredCheck(pool, write));
    groupBytes += write.read.body.byteLength;
  }
  await commitGroup();
  return applied;
}

/** The batch's days (each its writes in order) in runs of consecutive days of about GROUP_WRITES writes: a lane's share. */
function runsOfDays<T>(days: readonly T[][]): T[][] {
  const runs: T[][] = [[]];
  for (const writes of days) {
    if (runs.at(-1)!.length >= GROUP_WRITES) runs.push([]);
    runs.at(-1)!.push(...writes);
  }
  return runs.filter((run) => run.length > 0);
}

/** Journal objects read at once (a request each on S3). */
const ENTRY_READS_AT_ONCE = 16;
/**
 * How far the reading of answers runs ahead of the writes: at most this many answers, and this many of their bytes
 * (the answer being written is read whatever its size).
 */
const ANSWERS_READ_AHEAD = 16;
const BYTES_READ_AHEAD = 64 * 1024 * 1024;

/**
 * Starts reading the answers of `writes` (in the order the lanes take them) ahead of the lanes, within ANSWERS_READ_AHEAD and
 * BYTES_READ_AHEAD: a lane asks for its write's answer with `take`, which lets the reading go on.
 */
function answerReader(store: ArchiveStore, writes: { key: string; entry: JournalEntry }[]) {
  const pending = writes.filter((write) => write.entry.answer !== null);
  const indexOf = new Map(pending.map((write, index) => [write.key, index]));
  const reads = new Map<string, Promise<ReadAnswer>>();
  const sizeOf = (index: number) => pending[index]!.entry.answer!.bytes;
  /** The next answer to read, the first not taken yet, and the bytes of those read and not taken. */
  let next = 0;
  let taken = 0;
  let bytesAhead = 0;
  const fill = () => {
    while (
      next < pending.length &&
      (next === taken || (next - taken < ANSWERS_READ_AHEAD && bytesAhead + sizeOf(next) <= BYTES_READ_AHEAD))
    ) {
      const { key, entry } = pending[next]!;
      const read = readAnswer(store, key, entry.answer!);
      // Awaited by its lane; a failure of one read ahead of it must not be an unhandled rejection meanwhile.
      read.catch(() => {});
      reads.set(key, read);
      bytesAhead += sizeOf(next);
      next += 1;
    }
  };
  fill();
  return {
    /** The answer of `key`, read or being read; undefined when it is not (the lane reads it itself). */
    take(key: string): Promise<ReadAnswer> | undefined {
      const index = indexOf.get(key);
      if (index === undefined) return undefined;
      const read = reads.get(key);
      if (read !== undefined) {
        reads.delete(key);
        bytesAhead -= sizeOf(index);
      }
      taken = Math.max(taken, index + 1);
      next = Math.max(next, taken);
      fill();
      return read;
    },
  };
}

/**
 * Restores the next `limit` entries of the range after `cursor`: what one activity of the restore workflow does.
 * The batch's days go in runs, RESTORE_LANES at a time, each day's entries in the order they were written (small
 * days' checks grouped in a transaction: applyWrites); a failure stops the
 * batch once every lane has stopped, and its retry skips what the database holds already (heldKeys).
 */
export async function restoreBatch(
  pool: pg.Pool,
  store: ArchiveStore,
  plan: RestorePlan,
  range: RestoreRange,
  /** The last journal key handled; null before the first. */
  cursor: { after: string | null },
  limit: number,
  maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<RestoreBatchResult> {
  const { keys, done } = await nextKeys(store, plan, range, cursor.after, limit);
  const entries: { key: string; entry: JournalEntry }[] = new Array(keys.length);
  await inLanes(
    keys.map((key, index) => ({ key, index })),
    ENTRY_READS_AT_ONCE,
    async ({ key, index }) => {
      const bytes = await store.get(key);
      if (!bytes) throw new Error(`${store.location}: ${key} vanished while it was restored`);
      entries[index] = { key, entry: decodeEntry(key, bytes) };
    },
  );
  const byDay = new Map<string, { key: string; entry: JournalEntry }[]>();
  for (const item of entries) {
    const day = `${item.entry.dataset}/${item.entry.day}`;
    const writes = byDay.get(day);
    if (writes) writes.push(item);
    else byDay.set(day, [item]);
  }
  // The writes the database held when the batch began (a resumed restore, a merge) are skipped, their answers not read;
  // the answers of the others are read ahead, and each answer's store asks again under the day's lock.
  const held = await heldKeys(pool, entries);
  const days = [...byDay.values()].map((writes) => writes.filter((write) => !held.has(write.key)));
  const answers = answerReader(store, days.flat());
  let applied = 0;
  await inLanes(runsOfDays(days), RESTORE_LANES, async (writes) => {
    // Read after the writes: `applied += await …` would add to the count as it stood before them.
    const written = await applyWrites(pool, store, writes, answers, maxBodyBytes);
    applied += written;
  });
  // The batch's writes committed without waiting for the disk; one durable commit makes them all durable before the
  // batch is done (those a crash lost before are not held, and its retry applies them again).
  if (applied > 0) await pool.query('SELECT pg_catalog.txid_current()');
  const last = entries.at(-1);
  // Every entry not applied was skipped: held when the batch began, or found held by its answer's store.
  const skipped = entries.length - applied;
  return { applied, skipped, lastKey: last?.key ?? null, lastDay: last?.entry.day ?? null, done };
}

/** Where a restore in this process stands: the workflow's view (RestoreProgressView) without `from` and `done`. */
export type RestoreProgress = Omit<RestoreProgressView, 'from' | 'done'>;

/**
 * The whole restore in this process, batch after batch (what the workflow does durably; benchmarks and tests call
 * it directly). Refuses a database that holds days unless `merge`.
 */
export async function restoreArchive(
  pool: pg.Pool,
  store: ArchiveStore,
  options: RestoreRange & { merge?: boolean; batchSize?: number },
): Promise<RestoreProgress> {
  await checkRestoreTarget(pool, options.merge ?? false);
  const plan = await planRestore(store, options);
  const progress: RestoreProgress = { total: plan.total, applied: 0, skipped: 0, lastDay: null };
  let after: string | null = null;
  for (;;) {
    const batch = await restoreBatch(pool, store, plan, options, { after }, options.batchSize ?? 200);
    progress.applied += batch.applied;
    progress.skipped += batch.skipped;
    progress.lastDay = batch.lastDay ?? progress.lastDay;
    after = batch.lastKey ?? after;
    if (batch.done) return progress;
  }
}

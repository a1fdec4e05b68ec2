// Rebuilding a database from the archive (jao restore, the restore workflow): each journaled write repeated from its
// archived answer, at its original transaction time, with zero requests to JAO; the writes of one day in the order they
// happened, different days in parallel (nothing a day's write reads or moves depends on another day's).
import type pg from 'pg';
import { inLanes } from '../common/lanes';
import { storeRawResponse } from '../db/rawResponse';
import { assessAnswerBytes, assessStoredAnswer } from '../db/storedAnswer';
import { restoreDayWrite } from '../db/writeDay';
import { DEFAULT_MAX_BODY_BYTES } from '../domain/bodyLimit';
import type { DeliveryDay } from '../domain/types';
import {
  decodeEntry,
  JOURNAL_PREFIX,
  type JournalEntry,
  journalDateOf,
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

export interface RestoreCursor {
  /** The last journal key handled; null before the first. */
  after: string | null;
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

/** How many days the database holds (jao.delivery_day). */
export async function heldDays(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ days: string }>('SELECT count(*) AS days FROM jao.delivery_day');
  return Number(result.rows[0]!.days);
}

/** Refuses a database that holds days, unless `merge`. */
export async function checkRestoreTarget(pool: pg.Pool, merge: boolean): Promise<{ heldDays: number }> {
  const days = await heldDays(pool);
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
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    json = null;
  }
  if (!manifestSchema.safeParse(json).success)
    throw new NotAnArchive(`${store.location}: ${MANIFEST_KEY} is not a jao-archive manifest of version 1`);
}

const inRange = (day: string, range: RestoreRange) =>
  (range.fromDay === undefined || day >= range.fromDay) && (range.toDay === undefined || day <= range.toDay);

/** Counts the range's entries (one listing of the journal) and checks the archive's manifest. */
export async function planRestore(store: ArchiveStore, range: RestoreRange): Promise<RestorePlan> {
  await checkManifest(store);
  let total = 0;
  let first: string | null = null;
  let last: string | null = null;
  for await (const key of store.list(JOURNAL_PREFIX)) {
    const named = parseJournalKey(key);
    if (!named || !inRange(named.day, range)) continue;
    total += 1;
    first ??= key;
    last = key;
  }
  return {
    total,
    firstDate: first === null ? null : journalDateOf(first),
    lastDate: last === null ? null : journalDateOf(last),
  };
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

/** Whether the database already holds this entry's write, or a later write of its day (which it must not precede). */
async function heldAlready(pool: pg.Pool, key: string, entry: JournalEntry): Promise<boolean> {
  const result = await pool.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM jao.day_write WHERE archive_key = $1)
            OR COALESCE((SELECT GREATEST(d.last_checked_at, d.last_changed_at) FROM jao.delivery_day d
                           WHERE d.dataset = $2 AND d.day = $3::date), '-infinity') > $4::timestamptz
            OR EXISTS (SELECT 1 FROM jao.day_write
                        WHERE dataset = $2 AND day = $3::date AND written_at > $4::timestamptz) AS held`,
    [key, entry.dataset, entry.day, entry.writtenAt],
  );
  return result.rows[0]!.held;
}

/**
 * The raw answer's row in the restored database: the day's latest row when it is this answer and already holds
 * this fetch (a resumed restore, or a reprocessing of it), else stored as the fetch stored it. Either way the row
 * names the archive object its bytes came from, as it did where the answer was first archived.
 */
async function restoreRawAnswer(
  pool: pg.Pool,
  entry: JournalEntry,
  answer: NonNullable<JournalEntry['answer']>,
  body: Uint8Array,
  sha256: string,
): Promise<number> {
  const latest = await pool.query<{ id: string; sha256: string; holds_fetch: boolean }>(
    `SELECT raw_response_id AS id, sha256, last_fetched_at >= $3::timestamptz AS holds_fetch FROM jao.raw_response
      WHERE dataset = $1 AND day = $2::date ${entry.kind === 'reprocess' ? 'AND sha256 = $4' : ''}
      ORDER BY raw_response_id DESC LIMIT 1`,
    [entry.dataset, entry.day, answer.fetchedAt, ...(entry.kind === 'reprocess' ? [answer.sha256] : [])],
  );
  const row = latest.rows[0];
  if (!row || row.sha256 !== answer.sha256 || (entry.kind !== 'reprocess' && !row.holds_fetch)) {
    const stored = await storeRawResponse(pool, {
      dataset: entry.dataset,
      day: entry.day,
      requestWindow: answer.request,
      httpStatus: answer.httpStatus,
      body,
      ...(answer.truncatedReason === null
        ? {}
        : {
            truncated: { reason: answer.truncatedReason, receivedBytes: answer.bytes, sha256: answer.sha256 },
          }),
      ...(answer.answer === null ? {} : { answer: answer.answer }),
      fetchedAt: answer.fetchedAt,
      archiveKey: answer.object,
      commitAsync: true,
      ...(answer.truncatedReason === null ? { sha256 } : {}),
    });
    if (stored.isNew) return stored.id;
    return nameArchiveObject(pool, stored.id, answer.object);
  }
  return nameArchiveObject(pool, Number(row.id), answer.object);
}

async function nameArchiveObject(pool: pg.Pool, rawResponseId: number, object: string): Promise<number> {
  await pool.query(
    'UPDATE jao.raw_response SET archive_key = $2 WHERE raw_response_id = $1 AND archive_key IS NULL',
    [rawResponseId, object],
  );
  return rawResponseId;
}

async function newestAnswerId(pool: pg.Pool, entry: JournalEntry): Promise<number> {
  const result = await pool.query<{ newest: string | null }>(
    `SELECT max(raw_response_id) AS newest FROM jao.raw_response
      WHERE dataset = $1 AND day = $2::date AND answer IS DISTINCT FROM 'rejected'`,
    [entry.dataset, entry.day],
  );
  return Number(result.rows[0]?.newest ?? 0);
}

/** Repeats one journaled write; its answer's bytes are checked against the hash that names them. */
export async function applyEntry(
  pool: pg.Pool,
  store: ArchiveStore,
  key: string,
  entry: JournalEntry,
  maxBodyBytes: number = DEFAULT_MAX_BODY_BYTES,
): Promise<void> {
  const common = {
    dataset: entry.dataset,
    day: entry.day,
    status: entry.status,
    expectedMtus: entry.expectedMtus,
    workflowId: entry.workflowId,
    buildId: entry.buildId,
    error: entry.error,
    observedAt: new Date(entry.writtenAt),
    derivation: entry.derivation,
  };
  const answer = entry.answer;
  if (answer === null) {
    // A recorded failure judged no answer, and gave no reason of its own (the day's reason is its error).
    await restoreDayWrite(pool, { ...common, validated: null, rawResponseId: null }, { restoredFrom: key });
    return;
  }
  const object = await store.get(answer.object);
  if (!object) throw new Error(`${store.location}: ${answer.object} (the answer of ${key}) is missing`);
  const read = await readAnswerObject(answer.object, object);
  if (!read.bytes || !read.sha256 || !read.matches)
    throw new Error(
      `${store.location}: ${answer.object} does not hold the bytes its name says (${read.bytes ? 'sha256 mismatch' : 'not gzip'})`,
    );
  const body = read.bytes;
  const sha256 = read.sha256;
  const rawResponseId = await restoreRawAnswer(pool, entry, answer, body, sha256);
  const ref = { dataset: entry.dataset, day: entry.day, rawResponseId };
  // A whole answer is judged from the bytes just checked; a truncated one as the database holds it (refused).
  const assessment =
    answer.truncatedReason === null
      ? await assessAnswerBytes(pool, ref, { bytes: body }, maxBodyBytes)
      : await assessStoredAnswer(pool, ref, maxBodyBytes);
  const write = {
    ...common,
    validated: assessment.validated,
    rejections: assessment.rejections,
    rawResponseId,
    reason: entry.reason,
  };
  await restoreDayWrite(pool, write, {
    restoredFrom: key,
    ...(entry.kind === 'reprocess' ? { reprocessedAgainst: await newestAnswerId(pool, entry) } : {}),
  });
}

/** Days restored at once within a batch: each day's writes stay in their order. */
export const RESTORE_DAY_LANES = 4;
/** Journal objects read at once (a request each on S3). */
const ENTRY_READS_AT_ONCE = 16;

/**
 * Restores the next `limit` entries of the range after `cursor`: what one activity of the restore workflow does.
 * The batch's days go `lanes` at a time, each day's entries in the order they were written; a failure stops the
 * batch once every lane has stopped, and its retry skips what the database holds already (heldAlready).
 */
export async function restoreBatch(
  pool: pg.Pool,
  store: ArchiveStore,
  plan: RestorePlan,
  range: RestoreRange,
  cursor: RestoreCursor,
  limit: number,
  maxBodyBytes?: number,
  lanes: number = RESTORE_DAY_LANES,
): Promise<RestoreBatchResult> {
  const { keys, done } = await nextKeys(store, plan, range, cursor.after, limit);
  const result: RestoreBatchResult = { applied: 0, skipped: 0, lastKey: null, lastDay: null, done };
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
  await inLanes([...byDay.values()], lanes, async (writes) => {
    for (const { key, entry } of writes) {
      if (await heldAlready(pool, key, entry)) result.skipped += 1;
      else {
        await applyEntry(pool, store, key, entry, maxBodyBytes);
        result.applied += 1;
      }
    }
  });
  // The batch's writes committed without waiting for the disk; one durable commit makes them all durable before the
  // batch is done (those a crash lost before are not held, and its retry applies them again).
  if (result.applied > 0) await pool.query('SELECT pg_catalog.txid_current()');
  const last = entries.at(-1);
  if (last) {
    result.lastKey = last.key;
    result.lastDay = last.entry.day;
  }
  return result;
}

export interface RestoreProgress {
  total: number;
  applied: number;
  skipped: number;
  lastDay: DeliveryDay | null;
}

/**
 * The whole restore in this process, batch after batch (what the workflow does durably; benchmarks and tests call
 * it directly). Refuses a database that holds days unless `merge`.
 */
export async function restoreArchive(
  pool: pg.Pool,
  store: ArchiveStore,
  options: RestoreRange & { merge?: boolean; batchSize?: number; onProgress?: (p: RestoreProgress) => void },
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
    options.onProgress?.({ ...progress });
    if (batch.done) return progress;
  }
}

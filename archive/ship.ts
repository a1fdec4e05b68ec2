// Shipping what is not archived yet (jao archive, the archive workflow): each journaled write's raw answer, then its
// journal entry, then the mark in jao.day_write. Objects are written only where absent, and a write is marked only
// once both are in the archive, so running it twice, or two at once, writes nothing twice and loses nothing.
import type pg from 'pg';
import { isConstraintDataset } from '../domain/datasets';
import {
  answerKey,
  answerObjectBytes,
  encodeEntry,
  type JournalEntry,
  journalKey,
  MANIFEST_BYTES,
  MANIFEST_KEY,
  sha256Hex,
} from './format';
import type { ArchiveStore } from './store';

interface PendingWriteRow {
  write_id: string;
  dataset: JournalEntry['dataset'];
  day: string;
  written_at: Date;
  kind: JournalEntry['kind'];
  status: JournalEntry['status'];
  expected_mtus: number;
  workflow_id: string | null;
  build_id: string | null;
  error: string | null;
  reason: string | null;
  derivation_kind: JournalEntry['derivation']['kind'];
  derivation_reason: string;
  raw_fetched_at: string | null;
  raw_response_id: string | null;
  /**
   * Read apart (withBodies), a few megabytes at a time: a batch of flow-based days' answers is gigabytes. NULL
   * once dropped under RAW_RETENTION_DAYS: the archive object `raw_archive_key` then holds the bytes.
   */
  body: Buffer | null;
  has_body: boolean | null;
  raw_archive_key: string | null;
  sha256: string | null;
  bytes: number | null;
  http_status: number | null;
  request_from: Date | null;
  request_to: Date | null;
  answer: NonNullable<JournalEntry['answer']>['answer'];
  truncated_reason: string | null;
  fetched_at: string | null;
}

/** An instant as ISO text to the microsecond, UTC (a JavaScript Date keeps only milliseconds). */
const MICROS = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const PENDING_WRITES = `
  SELECT w.write_id, w.dataset, w.day::text AS day, w.written_at, w.kind, w.status, w.expected_mtus, w.workflow_id,
         w.build_id, w.error, w.reason, w.derivation_kind, w.derivation_reason, ${MICROS('w.raw_fetched_at')} AS raw_fetched_at,
         w.raw_response_id,
         NULL::bytea AS body, r.body IS NOT NULL AS has_body, r.archive_key AS raw_archive_key, r.sha256, r.bytes, r.http_status, r.request_from, r.request_to, r.answer, r.truncated_reason,
         ${MICROS('r.fetched_at')} AS fetched_at
    FROM jao.day_write w
    LEFT JOIN jao.raw_response r ON r.raw_response_id = w.raw_response_id
   WHERE w.archived_at IS NULL
   ORDER BY w.write_id
   LIMIT $1`;

interface StoredBodyRow {
  raw_response_id: string;
  body: Buffer | null;
  archive_key: string | null;
}

const BODIES_OF = `SELECT raw_response_id::text, body, archive_key
                     FROM jao.raw_response WHERE raw_response_id = ANY($1::bigint[])`;

/** The bytes of answers one read of bodies holds at most by default (a single larger answer is read alone). */
const BODY_READ_BYTES = 64 * 1024 * 1024;

/**
 * The batch's rows with their answers' bodies, a read at a time: consecutive rows whose bodies come to at most
 * `readBytes` together, so that a batch of small answers is one read and a flow-based day's is held alone.
 */
async function* withBodies(
  pool: pg.Pool,
  rows: readonly PendingWriteRow[],
  readBytes: number,
): AsyncGenerator<PendingWriteRow> {
  for (let start = 0; start < rows.length; ) {
    let end = start;
    let bytes = 0;
    do {
      bytes += rows[end]!.has_body ? (rows[end]!.bytes ?? 0) : 0;
      end += 1;
    } while (end < rows.length && bytes + (rows[end]!.bytes ?? 0) <= readBytes);
    const read = rows.slice(start, end);
    const ids = read
      .filter((row) => row.has_body && row.raw_response_id !== null)
      .map((row) => row.raw_response_id);
    const found = ids.length === 0 ? [] : (await pool.query<StoredBodyRow>(BODIES_OF, [ids])).rows;
    const bodies = new Map(found.map(({ raw_response_id: id, ...body }) => [id, body]));
    for (const row of read) {
      // By its text: a pool of db/pool.ts reads bigint columns as numbers.
      const stored = row.raw_response_id === null ? undefined : bodies.get(String(row.raw_response_id));
      // Dropped since the batch was read: the archive object the drop verified names it.
      yield stored
        ? { ...row, body: stored.body, raw_archive_key: stored.archive_key ?? row.raw_archive_key }
        : row;
    }
    start = end;
  }
}

function entryOf(row: PendingWriteRow): JournalEntry {
  const hasAnswer = row.raw_response_id !== null;
  // The flow-based domain's answers, a few megabytes of JSON a day that gzip takes to a tenth, are archived
  // gzip-compressed (`answers/<sha256>.gz`); the border datasets' stay as sent, readable as they always were by every
  // release that restores them. A body dropped under retention was verified in the archive first (the database's
  // CHECK): name that object.
  const object =
    row.body !== null
      ? answerKey(sha256Hex(row.body), isConstraintDataset(row.dataset))
      : row.raw_archive_key;
  if (hasAnswer && object === null)
    throw new Error(`raw response ${row.raw_response_id} has neither a body nor an archive object`);
  return {
    version: 1,
    dataset: row.dataset,
    day: row.day,
    writtenAt: row.written_at.toISOString(),
    kind: row.kind,
    status: row.status,
    expectedMtus: row.expected_mtus,
    workflowId: row.workflow_id,
    buildId: row.build_id,
    error: row.error,
    reason: row.reason,
    derivation: { kind: row.derivation_kind, reason: row.derivation_reason },
    answer: hasAnswer
      ? {
          object: object!,
          sha256: row.sha256!,
          bytes: row.bytes!,
          httpStatus: row.http_status!,
          request: { from: row.request_from!.toISOString(), to: row.request_to!.toISOString() },
          answer: row.answer,
          truncatedReason: row.truncated_reason,
          firstFetchedAt: row.fetched_at!,
          fetchedAt: row.raw_fetched_at ?? row.fetched_at!,
        }
      : null,
  };
}

/** The days of one dataset whose writes a run shipped. */
export interface ShippedDays {
  dataset: JournalEntry['dataset'];
  /** Distinct delivery days. */
  days: number;
  first: string;
  last: string;
}

export interface ShipProgress {
  /** Writes shipped and marked so far. */
  shipped: number;
  /** Which days those writes were of, per dataset (in dataset order). */
  shippedDays: ShippedDays[];
  /** Answer objects this run wrote (an answer already in the archive is not written again). */
  answersWritten: number;
  /** Writes still waiting when the last batch was read. */
  pending: number;
}

export interface ShipOptions {
  /** Writes read and shipped per batch (default 200). */
  batchSize?: number;
  /** Called after every batch. */
  onProgress?: (progress: ShipProgress) => void;
  /** The bytes of answers one read of their bodies holds at most (default 64 MiB). */
  bodyReadBytes?: number;
  /** Stops the run between two writes, those shipped so far marked (a worker shutting down). */
  signal?: AbortSignal;
}

/** Writes waiting for the archive: how many, and the transaction time of the oldest (null when none). */
export async function archiveLag(pool: pg.Pool): Promise<{ pending: number; oldest: Date | null }> {
  const result = await pool.query<{ pending: string; oldest: Date | null }>(
    'SELECT count(*) AS pending, min(written_at) AS oldest FROM jao.day_write WHERE archived_at IS NULL',
  );
  const row = result.rows[0]!;
  return { pending: Number(row.pending), oldest: row.oldest };
}

function shippedDaysOf(shipped: Map<JournalEntry['dataset'], Set<string>>): ShippedDays[] {
  return [...shipped]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dataset, set]) => {
      const days = [...set].sort();
      return { dataset, days: days.length, first: days[0]!, last: days.at(-1)! };
    });
}

/** Ships every write not archived yet to `store`, batch by batch, oldest first. */
export async function shipPendingWrites(
  pool: pg.Pool,
  store: ArchiveStore,
  options: ShipOptions = {},
): Promise<ShipProgress> {
  const batchSize = options.batchSize ?? 200;
  const progress: ShipProgress = {
    shipped: 0,
    shippedDays: [],
    answersWritten: 0,
    pending: (await archiveLag(pool)).pending,
  };
  const daysShipped = new Map<JournalEntry['dataset'], Set<string>>();
  await store.putIfAbsent(MANIFEST_KEY, MANIFEST_BYTES);
  for (;;) {
    const { rows } = await pool.query<PendingWriteRow>(PENDING_WRITES, [batchSize]);
    if (rows.length === 0) break;
    const shippedKeys: { id: string; key: string }[] = [];
    const answerObjects: { id: string; key: string }[] = [];
    for await (const row of withBodies(pool, rows, options.bodyReadBytes ?? BODY_READ_BYTES)) {
      if (options.signal?.aborted) break;
      const entry = entryOf(row);
      if (entry.answer && row.body) {
        const object = await answerObjectBytes(entry.answer.object, row.body);
        if ((await store.putIfAbsent(entry.answer.object, object)) === 'written')
          progress.answersWritten += 1;
      } else if (entry.answer && !(await store.get(entry.answer.object))) {
        // The body left the database for another archive: this one would name an object it does not hold.
        throw new Error(
          `raw response ${row.raw_response_id}'s body was dropped under RAW_RETENTION_DAYS and ${entry.answer.object} is not in ${store.location}: ship to the archive that holds it`,
        );
      }
      if (entry.answer && row.raw_response_id !== null)
        answerObjects.push({ id: row.raw_response_id, key: entry.answer.object });
      const key = journalKey(entry, Number(row.write_id));
      await store.putIfAbsent(key, encodeEntry(entry));
      shippedKeys.push({ id: row.write_id, key });
      const days = daysShipped.get(row.dataset) ?? new Set<string>();
      daysShipped.set(row.dataset, days.add(row.day));
    }
    // One statement: the writes are marked archived and their answers name their object, or neither.
    await pool.query(
      `WITH marked AS (
         UPDATE jao.day_write w SET archived_at = now(), archive_key = s.key
           FROM unnest($1::bigint[], $2::text[]) AS s(id, key)
          WHERE w.write_id = s.id AND w.archived_at IS NULL)
       UPDATE jao.raw_response r SET archive_key = a.key
         FROM (SELECT DISTINCT id, key FROM unnest($3::bigint[], $4::text[]) AS a(id, key)) AS a
        WHERE r.raw_response_id = a.id AND r.archive_key IS NULL`,
      [
        shippedKeys.map((s) => s.id),
        shippedKeys.map((s) => s.key),
        answerObjects.map((a) => a.id),
        answerObjects.map((a) => a.key),
      ],
    );
    progress.shipped += shippedKeys.length;
    progress.shippedDays = shippedDaysOf(daysShipped);
    progress.pending = (await archiveLag(pool)).pending;
    options.onProgress?.({ ...progress });
    if (rows.length < batchSize || options.signal?.aborted) break;
  }
  return progress;
}

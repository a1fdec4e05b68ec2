import type pg from 'pg';
import { EMPTY_RECHECK_ERROR, worseRecheckError } from '../domain/dayStatus';
import { type TransactionTimeouts, WRITE_TIMEOUTS } from '../domain/timeBudget';
import type { Dataset, DayStatus, DeliveryDay, Rejection, ValidatedDay } from '../domain/types';
import {
  BINARY_COPY_HEADER,
  BINARY_COPY_TRAILER,
  binaryFloat8Array,
  binaryInt4Array,
  binaryTimestamptzArray,
  binaryTimestampWords,
  copyFrom,
} from './copy';
import { type DayContent, normalizeDayContent } from './dayContent';
import { dayEventTypeOf, raiseDayEvent } from './dayEvents';
import { ensureKeySet } from './keySets';
import { lockDay } from './locks';
import { withTransaction } from './pool';
import { insertRejections } from './rejections';
import { pgText } from './text';

export interface WriteDayInput {
  dataset: Dataset;
  day: DeliveryDay;
  /** Decided by the caller ('complete' | 'partial' | 'not_published' | 'invalid' | 'failed'). */
  status: DayStatus;
  /** What validation read (its counts become the day's quality record); null for failed runs and broken bodies. */
  validated: ValidatedDay | null;
  /** Used when validated is null (invalid payload); otherwise validated.rejections are stored. */
  rejections?: Rejection[];
  /** For the delivery_day row even when validated is null. */
  expectedMtus: number;
  rawResponseId: number | null;
  workflowId: string | null;
  /** The worker build running this write (jao.delivery_day.last_build_id; content_build_id when it changes). */
  buildId?: string | null;
  /**
   * Stored as last_error; null clears it, except on an empty answer for a day with stored values, which
   * records EMPTY_RECHECK_ERROR.
   */
  error?: string | null;
  /** Why the day is not complete (domain/dayStatus.ts), stored as reason; default: `error`. */
  reason?: string | null;
  /** Transaction time of the write (tests control instants with it); default: the database clock. */
  observedAt?: Date;
  /**
   * Why the values this write changes were derived, recorded in jao.derivation and on each of them (migration 016).
   * Default: a fetch, derived from `rawResponseId`.
   */
  derivation?: Derivation;
  /** Set when the write re-derives a stored answer (activities/reprocess.ts) instead of recording a check of JAO. */
  reprocess?: ReprocessWrite;
}

export interface Derivation {
  kind: 'fetch' | 'reprocess';
  /** One sentence; a reprocessing names its build. */
  reason: string;
}

/**
 * A reprocessing write of the answer `rawResponseId`: the stored values are compared with it whatever the day's
 * content hash says; the day's last check (last_checked_at, last_raw_response_id) is left as it is, and so is
 * last_error unless that check judged this very answer; a re-judged status is taken as it is (no "worse
 * re-check" rule: it is the same answer). Nothing is committed when neither the values nor the day's record change,
 * nor ever on `dryRun`.
 */
export interface ReprocessWrite {
  /**
   * The newest of the day's answers when the source was chosen: a newer one stored since (a fetch running beside the
   * reprocessing) makes the write fail with NewerAnswerStored, to be chosen again, instead of writing older values
   * over newer ones.
   */
  newestAnswerId: number;
  dryRun: boolean;
}

/** A fetch stored a newer answer of the day after a reprocessing chose its source: retried, it chooses again. */
export class NewerAnswerStored extends Error {
  override name = 'NewerAnswerStored';
}

export interface WriteDayResult {
  status: DayStatus;
  /** Distinct MTUs received (validated.receivedMtus), 0 without content. */
  mtus: number;
  /** Non-null values received. */
  points: number;
  /** Values whose current value changed. */
  changedPoints: number;
  /** Values that had no current value (first seen, or back after vanishing). */
  newPoints: number;
  /** Current values absent from the payload (or null in it), moved to history. */
  vanishedPoints: number;
  newSeries: number;
  /** The day's revision_count after the write: versions of its stored values (filling a gap is no revision). */
  revision: number;
  contentChanged: boolean;
  /** Reprocessing writes only: the stored status before, whether the day's record changed, whether it committed. */
  reprocessed?: { statusBefore: DayStatus | null; dayChanged: boolean; committed: boolean };
}

interface DayState {
  txTime: Date;
  windowFrom: Date;
  windowTo: Date;
  revisionCount: number;
  contentHash: string | null;
  lastChangedAt: Date | null;
  /** The stored status; null for a day never written. */
  status: DayStatus | null;
  /** Taken for writes with content: the derivation their changed values will point to (jao.derivation). */
  derivationId: number | null;
}

interface ContentOutcome {
  changed: number;
  added: number;
  /** Of `added`: values back after vanishing (stored before, so a revision). */
  returned: number;
  vanished: number;
  pointsAfter: number;
  newSeries: number;
}

/**
 * Writes one delivery day in one transaction (docs/design.md §6): series catalog, current values, revision
 * history, day status, rejections, and the live feed's event (db/dayEvents.ts) with its NOTIFY. Set-based: a day's first content is one binary COPY, later content travels
 * as binary arrays expanded with unnest.
 * Two writes of the same day serialize on the day's row in jao.day_lock, within lock and statement timeouts
 * (`timeouts`). Content is stored only for
 * `complete` and `partial`; other statuses record the run in jao.delivery_day (and rejections) only.
 */
export async function writeDay(
  pool: pg.Pool,
  input: WriteDayInput,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<WriteDayResult> {
  const storesContent =
    input.validated !== null && (input.status === 'complete' || input.status === 'partial');
  const rejections = input.rejections ?? input.validated?.rejections ?? [];
  // Outside the transaction: normalizing and hashing the points needs no lock.
  const content =
    storesContent && input.validated ? normalizeDayContent(input.validated.points, rejections) : null;

  const keySetId =
    input.validated && input.validated.keys.length > 0
      ? await ensureKeySet(pool, input.dataset, input.validated.keys)
      : null;
  const cache = seriesCacheFor(pool, input.dataset);
  const registered: SeriesIds[] = [];
  const reprocess = input.reprocess ?? null;
  const transaction = withTransaction(pool, async (client) => {
    await lockDay(client, input.dataset, input.day, 'write', timeouts);
    const state = await readDayState(client, input, content !== null);
    if (content) checkWindow(input, content, state);
    // A reprocessing compares with the stored values themselves: a faulty build may have stored others under the
    // right hash.
    const unchanged =
      reprocess === null &&
      content !== null &&
      state.revisionCount > 0 &&
      state.contentHash === content.contentHash;
    if (reprocess) await checkNewestAnswer(client, input, reprocess);
    const judgedBefore = reprocess ? await readJudgedRecord(client, input) : null;
    let outcome: ContentOutcome | null = null;
    let written: SeriesIds | null = null;
    if (content && !unchanged) {
      await liftDecompressionLimit(client);
      const seriesIds = await registerSeries(client, input.dataset, content, state.txTime, cache);
      registered.push(seriesIds);
      written = seriesIds;
      outcome =
        state.revisionCount === 0 && reprocess === null
          ? await insertFreshDay(client, content, seriesIds, state)
          : await mergeDay(client, input.dataset, content, seriesIds, state);
      outcome.newSeries = seriesIds.created;
    }
    const contentChanged = outcome !== null && outcome.changed + outcome.added + outcome.vanished > 0;
    const { revision, status, judged } = await upsertDayRow(
      client,
      input,
      state,
      content,
      outcome,
      contentChanged,
      contentChanged ? written : null,
      keySetId,
    );
    const eventType = dayEventTypeOf({ contentChanged, revision, status });
    if (eventType) {
      await raiseDayEvent(client, {
        type: eventType,
        dataset: input.dataset,
        day: input.day,
        status,
        revision,
        buildId: input.buildId ?? null,
        raisedAt: state.txTime,
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
      points: content ? content.values.length : 0,
      changedPoints: outcome?.changed ?? 0,
      newPoints: outcome?.added ?? 0,
      vanishedPoints: outcome?.vanished ?? 0,
      newSeries: outcome?.newSeries ?? 0,
      revision,
      contentChanged,
    };
    if (!reprocess) return result;
    const dayChanged = judgedBefore?.judged !== judged;
    const committed = !reprocess.dryRun && (contentChanged || dayChanged);
    result.reprocessed = { statusBefore: judgedBefore?.status ?? null, dayChanged, committed };
    if (!committed) throw new RolledBack(result);
    return result;
  });
  let result: WriteDayResult;
  try {
    result = await transaction;
  } catch (error) {
    if (error instanceof RolledBack) return error.result;
    throw error;
  }
  // Only after the commit: a rolled-back registration must not leave ids in the cache.
  for (const seriesIds of registered) {
    content?.series.forEach((series, index) => {
      cache.set(series.key, seriesIds.ids[index]!);
    });
  }
  return result;
}

/** Ends a reprocessing write that changes nothing (or a dry run): its transaction rolls back with this result. */
class RolledBack extends Error {
  constructor(readonly result: WriteDayResult) {
    super('rolled back: nothing to change');
  }
}

/**
 * The columns of a day's record that judging an answer decides, as one text (jsonb keeps its keys in one order):
 * a reprocessing that leaves them and the values as they are writes nothing.
 */
const JUDGED_RECORD = `jsonb_build_object(
  'status', d.status, 'expected_mtus', d.expected_mtus, 'received_mtus', d.received_mtus, 'points', d.points,
  'content_hash', d.content_hash, 'revision_count', d.revision_count, 'resolution_minutes', d.resolution_minutes,
  'missing_mtus', d.missing_mtus, 'key_set_id', d.key_set_id, 'null_values', d.null_values,
  'duplicate_rows', d.duplicate_rows, 'conflicting_rows', d.conflicting_rows, 'rejected_values', d.rejected_values,
  'unknown_fields', d.unknown_fields, 'reason', d.reason, 'last_error', d.last_error)::text`;

async function checkNewestAnswer(
  client: pg.PoolClient,
  input: WriteDayInput,
  reprocess: ReprocessWrite,
): Promise<void> {
  const result = await client.query<{ newest: string | null }>({
    name: 'jao.writeDay.newestAnswer',
    text: `SELECT max(raw_response_id) AS newest FROM jao.raw_response
            WHERE dataset = $1 AND day = $2::date AND answer IS DISTINCT FROM 'rejected'`,
    values: [input.dataset, input.day],
  });
  const newest = Number(result.rows[0]?.newest ?? 0);
  if (newest > reprocess.newestAnswerId) {
    throw new NewerAnswerStored(
      `${input.day}: a newer answer (raw response ${newest}) was stored while it was reprocessed; reprocessing it again`,
    );
  }
}

async function readJudgedRecord(
  client: pg.PoolClient,
  input: WriteDayInput,
): Promise<{ status: DayStatus; judged: string } | null> {
  const result = await client.query<{ status: DayStatus; judged: string }>({
    name: 'jao.writeDay.readJudgedRecord',
    text: `SELECT d.status, ${JUDGED_RECORD} AS judged FROM jao.delivery_day d WHERE d.dataset = $1 AND d.day = $2::date`,
    values: [input.dataset, input.day],
  });
  return result.rows[0] ?? null;
}

/**
 * series_id by key, per pool and dataset, filled after commits. Series rows are never deleted or re-keyed,
 * so a cached id stays right; a day whose keys are all cached skips the registration round trips.
 */
const seriesCaches = new WeakMap<pg.Pool, Map<string, Map<string, number>>>();

function seriesCacheFor(pool: pg.Pool, dataset: Dataset): Map<string, number> {
  let byDataset = seriesCaches.get(pool);
  if (!byDataset) {
    byDataset = new Map();
    seriesCaches.set(pool, byDataset);
  }
  let cache = byDataset.get(dataset);
  if (!cache) {
    cache = new Map();
    byDataset.set(dataset, cache);
  }
  return cache;
}

/**
 * TimescaleDB refuses DML that decompresses more than 100,000 tuples in one transaction (its default
 * guard against statements that would decompress whole hypertables). Every statement of this write is
 * bounded by the day's window, so what it decompresses is at most the batches of the day's chunks (a
 * chunk holds 30 days of every series); the guard is lifted for this transaction only. On plain
 * PostgreSQL the setting is an unused placeholder.
 */
async function liftDecompressionLimit(client: pg.PoolClient): Promise<void> {
  await client.query({
    name: 'jao.writeDay.decompressionLimit',
    text: `SELECT set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true)`,
  });
}

/**
 * The day's window and row, read after the lock so a write that committed meanwhile is seen. The default
 * transaction time is the clock after the lock (not now(), the transaction start: a write that waited must
 * not look older than the one it waited for), and never before the day's last change. A write with content takes
 * its derivation id here (no round trip of its own; the derivation row is inserted only when values change).
 */
async function readDayState(
  client: pg.PoolClient,
  input: WriteDayInput,
  withContent: boolean,
): Promise<DayState> {
  const result = await client.query<{
    tx_time: Date;
    window_from: Date;
    window_to: Date;
    revision_count: number | null;
    content_hash: string | null;
    last_changed_at: Date | null;
    status: DayStatus | null;
    derivation_id: string | null;
  }>({
    name: 'jao.writeDay.readDayState',
    text: `SELECT date_trunc('milliseconds',
              COALESCE($3::timestamptz, GREATEST(clock_timestamp(), d.last_changed_at))) AS tx_time,
            ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS window_from,
            ($2::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS window_to,
            d.revision_count, d.content_hash, d.last_changed_at, d.status,
            CASE WHEN $4::boolean THEN nextval('jao.derivation_id_seq') END AS derivation_id
       FROM (SELECT 1) AS one
       LEFT JOIN jao.delivery_day d ON d.dataset = $1 AND d.day = $2::date`,
    values: [input.dataset, input.day, input.observedAt ?? null, withContent],
  });
  const row = result.rows[0]!;
  return {
    txTime: row.tx_time,
    windowFrom: row.window_from,
    windowTo: row.window_to,
    revisionCount: row.revision_count ?? 0,
    contentHash: row.content_hash,
    lastChangedAt: row.last_changed_at,
    status: row.status,
    derivationId: row.derivation_id === null ? null : Number(row.derivation_id),
  };
}

function checkWindow(input: WriteDayInput, content: DayContent, state: DayState): void {
  const from = state.windowFrom.getTime();
  const to = state.windowTo.getTime();
  if (
    content.minMtuMs !== null &&
    content.maxMtuMs !== null &&
    (content.minMtuMs < from || content.maxMtuMs >= to)
  ) {
    throw new Error(
      `writeDay ${input.dataset} ${input.day}: points outside the day's window ` +
        `[${state.windowFrom.toISOString()}, ${state.windowTo.toISOString()})`,
    );
  }
}

interface SeriesIds {
  /** series_id per entry of content.series. */
  ids: number[];
  created: number;
}

/** Registers keys not yet in the catalog (in key order, so concurrent writers lock in one order). */
async function registerSeries(
  client: pg.PoolClient,
  dataset: Dataset,
  content: DayContent,
  txTime: Date,
  cache: Map<string, number>,
): Promise<SeriesIds> {
  const keys = content.series.map((s) => s.key);
  const cached = keys.map((key) => cache.get(key));
  if (cached.every((id) => id !== undefined)) return { ids: cached as number[], created: 0 };
  const inserted = await client.query(
    `INSERT INTO jao.series (dataset, key, from_zone, to_zone, first_seen_at, last_seen_at)
     SELECT $1, n.key, n.from_zone, n.to_zone, $5, $5
       FROM unnest($2::text[], $3::text[], $4::text[]) AS n(key, from_zone, to_zone)
      WHERE NOT EXISTS (SELECT 1 FROM jao.series s WHERE s.dataset = $1 AND s.key = n.key)
      ORDER BY n.key
     ON CONFLICT (dataset, key) DO NOTHING`,
    [dataset, keys, content.series.map((s) => s.fromZone), content.series.map((s) => s.toZone), txTime],
  );
  // A new statement: sees the rows just inserted and those committed meanwhile by concurrent writers.
  const found = await client.query<{ key: string; series_id: number }>(
    'SELECT key, series_id FROM jao.series WHERE dataset = $1 AND key = ANY ($2::text[])',
    [dataset, keys],
  );
  const byKey = new Map(found.rows.map((row) => [row.key, row.series_id]));
  const ids = keys.map((key) => {
    const id = byKey.get(key);
    if (id === undefined) throw new Error(`series ${dataset}/${key} could not be registered`);
    return id;
  });
  return { ids, created: inserted.rowCount ?? 0 };
}

/**
 * The points as SQL: one row per point from three arrays ($1 series_id, $2 mtu, $3 value) sent in binary,
 * which the server reads without parsing a number or timestamp.
 */
const INCOMING_POINTS = `
  SELECT p.series_id, p.mtu, p.value
    FROM unnest($1::int[], $2::timestamptz[], $3::float8[]) AS p(series_id, mtu, value)`;

function pointParams(content: DayContent, seriesIds: SeriesIds): unknown[] {
  const ids = seriesIds.ids;
  const mtuMs = content.mtuList.map((mtu) => Date.parse(mtu));
  const { seriesIndex, mtuIndex } = content;
  return [
    binaryInt4Array(seriesIndex.map((s) => ids[s]!)),
    binaryTimestamptzArray(mtuIndex.map((m) => mtuMs[m]!)),
    binaryFloat8Array(content.values),
  ];
}

/**
 * Row layout of the fresh day's binary COPY: field count, then each field as length + big-endian value:
 * series_id int4, mtu timestamptz, value float8, revision int4 (1), first_seen_at and updated_at (txTime),
 * derivation_id int8.
 */
const FRESH_ROW_BYTES = 2 + (4 + 4) + (4 + 8) + (4 + 8) + (4 + 4) + (4 + 8) + (4 + 8) + (4 + 8);

/**
 * First content of a day: nothing to compare with (no stored value of the day, and the day's lock (jao.day_lock)
 * is held), so the points are copied straight into jao.observation with one binary COPY: no text to parse
 * on the server, no per-row WAL record for the heap (COPY batches its inserts).
 */
async function insertFreshDay(
  client: pg.PoolClient,
  content: DayContent,
  seriesIds: SeriesIds,
  state: DayState,
): Promise<ContentOutcome> {
  const count = content.values.length;
  if (count === 0) return { changed: 0, added: 0, returned: 0, vanished: 0, pointsAfter: 0, newSeries: 0 };
  const [txHigh, txLow] = binaryTimestampWords(state.txTime.getTime());
  const derivationId = state.derivationId!;
  const derivationHigh = Math.floor(derivationId / 4_294_967_296);
  const derivationLow = derivationId - derivationHigh * 4_294_967_296;
  const mtuWords = content.mtuList.map((mtu) => binaryTimestampWords(Date.parse(mtu)));
  const ids = seriesIds.ids;
  const { seriesIndex, mtuIndex, values } = content;
  const data = Buffer.allocUnsafe(
    BINARY_COPY_HEADER.length + count * FRESH_ROW_BYTES + BINARY_COPY_TRAILER.length,
  );
  let offset = BINARY_COPY_HEADER.copy(data, 0);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < count; i += 1) {
    const mtu = mtuWords[mtuIndex[i]!]!;
    view.setInt16(offset, 7);
    view.setInt32(offset + 2, 4);
    view.setInt32(offset + 6, ids[seriesIndex[i]!]!);
    view.setInt32(offset + 10, 8);
    view.setInt32(offset + 14, mtu[0]);
    view.setUint32(offset + 18, mtu[1]);
    view.setInt32(offset + 22, 8);
    view.setFloat64(offset + 26, values[i]!);
    view.setInt32(offset + 34, 4);
    view.setInt32(offset + 38, 1);
    view.setInt32(offset + 42, 8);
    view.setInt32(offset + 46, txHigh);
    view.setUint32(offset + 50, txLow);
    view.setInt32(offset + 54, 8);
    view.setInt32(offset + 58, txHigh);
    view.setUint32(offset + 62, txLow);
    view.setInt32(offset + 66, 8);
    view.setInt32(offset + 70, derivationHigh);
    view.setUint32(offset + 74, derivationLow);
    offset += FRESH_ROW_BYTES;
  }
  BINARY_COPY_TRAILER.copy(data, offset);
  const added = await copyFrom(
    client,
    'COPY jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at, derivation_id) FROM STDIN (FORMAT binary)',
    [data],
  );
  return { changed: 0, added, returned: 0, vanished: 0, pointsAfter: added, newSeries: 0 };
}

/**
 * A day with stored content: one statement compares incoming and current values, moves changed and
 * vanished ones to history with their validity interval and upserts changed and new ones with the next
 * revision (continuing after a vanished value's last revision); a second statement deletes the vanished
 * ones, only when there are any.
 *
 * Every access to jao.observation and jao.observation_history carries the day's window as a range on `mtu`,
 * so that on TimescaleDB only the day's chunks are considered (at run time: prepared statements included): a
 * revision inside compressed history decompresses the batches of the series it changes in the day's chunk,
 * and leaves every other chunk compressed.
 */
async function mergeDay(
  client: pg.PoolClient,
  dataset: Dataset,
  content: DayContent,
  seriesIds: SeriesIds,
  state: DayState,
): Promise<ContentOutcome> {
  const cellKeys: string[] = [];
  const cellMtus: string[] = [];
  const rowMtus: string[] = [];
  for (const cell of content.protectedCells) {
    if (cell.seriesKey === '*') rowMtus.push(cell.mtu);
    else {
      cellKeys.push(cell.seriesKey);
      cellMtus.push(cell.mtu);
    }
  }
  const result = await client.query<{
    changed: number;
    added: number;
    returned: number;
    current_points: number;
    vanished_series: number[];
    vanished_mtus: Date[];
  }>({
    name: 'jao.writeDay.mergeDay',
    text: `WITH incoming AS (${INCOMING_POINTS}
     ),
     -- The day's rows by one range scan of the primary key (mtu, series_id), then the dataset's series:
     -- MATERIALIZED keeps the planner from probing the range once per series.
     day_rows AS MATERIALIZED (
       SELECT o.series_id, o.mtu, o.value, o.revision, o.first_seen_at, o.updated_at, o.derivation_id
         FROM jao.observation o
        WHERE o.mtu >= $4 AND o.mtu < $5
     ),
     current AS (
       SELECT d.* FROM day_rows d
        WHERE d.series_id IN (SELECT s.series_id FROM jao.series s WHERE s.dataset = $6)
     ),
     protected AS (
       SELECT s.series_id, q.mtu
         FROM unnest($7::text[], $8::timestamptz[]) AS q(key, mtu)
         JOIN jao.series s ON s.dataset = $6 AND s.key = q.key
     ),
     -- One comparison of incoming and current values (a single hash join): the cells that differ (new,
     -- changed or absent from the payload). Everything after works on these few rows only.
     diff AS MATERIALIZED (
       SELECT COALESCE(i.series_id, c.series_id) AS series_id, COALESCE(i.mtu, c.mtu) AS mtu,
              i.value AS new_value, c.series_id IS NOT NULL AS existed,
              c.value, c.revision, c.first_seen_at, c.updated_at, c.derivation_id
         FROM incoming i
         FULL JOIN current c ON i.series_id = c.series_id AND i.mtu = c.mtu
        WHERE c.series_id IS NULL OR i.series_id IS NULL OR i.value <> c.value
     ),
     superseded AS MATERIALIZED (
       SELECT x.series_id, x.mtu, x.value, x.revision, x.first_seen_at, x.updated_at, x.derivation_id,
              x.new_value
         FROM diff x
        WHERE x.existed
          AND (x.new_value IS NOT NULL
               OR (NOT $9::boolean
                   AND x.mtu <> ALL ($10::timestamptz[])
                   AND NOT EXISTS (SELECT 1 FROM protected q WHERE q.series_id = x.series_id AND q.mtu = x.mtu)))
     ),
     moved AS (
       INSERT INTO jao.observation_history
              (series_id, mtu, value, revision, first_seen_at, valid_from, valid_to, derivation_id)
       SELECT x.series_id, x.mtu, x.value, x.revision, x.first_seen_at, x.updated_at, $11, x.derivation_id
         FROM superseded x
       RETURNING 1
     ),
     upserted AS (
       INSERT INTO jao.observation AS o (series_id, mtu, value, revision, first_seen_at, updated_at, derivation_id)
       SELECT x.series_id, x.mtu, x.new_value,
              COALESCE(x.revision, last.revision, 0) + 1,
              COALESCE(x.first_seen_at, last.first_seen_at, $11),
              $11, $12::bigint
         FROM diff x
         LEFT JOIN LATERAL (
           SELECT h.revision, h.first_seen_at
             FROM jao.observation_history h
            WHERE NOT x.existed AND h.mtu = x.mtu AND h.series_id = x.series_id
              AND h.mtu >= $4 AND h.mtu < $5
            ORDER BY h.revision DESC
            LIMIT 1
         ) AS last ON true
        WHERE x.new_value IS NOT NULL
       ON CONFLICT (mtu, series_id) DO UPDATE
          SET value = EXCLUDED.value, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at,
              derivation_id = EXCLUDED.derivation_id
       RETURNING o.revision
     ),
     vanished AS (
       SELECT x.series_id, x.mtu FROM superseded x WHERE x.new_value IS NULL ORDER BY x.series_id, x.mtu
     )
     SELECT (SELECT count(*) FROM superseded WHERE new_value IS NOT NULL)::int AS changed,
            ((SELECT count(*) FROM upserted) - (SELECT count(*) FROM superseded WHERE new_value IS NOT NULL))::int
              AS added,
            -- values back after vanishing (a revision of what was stored; a first value is none)
            ((SELECT count(*) FROM upserted WHERE revision > 1)
              - (SELECT count(*) FROM superseded WHERE new_value IS NOT NULL))::int AS returned,
            (SELECT count(*) FROM current)::int AS current_points,
            (SELECT count(*) FROM moved)::int AS moved,
            ARRAY(SELECT series_id FROM vanished) AS vanished_series,
            ARRAY(SELECT mtu FROM vanished) AS vanished_mtus`,
    values: [
      ...pointParams(content, seriesIds),
      state.windowFrom,
      state.windowTo,
      dataset,
      cellKeys,
      cellMtus,
      content.protectAll,
      rowMtus,
      state.txTime,
      state.derivationId,
    ],
  });
  const row = result.rows[0]!;
  const vanished = await deleteVanished(client, row.vanished_series, row.vanished_mtus, state);
  return {
    changed: row.changed,
    added: row.added,
    returned: row.returned,
    vanished,
    pointsAfter: row.current_points - vanished + row.added,
    newSeries: 0,
  };
}

/**
 * Deletes the current values that vanished from the day (already copied to history). Skipped when none did:
 * on TimescaleDB a DELETE decompresses every batch its constant conditions cannot rule out, so it runs only
 * with the vanished series and the day's window as constants.
 */
async function deleteVanished(
  client: pg.PoolClient,
  seriesIds: number[],
  mtus: Date[],
  state: DayState,
): Promise<number> {
  if (seriesIds.length === 0) return 0;
  const result = await client.query({
    name: 'jao.writeDay.deleteVanished',
    text: `DELETE FROM jao.observation o
             USING unnest($1::int[], $2::timestamptz[]) AS v(series_id, mtu)
            WHERE o.mtu >= $3 AND o.mtu < $4 AND o.series_id = ANY ($5::int[])
              AND o.series_id = v.series_id AND o.mtu = v.mtu`,
    values: [seriesIds, mtus, state.windowFrom, state.windowTo, [...new Set(seriesIds)]],
  });
  return result.rowCount ?? 0;
}

/** The run decides the day's status and quality record: it brought content, or the day has none stored. */
const RUN_DESCRIBES_DAY =
  "(NOT $25::boolean AND (EXCLUDED.status IN ('complete', 'partial') OR d.revision_count = 0))";
/** The day's quality record (migration 010), written together with its status. */
const QUALITY_COLUMNS = [
  'resolution_minutes',
  'missing_mtus',
  'key_set_id',
  'null_values',
  'duplicate_rows',
  'conflicting_rows',
  'rejected_values',
  'unknown_fields',
  'reason',
] as const;

/** An empty answer for a day with stored values: the values stay, last_error keeps the evidence. */
function emptyRecheck(input: WriteDayInput, state: DayState): boolean {
  return input.status === 'not_published' && state.revisionCount > 0;
}

/**
 * A re-check worse than what is stored (domain/dayStatus.ts): a complete day answered partial (conflicting
 * duplicates, say) while every stored value stays stored. The day keeps its status and quality record.
 */
function worseRecheck(input: WriteDayInput, state: DayState, outcome: ContentOutcome | null): boolean {
  return (
    input.reprocess === undefined &&
    state.status === 'complete' &&
    input.status === 'partial' &&
    (outcome?.vanished ?? 0) === 0
  );
}

/** What jao.derivation says of a write without an explicit derivation: a fetch, from its raw answer. */
function derivationOf(input: WriteDayInput): Derivation {
  if (input.derivation) return input.derivation;
  return {
    kind: 'fetch',
    reason:
      input.rawResponseId === null
        ? 'written without a stored raw answer'
        : `derived from JAO's answer (raw response ${input.rawResponseId})`,
  };
}

/** A revision changes or removes stored values; a day's first content counts as its first version. */
function revises(state: DayState, outcome: ContentOutcome | null): boolean {
  if (outcome === null) return false;
  if (state.revisionCount === 0) return outcome.added > 0;
  return outcome.changed + outcome.vanished + outcome.returned > 0;
}

async function upsertDayRow(
  client: pg.PoolClient,
  input: WriteDayInput,
  state: DayState,
  content: DayContent | null,
  outcome: ContentOutcome | null,
  contentChanged: boolean,
  touched: SeriesIds | null,
  keySetId: number | null,
): Promise<{ revision: number; status: DayStatus; judged: string }> {
  const receivedMtus = content ? (input.validated?.receivedMtus ?? 0) : null;
  const points = outcome ? outcome.pointsAfter : null;
  const validated = input.validated;
  const rejectedValues = (input.rejections ?? validated?.rejections ?? []).length;
  const keepStored = worseRecheck(input, state, outcome);
  const error = pgText(
    input.error ??
      (emptyRecheck(input, state)
        ? EMPTY_RECHECK_ERROR
        : keepStored
          ? worseRecheckError(input.status, input.reason ?? null)
          : null),
  );
  const reason = input.reason === undefined ? error : pgText(input.reason);
  const derivation = derivationOf(input);
  const result = await client.query<{ revision_count: number; status: DayStatus; judged: string }>({
    name: 'jao.writeDay.upsertDayRow',
    // The CTEs move last_seen_at of the series whose values this write changed ($13), with one hour of
    // granularity: a backfill or a poll does not rewrite (and lock) every series row on every day it writes.
    // Rows are locked in id order, so concurrent writers of other days cannot deadlock on them (the
    // delivery_day row is only ever written under the day's lock (jao.day_lock)).
    text: `WITH stale AS (
       SELECT s.series_id FROM jao.series s
        WHERE s.series_id = ANY ($13::int[]) AND s.last_seen_at < $9::timestamptz - INTERVAL '1 hour'
        ORDER BY s.series_id
          FOR NO KEY UPDATE
     ),
     touched AS (
       UPDATE jao.series s
          SET last_seen_at = $9::timestamptz
         FROM stale
        WHERE s.series_id = stale.series_id AND s.last_seen_at < $9::timestamptz
     ),
     -- the lineage of the values this write changed (they carry its id, $27)
     derived AS (
       INSERT INTO jao.derivation
              (derivation_id, dataset, day, kind, raw_response_id, build_id, workflow_id, reason, derived_at)
       SELECT $27::bigint, $1, $2::date, $28, $12, $14, $11, $29, $9::timestamptz
        WHERE $8::boolean
     )
     INSERT INTO jao.delivery_day AS d (
        dataset, day, status, expected_mtus, received_mtus, points, content_hash, revision_count,
        first_complete_at, last_changed_at, last_checked_at, attempts, last_error, last_workflow_id,
        last_raw_response_id, last_build_id, content_build_id,
        resolution_minutes, missing_mtus, key_set_id, null_values, duplicate_rows, conflicting_rows,
        rejected_values, unknown_fields, reason)
     VALUES ($1, $2::date, $3, $4, COALESCE($5::int, 0), COALESCE($6::int, 0), $7::text,
             CASE WHEN $8::boolean THEN 1 ELSE 0 END,
             CASE WHEN $3 = 'complete' THEN $9::timestamptz END,
             CASE WHEN $8::boolean THEN $9::timestamptz END,
             CASE WHEN $26::boolean THEN $9::timestamptz END, 1,
             $10, $11, $12, $14, CASE WHEN $8::boolean THEN $14 END,
             $15::int, $16::timestamptz[], $17::int, $18::int, $19::int, $20::int, $21::int, $22::text[], $23)
     ON CONFLICT (dataset, day) DO UPDATE SET
        -- a day with stored content keeps it when a re-check brings none (empty answer, invalid payload,
        -- failed fetch): its status and quality record describe what is stored (a stored partial day stays
        -- partial), and last_error tells what the re-check met
        status = CASE WHEN ${RUN_DESCRIBES_DAY} THEN EXCLUDED.status ELSE d.status END,
        expected_mtus = CASE WHEN ${RUN_DESCRIBES_DAY} THEN EXCLUDED.expected_mtus ELSE d.expected_mtus END,
        ${QUALITY_COLUMNS.map((c) => `${c} = CASE WHEN ${RUN_DESCRIBES_DAY} THEN EXCLUDED.${c} ELSE d.${c} END`).join(',\n')},
        received_mtus = CASE WHEN $25::boolean THEN d.received_mtus ELSE COALESCE($5::int, d.received_mtus) END,
        points = COALESCE($6::int, d.points),
        content_hash = COALESCE($7::text, d.content_hash),
        revision_count = d.revision_count + CASE WHEN $24::boolean THEN 1 ELSE 0 END,
        first_complete_at = COALESCE(d.first_complete_at, EXCLUDED.first_complete_at),
        last_changed_at = COALESCE(EXCLUDED.last_changed_at, d.last_changed_at),
        -- a reprocessing ($26 false) is no check of JAO: the last check's time and answer stay; so does what it
        -- met, unless that check judged the answer reprocessed ($12) and did not fail. Like every write that
        -- commits, it counts an attempt (the API's data version moves with attempts: api/snapshot.ts).
        last_checked_at = CASE WHEN $26::boolean THEN EXCLUDED.last_checked_at ELSE d.last_checked_at END,
        attempts = d.attempts + 1,
        last_error = CASE WHEN NOT $26::boolean
                               AND (d.last_raw_response_id IS DISTINCT FROM $12 OR d.status = 'failed')
                          THEN d.last_error ELSE EXCLUDED.last_error END,
        last_workflow_id = COALESCE(EXCLUDED.last_workflow_id, d.last_workflow_id),
        last_raw_response_id = CASE WHEN $26::boolean
                                    THEN COALESCE(EXCLUDED.last_raw_response_id, d.last_raw_response_id)
                                    ELSE d.last_raw_response_id END,
        last_build_id = EXCLUDED.last_build_id,
        content_build_id = CASE WHEN $8::boolean THEN EXCLUDED.last_build_id ELSE d.content_build_id END
     RETURNING d.revision_count, d.status, CASE WHEN NOT $26::boolean THEN ${JUDGED_RECORD} END AS judged`,
    values: [
      input.dataset,
      input.day,
      input.status,
      input.expectedMtus,
      receivedMtus,
      points,
      content ? content.contentHash : null,
      contentChanged,
      state.txTime,
      error,
      input.workflowId,
      input.rawResponseId,
      touched ? binaryInt4Array(touched.ids) : null,
      input.buildId ?? null,
      validated?.resolutionMinutes ?? null,
      validated?.missingMtus ?? [],
      keySetId,
      validated?.nullValues ?? 0,
      validated?.duplicateRows ?? 0,
      validated?.conflictingRows ?? 0,
      rejectedValues,
      validated?.unknownFields ?? [],
      reason,
      revises(state, outcome),
      keepStored,
      input.reprocess === undefined,
      state.derivationId,
      derivation.kind,
      pgText(derivation.reason),
    ],
  });
  const row = result.rows[0]!;
  return { revision: row.revision_count, status: row.status, judged: row.judged };
}

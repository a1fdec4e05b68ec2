// The values of a day's write: the first content copied in, later content merged with what is stored (changed and
// vanished values moved to history), vanished values deleted.
import type pg from 'pg';
import type { Dataset, DeliveryDay } from '../../../domain/types';
import {
  binaryDateDays,
  binaryFloat8Array,
  binaryInt4Array,
  binaryTimestamptzArray,
  binaryTimestampWords,
  copyPending,
  type PendingCopies,
} from '../../copy';
import type { ContentOutcome, DayState, SeriesIds } from '../../dayWriteTypes';
import { namedStatement } from '../../namedStatement';
import type { DayContent } from './dayContent';

/**
 * Row layout of the fresh day's binary COPY: field count, then each field as length + big-endian value:
 * series_id int4, mtu timestamptz, value float8, revision int4 (1), first_seen_at and updated_at (txTime),
 * derivation_id int8, delivery_day date (the day written: every value of a write is of its day).
 */
const FRESH_ROW_BYTES = 2 + (4 + 4) + (4 + 8) + (4 + 8) + (4 + 4) + (4 + 8) + (4 + 8) + (4 + 8) + (4 + 4);

const COPY_OBSERVATIONS =
  'COPY jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at, derivation_id, delivery_day) FROM STDIN (FORMAT binary)';

/**
 * First content of a day: nothing to compare with (no stored value of the day, and the day's lock (jao.day_lock)
 * is held), so the points are copied straight into jao.observation with one binary COPY: no text to parse
 * on the server, no per-row WAL record for the heap (COPY batches its inserts). With `pending` (a restore's group of
 * days), the rows wait for the group's one COPY.
 */
export async function insertFreshDay(
  client: pg.PoolClient,
  day: DeliveryDay,
  content: DayContent,
  seriesIds: SeriesIds,
  state: DayState,
  pending?: PendingCopies,
): Promise<ContentOutcome> {
  const count = content.values.length;
  if (count === 0) return { changed: 0, added: 0, returned: 0, vanished: 0, pointsAfter: 0, newSeries: 0 };
  const [txHigh, txLow] = binaryTimestampWords(state.txTime.getTime());
  const derivationId = state.derivationId!;
  const derivationHigh = Math.floor(derivationId / 4_294_967_296);
  const derivationLow = derivationId - derivationHigh * 4_294_967_296;
  const dayDays = binaryDateDays(day);
  const mtuWords = content.mtuList.map((mtu) => binaryTimestampWords(Date.parse(mtu)));
  const ids = seriesIds.ids;
  const { seriesIndex, mtuIndex, values } = content;
  const data = Buffer.allocUnsafe(count * FRESH_ROW_BYTES);
  let offset = 0;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < count; i += 1) {
    const mtu = mtuWords[mtuIndex[i]!]!;
    view.setInt16(offset, 8);
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
    view.setInt32(offset + 78, 4);
    view.setInt32(offset + 82, dayDays);
    offset += FRESH_ROW_BYTES;
  }
  const copies = pending ?? new Map<string, Buffer[]>();
  copies.set(COPY_OBSERVATIONS, [...(copies.get(COPY_OBSERVATIONS) ?? []), data]);
  // A COPY stores every row or fails: the count is the rows'.
  if (!pending) await copyPending(client, copies);
  return { changed: 0, added: count, returned: 0, vanished: 0, pointsAfter: count, newSeries: 0 };
}

const MERGE_DAY = namedStatement<
  {
    /** The points, as three arrays sent in binary: the server reads them without parsing a number or timestamp. */
    seriesIds: Buffer;
    mtus: Buffer;
    values: Buffer;
    windowFrom: Date;
    windowTo: Date;
    dataset: string;
    cellKeys: string[];
    cellMtus: string[];
    protectAll: boolean;
    rowMtus: string[];
    txTime: Date;
    derivationId: number | null;
    day: DeliveryDay;
  },
  {
    changed: number;
    added: number;
    returned: number;
    current_points: number;
    vanished_series: number[];
    vanished_mtus: Date[];
  }
>(
  'jao.writeDay.mergeDay',
  `WITH incoming AS (
       SELECT p.series_id, p.mtu, p.value
         FROM unnest(:seriesIds::int[], :mtus::timestamptz[], :values::float8[]) AS p(series_id, mtu, value)
     ),
     -- The dataset's rows of the day, one probe of (delivery_day, series_id) per series: the other datasets' rows
     -- of the day are neither read nor passed over. The window on mtu is for TimescaleDB's chunk exclusion.
     current AS MATERIALIZED (
       SELECT o.series_id, o.mtu, o.value, o.revision, o.first_seen_at, o.updated_at, o.derivation_id
         FROM jao.observation o
        WHERE o.delivery_day = :day::date
          AND o.series_id = ANY (ARRAY(SELECT s.series_id FROM jao.series s WHERE s.dataset = :dataset))
          AND o.mtu >= :windowFrom AND o.mtu < :windowTo
     ),
     protected AS (
       SELECT s.series_id, q.mtu
         FROM unnest(:cellKeys::text[], :cellMtus::timestamptz[]) AS q(key, mtu)
         JOIN jao.series s ON s.dataset = :dataset AND s.key = q.key
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
               OR (NOT :protectAll::boolean
                   AND x.mtu <> ALL (:rowMtus::timestamptz[])
                   AND NOT EXISTS (SELECT 1 FROM protected q WHERE q.series_id = x.series_id AND q.mtu = x.mtu)))
     ),
     moved AS (
       INSERT INTO jao.observation_history
              (series_id, mtu, value, revision, first_seen_at, valid_from, valid_to, derivation_id, delivery_day)
       SELECT x.series_id, x.mtu, x.value, x.revision, x.first_seen_at, x.updated_at, :txTime, x.derivation_id,
              :day::date
         FROM superseded x
       RETURNING 1
     ),
     upserted AS (
       INSERT INTO jao.observation AS o
              (series_id, mtu, value, revision, first_seen_at, updated_at, derivation_id, delivery_day)
       SELECT x.series_id, x.mtu, x.new_value,
              COALESCE(x.revision, last.revision, 0) + 1,
              COALESCE(x.first_seen_at, last.first_seen_at, :txTime),
              :txTime, :derivationId::bigint, :day::date
         FROM diff x
         LEFT JOIN LATERAL (
           SELECT h.revision, h.first_seen_at
             FROM jao.observation_history h
            WHERE NOT x.existed AND h.mtu = x.mtu AND h.series_id = x.series_id
              AND h.mtu >= :windowFrom AND h.mtu < :windowTo
            ORDER BY h.revision DESC
            LIMIT 1
         ) AS last ON true
        WHERE x.new_value IS NOT NULL
       ON CONFLICT (mtu, series_id) DO UPDATE
          SET value = EXCLUDED.value, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at,
              derivation_id = EXCLUDED.derivation_id, delivery_day = EXCLUDED.delivery_day
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
);

const DELETE_VANISHED = namedStatement<{
  seriesIds: number[];
  mtus: Date[];
  windowFrom: Date;
  windowTo: Date;
  distinctSeriesIds: number[];
}>(
  'jao.writeDay.deleteVanished',
  `DELETE FROM jao.observation o
             USING unnest(:seriesIds::int[], :mtus::timestamptz[]) AS v(series_id, mtu)
            WHERE o.mtu >= :windowFrom AND o.mtu < :windowTo AND o.series_id = ANY (:distinctSeriesIds::int[])
              AND o.series_id = v.series_id AND o.mtu = v.mtu`,
);

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
export async function mergeDay(
  client: pg.PoolClient,
  dataset: Dataset,
  day: DeliveryDay,
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
  const mtuMs = content.mtuList.map((mtu) => Date.parse(mtu));
  const result = await MERGE_DAY.run(client, {
    seriesIds: binaryInt4Array(content.seriesIndex.map((s) => seriesIds.ids[s]!)),
    mtus: binaryTimestamptzArray(content.mtuIndex.map((m) => mtuMs[m]!)),
    values: binaryFloat8Array(content.values),
    windowFrom: state.windowFrom,
    windowTo: state.windowTo,
    dataset,
    cellKeys,
    cellMtus,
    protectAll: content.protectAll,
    rowMtus,
    txTime: state.txTime,
    derivationId: state.derivationId,
    day,
  });
  const row = result.rows[0]!;
  // The vanished values (already copied to history) are deleted only when there are any: on TimescaleDB a DELETE
  // decompresses every batch its constant conditions cannot rule out, so it runs only with the vanished series and
  // the day's window as constants.
  let vanished = 0;
  if (row.vanished_series.length > 0) {
    const deleted = await DELETE_VANISHED.run(client, {
      seriesIds: row.vanished_series,
      mtus: row.vanished_mtus,
      windowFrom: state.windowFrom,
      windowTo: state.windowTo,
      distinctSeriesIds: [...new Set(row.vanished_series)],
    });
    vanished = deleted.rowCount ?? 0;
  }
  return {
    changed: row.changed,
    added: row.added,
    returned: row.returned,
    vanished,
    pointsAfter: row.current_points - vanished + row.added,
    newSeries: 0,
  };
}

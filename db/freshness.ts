// How fresh the stored days are: when JAO's answer for a day first carried data, when the last answer before it
// was still empty (the publication happened in between), and when the day was first stored complete.
import type pg from 'pg';
import type { PublicationTimes } from '../domain/freshness';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

export interface FactsRow {
  day: string;
  published_after: Date | null;
  seen_at: Date | null;
  stored_at: Date | null;
}

// The day `d`'s publication facts (seen: its first answer with data; empty: the last empty answer before it).
// raw_response keeps one row per distinct body in fetch order (an identical re-fetch moves last_fetched_at of
// the latest row), so the empty answers before the first answer with data are the rows before it. The view
// jao.day_publication (migration 006) is this same join: change both together.
export const FACTS_OF_DAY = `
  LEFT JOIN LATERAL (
    SELECT r.raw_response_id, r.fetched_at FROM jao.raw_response r
     WHERE r.dataset = d.dataset AND r.day = d.day AND r.answer = 'data'
     ORDER BY r.raw_response_id LIMIT 1) seen ON true
  LEFT JOIN LATERAL (
    SELECT max(r.last_fetched_at) AS at FROM jao.raw_response r
     WHERE r.dataset = d.dataset AND r.day = d.day AND r.answer = 'not_published'
       AND r.raw_response_id < seen.raw_response_id) empty ON true`;

export const toFacts = (row: FactsRow): PublicationTimes => ({
  day: row.day,
  publishedAfter: row.published_after,
  seenAt: row.seen_at,
  storedAt: row.stored_at,
});

/**
 * Publication facts of the recorded days in [from, to], in day order: the view jao.day_publication (migration 006,
 * FACTS_OF_DAY over raw_response's metadata), which jao_reader reads too, so the API tells what `jao status` does.
 */
export async function readPublicationTimes(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<PublicationTimes[]> {
  const result = await pool.query<FactsRow>(
    `SELECT day::text AS day, published_after, seen_at, stored_at
       FROM jao.day_publication
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date
      ORDER BY day`,
    [dataset, from, to],
  );
  return result.rows.map(toFacts);
}

/**
 * The day's publication facts when the write that just stored `rawResponseId` is the one that first made the day
 * complete (it set first_complete_at and last_checked_at to its own transaction time); null otherwise.
 */
export async function firstCompletionFacts(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
  rawResponseId: number,
): Promise<PublicationTimes | null> {
  const result = await pool.query<FactsRow>(
    `SELECT d.day::text AS day, empty.at AS published_after, seen.fetched_at AS seen_at,
            d.first_complete_at AS stored_at
       FROM jao.delivery_day d ${FACTS_OF_DAY}
      WHERE d.dataset = $1 AND d.day = $2::date AND d.first_complete_at = d.last_checked_at
        AND d.last_raw_response_id = $3`,
    [dataset, day, rawResponseId],
  );
  const row = result.rows[0];
  return row ? toFacts(row) : null;
}

/** The day's recorded status, null when it was never run. */
export async function readStoredDayStatus(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<DayStatus | null> {
  const result = await pool.query<{ status: DayStatus }>(
    'SELECT status FROM jao.delivery_day WHERE dataset = $1 AND day = $2::date',
    [dataset, day],
  );
  return result.rows[0]?.status ?? null;
}

// How fresh the stored days are: when JAO's answer for a day first carried data, when the last answer before it
// was still empty (the publication happened in between), and when the day was first stored complete.
import type pg from 'pg';
import type { PublicationTimes } from '../domain/freshness';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

// The day `d`'s publication facts (seen: its first answer with data; empty: the last empty answer before it).
// raw_response keeps one row per distinct body in fetch order (an identical re-fetch moves last_fetched_at of
// the latest row), so the empty answers before the first answer with data are the rows before it. The view
// jao.day_publication (migration 006) is this same join: change both together.
const FACTS_OF_DAY = `
  LEFT JOIN LATERAL (
    SELECT r.raw_response_id, r.fetched_at FROM jao.raw_response r
     WHERE r.dataset = d.dataset AND r.day = d.day AND r.answer = 'data'
     ORDER BY r.raw_response_id LIMIT 1) seen ON true
  LEFT JOIN LATERAL (
    SELECT max(r.last_fetched_at) AS at FROM jao.raw_response r
     WHERE r.dataset = d.dataset AND r.day = d.day AND r.answer = 'not_published'
       AND r.raw_response_id < seen.raw_response_id) empty ON true`;

/**
 * The day's publication facts when the write that checked it last, with the answer `rawResponseId`, is the one that
 * first made the day complete (it set first_complete_at and last_checked_at to its own transaction time). The
 * arguments are the statement's placeholders.
 */
export const firstCompletionSql = (dataset: string, day: string, rawResponseId: string) => `
  SELECT d.day::text AS day, empty.at AS "publishedAfter", seen.fetched_at AS "seenAt",
         d.first_complete_at AS "storedAt"
    FROM jao.delivery_day d ${FACTS_OF_DAY}
   WHERE d.dataset = ${dataset} AND d.day = ${day}::date AND d.first_complete_at = d.last_checked_at
     AND d.last_raw_response_id = ${rawResponseId}`;

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
  const result = await pool.query<PublicationTimes>(
    `SELECT day::text AS day, published_after AS "publishedAfter", seen_at AS "seenAt", stored_at AS "storedAt"
       FROM jao.day_publication
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date
      ORDER BY day`,
    [dataset, from, to],
  );
  return result.rows;
}

/** firstCompletionSql of the day: null unless the write that stored `rawResponseId` first made it complete. */
export async function firstCompletionFacts(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
  rawResponseId: number,
): Promise<PublicationTimes | null> {
  const sql = firstCompletionSql('$1', '$2', '$3');
  const result = await pool.query<PublicationTimes>(sql, [dataset, day, rawResponseId]);
  return result.rows[0] ?? null;
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

// Which raw answers are stored for which days: what reprocessing can re-derive without asking JAO. A refusal
// (`rejected: true`, jao.raw_response.answer 'rejected') is kept as evidence but is no answer to derive a day from:
// the day workflow never judges one either (the day fails).
import type pg from 'pg';
import type { Dataset, DeliveryDay } from '../domain/types';

/** The day's stored raw answers but refusals, newest first (empty: none). */
export async function readStoredAnswerIds(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<number[]> {
  const result = await pool.query<{ id: string }>(
    `SELECT raw_response_id AS id FROM jao.raw_response
      WHERE dataset = $1 AND day = $2::date AND answer IS DISTINCT FROM 'rejected'
      ORDER BY raw_response_id DESC`,
    [dataset, day],
  );
  return result.rows.map((row) => Number(row.id));
}

/** The days of [from, to] with at least one stored raw answer that is not a refusal, in order. */
export async function daysWithStoredAnswers(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<DeliveryDay[]> {
  const result = await pool.query<{ day: string }>(
    `SELECT DISTINCT day::text AS day FROM jao.raw_response
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date AND answer IS DISTINCT FROM 'rejected'
      ORDER BY 1`,
    [dataset, from, to],
  );
  return result.rows.map((row) => row.day);
}

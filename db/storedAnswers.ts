// Which raw answers are stored for which days: what reprocessing can re-derive without asking JAO. A refusal
// (`rejected: true`, jao.raw_response.answer 'rejected') is kept as evidence but is no answer to derive a day from:
// the day workflow never judges one either (the day fails).
import type pg from 'pg';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

export interface StoredAnswers {
  /** The day's stored raw answers but refusals, newest first (empty: none). */
  ids: number[];
  /** The answer the day's last check judged (jao.delivery_day.last_raw_response_id); null without one. */
  lastJudgedId: number | null;
  /** The day's status; null for a day without a record. */
  status: DayStatus | null;
}

export async function readStoredAnswers(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<StoredAnswers> {
  const result = await pool.query<{
    ids: string[] | null;
    last_judged_id: string | null;
    status: DayStatus | null;
  }>(
    `SELECT ARRAY(SELECT r.raw_response_id FROM jao.raw_response r
                   WHERE r.dataset = $1 AND r.day = $2::date AND r.answer IS DISTINCT FROM 'rejected'
                   ORDER BY r.raw_response_id DESC) AS ids,
            d.last_raw_response_id AS last_judged_id, d.status
       FROM (SELECT 1) AS one
       LEFT JOIN jao.delivery_day d ON d.dataset = $1 AND d.day = $2::date`,
    [dataset, day],
  );
  const row = result.rows[0]!;
  return {
    ids: (row.ids ?? []).map(Number),
    lastJudgedId: row.last_judged_id === null ? null : Number(row.last_judged_id),
    status: row.status,
  };
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

// The days that may be bad now (domain/badDays.ts decides), read from jao.delivery_day one page at a time in
// (dataset, day) order: whatever a later run, re-check, reprocessing or restore wrote last is what counts.
import type pg from 'pg';
import type { StoredDayFacts } from '../domain/badDays';
import type { DeliveryDay } from '../domain/types';

/** Where the previous page ended (exclusive). */
export type DayCursor = Pick<StoredDayFacts, 'dataset' | 'day'>;

/**
 * Up to `limit` days after `after` that are not plainly fine: failed, invalid, partial, not published up to
 * `notPublishedThrough` (later ones cannot be late yet), or complete with a failed re-check.
 */
export async function readBadDayCandidates(
  pool: pg.Pool,
  options: { after: DayCursor | null; limit: number; notPublishedThrough: DeliveryDay },
): Promise<StoredDayFacts[]> {
  const { after, limit, notPublishedThrough } = options;
  const result = await pool.query<StoredDayFacts>(
    `SELECT dataset, day::text AS day, status, last_error AS "lastError"
       FROM jao.delivery_day
      WHERE (status IN ('failed', 'invalid', 'partial')
             OR (status = 'complete' AND last_error IS NOT NULL)
             OR (status = 'not_published' AND day <= $3::date))
        AND ($1::text IS NULL OR (dataset, day) > ($1::text, $2::date))
      ORDER BY dataset, day
      LIMIT $4`,
    [after?.dataset ?? null, after?.day ?? null, notPublishedThrough, limit],
  );
  return result.rows;
}

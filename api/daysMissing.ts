// The delivery days of an answer's range that are not stored: named by the Jao-Days-Missing header (and
// `days_missing` in a JSON envelope), so that an empty answer is never mistaken for a day without values.
import type { FastifyReply } from 'fastify';
import type pg from 'pg';
import { dayOfInstant } from '../domain/calendar';
import type { Dataset } from '../domain/datasets';
import type { MtuWindow } from './params';

export const DAYS_MISSING_HEADER = 'jao-days-missing';

/** The rows an answer reads: keyed values or the flow-based domain's constraints. */
export type StoredRows = 'values' | 'constraints';

const AS_OF_SOURCE: Record<StoredRows, string> = {
  values: 'jao.dataset_values_as_of($4::timestamptz)',
  constraints: 'jao.constraints_as_of($4::timestamptz)',
};

/**
 * The days of from..to (narrowed to the days an MTU window touches) with no stored row of the dataset: now, a day
 * whose record holds no stored value (jao.delivery_day.points = 0, or no record); as of an instant, a day of which
 * the as-of view held no row. A day stored in part (some MTUs missing, status incomplete) is not missing: GET /v1/days
 * tells its completeness.
 */
export async function readDaysMissing(
  client: pg.PoolClient,
  rows: StoredRows,
  dataset: Dataset,
  from: string,
  to: string,
  asOf: Date | null,
  window: MtuWindow | null,
): Promise<string[]> {
  const first = window ? maxDay(from, dayOfInstant(window.from)) : from;
  const last = window ? minDay(to, dayOfInstant(new Date(window.to.getTime() - 1))) : to;
  const stored = asOf
    ? `EXISTS (SELECT 1 FROM ${AS_OF_SOURCE[rows]} x WHERE x.dataset = $1 AND x.delivery_day = d.day)`
    : 'EXISTS (SELECT 1 FROM jao.delivery_day g WHERE g.dataset = $1 AND g.day = d.day AND g.points > 0)';
  const result = await client.query<{ day: string }>({
    text: `SELECT d.day::text AS day
             FROM generate_series($2::date, $3::date, interval '1 day') AS s(at)
            CROSS JOIN LATERAL (SELECT s.at::date AS day) d
            WHERE NOT ${stored}
            ORDER BY d.day`,
    values: asOf ? [dataset, first, last, asOf] : [dataset, first, last],
  });
  return result.rows.map((row) => row.day);
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);

/** Jao-Days-Missing: the days comma-separated; absent when none. */
export function setDaysMissingHeader(reply: FastifyReply, days: readonly string[]): void {
  if (days.length > 0) reply.header(DAYS_MISSING_HEADER, days.join(','));
}

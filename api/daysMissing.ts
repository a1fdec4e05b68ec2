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

/** The rows of a dataset: current, or as known at the instant $4. */
const SOURCE: Record<StoredRows, { current: string; asOf: string }> = {
  values: { current: 'jao.dataset_values', asOf: 'jao.dataset_values_as_of($4::timestamptz)' },
  constraints: { current: 'jao.constraints', asOf: 'jao.constraints_as_of($4::timestamptz)' },
};

/**
 * The days of from..to (narrowed to the days an MTU window touches) of which the dataset's rows hold none: the
 * current rows, or as of an instant the rows as then known. One probe of the values' delivery-day index per day (a
 * lateral LIMIT 1: as NOT EXISTS the planner chose an anti-join over the whole range, 3.6 s for a year of every
 * border instead of 30 ms). A day stored in part (some MTUs missing, status partial) is not missing: GET /v1/days
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
  const source = asOf ? SOURCE[rows].asOf : SOURCE[rows].current;
  const result = await client.query<{ day: string }>({
    text: `SELECT d.day::text AS day
             FROM generate_series($2::date, $3::date, interval '1 day') AS s(at)
            CROSS JOIN LATERAL (SELECT s.at::date AS day) d
             LEFT JOIN LATERAL (SELECT 1 AS found FROM ${source} x
                                 WHERE x.dataset = $1 AND x.delivery_day = d.day LIMIT 1) f ON true
            WHERE f.found IS NULL
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

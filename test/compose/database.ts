// What the compose stack's database holds, read with psql inside the timescaledb container (as its owner).
import { z } from 'zod';
import type { ComposeStack } from './stack';

/** Runs one query with psql in the database container; the rows as lines, columns separated by `|`. */
export async function psql(stack: ComposeStack, query: string): Promise<string[]> {
  const out = await stack.composeChecked([
    'exec',
    '-T',
    'timescaledb',
    'sh',
    '-c',
    'psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -v ON_ERROR_STOP=1 -Atc "$0"',
    query,
  ]);
  return out.split('\n').filter((line) => line !== '');
}

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Days are interpolated into queries: only well-formed dates get there. */
function dayLiteral(day: string): string {
  return `'${isoDay.parse(day)}'::date`;
}

/** What the database holds of the days and their fetches, as one comparable text. */
export async function storedState(stack: ComposeStack): Promise<string> {
  const [line] = await psql(
    stack,
    `SELECT (SELECT string_agg(day || ' ' || status, ', ' ORDER BY day) FROM jao.day_quality)
       || ' | fetches ' || (SELECT count(*) || '/' || coalesce(sum(fetch_count), 0) || '/'
       || coalesce(max(last_fetched_at)::text, '-') FROM jao.raw_response)`,
  );
  return line ?? '';
}

/** How many days of from..to are stored complete. */
export async function completeDays(stack: ComposeStack, from: string, to: string): Promise<number> {
  const [count] = await psql(
    stack,
    `SELECT count(*) FROM jao.delivery_day
      WHERE day BETWEEN ${dayLiteral(from)} AND ${dayLiteral(to)} AND status = 'complete'`,
  );
  return Number(count);
}

/** The days of from..to stored complete. */
export async function completeDayList(stack: ComposeStack, from: string, to: string): Promise<string[]> {
  return psql(
    stack,
    `SELECT day FROM jao.delivery_day
      WHERE day BETWEEN ${dayLiteral(from)} AND ${dayLiteral(to)} AND status = 'complete' ORDER BY day`,
  );
}

export interface DayBuild {
  day: string;
  lastBuildId: string;
  contentBuildId: string;
}

/** The builds recorded on each stored day of from..to. */
export async function dayBuilds(stack: ComposeStack, from: string, to: string): Promise<DayBuild[]> {
  const rows = await psql(
    stack,
    `SELECT day, coalesce(last_build_id, '-'), coalesce(content_build_id, '-') FROM jao.delivery_day
      WHERE day BETWEEN ${dayLiteral(from)} AND ${dayLiteral(to)} ORDER BY day`,
  );
  return rows.map((row) => {
    const [day = '', lastBuildId = '', contentBuildId = ''] = row.split('|');
    return { day, lastBuildId, contentBuildId };
  });
}

/**
 * Every day of from..to that is not exact, one line each: a day must be stored complete with every expected MTU,
 * as one revision (a second fetch of the same content adds none), and hold exactly the values it counted, each
 * at its first revision and none superseded (history). Empty when all are exact.
 */
export async function inexactDays(stack: ComposeStack, from: string, to: string): Promise<string[]> {
  return psql(
    stack,
    `WITH days AS (
       SELECT generate_series(${dayLiteral(from)}, ${dayLiteral(to)}, interval '1 day')::date AS day
     )
     SELECT days.day || ': ' || coalesce(d.status, 'not stored') || ', mtus ' || coalesce(d.received_mtus, 0)
              || '/' || coalesce(d.expected_mtus, 0) || ', revisions ' || coalesce(d.revision_count, 0)
              || ', points ' || coalesce(d.points, 0) || ', values ' || v.n || ' (revised ' || v.revised
              || '), superseded ' || h.n
       FROM days
       LEFT JOIN jao.delivery_day d ON d.day = days.day AND d.dataset = 'maxExchanges'
       LEFT JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE o.revision > 1) AS revised
                           FROM jao.observation o
                           WHERE o.mtu >= d.window_from AND o.mtu < d.window_to) v ON true
       LEFT JOIN LATERAL (SELECT count(*) AS n FROM jao.observation_history o
                           WHERE o.mtu >= d.window_from AND o.mtu < d.window_to) h ON true
      WHERE d.status IS DISTINCT FROM 'complete' OR d.received_mtus <> d.expected_mtus
         OR d.revision_count <> 1 OR v.n <> d.points OR v.revised > 0 OR h.n > 0
      ORDER BY days.day`,
  );
}

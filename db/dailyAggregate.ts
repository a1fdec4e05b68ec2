import type pg from 'pg';

/**
 * The daily aggregate on TimescaleDB (jao.max_exchanges_daily, a real-time continuous aggregate): days before
 * its watermark are read from the materialization, days from the watermark on are computed from the values
 * at query time. After every write that changed a day, the write path keeps it right and fast:
 * - a day before the watermark (already materialized: a revision, a late or out-of-order day) is
 *   re-materialized at once, or the aggregate would show its old values (or none) until the refresh policy;
 * - a day from the watermark on is right already (computed in real time); the materialization is moved up
 *   to it only when the real-time part would span more than REALTIME_DAYS, so that a backfill of years
 *   refreshes about once a week of data instead of once a day, and a query over a year stays fast.
 * A no-op on plain PostgreSQL, where the aggregate is a plain view.
 */
const REALTIME_DAYS = 7;
const DAY_MS = 86_400_000;

/** jao.max_exchanges_daily is a continuous aggregate (TimescaleDB), per pool: decided once. */
const isContinuousAggregate = new WeakMap<pg.Pool, Promise<boolean>>();

async function readIsContinuousAggregate(pool: pg.Pool): Promise<boolean> {
  const extension = await pool.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS present`,
  );
  if (extension.rows[0]?.present !== true) return false;
  const cagg = await pool.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates
                     WHERE view_schema = 'jao' AND view_name = 'max_exchanges_daily') AS present`,
  );
  return cagg.rows[0]?.present === true;
}

/**
 * The end of the materialized days (the function the aggregate's own real-time branch uses), or null when
 * nothing is materialized yet. Throws when this TimescaleDB version names it differently.
 */
async function readWatermark(pool: pg.Pool): Promise<Date | null> {
  const result = await pool.query<{ watermark: Date | null }>(
    `SELECT _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(c.mat_hypertable_id))
              AS watermark
       FROM _timescaledb_catalog.continuous_agg c
      WHERE c.user_view_schema = 'jao' AND c.user_view_name = 'max_exchanges_daily'`,
  );
  const watermark = result.rows[0]?.watermark ?? null;
  // The smallest timestamp TimescaleDB knows (4714 BC) stands for "nothing materialized".
  return watermark !== null && watermark.getUTCFullYear() > 0 ? watermark : null;
}

/** The range to materialize after a write of `day`, or null when the aggregate is right without it. */
export function refreshRange(
  day: { from: Date; to: Date },
  watermark: Date | null | 'unknown',
): { from: Date | null; to: Date } | null {
  if (watermark === 'unknown') return day;
  if (watermark !== null && day.from.getTime() < watermark.getTime()) return day;
  if (watermark !== null && day.to.getTime() - watermark.getTime() <= REALTIME_DAYS * DAY_MS) return null;
  return { from: watermark, to: day.to };
}

/**
 * Keeps the daily aggregate right after a committed write that changed the day in `window` (see above).
 * refresh_continuous_aggregate cannot run in a transaction block: it runs on a connection of the pool after
 * the commit. A failed refresh does not fail the write (it is committed): the day stays in TimescaleDB's
 * invalidation log and the refresh policy materializes it at its next run. Returns the error, or null.
 */
export async function refreshDailyAggregate(
  pool: pg.Pool,
  window: { from: Date; to: Date },
): Promise<string | null> {
  let known = isContinuousAggregate.get(pool);
  if (!known) {
    known = readIsContinuousAggregate(pool);
    isContinuousAggregate.set(pool, known);
    known.catch(() => isContinuousAggregate.delete(pool));
  }
  try {
    if (!(await known)) return null;
    const watermark = await readWatermark(pool).catch(() => 'unknown' as const);
    const range = refreshRange(window, watermark);
    if (range === null) return null;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await refresh(pool, range);
        return null;
      } catch (error) {
        // Another refresh of an overlapping window (a write of the same days, or the refresh policy) is in
        // progress: TimescaleDB refuses the second one at once. Wait for it.
        const code = (error as { code?: unknown }).code;
        if (code !== LOCK_NOT_AVAILABLE || attempt >= CONCURRENT_REFRESH_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 1_000)));
      }
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * One refresh, on a connection of its own. The aggregate's query joins the refreshed days' values with
 * jao.series; on chunks autovacuum has not analyzed yet (a backfill filling new chunks) the planner expects
 * a single row and scans the series once per value: 40-200 ms for one day instead of 10-25 ms. A hash join
 * is the right plan for a refresh of any size, so nested loops are off for this call (and reset after it).
 */
async function refresh(pool: pg.Pool, range: { from: Date | null; to: Date }): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SET enable_nestloop = off');
    await client.query(
      `CALL refresh_continuous_aggregate('jao.max_exchanges_daily', $1::timestamptz, $2::timestamptz)`,
      [range.from, range.to],
    );
  } finally {
    await client.query('RESET enable_nestloop').catch((error: Error) => {
      broken = error;
    });
    client.release(broken);
  }
}

/** SQLSTATE of "could not refresh continuous aggregate … due to a concurrent refresh". */
const LOCK_NOT_AVAILABLE = '55P03';
/** About 30 s of waiting in all: longer than a refresh policy run over years of data. */
const CONCURRENT_REFRESH_ATTEMPTS = 45;

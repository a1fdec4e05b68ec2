import type pg from 'pg';

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
 * Re-materializes the daily aggregate (jao.max_exchanges_daily, a real-time continuous aggregate on
 * TimescaleDB) for a day whose values a write just changed and committed. Without it, a day materialized
 * before (a revision, a late or out-of-order day) would show its old values, or none, until the refresh
 * policy runs; and days never materialized would be aggregated from the values at every query (a year:
 * seconds instead of a tenth of one). With it, the aggregate is right and fast right after every write,
 * a backfill included. Measurements: docs/timescaledb.md, "The daily aggregate". A no-op on plain PostgreSQL, where the
 * aggregate is a plain view.
 *
 * refresh_continuous_aggregate cannot run in a transaction block: it runs on a connection of the pool after
 * the commit. A failed refresh does not fail the write (it is committed): TimescaleDB keeps the day
 * invalidated and the refresh policy materializes it at its next run. Returns the error, or null.
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
    for (let attempt = 1; ; attempt += 1) {
      try {
        await refresh(pool, window);
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
async function refresh(pool: pg.Pool, window: { from: Date; to: Date }): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SET enable_nestloop = off');
    await client.query(
      `CALL refresh_continuous_aggregate('jao.max_exchanges_daily', $1::timestamptz, $2::timestamptz)`,
      [window.from, window.to],
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

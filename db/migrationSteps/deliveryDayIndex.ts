// Migration 014: the index on (delivery_day, series_id) of both value tables, built without holding back the writes
// of the release still running, and on TimescaleDB chunk skipping on the column (docs/timescaledb.md "Plain SQL on the
// views").
import type pg from 'pg';
import { LockNotTaken, withLockRetry } from '../lockRetry';
import type { MigrationStep, MigrationStepContext } from '../migrationStep';

const STEP = '014_delivery_day_index';
const TABLES = ['observation', 'observation_history'] as const;

/** The index's state: missing, valid, or left invalid by a build that was interrupted. */
async function indexState(client: pg.PoolClient, index: string): Promise<'missing' | 'valid' | 'invalid'> {
  const { rows } = await client.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
    [`jao.${index}`],
  );
  if (rows.length === 0) return 'missing';
  return rows[0]!.valid ? 'valid' : 'invalid';
}

/**
 * A day's values of every series are one range of the index, a series' days one range whose other series' entries the
 * index itself passes over. On TimescaleDB it also makes compression record each batch's first and last
 * delivery_day, and with chunk skipping each compressed chunk's.
 *
 * Plain PostgreSQL builds it CONCURRENTLY: reads and writes go on. TimescaleDB cannot build a hypertable's index
 * concurrently; one transaction per chunk holds back the writes of that chunk only, while it is indexed.
 */
async function buildIndexes(client: pg.PoolClient, { timescale, report, lockRetry }: MigrationStepContext) {
  for (const table of TABLES) {
    const index = `${table}_day_series_idx`;
    const what = `migration ${STEP} (jao.${index})`;
    const state = await indexState(client, index);
    if (state === 'valid') continue;
    if (state === 'invalid') {
      report(`014 drops jao.${index}, left invalid by an interrupted build, and builds it again`);
      await withLockRetry(
        what,
        () => client.query(`DROP INDEX ${timescale ? '' : 'CONCURRENTLY '}IF EXISTS jao.${index}`),
        lockRetry,
        report,
      );
    }
    const started = Date.now();
    const build = timescale
      ? `CREATE INDEX IF NOT EXISTS ${index} ON jao.${table} (delivery_day, series_id)
           WITH (timescaledb.transaction_per_chunk)`
      : `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index} ON jao.${table} (delivery_day, series_id)`;
    await withLockRetry(what, () => client.query(build), lockRetry, report);
    const seconds = (Date.now() - started) / 1000;
    if (seconds >= 1) report(`014 built jao.${index} in ${seconds.toFixed(1)} s`);
    if (timescale) {
      await client.query(`SELECT set_config('timescaledb.enable_chunk_skipping', 'on', false)`);
      // Read only with timescaledb.enable_chunk_skipping on, which every migrate run sets for the database
      // (db/databaseSettings.ts).
      await withLockRetry(
        what,
        () =>
          client.query(`SELECT enable_chunk_skipping($1::regclass, 'delivery_day', if_not_exists => true)`, [
            `jao.${table}`,
          ]),
        lockRetry,
        report,
      );
    }
  }
  // Statistics of the new column for the planner. Nothing depends on them being fresh: autovacuum analyzes each table
  // soon after the fill (it changed every row). So ANALYZE waits for its lock like the rest, with fewer tries, and
  // where writes keep it from its lock (on TimescaleDB a write decompressing a compressed batch holds one it conflicts
  // with) leaves it to autovacuum, in one line.
  const fewer = { ...lockRetry, attempts: Math.min(lockRetry.attempts, 4) };
  for (const table of TABLES) {
    try {
      await withLockRetry(
        `migration ${STEP} (ANALYZE jao.${table})`,
        () => client.query(`ANALYZE jao.${table}`),
        fewer,
        report,
      );
    } catch (error) {
      if (!(error instanceof LockNotTaken)) throw error;
      report(`014 leaves ANALYZE jao.${table} to autovacuum: writes kept it from its lock`);
    }
  }
}

export const deliveryDayIndex: MigrationStep = {
  describe:
    'index (delivery_day, series_id) of both value tables, concurrently or per chunk; chunk skipping (v1)',
  requires: null,
  run: buildIndexes,
};

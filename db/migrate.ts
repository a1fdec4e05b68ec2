import type pg from 'pg';
import { ensureDatabaseSettings } from './databaseSettings';
import { readEngine, unusableEngine } from './engine';
import {
  LockNotTaken,
  type LockRetry,
  MIGRATION_LOCK_RETRY,
  resetMigrationLockTimeout,
  setMigrationLockTimeout,
  withLockRetry,
} from './lockRetry';
import { LOCK_NAMESPACE } from './locks';
import { BASELINE_MIGRATION, LEGACY_MIGRATIONS, loadMigrations, type Migration } from './migrations';
import { inTransaction } from './pool';
import { checkReleaseFloor } from './releaseFloor';
import { splitSqlStatements } from './sqlScript';

export interface MigrationReport {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations already applied before, or not applicable to this server (TimescaleDB or not). */
  skipped: string[];
  /** Whether the timescaledb extension is installed in the database after the run. */
  timescale: boolean;
}

export interface MigrateOptions {
  /** How long to wait for another migration run to release the migration lock before giving up. */
  lockWaitMs?: number;
  /** Told once, while waiting, who holds the lock. */
  onWait?: (line: string) => void;
  /** Told each step a long migration reports (its `RAISE NOTICE 'jao: …'` lines, without the prefix). */
  onProgress?: (line: string) => void;
  /** How often a migration after the baseline tries again when it could not get a lock within 0.5 s. */
  lockRetry?: LockRetry;
}

/** The prefix of a migration's progress notices; other notices (PostgreSQL's own) are not progress. */
const PROGRESS_PREFIX = 'jao: ';

/** Longer than any migration of this project takes; a holder past it is stuck or is not a migration at all. */
export const MIGRATION_LOCK_WAIT_MS = 5 * 60_000;
const LOCK_POLL_MS = 500;

const BOOTSTRAP = `
  CREATE SCHEMA IF NOT EXISTS jao;
  CREATE TABLE IF NOT EXISTS jao.schema_migrations (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    outcome    text NOT NULL CHECK (outcome IN ('applied', 'not_applicable')),
    applied_at timestamptz NOT NULL DEFAULT now()
  );`;

/**
 * Applies the pending migrations of db/migrations in order, each recorded in jao.schema_migrations, each in
 * its own transaction (unless flagged no-transaction). Concurrent callers on one database serialize on a
 * session advisory lock, waited for at most `options.lockWaitMs`; a database that is up to date is recognized without any DDL or lock, so a role
 * without DDL rights (jao_writer) can call it at start-up.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: Migration[] = loadMigrations(),
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const client = await pool.connect();
  try {
    const engine = await readEngine(client);
    const unusable = unusableEngine(engine);
    if (unusable) throw new Error(unusable);
    await checkReleaseFloor(client);
    if (!(await hasPending(client, migrations)) && !passwordsRequested()) {
      const timescale = await hasTimescale(client);
      for (const line of await ensureDatabaseSettings(client, timescale)) options.onProgress?.(line);
      return { applied: [], skipped: migrations.map((m) => m.name), timescale };
    }
    await takeMigrationLock(client, options);
    const onNotice = (notice: { message?: string }) => {
      if (notice.message?.startsWith(PROGRESS_PREFIX))
        options.onProgress?.(notice.message.slice(PROGRESS_PREFIX.length));
    };
    client.on('notice', onNotice);
    try {
      const report = await applyPending(client, migrations, options);
      await applyRolePasswords(client);
      for (const line of await ensureDatabaseSettings(client, report.timescale)) options.onProgress?.(line);
      return report;
    } finally {
      client.off('notice', onNotice);
      await client.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_NAMESPACE.migrate]);
    }
  } finally {
    client.release();
  }
}

/**
 * The session's migration lock, waited for at most `lockWaitMs`: any role can take an advisory lock, so a
 * session that holds it forever must cost a clear error naming it, not a start-up that never ends.
 */
async function takeMigrationLock(client: pg.PoolClient, options: MigrateOptions): Promise<void> {
  const waitMs = options.lockWaitMs ?? MIGRATION_LOCK_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const taken = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, 0) AS taken', [
      LOCK_NAMESPACE.migrate,
    ]);
    if (taken.rows[0]?.taken === true) return;
    const holder = await describeLockHolder(client);
    if (Date.now() >= deadline) {
      throw new Error(
        `gave up after ${Math.round(waitMs / 1000)} s waiting for the migration lock, held by ${holder}; ` +
          'end that session (pg_terminate_backend) if it is not a migration in progress',
      );
    }
    if (!told) {
      options.onWait?.(`waiting for the migration lock, held by ${holder}`);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

interface LockHolderRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  since: Date | null;
}

async function describeLockHolder(client: pg.PoolClient): Promise<string> {
  const result = await client.query<LockHolderRow>(
    `SELECT a.pid, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_start AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid AND l.objid = 0
        AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      LIMIT 1`,
    [LOCK_NAMESPACE.migrate],
  );
  const row = result.rows[0];
  if (!row) return 'a session that has just released it';
  const who = [
    `pid ${row.pid}`,
    row.usename ? `role ${row.usename}` : null,
    row.application_name ? `application "${row.application_name}"` : null,
    row.client_addr ? `from ${row.client_addr}` : null,
    row.since ? `connected since ${row.since.toISOString()}` : null,
  ];
  return who.filter((part) => part !== null).join(', ');
}

const hasTimescale = async (client: pg.PoolClient) => (await readEngine(client)).timescaledb !== null;

async function readApplied(client: pg.PoolClient): Promise<Map<string, string> | null> {
  const exists = await client.query<{ present: boolean }>(
    `SELECT to_regclass('jao.schema_migrations') IS NOT NULL AS present`,
  );
  if (exists.rows[0]?.present !== true) return null;
  const result = await client.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM jao.schema_migrations',
  );
  return new Map(result.rows.map((row) => [row.name, row.checksum]));
}

async function hasPending(client: pg.PoolClient, migrations: Migration[]): Promise<boolean> {
  const applied = await readApplied(client);
  return applied === null || migrations.some((migration) => !applied.has(migration.name));
}

/**
 * A database built by the 0.x migrations: when every one of them is recorded, its schema is the baseline's by
 * construction, so the baseline is recorded as applied without running it, in place of the 0.x rows (the database
 * then reads like one the baseline built: the data dictionary names its latest migration by the highest name). A
 * database with only some of them cannot be brought to the baseline: refused in one line saying what to do.
 */
async function adoptLegacySchema(
  client: pg.PoolClient,
  migrations: Migration[],
  applied: Map<string, string>,
): Promise<void> {
  const baseline = migrations.find((migration) => migration.name === BASELINE_MIGRATION);
  if (!baseline || applied.has(baseline.name)) return;
  const legacy = LEGACY_MIGRATIONS.filter((name) => applied.has(name));
  if (legacy.length === 0) return;
  if (legacy.length < LEGACY_MIGRATIONS.length) {
    const missing = LEGACY_MIGRATIONS.filter((name) => !applied.has(name));
    throw new Error(
      `this database holds ${legacy.length} of the ${LEGACY_MIGRATIONS.length} migrations of 0.x ` +
        `(missing ${missing.join(', ')}): migrate it with jao 0.1.0 first (npx jao migrate), or drop it and ` +
        'let this release build it afresh',
    );
  }
  await inTransaction(client, async () => {
    await client.query('DELETE FROM jao.schema_migrations WHERE name = ANY ($1::text[])', [legacy]);
    await record(client, baseline, 'applied');
  });
  for (const name of legacy) applied.delete(name);
  applied.set(baseline.name, baseline.checksum);
}

async function applyPending(
  client: pg.PoolClient,
  migrations: Migration[],
  options: MigrateOptions,
): Promise<MigrationReport> {
  await client.query(BOOTSTRAP);
  const applied = (await readApplied(client)) ?? new Map<string, string>();
  await adoptLegacySchema(client, migrations, applied);
  const report: MigrationReport = { applied: [], skipped: [], timescale: false };
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(
          `migration ${migration.name} was changed after it was applied; add a new migration instead of editing it`,
        );
      }
      report.skipped.push(migration.name);
      continue;
    }
    const timescale = await hasTimescale(client);
    const applicable = migration.requires === null || (migration.requires === 'timescaledb') === timescale;
    if (!applicable) {
      await record(client, migration, 'not_applicable');
      report.skipped.push(migration.name);
      continue;
    }
    await runMigration(client, migration, timescale, options);
    report.applied.push(migration.name);
  }
  report.timescale = await hasTimescale(client);
  return report;
}

async function record(client: pg.PoolClient, migration: Migration, outcome: 'applied' | 'not_applicable') {
  await client.query('INSERT INTO jao.schema_migrations (name, checksum, outcome) VALUES ($1, $2, $3)', [
    migration.name,
    migration.checksum,
    outcome,
  ]);
}

/**
 * Runs one migration. After the baseline, every lock it takes is waited for at most 0.5 s (db/lockRetry.ts), so the
 * previous release's readers and writers never queue behind it for longer; a transaction stopped by a lock conflict
 * is rolled back and tried again after a pause, and one that never gets its locks fails in one line, having changed
 * nothing. A step (db/migrationSteps/) bounds its own batches the same way. The baseline, on its empty database,
 * waits for its locks as long as it must.
 */
async function runMigration(
  client: pg.PoolClient,
  migration: Migration,
  timescale: boolean,
  options: MigrateOptions,
): Promise<void> {
  const online = migration.name !== BASELINE_MIGRATION;
  const report = (online && options.onProgress) || (() => {});
  const lockRetry = options.lockRetry ?? MIGRATION_LOCK_RETRY;
  const retried = <T>(work: () => Promise<T>): Promise<T> =>
    online ? withLockRetry(`migration ${migration.name}`, work, lockRetry, report) : work();
  try {
    if (migration.transactional && !migration.step) {
      await retried(() =>
        inTransaction(client, async () => {
          if (online) await setMigrationLockTimeout(client, true);
          await client.query(migration.sql);
          await record(client, migration, 'applied');
        }),
      );
    } else {
      // A step, or statements outside a transaction block (each commits on its own, so each must be idempotent):
      // the session's lock waits are bounded for their time, but for the baseline's statements.
      const bounded = Boolean(migration.step) || online;
      if (bounded) await setMigrationLockTimeout(client, false);
      try {
        if (migration.step) {
          await migration.step.run(client, { timescale, report, lockRetry });
        } else {
          for (const statement of splitSqlStatements(migration.sql))
            await retried(() => client.query(statement));
        }
      } finally {
        if (bounded) await resetMigrationLockTimeout(client);
      }
      await record(client, migration, 'applied');
    }
  } catch (error) {
    if (error instanceof LockNotTaken) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${migration.name} failed: ${message}`, { cause: error });
  }
}

const PASSWORD_VARIABLES = { jao_writer: 'JAO_WRITER_PASSWORD', jao_reader: 'JAO_READER_PASSWORD' } as const;

function passwordsRequested(): boolean {
  return Object.values(PASSWORD_VARIABLES).some((variable) => Boolean(process.env[variable]));
}

/**
 * Sets the roles' passwords from JAO_WRITER_PASSWORD / JAO_READER_PASSWORD when given (deployment). The
 * password travels as a parameter (set_config), never spliced into the statement text by the client.
 */
async function applyRolePasswords(client: pg.PoolClient): Promise<void> {
  for (const [role, variable] of Object.entries(PASSWORD_VARIABLES)) {
    const password = process.env[variable];
    if (!password) continue;
    await inTransaction(client, async () => {
      await client.query(`SELECT set_config('jao.role_password', $1, true)`, [password]);
      await client.query(`SELECT set_config('jao.role_name', $1, true)`, [role]);
      await client.query(`DO $$
        BEGIN
          EXECUTE format('ALTER ROLE %I PASSWORD %L',
            current_setting('jao.role_name'), current_setting('jao.role_password'));
        END $$`);
    });
  }
}

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import { ensureDatabaseSettings } from '../../db/databaseSettings';
import { readEngine } from '../../db/engine';
import { migrate } from '../../db/migrate';
import { loadMigrations } from '../../db/migrations';
import './context';
import { testPool } from './connections';
import { databaseUrlFor, quoteIdent, retireDatabase, withAdminClient } from './postgres';

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  /** Closes the pool and the database to connections; the run's teardown drops it with the others. */
  release(): Promise<void>;
}

/** A fresh, already-migrated database of its own for one test file (cloned from the run's template). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `${inject('databasePrefix')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(inject('templateDatabase'))}`),
  );
  const url = databaseUrlFor(adminUrl, name);
  // A clone does not carry the template's ALTER DATABASE settings; every migrate run sets them on a real database.
  await withAdminClient(url, async (client) => {
    await ensureDatabaseSettings(client, (await readEngine(client)).kind === 'timescaledb');
  });
  return openTestDatabase(adminUrl, name, 8);
}

/** A pool on database `name` of the test server, and how to release the database once the file is done with it. */
function openTestDatabase(adminUrl: string, name: string, connections: number): TestDatabase {
  const url = databaseUrlFor(adminUrl, name);
  // Tests take the database away on purpose: an idle client losing its connection must not end the test run.
  const pool = testPool({ connectionString: url, max: connections });
  return {
    name,
    url,
    pool,
    async release() {
      await pool.end();
      await retireDatabase(adminUrl, name);
    },
  };
}

/** A test database with its engine known, and on TimescaleDB its jobs paused. */
export interface EarlierSchemaDatabase extends TestDatabase {
  timescale: boolean;
}

export interface PausedJobsDatabase extends EarlierSchemaDatabase {
  /** The server's engine and version, for a test's skip reason. */
  engineLine: string;
}

const pauseJobs = (pool: pg.Pool) =>
  pool.query('SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs');

/** A fresh, migrated database whose TimescaleDB jobs never run: the file compresses chunks itself, when it chooses. */
export async function createPausedJobsDatabase(): Promise<PausedJobsDatabase> {
  const database = await createTestDatabase();
  const engine = await readEngine(database.pool);
  const timescale = engine.kind === 'timescaledb';
  if (timescale) await pauseJobs(database.pool);
  return { ...database, timescale, engineLine: engine.line };
}

/** An empty database of its own with the migrations before `firstLeftOut` applied, its TimescaleDB jobs paused. */

export async function createDatabaseBefore(
  suffix: string,
  firstLeftOut: string,
): Promise<EarlierSchemaDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `${inject('databasePrefix')}_${suffix}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  const database = openTestDatabase(adminUrl, name, 2);
  await migrate(
    database.pool,
    loadMigrations().filter((migration) => migration.name < firstLeftOut),
  );
  const timescale = (await readEngine(database.pool)).kind === 'timescaledb';
  if (timescale) await pauseJobs(database.pool);
  return { ...database, timescale };
}

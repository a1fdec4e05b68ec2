// Once per test run: a fresh migrated template database and one Temporal dev server, both torn down at the end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type DevServer, startDevServer } from '../../common/devServer';
import { databaseUrlFor, dropDatabase, withAdminClient } from './postgres';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function dropRunDatabases(adminUrl: string, prefix: string): Promise<void> {
  const names = await withAdminClient(adminUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    return result.rows.map((row) => row.datname);
  });
  for (const name of names) await dropDatabase(adminUrl, name);
}

async function migrateTemplate(url: string): Promise<void> {
  const migratePath = join(__dirname, '..', '..', 'db', 'migrate.ts');
  if (!existsSync(migratePath)) return;
  const { migrate } = (await import('../../db/migrate')) as {
    migrate(pool: pg.Pool): Promise<unknown>;
  };
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = databaseUrlFor(process.env.DATABASE_URL || DEFAULT_ADMIN_URL, 'postgres');
  const prefix = `jao_test_${Date.now().toString(36)}_${process.pid}`;
  const template = `${prefix}_template`;
  let server: DevServer | undefined;

  const teardown = async () => {
    await server?.stop();
    await dropRunDatabases(adminUrl, prefix);
  };

  try {
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${template}"`));
    await migrateTemplate(databaseUrlFor(adminUrl, template));
    server = await startDevServer({ log: (line) => console.error(line) });
  } catch (error) {
    await teardown();
    throw error;
  }

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databasePrefix', prefix);
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  return teardown;
}

// Once per test run: a fresh migrated template database and one Temporal dev server, both torn down at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../db/migrate';
import { watchPool } from '../../db/pool';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { BUNDLE_FILE, writeWorkflowBundle } from '../../workers/workflowBundle';
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
  const pool = watchPool(new pg.Pool({ connectionString: url, max: 2 }));
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}

/** Nothing may stay connected to a template (TimescaleDB's background scheduler would), or cloning fails. */
async function sealTemplate(adminUrl: string, template: string): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      template,
    ]);
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = databaseUrlFor(process.env.DATABASE_URL || DEFAULT_ADMIN_URL, 'postgres');
  const prefix = `jao_test_${Date.now().toString(36)}_${process.pid}`;
  const template = `${prefix}_template`;
  let server: DevServer | undefined;
  const bundleDir = mkdtempSync(join(tmpdir(), 'jao-test-bundle-'));
  const workflowBundlePath = join(bundleDir, BUNDLE_FILE);

  const teardown = async () => {
    await server?.stop();
    await dropRunDatabases(adminUrl, prefix);
    rmSync(bundleDir, { recursive: true, force: true });
  };

  try {
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${template}"`));
    await migrateTemplate(databaseUrlFor(adminUrl, template));
    await sealTemplate(adminUrl, template);
    // Workers re-poll every 5 s instead of every minute, so `jao health` tells a stopped worker within seconds.
    server = await startDevServer({
      log: (line) => console.error(line),
      dynamicConfig: { 'matching.longPollExpirationInterval': '5s' },
    });
    // The same build as `npm run build`: the replay tests check the stored histories against it.
    await writeWorkflowBundle(bundleDir);
  } catch (error) {
    await teardown();
    throw error;
  }

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databasePrefix', prefix);
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('workflowBundlePath', workflowBundlePath);
  return teardown;
}

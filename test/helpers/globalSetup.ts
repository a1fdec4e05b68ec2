// Once per test run: the tools its tier's tests drive, a fresh migrated template database and one Temporal dev
// server, both torn down at the end. This is `npm test`'s (promtool, versitygw, pandas); globalSetupE2e.ts is
// `npm run test:e2e`'s (Chromium).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../db/migrate';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { ensureLocalDatabase } from '../../devstack/localDatabase';
import { ensureVersitygw, versitygwMissingNote } from '../../devstack/versitygw';
import { BUNDLE_FILE, writeWorkflowBundle } from '../../workers/workflowBundle';
import { chromiumMissingNote } from './browser';
import { testPool } from './connections';
import { pandasMissingNote } from './pandas';
import { databaseUrlFor, dropDatabase, withAdminClient } from './postgres';
import { REPO_ROOT } from './processes';

/** A tool a tier's tests drive: made sure of before any test runs, or the run fails naming how to install it. */
export interface TestTool {
  /** Provides it where it can (logging what it does); returns why it still cannot run, or null when it can. */
  ensure: (log: (line: string) => void) => string | null;
}

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** A Debian package's tool: installed by its script where the run is root with apt-get, else named. */
function debianTool(missing: () => string | null, ensureScript: string): TestTool {
  return {
    ensure(log) {
      const note = missing();
      if (note === null) return null;
      if (process.getuid?.() !== 0 || !onPath('apt-get')) return `${note}; it needs root with apt-get`;
      const run = spawnSync('bash', [ensureScript], { cwd: REPO_ROOT, encoding: 'utf8' });
      for (const line of `${run.stdout}${run.stderr}`.trim().split('\n')) if (line) log(line);
      const still = missing();
      return still === null ? null : `${still}; ${ensureScript} exited with ${run.status}`;
    },
  };
}

/** The status page's browser tests and bench:page's smoke run (test:e2e). */
export const CHROMIUM = debianTool(chromiumMissingNote, 'scripts/ensure-chromium.sh');

/** The Prometheus rules' tests (test/unit/prometheusRules.test.ts). */
export const PROMTOOL = debianTool(
  () => (onPath('promtool') ? null : 'promtool not found on PATH (run scripts/ensure-promtool.sh)'),
  'scripts/ensure-promtool.sh',
);

/** The desk's domain check (test/integration/deskDomainCheck.test.ts): Debian's python3-pandas, and psql. */
export const PANDAS = debianTool(pandasMissingNote, 'scripts/ensure-pandas.sh');

/** The S3 archive's tests run a real S3-compatible server, built with Go into the cache as the Temporal CLI is. */
export const VERSITYGW: TestTool = {
  ensure: (log) => (ensureVersitygw(process.env, log) === null ? versitygwMissingNote() : null),
};

/** A failure printed as its lines, without a stack: each missing tool and the command that installs it. */
class MissingToolError extends Error {
  override name = 'MissingToolError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

function ensureTestTools(tools: TestTool[], log: (line: string) => void): void {
  const missing = tools.map((tool) => tool.ensure(log)).filter((note) => note !== null);
  if (missing.length > 0) throw new MissingToolError(missing.join('\n'));
}

async function dropRunDatabases(adminUrl: string, prefix: string): Promise<void> {
  const names = await withAdminClient(adminUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    return result.rows.map((row) => row.datname);
  });
  // Side by side, so their DROPs share the checkpoints each waits for.
  const queue = [...names];
  const lanes = Array.from({ length: 32 }, async () => {
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) await dropDatabase(adminUrl, name);
  });
  await Promise.all(lanes);
}

async function migrateTemplate(url: string): Promise<void> {
  const pool = testPool({ connectionString: url, max: 2 });
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

/** The run's set-up for a tier whose tests drive `tools`; returns its teardown. */
export async function setupTestRun(project: TestProject, tools: TestTool[]): Promise<() => Promise<void>> {
  ensureTestTools(tools, (line) => console.error(line));
  // Where DATABASE_URL is unset and nothing answers at its default, an embedded PostgreSQL of the run's own, in a
  // directory of its own that the teardown removes (devstack/localDatabase.ts); the machine's server otherwise.
  const embeddedDir = mkdtempSync(join(tmpdir(), 'jao-test-postgres-'));
  // Run as root, the server is the system user postgres's, which must reach its data directory.
  chmodSync(embeddedDir, 0o755);
  const database = await ensureLocalDatabase({
    env: process.env,
    embeddedDataDir: join(embeddedDir, 'postgres'),
    say: (line) => console.error(line),
  });
  const adminUrl = databaseUrlFor(database.url, 'postgres');
  // The test forks, and what they spawn, inherit it.
  if (database.embedded) process.env.DATABASE_URL = database.url;
  const prefix = `jao_test_${Date.now().toString(36)}_${process.pid}`;
  const template = `${prefix}_template`;
  let server: DevServer | undefined;
  const bundleDir = mkdtempSync(join(tmpdir(), 'jao-test-bundle-'));
  const workflowBundlePath = join(bundleDir, BUNDLE_FILE);

  const teardown = async () => {
    await server?.stop();
    if (database.embedded) {
      delete process.env.DATABASE_URL;
      await database.embedded.stop();
    } else await dropRunDatabases(adminUrl, prefix);
    rmSync(bundleDir, { recursive: true, force: true });
    rmSync(embeddedDir, { recursive: true, force: true });
  };

  try {
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${template}"`));
    await migrateTemplate(databaseUrlFor(adminUrl, template));
    await sealTemplate(adminUrl, template);
    // Workers re-poll every 5 s instead of every minute, so `jao health` tells a stopped worker within seconds.
    // Timers and retries fire within a quarter of a second of when due, not a second late at the earliest (the
    // server's default floor on a timer's fire time): a fetch retried after JAO's Retry-After, a day's backoff. (A
    // floor of 20 ms cost the server half again as much CPU in the busiest files.) A task queue's statistics (its
    // backlog) are current, not up to 5 s old.
    server = await startDevServer({
      log: (line) => console.error(line),
      dynamicConfig: {
        'matching.longPollExpirationInterval': '5s',
        'history.timerProcessorMaxTimeShift': '250ms',
        'matching.TaskQueueInfoByBuildIdTTL': '100ms',
      },
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

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return setupTestRun(project, [PROMTOOL, PANDAS, VERSITYGW]);
}

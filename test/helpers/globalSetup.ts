// Once per test run: the tools the tests drive (Chromium, promtool, versitygw), a fresh migrated template database
// and one Temporal dev server, both torn down at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../db/migrate';
import { type DevServer, startDevServer } from '../../devstack/devServer';
import { ensureVersitygw, versitygwMissingNote } from '../../devstack/versitygw';
import { BUNDLE_FILE, writeWorkflowBundle } from '../../workers/workflowBundle';
import { chromiumMissingNote } from './browser';
import { testPool } from './connections';
import { databaseUrlFor, dropDatabase, withAdminClient } from './postgres';
import { REPO_ROOT } from './processes';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface TestTool {
  /** Why the tool cannot run here, or null when it can. */
  missing: () => string | null;
  /** Installs it from Debian's packages (root only). */
  ensureScript: string;
}

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** The browser tests and bench:page drive Chromium; the Prometheus rules' tests run promtool. */
const TEST_TOOLS: TestTool[] = [
  { missing: chromiumMissingNote, ensureScript: 'scripts/ensure-chromium.sh' },
  {
    missing: () =>
      onPath('promtool') ? null : 'promtool not found on PATH (run scripts/ensure-promtool.sh)',
    ensureScript: 'scripts/ensure-promtool.sh',
  },
];

/** A failure printed as its one line, without a stack: what is missing and the command that installs it. */
class MissingToolError extends Error {
  override name = 'MissingToolError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** Installs what is missing where we may (root with apt-get), as the Temporal CLI is built when absent. */
function ensureTestTools(log: (line: string) => void): void {
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  for (const tool of TEST_TOOLS) {
    const note = tool.missing();
    if (note === null) continue;
    if (!canInstall) throw new MissingToolError(`${note}; it needs root with apt-get`);
    const run = spawnSync('bash', [tool.ensureScript], { cwd: REPO_ROOT, encoding: 'utf8' });
    for (const line of `${run.stdout}${run.stderr}`.trim().split('\n')) if (line) log(line);
    const still = tool.missing();
    if (still !== null)
      throw new MissingToolError(`${still}; ${tool.ensureScript} exited with ${run.status}`);
  }
}

/** The S3 archive's tests run a real S3-compatible server, built with Go into the cache as the Temporal CLI is. */
function ensureS3Server(log: (line: string) => void): void {
  if (ensureVersitygw(process.env, log) === null) throw new MissingToolError(versitygwMissingNote());
}

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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureTestTools((line) => console.error(line));
  ensureS3Server((line) => console.error(line));
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

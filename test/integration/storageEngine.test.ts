// The engine a database runs on, said in one line; migrations that never end in a FATAL; database connections
// whose loss or refusal is one clear line, never an unhandled 'error' event.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEngine } from '../../db/engine';
import { loadMigrations } from '../../db/migrations';
import { createPool } from '../../db/pool';
import { runCli } from '../helpers/cli';
import { testClient } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.release();
});

const ENGINE_LINE =
  /^engine: (TimescaleDB \d+\.\d+\.\d+ on PostgreSQL \d+\.\d+|PostgreSQL \d+\.\d+ \([^)]+\))$/;

/** Output lines without npm's own warnings. */
const linesOf = (text: string) =>
  text.split('\n').filter((line) => line.trim() && !line.includes('npm warn'));

describe('the engine', () => {
  it('is TimescaleDB exactly when the extension is installed and preloaded', async () => {
    const engine = await readEngine(db.pool);
    const facts = await db.pool.query<{ installed: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS installed`,
    );
    expect(engine.kind).toBe(facts.rows[0]!.installed ? 'timescaledb' : 'postgresql');
    expect(engine.line).toMatch(ENGINE_LINE);
  });

  it('is named by jao migrate (first line) and by jao status, also as JSON', async () => {
    const migrated = await runCli(['migrate'], { DATABASE_URL: db.url });
    expect(migrated.code).toBe(0);
    const engine = await readEngine(db.pool);
    // The engine line is a log line (common/logger.ts); the summary after it is text.
    expect(JSON.parse(linesOf(migrated.stdout)[0] ?? '')).toMatchObject({
      level: 'info',
      name: 'migrate',
      message: engine.line,
    });

    const status = await runCli(['status', '--from', '2023-05-01', '--to', '2023-05-02'], {
      DATABASE_URL: db.url,
    });
    expect(status.code).toBe(0);
    expect(linesOf(status.stdout)).toContain(engine.line);
    const json = await runCli(['status', '--from', '2023-05-01', '--to', '2023-05-02', '--json'], {
      DATABASE_URL: db.url,
    });
    expect(JSON.parse(json.stdout).engine).toEqual({
      kind: engine.kind,
      postgres: engine.postgres,
      timescaledb: engine.timescaledb,
      reason: engine.reason,
      line: engine.line,
    });
  });
});

describe('database connections', () => {
  it('report a refused connection as one line', async () => {
    const { code, stdout, stderr } = await runCli(['migrate'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(linesOf(stderr)).toEqual(['jao migrate failed: connect ECONNREFUSED 127.0.0.1:1']);
  });

  it('survive losing a connection, idle or checked out, with one line for the idle one', async () => {
    const application = `jao-lost-${randomBytes(3).toString('hex')}`;
    const reported: string[] = [];
    const pool = createPool(db.url, {
      max: 2,
      applicationName: application,
      report: (line) => reported.push(line),
    });
    const terminate = () =>
      db.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        application,
      ]);
    try {
      // Idle in the pool.
      await pool.query('SELECT 1');
      await terminate();
      await expect.poll(() => reported, { timeout: 5_000 }).toHaveLength(1);
      expect(reported[0]).toMatch(/^database connection lost while idle \(.+\); reconnecting on next use$/);
      expect((await pool.query<{ n: number }>('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);

      // Checked out: the query in flight fails (its caller reports it); nothing else is emitted.
      const client = await pool.connect();
      const ended = new Promise((resolve) => client.once('end', resolve));
      const inFlight = client.query('SELECT pg_sleep(5)').then(
        () => null,
        (error: Error) => error.message,
      );
      await expect.poll(async () => (await terminate()).rowCount, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(await inFlight).toMatch(/terminat/);
      await ended; // the socket's end, which node-postgres reports as an 'error' event on the client
      client.release(true);
      expect(reported).toHaveLength(1);

      // A single client (admin tasks, benchmarks) the same way.
      const single = testClient({ connectionString: db.url, application_name: application });
      await single.connect();
      await terminate();
      await expect(single.query('SELECT 1')).rejects.toThrow();
      await single.end().catch(() => {});
    } finally {
      await pool.end();
    }
  });
});

/**
 * A server that offers timescaledb without preloading it (CREATE EXTENSION there ends the connection with
 * FATAL): TEST_TIMESCALEDB_NOT_PRELOADED_URL, or the test server itself when it is one.
 */
async function notPreloadedServer(): Promise<string | null> {
  const configured = process.env.TEST_TIMESCALEDB_NOT_PRELOADED_URL;
  if (configured) return configured;
  const engine = await readEngine(db.pool);
  if (engine.available !== null && !engine.preloaded) return db.url;
  return null;
}

describe('migrations where timescaledb is available but not preloaded', () => {
  it('build the plain PostgreSQL schema and say why, without a FATAL', async (ctx) => {
    const server = await notPreloadedServer();
    ctx.skip(
      server === null,
      'needs a server offering timescaledb without preloading it: set TEST_TIMESCALEDB_NOT_PRELOADED_URL',
    );
    const name = `jao_notpreloaded_${randomBytes(4).toString('hex')}`;
    const admin = new URL(server!);
    admin.pathname = '/postgres';
    const url = new URL(server!);
    url.pathname = `/${name}`;
    const adminClient = testClient({ connectionString: admin.toString() });
    await adminClient.connect();
    await adminClient.query(`CREATE DATABASE ${name}`);
    try {
      const first = await runCli(['migrate'], { DATABASE_URL: url.toString() });
      expect({ code: first.code, stderr: first.stderr.replace(/.*npm warn.*\n?/g, '') }).toEqual({
        code: 0,
        stderr: '',
      });
      // The engine line first, and on an empty database no migration has progress to tell: it is the one log line
      // (JSON, like every log line of the CLI); the summary follows.
      const logLines = linesOf(first.stdout).filter((line) => line.startsWith('{'));
      expect(logLines.map((line) => JSON.parse(line).message)).toEqual([
        expect.stringMatching(/^engine: PostgreSQL \S+ \(timescaledb available but not preloaded\)$/),
      ]);
      expect(linesOf(first.stdout)[0]).toBe(logLines[0]);
      const again = await runCli(['migrate'], { DATABASE_URL: url.toString() });
      expect(again.code).toBe(0);

      const check = testClient({ connectionString: url.toString() });
      await check.connect();
      try {
        const outcomes = await check.query<{ name: string; outcome: string }>(
          'SELECT name, outcome FROM jao.schema_migrations ORDER BY name',
        );
        // Every migration recorded: applied, or not applicable where it is TimescaleDB's alone.
        expect(outcomes.rows.map((row) => row.name)).toEqual(
          loadMigrations().map((migration) => migration.name),
        );
        const applicable = loadMigrations().map((migration) =>
          migration.requires === 'timescaledb' ? 'not_applicable' : 'applied',
        );
        expect(outcomes.rows.map((row) => row.outcome)).toEqual(applicable);
        const extension = await check.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
        expect(extension.rowCount).toBe(0);
        const views = await check.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM jao.max_exchanges) + (SELECT count(*) FROM jao.max_exchanges_daily) AS n',
        );
        expect(Number(views.rows[0]!.n)).toBe(0);
      } finally {
        await check.end();
      }
    } finally {
      await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminClient.end();
    }
  });
});

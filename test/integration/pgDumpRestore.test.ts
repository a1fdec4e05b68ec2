// The ordinary database backup (docs/howto/restore.md "The database backup (pg_dump)"):
// a database with compressed TimescaleDB history, dumped with `pg_dump -Fc` and restored with `pg_restore` into an
// empty database between timescaledb_pre_restore() and timescaledb_post_restore(), gives the same values, revisions,
// as-of answers, day statuses and daily aggregate, keeps its chunks compressed and its jobs, and takes new writes.
// TimescaleDB only. PG_DUMP / PG_RESTORE name the tools when those on PATH are older than the server.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readEngine } from '../../db/engine';
import { migrate } from '../../db/migrate';
import { writeDay } from '../../db/writeDay';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { databaseUrlFor, dropDatabase, quoteIdent, withAdminClient } from '../helpers/postgres';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

const PG_DUMP = process.env.PG_DUMP || 'pg_dump';
const PG_RESTORE = process.env.PG_RESTORE || 'pg_restore';

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
// Two 365-day chunks of current values (epoch-aligned: [2021-12-19, 2022-12-19) and [2022-12-19, 2023-12-19)).
const DAYS = ['2022-12-10', '2022-12-11', '2023-02-01', '2023-02-02'];
const REVISED = '2022-12-10';
const T1 = new Date('2023-03-05T08:00:00.000Z');
const T2 = new Date('2023-03-06T08:00:00.000Z');
const T3 = new Date('2023-03-07T08:00:00.000Z');
/** Every instant at which something changed, and just before and after each. */
const INSTANTS = [T1, T2, T3].flatMap((at) => [-1, 0, 1].map((ms) => new Date(at.getTime() + ms)));

let db: TestDatabase;
let restored: pg.Pool | undefined;
let restoredName = '';
let skipNote: string | null = null;
const workDir = mkdtempSync(join(tmpdir(), 'jao-pgdump-'));

const majorOf = (version: string) => Number(/(\d+)(?:\.\d+)?/.exec(version)?.[1] ?? 0);

/** Why the dump tools cannot serve this server, or null. */
function toolsNote(serverMajor: number): string | null {
  for (const tool of [PG_DUMP, PG_RESTORE]) {
    const run = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (run.status !== 0) return `${tool} not found (set PG_DUMP and PG_RESTORE)`;
    if (majorOf(run.stdout.replace(/^\D+/, '')) < serverMajor) {
      return `${run.stdout.trim()} cannot dump or restore PostgreSQL ${serverMajor}: set PG_DUMP and PG_RESTORE to its tools`;
    }
  }
  return null;
}

function run(tool: string, args: string[], input?: string, output?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const streams: Promise<void>[] = [];
    if (output) streams.push(pipeline(child.stdout, createWriteStream(output)));
    else child.stdout.resume();
    if (input) streams.push(pipeline(createReadStream(input), child.stdin));
    else child.stdin.end();
    child.on('error', reject);
    child.on('exit', (code) => {
      Promise.all(streams).then(() => {
        if (code === 0) resolve();
        else reject(new Error(`${tool} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
      }, reject);
    });
  });
}

/** What consumers read, as comparable rows (surrogate ids left out). */
async function snapshot(pool: pg.Pool) {
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
  const asOf: Record<string, unknown[]> = {};
  for (const at of INSTANTS) {
    asOf[at.toISOString()] = await rows('SELECT * FROM jao.max_exchanges_as_of($1) ORDER BY mtu, border', [
      at,
    ]);
  }
  return {
    values: await rows('SELECT * FROM jao.max_exchanges ORDER BY mtu, border'),
    history: await rows('SELECT * FROM jao.max_exchanges_history ORDER BY mtu, border, revision'),
    asOf,
    days: await rows(
      `SELECT dataset, day, status, expected_mtus, received_mtus, content_hash, revision_count, first_complete_at,
              last_changed_at, last_checked_at, last_error
         FROM jao.delivery_day ORDER BY dataset, day`,
    ),
    quality: await rows('SELECT * FROM jao.day_quality ORDER BY dataset, day'),
    daily: await rows('SELECT * FROM jao.max_exchanges_daily ORDER BY delivery_day, border'),
    migrations: await rows('SELECT name, checksum, outcome FROM jao.schema_migrations ORDER BY name'),
  };
}

async function compressedChunks(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ chunk: string }>(
    `SELECT format('%s %s', hypertable_name, range_start::date) AS chunk FROM timescaledb_information.chunks
      WHERE hypertable_schema = 'jao' AND is_compressed ORDER BY 1`,
  );
  return result.rows.map((row) => row.chunk);
}

async function jobs(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ job: string }>(
    `SELECT format('%s.%s %s %s', proc_schema, proc_name, hypertable_name, schedule_interval) AS job
       FROM timescaledb_information.jobs WHERE job_id >= 1000 ORDER BY 1`,
  );
  return result.rows.map((row) => row.job);
}

beforeAll(async () => {
  db = await createTestDatabase();
  const engine = await readEngine(db.pool);
  if (engine.kind !== 'timescaledb') {
    skipNote = `needs TimescaleDB: DATABASE_URL points at a server without it (${engine.line})`;
    return;
  }
  skipNote = toolsNote(majorOf(engine.postgres));
  if (skipNote) return;
  // The policies off: this file compresses at chosen moments.
  await db.pool.query('SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs');
  for (const day of DAYS) await writeDay(db.pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1));
  const revised = (border: string, hour: number) => baseValue(border, hour) + (border === 'DE_FR' ? 7 : 0);
  await writeDay(db.pool, fetchWrite(REVISED, validatedDay(REVISED, BORDERS, revised), T2));
  await db.pool.query('CALL jao.refresh_max_exchanges_daily()');
  await db.pool.query(
    `SELECT count(compress_chunk(c)) FROM (
       SELECT show_chunks('jao.observation') AS c UNION ALL SELECT show_chunks('jao.observation_history')) AS all_chunks`,
  );
  // A revision inside compressed history, after the compression: its change is in the dump too.
  const again = (border: string, hour: number) =>
    revised(border, hour) + (border === 'AT_BE' && hour < 3 ? 1 : 0);
  await writeDay(db.pool, fetchWrite(REVISED, validatedDay(REVISED, BORDERS, again), T3));
});

afterAll(async () => {
  await restored?.end();
  if (restoredName) await dropDatabase(inject('adminDatabaseUrl'), restoredName);
  await db?.release();
  rmSync(workDir, { recursive: true, force: true });
});

describe('pg_dump -Fc and pg_restore of compressed TimescaleDB history', () => {
  it('restores into an empty database exactly what was dumped, compressed, with its jobs, and writable', async (ctx) => {
    ctx.skip(skipNote !== null, skipNote ?? '');
    const before = await snapshot(db.pool);
    const compressed = await compressedChunks(db.pool);
    expect(compressed).toEqual([
      'observation 2021-12-19',
      'observation 2022-12-19',
      'observation_history 2021-12-19',
    ]);

    const dump = join(workDir, 'jao.dump');
    await run(PG_DUMP, ['-Fc', '--dbname', db.url], undefined, dump);

    const adminUrl = inject('adminDatabaseUrl');
    restoredName = `${db.name}_restored`;
    const restoredUrl = databaseUrlFor(adminUrl, restoredName);
    const version = await db.pool.query<{ v: string }>(
      `SELECT extversion AS v FROM pg_extension WHERE extname = 'timescaledb'`,
    );
    await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(restoredName)}`));
    await withAdminClient(restoredUrl, async (client) => {
      await client.query(`CREATE EXTENSION timescaledb VERSION '${version.rows[0]!.v}'`);
      await client.query('SELECT timescaledb_pre_restore()');
    });
    await run(PG_RESTORE, ['--dbname', restoredUrl], dump);
    await withAdminClient(restoredUrl, async (client) => {
      await client.query('SELECT timescaledb_post_restore()');
      await client.query('ANALYZE');
    });

    restored = testPool({ connectionString: restoredUrl, max: 2 });
    // Database settings are not part of a dump without --create: jao migrate finds the schema up to date and sets
    // them again.
    expect((await migrate(restored)).applied).toEqual([]);
    const settings = await restored.query<{ config: string[] }>(
      `SELECT s.setconfig AS config FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database() AND s.setrole = 0`,
    );
    expect([...settings.rows[0]!.config].sort()).toEqual(['jit=off', 'timescaledb.enable_chunk_skipping=on']);
    expect(await snapshot(restored)).toEqual(before);
    expect(before.history.length).toBeGreaterThan(before.values.length / DAYS.length);
    expect(await compressedChunks(restored)).toEqual(compressed);
    expect(await jobs(restored)).toEqual(await jobs(db.pool));

    // The restored database takes the pipeline's writes, inside compressed history too, as jao_writer.
    const writerUrl = new URL(restoredUrl);
    writerUrl.username = 'jao_writer';
    const writer = testPool({ connectionString: writerUrl.toString(), max: 2 });
    try {
      const next = (border: string, hour: number) => baseValue(border, hour) + (hour === 5 ? 100 : 0);
      const result = await writeDay(
        writer,
        fetchWrite('2023-02-01', validatedDay('2023-02-01', BORDERS, next), T3),
      );
      expect(result).toMatchObject({ changedPoints: BORDERS.length, revision: 2 });
    } finally {
      await writer.end();
    }
  });
});

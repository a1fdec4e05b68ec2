// Migrations 018 and 019 on a database that already holds values: every value and version reads the same after
// them, the daily aggregate stays right, and on TimescaleDB compressed 30-day chunks of one 365-day slot are merged
// into one chunk that stays compressed, while new chunks span 365 days.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEngine } from '../../db/engine';
import { migrate } from '../../db/migrate';
import { loadMigrations } from '../../db/migrations';
import { watchPool } from '../../db/pool';
import { type WriteDayInput, writeDay } from '../../db/writeDay';
import type { DeliveryDay, ValidatedDay } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, validatedDay } from './storageFixtures';

let db: TestDatabase;
let pool: pg.Pool;
let scratch: string;
let timescale = false;

const BORDERS = ['AT_BE', 'DE_FR'];
// In 30-day chunks (aligned on the Unix epoch) four adjacent chunks of the 365-day slot [2022-12-19, 2023-12-19),
// and one chunk of the next slot.
const DAYS = ['2023-01-10', '2023-02-01', '2023-03-01', '2023-04-10', '2024-01-05'];
const NEW_DAY = '2024-06-01';
const T1 = new Date('2024-02-01T08:00:00.000Z');
const T2 = new Date('2024-02-02T08:00:00.000Z');

function input(day: DeliveryDay, validated: ValidatedDay, observedAt: Date): WriteDayInput {
  return {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
    observedAt,
  };
}

interface Chunk {
  hypertable: string;
  start: string;
  end: string;
  compressed: boolean;
}

async function chunks(): Promise<Chunk[]> {
  const result = await pool.query<Chunk>(
    `SELECT hypertable_name AS hypertable, to_char(range_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS start,
            to_char(range_end AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS end, is_compressed AS compressed
       FROM timescaledb_information.chunks WHERE hypertable_schema = 'jao' ORDER BY hypertable_name, range_start`,
  );
  return result.rows;
}

async function everything(): Promise<{ current: unknown[]; versions: unknown[] }> {
  const current = await pool.query('SELECT * FROM jao.max_exchanges ORDER BY mtu, border');
  const versions = await pool.query('SELECT * FROM jao.max_exchanges_history ORDER BY mtu, border, revision');
  return { current: current.rows, versions: versions.rows };
}

/** Days whose aggregate differs from their values. */
async function staleDays(): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       (SELECT delivery_day, border, min(value_mw), avg(value_mw), max(value_mw), count(*)
          FROM jao.max_exchanges GROUP BY delivery_day, border
        EXCEPT
        SELECT delivery_day, border, min_mw, avg_mw, max_mw, mtus FROM jao.max_exchanges_daily)
       UNION ALL
       (SELECT delivery_day, border, min_mw, avg_mw, max_mw, mtus FROM jao.max_exchanges_daily
        EXCEPT
        SELECT delivery_day, border, min(value_mw), avg(value_mw), max(value_mw), count(*)
          FROM jao.max_exchanges GROUP BY delivery_day, border)) AS differing`,
  );
  return result.rows[0]!.n;
}

let before: { current: unknown[]; versions: unknown[] };
let chunksBefore: Chunk[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  scratch = `${db.name}_upgrade`;
  await db.pool.query(`CREATE DATABASE "${scratch}"`);
  const url = new URL(db.url);
  url.pathname = `/${scratch}`;
  pool = watchPool(new pg.Pool({ connectionString: url.toString(), max: 4 }));
  // The schema before issue 22, holding values, revisions and compressed chunks.
  await migrate(
    pool,
    loadMigrations().filter((m) => m.name < '018'),
  );
  timescale = (await readEngine(pool)).kind === 'timescaledb';
  if (timescale)
    await pool.query('SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs');
  for (const day of DAYS) await writeDay(pool, input(day, validatedDay(day, BORDERS, baseValue), T1));
  await writeDay(
    pool,
    input(
      DAYS[1]!,
      validatedDay(DAYS[1]!, BORDERS, (b, h) => baseValue(b, h) + (b === 'DE_FR' && h < 3 ? 50 : 0)),
      T2,
    ),
  );
  if (timescale) {
    await pool.query(`CALL refresh_continuous_aggregate('jao.max_exchanges_daily', NULL, NULL)`);
    await pool.query(
      `SELECT count(compress_chunk(c)) FROM (
         SELECT show_chunks('jao.observation') AS c UNION ALL SELECT show_chunks('jao.observation_history')) AS all_chunks`,
    );
    chunksBefore = await chunks();
  }
  before = await everything();
  await migrate(pool);
  if (timescale)
    await pool.query('SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs');
});

afterAll(async () => {
  await pool?.end();
  await db?.pool.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  await db?.drop();
});

describe('migrations 018 and 019 on stored values', () => {
  it('read every value and every version as before, through the views and the range functions', async () => {
    expect(before.current).toHaveLength(DAYS.length * 24 * 2);
    expect(before.versions).toHaveLength(DAYS.length * 24 * 2 + 3);
    const after = await everything();
    expect(after).toEqual(before);
    const range = await pool.query(
      `SELECT * FROM jao.max_exchanges_range(NULL, NULL, NULL) ORDER BY mtu, border`,
    );
    expect(range.rows).toEqual(before.current);
    const versions = await pool.query(
      `SELECT * FROM jao.max_exchanges_history_range(NULL, NULL, NULL) ORDER BY mtu, border, revision`,
    );
    expect(versions.rows).toEqual(before.versions);
  });

  it('keep the daily aggregate right, before and after it is materialized again', async () => {
    expect(await staleDays()).toBe(0);
    if (timescale) {
      await pool.query('CALL jao.refresh_max_exchanges_daily()');
      expect(await staleDays()).toBe(0);
    }
  });

  it('turn JIT off for the database', async () => {
    const setting = await pool.query<{ config: string[] }>(
      `SELECT s.setconfig AS config FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database() AND s.setrole = 0`,
    );
    expect(setting.rows).toEqual([{ config: ['jit=off'] }]);
  });

  it('on TimescaleDB: merge the compressed 30-day chunks of each 365-day slot; new chunks span 365 days', async (ctx) => {
    ctx.skip(!timescale, 'needs TimescaleDB: DATABASE_URL points at a server without it');
    expect(chunksBefore.filter((c) => c.hypertable === 'observation')).toEqual([
      { hypertable: 'observation', start: '2022-12-24', end: '2023-01-23', compressed: true },
      { hypertable: 'observation', start: '2023-01-23', end: '2023-02-22', compressed: true },
      { hypertable: 'observation', start: '2023-02-22', end: '2023-03-24', compressed: true },
      { hypertable: 'observation', start: '2023-03-24', end: '2023-04-23', compressed: true },
      { hypertable: 'observation', start: '2023-12-19', end: '2024-01-18', compressed: true },
    ]);
    expect((await chunks()).filter((c) => c.hypertable === 'observation')).toEqual([
      { hypertable: 'observation', start: '2022-12-24', end: '2023-04-23', compressed: true },
      { hypertable: 'observation', start: '2023-12-19', end: '2024-01-18', compressed: true },
    ]);
    const intervals = await pool.query<{ hypertable: string; interval: string }>(
      `SELECT hypertable_name AS hypertable, time_interval::text AS interval FROM timescaledb_information.dimensions
        WHERE hypertable_schema = 'jao' ORDER BY 1`,
    );
    expect(intervals.rows).toEqual([
      { hypertable: 'observation', interval: '365 days' },
      { hypertable: 'observation_history', interval: '365 days' },
    ]);
    await writeDay(pool, input(NEW_DAY, validatedDay(NEW_DAY, BORDERS, baseValue), T2));
    expect((await chunks()).filter((c) => c.hypertable === 'observation').at(-1)).toEqual({
      hypertable: 'observation',
      start: '2024-01-18',
      end: '2024-12-18',
      compressed: false,
    });
    expect(await staleDays()).toBe(0);
  });
});

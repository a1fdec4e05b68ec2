// The range functions of migration 018 (jao.max_exchanges_range, _history_range, _range_as_of) return exactly what
// the consumer views return for the same borders and days, DST days, revisions and vanished values included; the
// reader can call them; on TimescaleDB a range of one border is planned on the chunk of its days only, compressed
// or not.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { testPool } from '../helpers/connections';
import { createPausedJobsDatabase, type PausedJobsDatabase } from '../helpers/database';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

let db: PausedJobsDatabase;
let reader: pg.Pool;

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
// Two DST days (25 and 23 hours) with their neighbours; on TimescaleDB in two 365-day chunks.
const DAYS = ['2022-10-29', '2022-10-30', '2023-03-26', '2023-03-27'];
const T1 = new Date('2023-04-01T08:00:00.000Z');
const T2 = new Date('2023-04-02T08:00:00.000Z');
const T3 = new Date('2023-04-03T08:00:00.000Z');
const T4 = new Date('2023-04-04T08:00:00.000Z');

const CURRENT =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, updated_at';
const VERSIONS =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, valid_from, valid_to';

async function rows(pool: pg.Pool, sql: string, params: unknown[]): Promise<unknown[]> {
  return (await pool.query(sql, params)).rows;
}

/** The view's rows for the borders $1 (null: all) and the delivery days $2..$3 (null: open end). */
const VIEW_FILTER = `($1::text[] IS NULL OR border = ANY ($1::text[]))
      AND ($2::date IS NULL OR delivery_day >= $2::date) AND ($3::date IS NULL OR delivery_day <= $3::date)`;

const CASES: [string[] | null, string | null, string | null][] = [
  [null, '2022-10-29', '2022-10-30'],
  [['AT_BE'], '2022-10-30', '2022-10-30'],
  [['DE_FR', 'BE_AT'], '2022-10-29', '2023-03-27'],
  [['BE_AT'], null, null],
  [null, '2023-03-26', null],
  [['DE_FR'], null, '2022-10-30'],
  [['XX_YY'], null, null],
  [[], null, null],
];

beforeAll(async () => {
  db = await createPausedJobsDatabase();
  const url = new URL(db.url);
  url.username = 'jao_reader';
  url.password = '';
  reader = testPool({ connectionString: url.toString(), max: 2 });
  for (const day of DAYS) await writeDay(db.pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1));
  // DE_FR changes at hours 3 and 4, BE_AT's hour 5 vanishes; then DE_FR's hour 3 changes again, and AT_BE's first
  // hour of the 23-hour day changes.
  const revised = (border: string, hour: number) =>
    border === 'BE_AT' && hour === 5
      ? undefined
      : border === 'DE_FR' && (hour === 3 || hour === 4)
        ? baseValue(border, hour) + 100
        : baseValue(border, hour);
  await writeDay(db.pool, fetchWrite('2022-10-30', validatedDay('2022-10-30', BORDERS, revised), T2));
  await writeDay(
    db.pool,
    fetchWrite(
      '2022-10-30',
      validatedDay('2022-10-30', BORDERS, (b, h) => (b === 'DE_FR' && h === 3 ? 7 : revised(b, h))),
      T3,
    ),
  );
  await writeDay(
    db.pool,
    fetchWrite(
      '2023-03-26',
      validatedDay('2023-03-26', BORDERS, (b, h) => (b === 'AT_BE' && h === 0 ? 1 : baseValue(b, h))),
      T4,
    ),
  );
});

afterAll(async () => {
  await reader?.end();
  await db?.release();
});

describe('jao.max_exchanges_range', () => {
  it('returns what jao.max_exchanges returns, for every border list and range of days', async () => {
    const all = await rows(db.pool, `SELECT ${CURRENT} FROM jao.max_exchanges ORDER BY mtu, border`, []);
    // 24 + 25 + 23 + 24 hours of three borders, less the vanished value.
    expect(all).toHaveLength(96 * 3 - 1);
    for (const [borders, from, to] of CASES) {
      const expected = await rows(
        db.pool,
        `SELECT ${CURRENT} FROM jao.max_exchanges WHERE ${VIEW_FILTER} ORDER BY mtu, border`,
        [borders, from, to],
      );
      const actual = await rows(
        db.pool,
        `SELECT ${CURRENT} FROM jao.max_exchanges_range($1, $2, $3) ORDER BY mtu, border`,
        [borders, from, to],
      );
      expect({ borders, from, to, rows: actual }).toEqual({ borders, from, to, rows: expected });
    }
  });

  it('takes a filter on mtu around open days to the values', async () => {
    const from = new Date('2022-10-30T00:00:00.000Z');
    const to = new Date('2022-10-30T03:00:00.000Z');
    const expected = await rows(
      db.pool,
      `SELECT ${CURRENT} FROM jao.max_exchanges WHERE mtu >= $1 AND mtu < $2 ORDER BY mtu, border`,
      [from, to],
    );
    expect(expected).toHaveLength(9);
    const actual = await rows(
      db.pool,
      `SELECT ${CURRENT} FROM jao.max_exchanges_range(NULL, NULL, NULL) WHERE mtu >= $1 AND mtu < $2
        ORDER BY mtu, border`,
      [from, to],
    );
    expect(actual).toEqual(expected);
  });
});

describe('jao.max_exchanges_history_range and jao.max_exchanges_range_as_of', () => {
  it('return every version, as jao.max_exchanges_history does', async () => {
    const versions = await rows(db.pool, 'SELECT count(*)::int AS n FROM jao.max_exchanges_history', []);
    // Every current value, and the superseded ones: DE_FR hour 3 twice, hour 4 once, BE_AT hour 5, AT_BE hour 0.
    expect(versions).toEqual([{ n: 96 * 3 - 1 + 5 }]);
    for (const [borders, from, to] of CASES) {
      const expected = await rows(
        db.pool,
        `SELECT ${VERSIONS} FROM jao.max_exchanges_history WHERE ${VIEW_FILTER}
          ORDER BY mtu, border, revision`,
        [borders, from, to],
      );
      const actual = await rows(
        db.pool,
        `SELECT ${VERSIONS} FROM jao.max_exchanges_history_range($1, $2, $3) ORDER BY mtu, border, revision`,
        [borders, from, to],
      );
      expect({ borders, from, to, rows: actual }).toEqual({ borders, from, to, rows: expected });
    }
  });

  it('return what was known at an instant, as jao.max_exchanges_as_of does', async () => {
    const instants = [new Date(T1.getTime() - 1), T1, new Date(T2.getTime() + 1), T3, T4, new Date()];
    for (const at of instants) {
      for (const [borders, from, to] of CASES) {
        const expected = await rows(
          db.pool,
          `SELECT ${CURRENT} FROM jao.max_exchanges_as_of($4) WHERE ${VIEW_FILTER}
            ORDER BY mtu, border`,
          [borders, from, to, at],
        );
        const actual = await rows(
          db.pool,
          `SELECT ${CURRENT} FROM jao.max_exchanges_range_as_of($1, $2, $3, $4) ORDER BY mtu, border`,
          [borders, from, to, at],
        );
        expect({ at, borders, from, to, rows: actual }).toEqual({ at, borders, from, to, rows: expected });
      }
    }
    const atT2 = await rows(
      db.pool,
      `SELECT value_mw, revision FROM jao.max_exchanges_range_as_of('{DE_FR}', '2022-10-30', '2022-10-30', $1)
        WHERE mtu = '2022-10-30T01:00:00Z'`,
      [new Date(T2.getTime() + 1)],
    );
    expect(atT2).toEqual([{ value_mw: baseValue('DE_FR', 3) + 100, revision: 2 }]);
  });
});

describe('the reader', () => {
  it('calls the range functions and reads their views', async () => {
    const counts = await rows(
      reader,
      `SELECT (SELECT count(*) FROM jao.max_exchanges_range(NULL, NULL, NULL))::int AS current,
              (SELECT count(*) FROM jao.max_exchanges_history_range('{DE_FR}', NULL, NULL))::int AS de_fr,
              (SELECT count(*) FROM jao.max_exchanges_range_as_of(NULL, NULL, NULL, now()))::int AS now,
              (SELECT count(*) FROM jao.max_exchanges_values)::int AS stored,
              (SELECT count(*) FROM jao.max_exchanges_superseded)::int AS superseded`,
      [],
    );
    expect(counts).toEqual([{ current: 287, de_fr: 96 + 3, now: 287, stored: 287, superseded: 5 }]);
  });
});

describe('on TimescaleDB', () => {
  /** The observation chunks a plan reads (EXPLAIN without ANALYZE: what the planner kept). */
  async function plannedChunks(sql: string): Promise<string[]> {
    const plan = await db.pool.query<{ 'QUERY PLAN': { Plan: Record<string, unknown> }[] }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
    );
    const names = new Set<string>();
    const walk = (node: Record<string, unknown>) => {
      const name = node['Relation Name'];
      if (typeof name === 'string' && /^_hyper_\d+_\d+_chunk$/.test(name)) names.add(name);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(plan.rows[0]!['QUERY PLAN'][0]!.Plan);
    return [...names];
  }

  it('plans a border and its days on their chunk only, compressed or not', async (ctx) => {
    ctx.skip(!db.timescale, 'needs TimescaleDB: DATABASE_URL points at a server without it');
    const chunks = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timescaledb_information.chunks
        WHERE hypertable_schema = 'jao' AND hypertable_name = 'observation'`,
    );
    expect(chunks.rows[0]!.n).toBe(2);
    const sql = `SELECT * FROM jao.max_exchanges_range('{AT_BE}', '2023-03-26', '2023-03-27')`;
    const before = await rows(db.pool, `${sql} ORDER BY mtu`, []);
    expect(await plannedChunks(sql)).toHaveLength(1);
    await db.pool.query(`SELECT count(compress_chunk(c)) FROM show_chunks('jao.observation') AS c`);
    expect(await plannedChunks(sql)).toHaveLength(1);
    expect(await rows(db.pool, `${sql} ORDER BY mtu`, [])).toEqual(before);
    expect(before).toHaveLength(23 + 24);
  });
});

// Migration 004 changed the shape of jao.max_exchanges and jao.max_exchanges_history (values first, each meeting its
// delivery day by the date of its MTU), not their meaning: for plain filters on mtu, delivery_day and border, and
// for jao.max_exchanges_as_of, they return exactly the rows of their 1.0.0 definitions (taken from the baseline
// migration), on DST days, with revisions, a vanished value, and values of a stored day whose record is missing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEngine } from '../../db/engine';
import { writeDay } from '../../db/writeDay';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

let db: TestDatabase;

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
// Two DST days (25 and 23 hours) with their neighbours.
const DAYS = ['2022-10-29', '2022-10-30', '2022-10-31', '2023-03-26', '2023-03-27'];
const T1 = new Date('2023-04-01T08:00:00.000Z');
const T2 = new Date('2023-04-02T08:00:00.000Z');
const T3 = new Date('2023-04-03T08:00:00.000Z');

const CURRENT =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, updated_at';
const VERSIONS =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, valid_from, valid_to';

/** `CREATE VIEW jao.<name> AS …;` of the baseline migration, created as baseline_views.<name>. */
function baselineView(sql: string, name: string): string {
  const start = sql.indexOf(`CREATE VIEW jao.${name} AS`);
  const end = sql.indexOf(';', start);
  if (start < 0 || end < 0) throw new Error(`no view jao.${name} in the baseline migration`);
  return sql
    .slice(start, end + 1)
    .replace(`CREATE VIEW jao.${name}`, `CREATE VIEW baseline_views.${name}`)
    .replace('FROM jao.max_exchanges c', 'FROM baseline_views.max_exchanges c');
}

/** The filters analysts and BI tools write, each with its parameters. */
const FILTERS: [string, unknown[]][] = [
  ['true', []],
  ["border = 'DE_FR'", []],
  ['border = ANY ($1)', [['DE_FR', 'BE_AT']]],
  ['mtu >= $1 AND mtu < $2', ['2022-10-29T21:00:00Z', '2022-10-30T03:00:00Z']],
  ["border = 'AT_BE' AND mtu BETWEEN $1 AND $2", ['2022-10-30T22:00:00Z', '2023-03-26T01:00:00Z']],
  ['delivery_day = $1', ['2022-10-30']],
  ["border = 'BE_AT' AND delivery_day BETWEEN $1 AND $2", ['2022-10-30', '2023-03-26']],
  ['delivery_day >= $1', ['2023-03-26']],
  ["border = 'DE_FR' AND delivery_day = $1 AND mtu >= $2", ['2022-10-30', '2022-10-30T01:00:00Z']],
  ["border = 'DE_FR' AND mtu = $1", ['2022-10-30T02:00:00Z']],
  ["border = 'BE_AT' AND mtu = $1 AND delivery_day = $2", ['2022-10-30T04:00:00Z', '2022-10-30']],
  ["border = 'DE_FR' AND mtu = $1 AND delivery_day = $2", ['2022-10-30T02:00:00Z', '2022-10-31']],
];

beforeAll(async () => {
  db = await createTestDatabase();
  if ((await readEngine(db.pool)).kind === 'timescaledb') {
    await db.pool.query('SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs');
  }
  for (const day of DAYS) await writeDay(db.pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1));
  // DE_FR changes at hours 3 and 4 of the 25-hour day, BE_AT's hour 5 vanishes; then DE_FR's hour 3 again.
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
  // Values whose day has no record: neither definition shows them.
  await db.pool.query(`DELETE FROM jao.delivery_day WHERE day = '2022-10-31'`);
  const baseline = readFileSync(join(__dirname, '..', '..', 'db', 'migrations', '001_baseline.sql'), 'utf8');
  await db.pool.query('CREATE SCHEMA baseline_views');
  await db.pool.query(baselineView(baseline, 'max_exchanges'));
  await db.pool.query(baselineView(baseline, 'max_exchanges_history'));
});

afterAll(async () => {
  await db?.drop();
});

async function both(sql: (relation: string) => string, params: unknown[]): Promise<[unknown[], unknown[]]> {
  const now = await db.pool.query(sql('jao'), params);
  const then = await db.pool.query(sql('baseline_views'), params);
  return [now.rows, then.rows];
}

describe('the consumer views after migration 004', () => {
  it('hold the rows they held in 1.0.0', async () => {
    const [current] = await both((schema) => `SELECT count(*)::int AS n FROM ${schema}.max_exchanges`, []);
    // 24 + 25 + 23 + 24 hours of three borders (the day without its record left out), less the vanished value.
    expect(current).toEqual([{ n: 96 * 3 - 1 }]);
    const [versions] = await both(
      (schema) => `SELECT count(*)::int AS n FROM ${schema}.max_exchanges_history`,
      [],
    );
    // and the superseded versions: DE_FR hour 3 twice, hour 4 once, BE_AT hour 5.
    expect(versions).toEqual([{ n: 96 * 3 - 1 + 4 }]);
  });

  it.each(FILTERS)('jao.max_exchanges WHERE %s returns what 1.0.0 returned', async (filter, params) => {
    const [now, then] = await both(
      (schema) => `SELECT ${CURRENT} FROM ${schema}.max_exchanges WHERE ${filter} ORDER BY mtu, border`,
      params,
    );
    expect(now).toEqual(then);
  });

  it.each(FILTERS)(
    'jao.max_exchanges_history WHERE %s returns what 1.0.0 returned',
    async (filter, params) => {
      const [now, then] = await both(
        (schema) =>
          `SELECT ${VERSIONS} FROM ${schema}.max_exchanges_history WHERE ${filter} ORDER BY mtu, border, revision`,
        params,
      );
      expect(now).toEqual(then);
    },
  );

  it('jao.max_exchanges_as_of returns what 1.0.0 returned, before, between and after the revisions', async () => {
    for (const at of [new Date('2023-03-31T00:00:00Z'), T1, new Date('2023-04-02T12:00:00Z'), T3]) {
      const now = await db.pool.query(
        `SELECT * FROM jao.max_exchanges_as_of($1) WHERE border = 'DE_FR' AND delivery_day = '2022-10-30'
          ORDER BY mtu`,
        [at],
      );
      const then = await db.pool.query(
        `SELECT mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at,
                valid_from AS updated_at
           FROM baseline_views.max_exchanges_history
          WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)
            AND border = 'DE_FR' AND delivery_day = '2022-10-30'
          ORDER BY mtu`,
        [at],
      );
      expect({ at, rows: now.rows }).toEqual({ at, rows: then.rows });
    }
  });
});

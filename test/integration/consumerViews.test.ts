// Migration 015 changed the shape of jao.max_exchanges and jao.max_exchanges_history (values first on PostgreSQL,
// series by series on TimescaleDB, each value meeting its delivery day by its stored day; 004's design), not their
// meaning: for plain filters on mtu, delivery_day and border, and
// for jao.max_exchanges_as_of, they return exactly the rows of their 1.0.0 definitions (taken from the baseline
// migration), on DST days, with revisions, a vanished value, and values of a stored day whose record is missing.
// It did the same to every dataset's views (010's design): jao.dataset_values, jao.dataset_values_history and
// jao.dataset_values_as_of return the rows of their 008 definitions, with three datasets stored side by side (Core
// shadowAuctionATC with borders of the same names as Core maxExchanges', Nordic at 15-minute MTUs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import type { Dataset, DeliveryDay } from '../../domain/types';
import { createPausedJobsDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

let db: TestDatabase;

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
// Two DST days (25 and 23 hours) with their neighbours.
const DAYS = ['2022-10-29', '2022-10-30', '2022-10-31', '2023-03-26', '2023-03-27'];
const T1 = new Date('2023-04-01T08:00:00.000Z');
const T2 = new Date('2023-04-02T08:00:00.000Z');
const T3 = new Date('2023-04-03T08:00:00.000Z');

// The other datasets: shadowAuctionATC on two of the same borders and days, Nordic quarter-hours on its DST days.
const SHADOW_BORDERS = ['AT_BE', 'DE_FR'];
const NORDIC_BORDERS = ['NO1_SE3', 'SE3_NO1'];
const NORDIC_DAYS = ['2025-10-25', '2025-10-26', '2025-10-27', '2026-03-29'];

const CURRENT =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, updated_at';
const VERSIONS =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, valid_from, valid_to';

/** `CREATE [OR REPLACE] VIEW jao.<name> AS …;` of a released migration, created as baseline_views.<name>. */
function baselineView(sql: string, name: string, create = 'CREATE VIEW'): string {
  const start = sql.indexOf(`${create} jao.${name} AS`);
  const end = sql.indexOf(';', start);
  if (start < 0 || end < 0) throw new Error(`no view jao.${name} in the migration`);
  return sql
    .slice(start, end + 1)
    .replace(`${create} jao.${name}`, `CREATE VIEW baseline_views.${name}`)
    .replace('FROM jao.max_exchanges c', 'FROM baseline_views.max_exchanges c')
    .replace('FROM jao.dataset_values c', 'FROM baseline_views.dataset_values c');
}

const migrationText = (file: string) =>
  readFileSync(join(__dirname, '..', '..', 'db', 'migrations', file), 'utf8');

/** Every day of `days` of `dataset`, written at T1; then `day` revised at T2 by `revised`. */
async function writeDataset(
  dataset: Dataset,
  days: DeliveryDay[],
  borders: string[],
  minutes: 15 | 60,
  value: (border: string, mtu: number) => number,
  revision: { day: DeliveryDay; value: (border: string, mtu: number) => number | undefined },
): Promise<void> {
  const write = (day: DeliveryDay, valuesOf: (border: string, mtu: number) => number | undefined, at: Date) =>
    writeDay(db.pool, {
      ...fetchWrite(day, validatedDay(day, borders, valuesOf, [], minutes), at),
      dataset,
      workflowId: `${dataset}/day/${day}`,
    });
  for (const day of days) await write(day, value, T1);
  await write(revision.day, revision.value, T2);
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
  db = await createPausedJobsDatabase();
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
  const shadowValue = (border: string, hour: number) => Math.round(baseValue(border, hour) / 3);
  await writeDataset('coreShadowAuctionATC', DAYS, SHADOW_BORDERS, 60, shadowValue, {
    day: '2022-10-30',
    value: (border, hour) =>
      border === 'AT_BE' && hour === 2 ? undefined : shadowValue(border, hour) + (hour === 3 ? 5 : 0),
  });
  // The 100-quarter-hour day revised at its repeated hour (MTUs 8..15) and one quarter-hour vanished.
  await writeDataset('nordicMaxExchanges', NORDIC_DAYS, NORDIC_BORDERS, 15, baseValue, {
    day: '2025-10-26',
    value: (border, mtu) =>
      border === 'SE3_NO1' && mtu === 40
        ? undefined
        : baseValue(border, mtu) + (mtu >= 8 && mtu < 16 && border === 'NO1_SE3' ? 25 : 0),
  });
  // Values whose day has no record: neither definition shows them.
  await db.pool.query(`DELETE FROM jao.delivery_day WHERE day IN ('2022-10-31', '2025-10-27')`);
  const baseline = migrationText('001_baseline.sql');
  const datasetViews = migrationText('008_every_dataset_views.sql');
  await db.pool.query('CREATE SCHEMA baseline_views');
  await db.pool.query(baselineView(baseline, 'max_exchanges'));
  await db.pool.query(baselineView(baseline, 'max_exchanges_history'));
  await db.pool.query(baselineView(datasetViews, 'dataset_values', 'CREATE OR REPLACE VIEW'));
  await db.pool.query(baselineView(datasetViews, 'dataset_values_history', 'CREATE OR REPLACE VIEW'));
});

afterAll(async () => {
  await db?.release();
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

/** The filters of FILTERS, and those that name a dataset: Nordic's DST days, one border in two datasets. */
const DATASET_FILTERS: [string, unknown[]][] = [
  ...FILTERS,
  ["dataset = 'nordicMaxExchanges'", []],
  ["dataset = 'coreShadowAuctionATC' AND border = 'DE_FR'", []],
  ['dataset = $1 AND delivery_day = $2', ['nordicMaxExchanges', '2025-10-26']],
  ['dataset = $1 AND delivery_day = $2', ['nordicMaxExchanges', '2026-03-29']],
  [
    "dataset = 'nordicMaxExchanges' AND mtu >= $1 AND mtu < $2",
    ['2025-10-25T21:45:00Z', '2025-10-26T03:00:00Z'],
  ],
  [
    "dataset = 'nordicMaxExchanges' AND border = 'NO1_SE3' AND delivery_day BETWEEN $1 AND $2",
    ['2025-10-26', '2026-03-29'],
  ],
  ["dataset = 'nordicMaxExchanges' AND border = 'NO1_SE3' AND mtu = $1", ['2025-10-26T01:15:00Z']],
  [
    "dataset = 'nordicMaxExchanges' AND border = 'NO1_SE3' AND mtu = $1 AND delivery_day = $2",
    ['2025-10-26T01:15:00Z', '2025-10-25'],
  ],
  [
    "dataset = 'coreShadowAuctionATC' AND border = ANY ($1) AND mtu BETWEEN $2 AND $3",
    [SHADOW_BORDERS, '2022-10-30T00:00:00Z', '2022-10-30T04:00:00Z'],
  ],
  [
    "dataset IN ('maxExchanges', 'coreShadowAuctionATC') AND border = 'DE_FR' AND delivery_day >= $1",
    ['2023-03-26'],
  ],
];

describe('the dataset views after migration 010', () => {
  it('hold the rows they held after 008, of every dataset', async () => {
    const [current] = await both(
      (schema) => `SELECT dataset, count(*)::int AS n FROM ${schema}.dataset_values GROUP BY 1 ORDER BY 1`,
      [],
    );
    expect(current).toEqual([
      // Two borders: 24 + 25 + 23 + 24 hours, less the vanished value.
      { dataset: 'coreShadowAuctionATC', n: 96 * 2 - 1 },
      { dataset: 'maxExchanges', n: 96 * 3 - 1 },
      // Two borders: 96 + 100 + 92 quarter-hours (2025-10-27 without its record), less the vanished value.
      { dataset: 'nordicMaxExchanges', n: 288 * 2 - 1 },
    ]);
    const [versions] = await both(
      (schema) =>
        `SELECT dataset, count(*)::int AS n FROM ${schema}.dataset_values_history GROUP BY 1 ORDER BY 1`,
      [],
    );
    expect(versions).toEqual([
      { dataset: 'coreShadowAuctionATC', n: 96 * 2 - 1 + 3 },
      { dataset: 'maxExchanges', n: 96 * 3 - 1 + 4 },
      { dataset: 'nordicMaxExchanges', n: 288 * 2 - 1 + 9 },
    ]);
  });

  it.each(DATASET_FILTERS)(
    'jao.dataset_values WHERE %s returns what 008 returned',
    async (filter, params) => {
      const [now, then] = await both(
        (schema) =>
          `SELECT dataset, ${CURRENT} FROM ${schema}.dataset_values WHERE ${filter} ORDER BY mtu, dataset, border`,
        params,
      );
      expect(now).toEqual(then);
    },
  );

  it.each(DATASET_FILTERS)(
    'jao.dataset_values_history WHERE %s returns what 008 returned',
    async (filter, params) => {
      const [now, then] = await both(
        (schema) =>
          `SELECT dataset, ${VERSIONS} FROM ${schema}.dataset_values_history WHERE ${filter}
            ORDER BY mtu, dataset, border, revision`,
        params,
      );
      expect(now).toEqual(then);
    },
  );

  it('jao.dataset_values_as_of returns what 008 returned, before, between and after the revisions', async () => {
    for (const at of [new Date('2023-03-31T00:00:00Z'), T1, new Date('2023-04-01T12:00:00Z'), T2, T3]) {
      for (const [dataset, day] of [
        ['nordicMaxExchanges', '2025-10-26'],
        ['coreShadowAuctionATC', '2022-10-30'],
        ['maxExchanges', '2022-10-30'],
      ]) {
        const now = await db.pool.query(
          `SELECT * FROM jao.dataset_values_as_of($1) WHERE dataset = $2 AND delivery_day = $3
            ORDER BY mtu, border`,
          [at, dataset, day],
        );
        const then = await db.pool.query(
          `SELECT dataset, mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at,
                  valid_from AS updated_at
             FROM baseline_views.dataset_values_history
            WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND dataset = $2 AND delivery_day = $3
            ORDER BY mtu, border`,
          [at, dataset, day],
        );
        expect({ at, dataset, rows: now.rows }).toEqual({ at, dataset, rows: then.rows });
      }
    }
  });
});

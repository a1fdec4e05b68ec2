// Migration 021 (one read path, DESIGN §16): the 1.0.0 objects the desk reads (jao.max_exchanges*, and
// jao.value_lineage) answer exactly what they answered before it, on a database migrated up to 020 that holds Core
// maxExchanges with revisions, a vanished value and DST days, written through the real write path, beside another
// dataset on the same border names and Nordic quarter-hours (compressed on TimescaleDB). Each object is read with the
// arguments and filters the desk gives it (as of several instants, ranges open at either end, unknown borders) before
// 021 and after it, and each of its columns, types, comments and grants is the same; and after it each reads what
// every dataset's views give for dataset maxExchanges, mapped to its columns.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { loadMigrations } from '../../db/migrations';
import { writeDay } from '../../db/writeDay';
import type { Dataset, DeliveryDay } from '../../domain/types';
import { createDatabaseBefore, type EarlierSchemaDatabase } from '../helpers/database';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

const MIGRATION = '021_one_read_path';

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
// Two DST days (25 and 23 hours) with their neighbours.
const DAYS = ['2022-10-29', '2022-10-30', '2022-10-31', '2023-03-26', '2023-03-27'];
const T1 = new Date('2023-04-01T08:00:00.000Z');
const T2 = new Date('2023-04-02T08:00:00.000Z');
const T3 = new Date('2023-04-03T08:00:00.000Z');
/** Before anything was stored, at each write, between them, after them. */
const INSTANTS = [
  new Date('2023-03-31T00:00:00Z'),
  T1,
  new Date('2023-04-01T12:00:00Z'),
  T2,
  new Date('2023-04-02T12:00:00Z'),
  T3,
  new Date('2030-01-01T00:00:00Z'),
];

const CURRENT =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, updated_at';
const VERSIONS =
  'mtu, delivery_day, border, from_zone, to_zone, value_mw, revision, first_seen_at, valid_from, valid_to';

/** The ranges the desk asks the range functions for: borders (NULL: every one) and days (NULL: open end). */
const RANGES: [string[] | null, string | null, string | null][] = [
  [null, null, null],
  [null, '2022-10-30', '2022-10-30'],
  [null, '2023-03-26', null],
  [null, null, '2022-10-30'],
  [['DE_FR'], null, null],
  [['DE_FR'], '2022-10-30', '2022-10-30'],
  [['BE_AT'], '2022-10-29', '2023-03-26'],
  [['DE_FR', 'BE_AT'], '2022-10-30', '2022-10-31'],
  [['AT_BE', 'BE_AT', 'DE_FR'], '2022-10-31', null],
  [['XX_YY'], null, null],
  [['DE_FR', 'XX_YY'], '2022-10-30', '2022-10-30'],
  [[], null, null],
  [null, '2022-11-01', '2022-10-31'],
];

interface Read {
  name: string;
  sql: string;
  params: unknown[];
}

/** Every read of every object the desk reads, each ordered on a key of its rows. */
function deskReads(): Read[] {
  const reads: Read[] = [
    { name: 'max_exchanges', sql: `SELECT * FROM jao.max_exchanges ORDER BY mtu, border`, params: [] },
    {
      name: 'max_exchanges by border and day',
      sql: `SELECT * FROM jao.max_exchanges WHERE border = 'DE_FR' AND delivery_day = $1 ORDER BY mtu`,
      params: ['2022-10-30'],
    },
    {
      name: 'max_exchanges_history',
      sql: 'SELECT * FROM jao.max_exchanges_history ORDER BY mtu, border, revision',
      params: [],
    },
    {
      name: 'max_exchanges_borders',
      sql: 'SELECT * FROM jao.max_exchanges_borders ORDER BY border',
      params: [],
    },
    {
      name: 'max_exchanges_daily',
      sql: 'SELECT * FROM jao.max_exchanges_daily ORDER BY delivery_day, border',
      params: [],
    },
    {
      name: 'max_exchanges_values',
      sql: 'SELECT * FROM jao.max_exchanges_values ORDER BY mtu, series_id',
      params: [],
    },
    {
      name: 'max_exchanges_superseded',
      sql: 'SELECT * FROM jao.max_exchanges_superseded ORDER BY mtu, series_id, revision',
      params: [],
    },
    {
      name: 'max_exchanges_lineage',
      sql: `SELECT * FROM jao.max_exchanges_lineage ORDER BY mtu, border, revision`,
      params: [],
    },
    {
      name: 'value_lineage',
      sql: `SELECT * FROM jao.value_lineage('DE_FR', $1)`,
      params: ['2022-10-30T02:00:00Z'],
    },
  ];
  for (const at of INSTANTS) {
    reads.push({
      name: `max_exchanges_as_of(${at.toISOString()})`,
      sql: 'SELECT * FROM jao.max_exchanges_as_of($1) ORDER BY mtu, border',
      params: [at],
    });
    reads.push({
      name: `max_exchanges_as_of(${at.toISOString()}) by border and day`,
      sql: `SELECT * FROM jao.max_exchanges_as_of($1) WHERE border = 'DE_FR' AND delivery_day = $2 ORDER BY mtu`,
      params: [at, '2022-10-30'],
    });
  }
  for (const [borders, from, to] of RANGES) {
    const args = `(${JSON.stringify(borders)}, ${from}, ${to})`;
    reads.push({
      name: `max_exchanges_range${args}`,
      sql: 'SELECT * FROM jao.max_exchanges_range($1, $2, $3) ORDER BY mtu, border',
      params: [borders, from, to],
    });
    reads.push({
      name: `max_exchanges_history_range${args}`,
      sql: 'SELECT * FROM jao.max_exchanges_history_range($1, $2, $3) ORDER BY mtu, border, revision',
      params: [borders, from, to],
    });
    for (const at of INSTANTS) {
      reads.push({
        name: `max_exchanges_range_as_of${args} at ${at.toISOString()}`,
        sql: 'SELECT * FROM jao.max_exchanges_range_as_of($1, $2, $3, $4) ORDER BY mtu, border',
        params: [borders, from, to, at],
      });
    }
  }
  // With constant arguments too: the planner folds them into the inlined function, as it does a desk's literals.
  reads.push({
    name: 'max_exchanges_range with literals',
    sql: `SELECT * FROM jao.max_exchanges_range('{DE_FR}', '2022-10-30', '2022-10-31') ORDER BY mtu, border`,
    params: [],
  });
  reads.push({
    name: 'max_exchanges_history_range with literals, one hour',
    sql: `SELECT * FROM jao.max_exchanges_history_range('{DE_FR}', NULL, NULL) WHERE mtu = '2022-10-30T02:00:00Z'
           ORDER BY revision`,
    params: [],
  });
  reads.push({
    name: 'max_exchanges_range_as_of with literals',
    sql: `SELECT * FROM jao.max_exchanges_range_as_of(NULL, '2022-10-30', '2022-10-30', '2023-04-02T12:00:00Z')
           ORDER BY mtu, border`,
    params: [],
  });
  return reads;
}

interface Answer {
  columns: { name: string; type: number }[];
  rows: unknown[];
}

async function answerOf(client: pg.Pool | pg.PoolClient, read: Read): Promise<Answer> {
  const result = await client.query(read.sql, read.params);
  return { columns: result.fields.map((f) => ({ name: f.name, type: f.dataTypeID })), rows: result.rows };
}

/** Every read's answer, as jao_reader (the role the desk and the API read as). */
async function readAll(pool: pg.Pool): Promise<Map<string, Answer>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL ROLE jao_reader');
    const answers = new Map<string, Answer>();
    for (const read of deskReads()) answers.set(read.name, await answerOf(client, read));
    await client.query('COMMIT');
    return answers;
  } finally {
    client.release();
  }
}

/** What the catalog says of each jao.max_exchanges* object: its columns and types, comments, and who may read it. */
async function catalogOf(pool: pg.Pool): Promise<unknown[]> {
  const { rows } = await pool.query(
    `SELECT c.relname AS name, c.relkind::text AS kind,
            (SELECT array_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' ||
                              coalesce(col_description(c.oid, a.attnum), '')
                              ORDER BY a.attnum)
               FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            obj_description(c.oid, 'pg_class') AS comment,
            has_table_privilege('jao_reader', c.oid, 'SELECT') AS reader,
            has_table_privilege('jao_writer', c.oid, 'SELECT') AS writer,
            c.relacl::text AS acl
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'jao' AND (c.relname LIKE 'max_exchanges%' OR c.relname LIKE 'dataset_%')
        AND c.relkind IN ('v', 'm')
     UNION ALL
     SELECT p.oid::regprocedure::text, 'f', ARRAY[pg_get_function_result(p.oid)],
            obj_description(p.oid, 'pg_proc'),
            has_function_privilege('jao_reader', p.oid, 'EXECUTE'),
            has_function_privilege('jao_writer', p.oid, 'EXECUTE'),
            concat_ws(' ', p.proacl::text, p.provolatile::text, p.proparallel::text, p.prosecdef::text)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'jao' AND (p.proname LIKE 'max_exchanges%' OR p.proname LIKE 'dataset_%'
                                   OR p.proname = 'value_lineage')
      ORDER BY 1`,
  );
  return rows;
}

interface CatalogEntry {
  name: string;
  columns: string[];
}

/**
 * Column comments that a migration after 021 rewrote on purpose (the values' unit, once datasets in other units than
 * MW were declared), by the migration that did: the catalogue is compared without them.
 */
const REDOCUMENTED: Record<string, string> = {
  'dataset_borders.unit': '025_keyed_families',
  'dataset_values.value_mw': '025_keyed_families',
  'dataset_values_history.value_mw': '025_keyed_families',
};

function withoutRedocumented(entry: unknown): unknown {
  const { name, columns } = entry as CatalogEntry;
  if (!Array.isArray(columns)) return entry;
  return {
    ...(entry as object),
    columns: columns.map((column) => {
      const [field, ...rest] = column.split(' ');
      return `${name}.${field}` in REDOCUMENTED ? `${field} ${rest.slice(0, 2).join(' ')}` : column;
    }),
  };
}

let db: EarlierSchemaDatabase;
let before: Map<string, Answer>;
let after: Map<string, Answer>;
let catalogBefore: unknown[];
let catalogAfter: unknown[];

/** Every day of `days` of `dataset`, written at T1; then `day` revised at T2 by `revised`. */
async function writeDataset(
  dataset: Dataset,
  days: DeliveryDay[],
  borders: string[],
  minutes: 15 | 60,
  value: (border: string, mtu: number) => number,
  revised: { day: DeliveryDay; value: (border: string, mtu: number) => number | undefined },
): Promise<void> {
  const write = (day: DeliveryDay, valuesOf: (border: string, mtu: number) => number | undefined, at: Date) =>
    writeDay(db.pool, {
      ...fetchWrite(day, validatedDay(day, borders, valuesOf, [], minutes), at),
      dataset,
      workflowId: `${dataset}/day/${day}`,
    });
  for (const day of days) await write(day, value, T1);
  await write(revised.day, revised.value, T2);
}

beforeAll(async () => {
  db = await createDatabaseBefore('one_read_path', MIGRATION);
  for (const day of DAYS) await writeDay(db.pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1));
  // DE_FR changes at hours 3 and 4 of the 25-hour day, BE_AT's hour 5 vanishes; then DE_FR's hour 3 again, and a
  // day of the other DST change is revised too.
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
      validatedDay('2023-03-26', BORDERS, (b, h) => baseValue(b, h) + (b === 'AT_BE' ? 1 : 0)),
      T3,
    ),
  );
  // The same border names in another dataset, revised otherwise; Nordic quarter-hours.
  const shadowValue = (border: string, hour: number) => Math.round(baseValue(border, hour) / 3);
  await writeDataset('coreShadowAuctionATC', DAYS, ['AT_BE', 'DE_FR'], 60, shadowValue, {
    day: '2022-10-30',
    value: (border, hour) =>
      border === 'AT_BE' && hour === 2 ? undefined : shadowValue(border, hour) + (hour === 3 ? 5 : 0),
  });
  await writeDataset(
    'nordicMaxExchanges',
    ['2025-10-25', '2025-10-26'],
    ['NO1_SE3', 'SE3_NO1'],
    15,
    baseValue,
    {
      day: '2025-10-26',
      value: (border, mtu) =>
        baseValue(border, mtu) + (mtu >= 8 && mtu < 16 && border === 'NO1_SE3' ? 25 : 0),
    },
  );
  if (db.timescale) {
    // The old values compressed, as the policy leaves them: read from compressed history on both sides.
    await db.pool.query(
      `SELECT count(compress_chunk(c, if_not_compressed => true))
         FROM (SELECT show_chunks('jao.observation') AS c UNION ALL SELECT show_chunks('jao.observation_history')) s`,
    );
  }
  await db.pool.query('ANALYZE');
  catalogBefore = await catalogOf(db.pool);
  before = await readAll(db.pool);
  const report = await migrate(db.pool);
  // 021 and the migrations after it, which change no row a view of the read path gives.
  expect(report.applied).toEqual(
    loadMigrations()
      .map((m) => m.name)
      .filter((name) => name >= MIGRATION),
  );
  catalogAfter = await catalogOf(db.pool);
  after = await readAll(db.pool);
}, 120_000);

afterAll(async () => {
  await db?.release();
});

describe(`the 1.0.0 objects the desk reads, after migration ${MIGRATION}`, () => {
  it('hold what the test means them to: revisions, a vanished value, two datasets apart', () => {
    const history = before.get('max_exchanges_history')!.rows;
    // 24 + 25 + 24 + 23 + 24 hours of three borders, less the vanished value; superseded: DE_FR hour 3 twice,
    // hour 4 once, BE_AT hour 5, and the 23 hours of AT_BE on 2023-03-26.
    expect(before.get('max_exchanges')!.rows).toHaveLength(120 * 3 - 1);
    expect(history).toHaveLength(120 * 3 - 1 + 4 + 23);
    expect(before.get('max_exchanges_borders')!.rows).toHaveLength(3);
    expect(new Set(deskReads().map((read) => read.name)).size).toBe(deskReads().length);
    const asOfT1 = before.get(`max_exchanges_as_of(${T1.toISOString()})`)!.rows;
    expect(asOfT1).toHaveLength(120 * 3);
  });

  it.each(deskReads().map((read) => [read.name, read.sql] as const))(
    '%s answers the columns and rows it answered before',
    (name) => {
      expect(after.get(name)).toEqual(before.get(name));
    },
  );

  it('keep every column, type, comment and grant', () => {
    expect(catalogAfter.map(withoutRedocumented)).toEqual(catalogBefore.map(withoutRedocumented));
  });

  it('change only the comments a later migration re-documents on purpose', () => {
    const changed = (catalogAfter as CatalogEntry[]).flatMap((entry, i) =>
      entry.columns
        .filter((column, c) => column !== (catalogBefore as CatalogEntry[])[i]?.columns[c])
        .map((column) => `${entry.name}.${column.split(' ')[0]}`),
    );
    expect(changed.sort()).toEqual(Object.keys(REDOCUMENTED).sort());
  });

  it("read what every dataset's views give for dataset maxExchanges", async () => {
    const pairs: [string, string, unknown[]][] = [
      [
        `SELECT * FROM jao.max_exchanges ORDER BY mtu, border`,
        `SELECT ${CURRENT} FROM jao.dataset_values WHERE dataset = 'maxExchanges' ORDER BY mtu, border`,
        [],
      ],
      [
        `SELECT * FROM jao.max_exchanges_history ORDER BY mtu, border, revision`,
        `SELECT ${VERSIONS} FROM jao.dataset_values_history WHERE dataset = 'maxExchanges'
          ORDER BY mtu, border, revision`,
        [],
      ],
      [
        `SELECT * FROM jao.max_exchanges_borders ORDER BY border`,
        `SELECT border, key, from_zone, to_zone, unit, first_seen_at, series_id FROM jao.dataset_borders
          WHERE dataset = 'maxExchanges' ORDER BY border`,
        [],
      ],
      // From the first write on (before it, both are empty).
      ...INSTANTS.filter((at) => at >= T1).map((at): [string, string, unknown[]] => [
        'SELECT * FROM jao.max_exchanges_as_of($1) ORDER BY mtu, border',
        `SELECT ${CURRENT} FROM jao.dataset_values_as_of($1) WHERE dataset = 'maxExchanges' ORDER BY mtu, border`,
        [at],
      ]),
      [
        'SELECT * FROM jao.max_exchanges_range($1, $2, $3) ORDER BY mtu, border',
        `SELECT ${CURRENT} FROM jao.dataset_values
          WHERE dataset = 'maxExchanges' AND border = ANY ($1) AND delivery_day BETWEEN $2 AND $3
          ORDER BY mtu, border`,
        [['DE_FR', 'BE_AT'], '2022-10-30', '2023-03-26'],
      ],
      [
        'SELECT * FROM jao.max_exchanges_history_range($1, $2, $3) ORDER BY mtu, border, revision',
        `SELECT ${VERSIONS} FROM jao.dataset_values_history
          WHERE dataset = 'maxExchanges' AND border = ANY ($1) AND delivery_day BETWEEN $2 AND $3
          ORDER BY mtu, border, revision`,
        [['DE_FR', 'AT_BE'], '2022-10-30', '2023-03-26'],
      ],
      [
        'SELECT * FROM jao.max_exchanges_range_as_of($1, $2, $3, $4) ORDER BY mtu, border',
        `SELECT ${CURRENT} FROM jao.dataset_values_as_of($4)
          WHERE dataset = 'maxExchanges' AND border = ANY ($1) AND delivery_day BETWEEN $2 AND $3
          ORDER BY mtu, border`,
        [['DE_FR', 'AT_BE'], '2022-10-30', '2023-03-26', new Date('2023-04-02T12:00:00Z')],
      ],
    ];
    for (const [desk, generic, params] of pairs) {
      const [a, b] = [await db.pool.query(desk, params), await db.pool.query(generic, params)];
      expect(a.rows.length).toBeGreaterThan(0);
      expect({ desk, rows: a.rows }).toEqual({ desk, rows: b.rows });
    }
  });
});

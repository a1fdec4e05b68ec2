// CSV and NDJSON written by PostgreSQL through COPY are byte for byte what RowFormatter writes from the cursor's rows:
// every declared dataset (Core's hourly days, Nordic's quarter-hours), DST days, revised values read current and as
// of before the revision, every border or many of them, and numbers whose text is easy to get wrong; a series whose key or zones hold
// anything JSON or CSV would escape is refused by the database (migration 011). Through the API
// too; and an answer abandoned mid-stream cancels its COPY and returns its connection.
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerDatabaseUrl } from '../../api/config';
import { FEW_BORDERS, type Format } from '../../api/params';
import { RESPONSE_CACHE_ENTRY_BYTES } from '../../api/responseCache';
import { RowFormatter, valuesCopy, valuesQuery } from '../../api/valueRows';
import { DATASETS, type Dataset, keyedValueDatasets } from '../../domain/datasets';
import { hasCapturedProfile } from '../../simulator/profiles';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestKey, getWith, startTestApi, type TestApi } from '../helpers/api';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { storeSimulatedDay } from '../helpers/simulatedDays';

/** The day before autumn's DST change, its 25-hour day, and spring's 23-hour day. */
const DAYS = ['2025-10-25', '2025-10-26', '2026-03-29'] as const;
const REVISED_DAY = '2025-10-26';
const FIRST_WRITE = new Date('2026-03-28T09:00:00.000Z');
const REVISION = new Date('2026-03-28T15:00:00.000Z');
const BEFORE_REVISION = new Date(REVISION.getTime() - 1);
/**
 * The datasets compared: those with a captured profile, and three of the key grammar's other spellings (TSO areas
 * such as 50Hertz, keys without a separator, a row of hub-, TSO- and border-keyed families in EUR).
 */
const COPIED = keyedValueDatasets().filter(
  (dataset) =>
    hasCapturedProfile(dataset) || ['coreD2CF', 'coreMaxNetPos', 'coreCongestionIncome'].includes(dataset),
);

let db: TestDatabase;
let reader: pg.Pool;
let simulator: SimulatorHandle;
let api: TestApi;
let key: string;

beforeAll(async () => {
  db = await createTestDatabase();
  simulator = await startSimulator();
  for (const dataset of COPIED)
    for (const day of DAYS) await storeSimulatedDay(db.pool, simulator, dataset, day, FIRST_WRITE);
  for (const dataset of COPIED) {
    simulator.reviseDay(REVISED_DAY, dataset);
    await storeSimulatedDay(db.pool, simulator, dataset, REVISED_DAY, REVISION);
  }
  // Numbers whose text is easy to get wrong, on a series of their own: the shortest round-trip text, a small
  // exponent, NaN.
  await db.pool.query(
    `WITH s AS (
       INSERT INTO jao.series (dataset, key, from_zone, to_zone, first_seen_at, last_seen_at)
       VALUES ('maxExchanges', 'border_X1_Y2', 'X1', 'Y2', $1, $1)
       RETURNING series_id)
     INSERT INTO jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at)
     SELECT s.series_id, m, v, 1, $1, $1
       FROM s, (VALUES ('2025-10-25T10:00:00Z'::timestamptz, 0.30000000000000004::float8),
                       ('2025-10-25T11:00:00Z', -1e-7), ('2025-10-25T12:00:00Z', 'NaN')) AS x(m, v)`,
    [FIRST_WRITE],
  );
  reader = testPool({ connectionString: readerDatabaseUrl({ DATABASE_URL: db.url }), max: 4 });
  key = await createTestKey(db.pool, [...DATASETS]);
  api = await startTestApi(db.url);
});

afterAll(async () => {
  await api?.close();
  await reader?.end();
  await simulator?.close();
  await db?.release();
});

interface Request {
  dataset: Dataset;
  from: string;
  to: string;
  borders: string[] | null;
  asOf: Date | null;
}

/** In one read-only snapshot: RowFormatter's text of the cursor query's rows, and COPY's text. */
async function bothWays(format: Format, request: Request): Promise<{ formatted: string; copied: string }> {
  const { dataset, from, to, borders, asOf } = request;
  const client = await reader.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const query = valuesQuery(dataset, from, to, borders, asOf);
    const rows = await client.query<string[]>({ text: query.text, values: query.values, rowMode: 'array' });
    const formatter = new RowFormatter(format);
    // As the cursor's stream: no batch without rows.
    const formatted =
      formatter.start() + (rows.rows.length > 0 ? formatter.batch(rows.rows) : '') + formatter.end();
    const copy = valuesCopy(format, dataset, from, to, borders, asOf);
    if (!copy) throw new Error('expected an answer COPY writes');
    await client.query(copy.inputs);
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(copy.copy))) chunks.push(chunk as Buffer);
    await client.query('COMMIT');
    return { formatted, copied: new RowFormatter(format).start() + Buffer.concat(chunks).toString() };
  } finally {
    client.release();
  }
}

async function bordersOf(dataset: Dataset, count: number): Promise<string[]> {
  const result = await db.pool.query<{ border: string }>(
    `SELECT border FROM jao.series WHERE dataset = $1 AND key ~ '^[A-Za-z][A-Za-z0-9_]*$' AND key <> 'border_X1_Y2'
      ORDER BY border LIMIT $2`,
    [dataset, count],
  );
  return result.rows.map((row) => row.border);
}

describe('values through COPY', () => {
  it('equal RowFormatter byte for byte: every dataset, DST days, revisions, borders, as of, odd numbers', async () => {
    let compared = 0;
    for (const dataset of COPIED) {
      const many = await bordersOf(dataset, FEW_BORDERS + 3);
      // more borders than FEW_BORDERS (Core atc has 10 with values), and a few: COPY writes both, of every dataset
      expect(many.length).toBeGreaterThan(FEW_BORDERS);
      const requests: Request[] = [
        { dataset, from: DAYS[0], to: DAYS[2], borders: null, asOf: null },
        { dataset, from: DAYS[1], to: DAYS[1], borders: null, asOf: BEFORE_REVISION },
        { dataset, from: DAYS[0], to: DAYS[2], borders: many, asOf: null },
        { dataset, from: DAYS[0], to: DAYS[1], borders: many, asOf: BEFORE_REVISION },
        { dataset, from: '2025-10-27', to: '2026-03-28', borders: null, asOf: null },
      ];
      requests.push(
        { dataset, from: DAYS[1], to: DAYS[1], borders: many.slice(0, 2), asOf: null },
        { dataset, from: DAYS[0], to: DAYS[2], borders: many.slice(0, 2), asOf: BEFORE_REVISION },
      );
      for (const request of requests) {
        for (const format of ['csv', 'ndjson'] as const) {
          const { formatted, copied } = await bothWays(format, request);
          expect(copied, `${format} ${JSON.stringify(request)}`).toBe(formatted);
          compared += formatted.split('\n').length;
        }
      }
    }
    // The reads hold what they are meant to: revisions, both DST days at every resolution, the odd numbers.
    const current = await bothWays('ndjson', {
      dataset: 'maxExchanges',
      from: DAYS[0],
      to: DAYS[2],
      borders: null,
      asOf: null,
    });
    // NaN is written as the API has always written it (not JSON): the other lines are parsed.
    const lines = current.formatted
      .trimEnd()
      .split('\n')
      .filter((line) => !line.includes(':NaN,'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.revision === 2)).toBe(true);
    expect(lines.some((line) => line.border === 'X1_Y2' && line.value_mw === 0.30000000000000004)).toBe(true);
    expect(current.formatted).toContain('"value_mw":NaN');
    const nordicDst = await bothWays('csv', {
      dataset: 'nordicMaxExchanges',
      from: DAYS[1],
      to: DAYS[1],
      borders: null,
      asOf: null,
    });
    const nordicRows = nordicDst.copied.trimEnd().split('\n').slice(1);
    const nordicBorders = new Set(nordicRows.map((line) => line.split(',')[2]));
    expect(nordicRows.length).toBe(100 * nordicBorders.size);
    expect(compared).toBeGreaterThan(50_000);
  });

  it('holds no series whose key or zones JSON or CSV would escape: the database refuses them', async () => {
    const hostile: [string, string, string | null][] = [
      ['border_A"B_C', 'A"B', 'C'],
      // Keys of the other families (migration 025): the key must end with what it names, in plain names.
      ['shadowPrice_AT_BE', 'AT', 'FR'],
      ['minA"T', 'A"T', null],
      ['min_X', 'Y', null],
      ['1hub_AT', 'AT', null],
      ['AT_BE', 'AT', 'BE'],
      ['border_A\\B_C', 'A\\B', 'C'],
      ['border_A,B_C', 'A,B', 'C'],
      ['border_A\r\nB_C', 'A\r\nB', 'C'],
      ['border_A\tB_C', 'A\tB', 'C'],
      ['border_A\u0001B_C', 'A\u0001B', 'C'],
      ['border_Ü_C', 'Ü', 'C'],
      ['border__C', '', 'C'],
      ['border_AT_BE', 'AT', 'FR'],
    ];
    for (const [seriesKey, fromZone, toZone] of hostile) {
      await expect(
        db.pool.query(
          `INSERT INTO jao.series (dataset, key, from_zone, to_zone, first_seen_at, last_seen_at)
           VALUES ('maxExchanges', $1, $2, $3, now(), now())`,
          [seriesKey, fromZone, toZone],
        ),
        JSON.stringify(seriesKey),
      ).rejects.toMatchObject({ code: '23514', constraint: 'series_plain_names' });
    }
  });

  // One test per format: every copied dataset's three days twice over, each well inside the test timeout.
  it.each(['csv', 'ndjson'] as const)(
    'serves %s through the API as RowFormatter writes it',
    async (format) => {
      for (const dataset of COPIED) {
        const { formatted } = await bothWays(format, {
          dataset,
          from: DAYS[0],
          to: DAYS[2],
          borders: null,
          asOf: null,
        });
        const response = await getWith(
          key,
          `${api.url}/v1/datasets/${dataset}/values?from=${DAYS[0]}&to=${DAYS[2]}&format=${format}`,
        );
        expect(response.status).toBe(200);
        expect(response.headers.get('x-cache')).toBe('miss');
        expect(await response.text()).toBe(formatted);
        // Kept whole by the response cache when small enough, and served from it as it was streamed.
        const again = await getWith(
          key,
          `${api.url}/v1/datasets/${dataset}/values?from=${DAYS[0]}&to=${DAYS[2]}&format=${format}`,
        );
        const kept = Buffer.byteLength(formatted) <= RESPONSE_CACHE_ENTRY_BYTES;
        expect(again.headers.get('x-cache')).toBe(kept ? 'hit' : 'miss');
        expect(await again.text()).toBe(formatted);
      }
    },
  );
});

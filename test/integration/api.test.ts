// The API against the SQL views it serves: values (23- and 25-hour days, as_of before and after a revision),
// series, revisions, days, caching, and every refusal (400, 401, 403, 429), with hostile parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_CACHE_MS } from '../../api/auth';
import { revokeApiKey } from '../../db/apiKeys';
import { writeDay } from '../../db/writeDay';
import { addDays, marketTomorrow } from '../../domain/calendar';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { until } from '../helpers/until';
import { baseValue, validatedDay } from './storageFixtures';

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
const LONG_DAY = '2022-10-30';
const SHORT_DAY = '2023-03-26';
const REVISED_DAY = '2024-01-10';
const FIRST_WRITE = new Date('2024-01-09T12:00:00.000Z');
const REVISION = new Date('2024-01-10T06:00:00.000Z');

let db: TestDatabase;
let api: InjectedTestApi;
let key: string;

async function write(day: string, at: Date, value = baseValue) {
  const validated = validatedDay(day, BORDERS, value);
  await writeDay(db.pool, {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: 'wf',
    buildId: 'build-1',
    observedAt: at,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await write(LONG_DAY, new Date('2022-10-29T12:00:00.000Z'));
  await write(SHORT_DAY, new Date('2023-03-25T12:00:00.000Z'));
  await write(REVISED_DAY, FIRST_WRITE);
  await write(
    REVISED_DAY,
    REVISION,
    (border, hour) => baseValue(border, hour) + (border === 'AT_BE' && hour < 6 ? 1 : 0),
  );
  key = await createTestKey(db.pool);
  api = await injectTestApi(db.url, { maxRangeDays: 800 });
});

afterAll(async () => {
  for (const line of api?.logs ?? []) if (line.includes('"level":"error"')) console.log(line.slice(0, 1500));
  await api?.close();
  await db?.release();
});

const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
const VALUE_SELECT = `SELECT ${ISO('mtu')}, delivery_day::text AS delivery_day, border, from_zone, to_zone, value_mw,
  revision, ${ISO('first_seen_at')}, ${ISO('updated_at')}`;

async function viewRows(from: string, to: string, asOf?: Date) {
  const source = asOf ? 'jao.max_exchanges_as_of($3)' : 'jao.max_exchanges';
  const result = await db.pool.query(
    `${VALUE_SELECT} FROM ${source} v WHERE delivery_day BETWEEN $1::date AND $2::date ORDER BY mtu, border`,
    asOf ? [from, to, asOf] : [from, to],
  );
  return result.rows;
}

/** A JSON answer: an array of rows, or an error body. */
type Row = Record<string, unknown> & { revision?: number; valid_to?: string | null };
type JsonBody = Row[] & { parameter?: string; message?: string };

async function json(path: string, headers: Record<string, string> = {}) {
  const response = await api.get(key, path, headers);
  return { status: response.status, headers: response.headers, body: (await response.json()) as JsonBody };
}

function parseCsv(text: string) {
  const [header, ...lines] = text.trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => {
    const fields = line.split(',');
    return Object.fromEntries(
      columns.map((column, i) => [
        column,
        column === 'value_mw' || column === 'revision' ? Number(fields[i]) : fields[i],
      ]),
    );
  });
}

describe('values', () => {
  it('returns exactly the view on a 25-hour and a 23-hour day', async () => {
    for (const [day, hours] of [
      [LONG_DAY, 25],
      [SHORT_DAY, 23],
    ] as const) {
      const answer = await json(`/v1/datasets/maxExchanges/values?from=${day}&to=${day}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveLength(hours * BORDERS.length);
      expect(answer.body).toEqual(await viewRows(day, day));
    }
  });

  it('gives the same rows as csv and ndjson, filtered by border', async () => {
    const path = `/v1/datasets/maxExchanges/values?from=${LONG_DAY}&to=${REVISED_DAY}&border=DE_FR&border=AT_BE`;
    const all = (await json(path)).body as { border: string }[];
    expect(all).toEqual((await viewRows(LONG_DAY, REVISED_DAY)).filter((row) => row.border !== 'BE_AT'));
    const csv = await api.get(key, `${path}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(parseCsv(await csv.text())).toEqual(all);
    const ndjson = await api.get(key, `${path}&format=ndjson`);
    const lines = (await ndjson.text()).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(all);
  });

  it('gives every border as CSV byte for byte as when each border is named, as of too', async () => {
    const range = `from=${LONG_DAY}&to=${REVISED_DAY}&format=csv`;
    const everyBorder = BORDERS.map((border) => `border=${border}`).join('&');
    for (const asOf of ['', `&as_of=${new Date(REVISION.getTime() - 1).toISOString()}`]) {
      const copied = await api.get(key, `/v1/datasets/maxExchanges/values?${range}${asOf}`);
      const formatted = await api.get(key, `/v1/datasets/maxExchanges/values?${range}${asOf}&${everyBorder}`);
      expect(copied.status).toBe(200);
      const text = await copied.text();
      expect(text).toBe(await formatted.text());
      const asOfDate = asOf ? new Date(REVISION.getTime() - 1) : undefined;
      expect(parseCsv(text)).toEqual(await viewRows(LONG_DAY, REVISED_DAY, asOfDate));
    }
  });

  it('answers as of an instant before and after a revision, as jao.max_exchanges_as_of', async () => {
    const before = new Date(REVISION.getTime() - 1);
    const path = (asOf: Date) =>
      `/v1/datasets/maxExchanges/values?from=${REVISED_DAY}&to=${REVISED_DAY}&as_of=${asOf.toISOString()}`;
    const old = await json(path(before));
    expect(old.body).toEqual(await viewRows(REVISED_DAY, REVISED_DAY, before));
    expect(old.body.filter((row: Row) => row.revision === 2)).toEqual([]);
    const revised = await json(path(REVISION));
    expect(revised.body).toEqual(await viewRows(REVISED_DAY, REVISED_DAY, REVISION));
    expect(revised.body.filter((row: Row) => row.revision === 2)).toHaveLength(6);
    // An as_of long past, before the latest write, can no longer change.
    expect(old.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    // An offset with its `+` unencoded arrives as a space, and is read as the `+` meant.
    const local = await json(
      `/v1/datasets/maxExchanges/values?from=${REVISED_DAY}&to=${REVISED_DAY}&as_of=2024-01-10T07:00:00+01:00`,
    );
    expect(local.body).toEqual(revised.body);
  });
});

describe('series, revisions, days', () => {
  it('lists the catalogue of borders', async () => {
    const answer = await json('/v1/datasets/maxExchanges/series');
    const expected = await db.pool.query(
      `SELECT v.border, min(v.delivery_day)::text AS first_day, max(v.delivery_day)::text AS last_day,
              count(*)::int AS values, max(v.updated_at) AS last_revision_at,
              c.resolution_minutes, c.complete_days, c.days_in_span, c.complete_share::float8 AS complete_share,
              c.source_endpoint, c.publication_schedule
         FROM jao.max_exchanges v JOIN jao.catalog c ON c.border = v.border
        GROUP BY v.border, c.resolution_minutes, c.complete_days, c.days_in_span, c.complete_share,
                 c.source_endpoint, c.publication_schedule
        ORDER BY v.border`,
    );
    expect(answer.body).toEqual(
      expected.rows.map((row) => ({
        key: `border_${row.border}`,
        border: row.border,
        from_zone: row.border.split('_')[0],
        to_zone: row.border.split('_')[1],
        unit: 'MW',
        first_day: row.first_day,
        last_day: row.last_day,
        values: row.values,
        last_revision_at: row.last_revision_at.toISOString(),
        dataset: 'maxExchanges',
        resolution_minutes: row.resolution_minutes,
        complete_days: row.complete_days,
        days_in_span: row.days_in_span,
        complete_share: row.complete_share,
        source_endpoint: row.source_endpoint,
        publication_schedule: row.publication_schedule,
      })),
    );
    expect(answer.body[0]).toMatchObject({
      first_day: LONG_DAY,
      last_day: REVISED_DAY,
      values: 25 + 23 + 24,
    });
  });

  it('gives every revision of a value, by MTU and by day', async () => {
    const mtu = '2024-01-09T23:00:00.000Z';
    const byMtu = await json(`/v1/datasets/maxExchanges/revisions?border=AT_BE&mtu=${mtu}`);
    const expected = await db.pool.query(
      `SELECT ${ISO('mtu')}, delivery_day::text AS delivery_day, border, from_zone, to_zone, value_mw, revision,
              ${ISO('first_seen_at')}, ${ISO('valid_from')},
              ${ISO('valid_to')}
         FROM jao.max_exchanges_history WHERE border = 'AT_BE' AND delivery_day = $1::date ORDER BY mtu, revision`,
      [REVISED_DAY],
    );
    expect(byMtu.body).toEqual(expected.rows.filter((row) => row.mtu === mtu));
    expect(byMtu.body.map((row: Row) => row.valid_to)).toEqual([REVISION.toISOString(), null]);
    const byDay = await json(`/v1/datasets/maxExchanges/revisions?border=AT_BE&day=${REVISED_DAY}`);
    expect(byDay.body).toEqual(expected.rows);
    expect(byDay.body).toHaveLength(24 + 6);
  });

  it('gives the quality record of each day', async () => {
    const answer = await json(`/v1/days?from=${LONG_DAY}&to=${REVISED_DAY}`);
    const expected = await db.pool.query(
      `SELECT day::text AS day, status, expected_mtus, revision_count, last_build_id, keys, drift
         FROM jao.day_quality WHERE day BETWEEN $1::date AND $2::date ORDER BY day`,
      [LONG_DAY, REVISED_DAY],
    );
    expect(
      answer.body.map((row: Row) => ({
        day: row.day,
        status: row.status,
        expected_mtus: row.expected_mtus,
        revision_count: row.revision_count,
        last_build_id: row.last_build_id,
        keys: row.keys,
        drift: row.drift,
      })),
    ).toEqual(expected.rows);
    expect(answer.body[2]).toMatchObject({
      day: REVISED_DAY,
      revision_count: 2,
      missing_mtus: [],
      reason: null,
    });
  });
});

describe('caching', () => {
  it('answers 304 to a current ETag and a new ETag after a write', async () => {
    const paths = [
      `/v1/datasets/maxExchanges/values?from=${SHORT_DAY}&to=${SHORT_DAY}`,
      '/v1/datasets/maxExchanges/series',
      `/v1/days?from=${SHORT_DAY}&to=${SHORT_DAY}`,
      `/v1/datasets/maxExchanges/revisions?border=AT_BE&day=${SHORT_DAY}`,
    ];
    const tags: string[] = [];
    for (const path of paths) {
      const first = await api.get(key, path);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const again = await api.get(key, path, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      tags.push(etag);
    }
    await write('2024-02-01', new Date('2024-02-01T12:00:00.000Z'));
    for (const [i, path] of paths.entries()) {
      const after = await api.get(key, path, { 'if-none-match': tags[i]! });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(tags[i]);
      await after.arrayBuffer();
    }
  });
});

describe('the response cache', () => {
  it('serves a repeated answer whole from its cache, and the new values right after a write', async () => {
    const day = '2024-03-05';
    await write(day, new Date('2024-03-05T09:00:00.000Z'));
    const get = async (format: string) => {
      const response = await api.get(
        key,
        `/v1/datasets/maxExchanges/values?from=${day}&to=${day}&format=${format}`,
      );
      expect(response.status).toBe(200);
      return {
        cache: response.headers.get('x-cache'),
        etag: response.headers.get('etag'),
        text: await response.text(),
      };
    };
    const first = await get('json');
    expect(first.cache).toBe('miss');
    expect(JSON.parse(first.text)).toEqual(await viewRows(day, day));
    const again = await get('json');
    expect(again).toEqual({ ...first, cache: 'hit' });
    // Another format is another answer.
    expect((await get('csv')).cache).toBe('miss');

    await write(day, new Date('2024-03-05T10:00:00.000Z'), (border, hour) => baseValue(border, hour) + 5);
    const afterWrite = await get('json');
    expect(afterWrite.cache).toBe('miss');
    expect(afterWrite.etag).not.toBe(first.etag);
    const rows = JSON.parse(afterWrite.text) as Row[];
    expect(rows).toEqual(await viewRows(day, day));
    expect(rows.every((row) => row.revision === 2)).toBe(true);
    expect(await get('json')).toEqual({ ...afterWrite, cache: 'hit' });
  });
});

describe('refusals', () => {
  const values = '/v1/datasets/maxExchanges/values';
  const tomorrow = marketTomorrow(new Date());
  const cases: [string, string, string][] = [
    [`${values}?from=2022-06-08&to=2022-06-09`, 'from', 'must not be before 2022-06-09'],
    [`${values}?from=2024-01-01&to=${addDays(tomorrow, 1)}`, 'to', 'must not be after tomorrow'],
    [`${values}?from=2024-01-02&to=2024-01-01`, 'from', 'must not be after to'],
    [`${values}?from=2022-06-09&to=2024-12-31`, 'to', 'more than the maximum of 800'],
    [`${values}?from=2024-01-01&to=2024-01-01&border=XX_YY`, 'border', 'unknown border XX_YY'],
    [`${values}?from=2024-01-01&to=2024-01-01&border=at_be`, 'border', 'expected a border such as AT_BE'],
    [
      `${values}?from=2024-01-01&to=2024-01-01&${Array.from({ length: 501 }, () => 'border=AT_BE').join('&')}`,
      'border',
      'at most 500 borders',
    ],
    [
      `${values}?from=2024-01-01&to=2024-01-01&border=AT_BE&border=at_be`,
      'border',
      'expected a border such as AT_BE',
    ],
    [`${values}?from=2024-01-01&to=2024-01-01&as_of=yesterday`, 'as_of', 'expected an ISO-8601 instant'],
    [
      `${values}?from=2024-01-01&to=2024-01-01&as_of=2024-02-30T00:00:00Z`,
      'as_of',
      '2024-02-30 is not a day of the calendar',
    ],
    [`${values}?from=2024-01-01&to=2024-01-01&format=xml`, 'format', 'expected json, ndjson or csv'],
    [`${values}?from=2024-01-01&to=2024-01-01&limit=5`, 'limit', 'unknown parameter'],
    [`${values}?to=2024-01-01`, 'from', ''],
    [`${values}?from=2024-02-30&to=2024-03-01`, 'from', '2024-02-30 is not a day of the calendar'],
    [`${values}?from=2024-2-3&to=2024-03-01`, 'from', 'expected a delivery day YYYY-MM-DD'],
    ['/v1/datasets/maxExchanges/revisions?border=AT_BE', 'mtu', 'give exactly one of mtu or day'],
    [`/v1/days?from=2024-01-02&to=2024-01-01`, 'from', 'must not be after to'],
  ];
  it.each(cases)('%s → 400 naming %s', async (path, parameter, rule) => {
    const answer = await json(path);
    expect(answer.status).toBe(400);
    expect(answer.body.parameter).toBe(parameter);
    expect(answer.body.message).toContain(`${parameter}: `);
    expect(answer.body.message).toContain(rule);
  });

  it('refuses hostile strings in every parameter with a 400 and keeps serving', async () => {
    const hostile = [
      "AT_BE' OR '1'='1",
      "2024-01-01'; DROP TABLE jao.observation; --",
      'AT\u0000BE',
      'x'.repeat(10_000),
      'ÄT_BÉ',
      '🙂',
      '\u202eAT_BE',
    ];
    for (const text of hostile) {
      const encoded = encodeURIComponent(text);
      for (const path of [
        `${values}?from=${encoded}&to=2024-01-01`,
        `${values}?from=2024-01-01&to=2024-01-01&border=${encoded}`,
        `${values}?from=2024-01-01&to=2024-01-01&as_of=${encoded}`,
        `${values}?from=2024-01-01&to=2024-01-01&format=${encoded}`,
        `/v1/datasets/maxExchanges/revisions?border=${encoded}&day=2024-01-01`,
        `/v1/datasets/maxExchanges/revisions?border=AT_BE&mtu=${encoded}`,
        `/v1/days?from=2024-01-01&to=${encoded}`,
      ]) {
        const answer = await api.get(key, path);
        expect({ path: path.slice(0, 120), status: answer.status }).toEqual({
          path: path.slice(0, 120),
          status: 400,
        });
        await answer.arrayBuffer();
      }
    }
    const count = await db.pool.query('SELECT count(*)::int AS n FROM jao.observation');
    expect(count.rows[0].n).toBeGreaterThan(0);
    expect((await json(`${values}?from=${SHORT_DAY}&to=${SHORT_DAY}`)).status).toBe(200);
  });

  it('answers 401 without a key, with a malformed, unknown or revoked key; 403 outside its scope', async () => {
    const path = '/v1/datasets/maxExchanges/series';
    const none = await api.get(null, path);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await api.get('not-a-key', path)).status).toBe(401);
    expect((await api.get(`jao_${'A'.repeat(43)}`, path)).status).toBe(401);
    expect((await api.request(path, { headers: { authorization: `Basic ${key}` } })).status).toBe(401);
    const revoked = await createTestKey(db.pool);
    expect((await api.get(revoked, path)).status).toBe(200);
    const id = (await db.pool.query('SELECT max(key_id) AS id FROM jao.api_key')).rows[0].id;
    await revokeApiKey(db.pool, id);
    // Refused once the API knows (told of the revocation, or its cached lookup expired): within KEY_CACHE_MS.
    const revokedAt = Date.now();
    await until('the revoked key refused', async () =>
      (await api.get(revoked, path)).status === 401 ? true : undefined,
    );
    expect(Date.now() - revokedAt).toBeLessThan(KEY_CACHE_MS + 1_000);
    const otherScope = await createTestKey(db.pool, ['otherDataset']);
    const forbidden = await api.get(otherScope, path);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { message: string }).message).toContain('maxExchanges');
    expect((await api.get(otherScope, '/v1/events')).status).toBe(403);
    expect((await api.get(null, '/livez')).status).toBe(200);
    const ready = await api.get(null, '/readyz');
    expect(await ready.json()).toEqual({ status: 'ok' });
  });

  it('never writes a key into its logs', async () => {
    await api.get(key, '/v1/datasets/maxExchanges/series');
    await api.get(`${key}x`, '/v1/datasets/maxExchanges/series');
    const logs = api.logs.join('');
    expect(logs).toContain('"statusCode":200');
    expect(logs).not.toContain(key.slice(4, 20));
  });

  it('answers 429 with Retry-After past the per-key rate limit, per key', async () => {
    const limited = await injectTestApi(db.url, { rateLimitPerMinute: 3 });
    try {
      const other = await createTestKey(db.pool);
      const path = '/v1/datasets/maxExchanges/series';
      for (let i = 0; i < 3; i++) expect((await limited.get(key, path)).status).toBe(200);
      const refused = await limited.get(key, path);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.get(other, path)).status).toBe(200);
      expect((await limited.get(null, '/livez')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('metrics', () => {
  it('serves Prometheus metrics without a key: its answers by route and status, and the process', async () => {
    expect((await api.get(null, '/livez')).status).toBe(200);
    const answer = await api.get(null, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    expect(text).toMatch(/^jao_api_requests_total\{route="\/livez",method="GET",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^jao_api_request_duration_seconds_count\{route="\/livez"\} [1-9]\d*$/m);
    expect(text).toMatch(/^jao_api_process_resident_memory_bytes \d+/m);
    // Routes, not URLs: no label names a day or a key.
    expect(text).not.toMatch(/route="[^"]*\d{4}-\d{2}-\d{2}/);
  });
});

describe('documentation', () => {
  it('describes every path with its security scheme in OpenAPI 3, with interactive docs', async () => {
    const spec = (await (await api.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, { get: { security: unknown; parameters: { name: string }[] } }>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths).sort()).toEqual([
      '/livez',
      '/metrics',
      '/readyz',
      '/v1/backfills',
      '/v1/datasets',
      '/v1/datasets/{dataset}/constraints',
      '/v1/datasets/{dataset}/difference',
      '/v1/datasets/{dataset}/revisions',
      '/v1/datasets/{dataset}/series',
      '/v1/datasets/{dataset}/values',
      '/v1/days',
      '/v1/days/jao-word',
      '/v1/days/running',
      '/v1/days/{day}/runs',
      '/v1/events',
      '/v1/freshness',
      '/v1/key',
      '/v1/runs/backfill',
      '/v1/runs/days',
    ]);
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.paths['/v1/datasets/{dataset}/values']!.get.security).toEqual([{ bearerAuth: [] }]);
    const parameters = spec.paths['/v1/datasets/{dataset}/values']!.get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(parameters.sort()).toEqual([
      'as_of',
      'border',
      'dataset',
      'format',
      'from',
      'from_mtu',
      'shape',
      'to',
      'to_mtu',
    ]);
    const difference = spec.paths['/v1/datasets/{dataset}/difference']!.get;
    expect(difference.security).toEqual([{ bearerAuth: [] }]);
    expect(difference.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'base_as_of',
      'border',
      'compare_as_of',
      'dataset',
      'format',
      'from',
      'to',
    ]);
    const constraints = spec.paths['/v1/datasets/{dataset}/constraints']!.get;
    expect(constraints.security).toEqual([{ bearerAuth: [] }]);
    expect(constraints.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'as_of',
      'constraint_id',
      'dataset',
      'format',
      'from',
      'from_mtu',
      'to',
      'to_mtu',
    ]);
    for (const [path, names] of [
      ['/v1/days', ['dataset', 'from', 'to']],
      ['/v1/days/jao-word', ['dataset', 'from', 'to']],
      ['/v1/freshness', ['dataset']],
      ['/v1/backfills', ['dataset']],
    ] as const) {
      expect(spec.paths[path]!.get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(names);
    }
    // The run routes take the dataset as the other routes do (the POSTs' other input is their JSON body).
    const runRoutes = spec.paths as unknown as Record<
      string,
      Record<string, { parameters: { name: string }[] }>
    >;
    for (const [path, method, names] of [
      ['/v1/runs/days', 'post', ['dataset']],
      ['/v1/runs/backfill', 'post', ['dataset']],
      ['/v1/days/{day}/runs', 'get', ['dataset', 'day']],
    ] as const) {
      expect(runRoutes[path]![method]!.parameters.map((p) => p.name).sort(), path).toEqual(names);
    }
    const docs = await api.request('/docs/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });
});

describe('the status page', () => {
  it('serves the page and its assets from this origin only, under a strict CSP, without a key', async () => {
    const page = await api.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual([
      'data:,',
      expect.stringMatching(/^\/page\/app\.css\?v=/),
      expect.stringMatching(/^\/page\/app\.js\?v=/),
    ]);
    const config = JSON.parse(
      /<script type="application\/json" id="jao-page-config">(.*?)<\/script>/.exec(html)![1]!,
    );
    expect(config).toMatchObject({
      dataset: 'maxExchanges',
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'default',
      maxRangeDays: 800,
    });
    for (const asset of assets.slice(1)) {
      const first = await api.request(asset);
      expect(first.status).toBe(200);
      const body = await first.text();
      expect(body.length).toBeGreaterThan(1000);
      // Nothing is loaded from elsewhere: no URL to another origin in a script or stylesheet import.
      expect(body).not.toMatch(/(?:import|url)\(\s*["']?https?:/);
      const again = await api.request(asset, {
        headers: { 'if-none-match': first.headers.get('etag')! },
      });
      expect(again.status).toBe(304);
    }
  });

  it('says which days run only with a key, and answers 503 (not an empty list) without Temporal', async () => {
    expect((await api.request('/v1/days/running')).status).toBe(401);
    const answer = await api.get(key, '/v1/days/running');
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({
      statusCode: 503,
      message: expect.stringMatching(/no Temporal/),
    });
  });
});

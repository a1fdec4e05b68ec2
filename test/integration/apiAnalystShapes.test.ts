// The values and constraints routes answering as analysts ask: an MTU window (from_mtu, to_mtu) inside the days,
// shape=wide (a row per MTU, a column per key), PTDFs as ptdf_<hub> columns in the constraints' CSV, the days of the
// range not stored named by Jao-Days-Missing (and days_missing in the wide JSON envelope), and the range's limit
// stated in its 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { dayWindow } from '../../domain/calendar';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { constraintDayRows, PRESOLVED_PAGE, writeConstraintDay } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, hourlyMtus, validatedDay } from './storageFixtures';

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
const FIRST = '2024-01-10';
const GAP = '2024-01-11';
const LAST = '2024-01-12';
/** DE_FR has no value at this hour of LAST. */
const HOLE_HOUR = 3;
const DOMAIN = 'coreFinalComputation';
const DOMAIN_DAY = '2025-01-01';

let db: TestDatabase;
let api: InjectedTestApi;
const keys = { core: '', domain: '' };

type Row = Record<string, unknown>;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const day of [FIRST, LAST]) {
    const validated = validatedDay(day, BORDERS, (border, hour) =>
      day === LAST && border === 'DE_FR' && hour === HOLE_HOUR ? undefined : baseValue(border, hour),
    );
    await writeDay(db.pool, {
      dataset: 'maxExchanges',
      day,
      status: day === LAST ? 'partial' : 'complete',
      validated,
      expectedMtus: validated.expectedMtus,
      rawResponseId: null,
      workflowId: 'wf',
      buildId: 'build-1',
      observedAt: new Date(`${day}T06:00:00.000Z`),
    });
  }
  await writeConstraintDay(
    db.pool,
    DOMAIN,
    DOMAIN_DAY,
    constraintDayRows(DOMAIN_DAY),
    '2024-12-31T08:00:00Z',
  );
  keys.core = await createTestKey(db.pool, ['maxExchanges']);
  keys.domain = await createTestKey(db.pool, [DOMAIN]);
  api = await injectTestApi(db.url);
});

afterAll(async () => {
  await api?.close();
  await db?.release();
});

const VALUES = '/v1/datasets/maxExchanges/values';
const CONSTRAINTS = `/v1/datasets/${DOMAIN}/constraints`;

async function get(path: string, key = keys.core) {
  const response = await api.get(key, path);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function json(path: string, key = keys.core): Promise<{ status: number; body: Row[] & Row }> {
  const answer = await get(path, key);
  return { status: answer.status, body: JSON.parse(answer.text) as Row[] & Row };
}

const hour = (day: string, h: number) => hourlyMtus(day)[h]!;

describe('an MTU window: from_mtu and to_mtu, half-open, inside the days', () => {
  it('answers only the MTUs of the window, in every format', async () => {
    const from = hour(FIRST, 5);
    const to = hour(FIRST, 8);
    const window = `&from_mtu=${from}&to_mtu=${to}`;
    const answer = await json(`${VALUES}?from=${FIRST}&to=${LAST}${window}`);
    expect(answer.status).toBe(200);
    expect([...new Set(answer.body.map((row) => row.mtu))]).toEqual([
      hour(FIRST, 5),
      hour(FIRST, 6),
      hour(FIRST, 7),
    ]);
    expect(answer.body).toHaveLength(3 * BORDERS.length);
    const csv = await get(`${VALUES}?from=${FIRST}&to=${LAST}${window}&format=csv`);
    expect(csv.text.trimEnd().split('\n')).toHaveLength(1 + 3 * BORDERS.length);
    const ndjson = await get(`${VALUES}?from=${FIRST}&to=${LAST}${window}&format=ndjson`);
    expect(
      ndjson.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(answer.body);
    // Either bound alone: the other is that of the days.
    const tail = await json(`${VALUES}?from=${FIRST}&to=${FIRST}&from_mtu=${hour(FIRST, 22)}`);
    expect(tail.body.map((row) => row.mtu)).toEqual([22, 22, 22, 23, 23, 23].map((h) => hour(FIRST, h)));
  });

  it("answers one hour of the flow-based domain: that hour's rows only, not the day's", async () => {
    const from = hour(DOMAIN_DAY, 10);
    const to = hour(DOMAIN_DAY, 11);
    const answer = await json(
      `${CONSTRAINTS}?from=${DOMAIN_DAY}&to=${DOMAIN_DAY}&from_mtu=${from}&to_mtu=${to}`,
      keys.domain,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(PRESOLVED_PAGE.data.length);
    expect(answer.body.every((row) => row.mtu === from)).toBe(true);
    const csv = await get(
      `${CONSTRAINTS}?from=${DOMAIN_DAY}&to=${DOMAIN_DAY}&from_mtu=${from}&to_mtu=${to}&format=csv`,
      keys.domain,
    );
    expect(csv.text.trimEnd().split('\n')).toHaveLength(1 + PRESOLVED_PAGE.data.length);
  });

  it('refuses a window that is reversed, empty, not an instant or outside the days, in one line', async () => {
    const cases: [string, string, string][] = [
      [
        `from_mtu=${hour(FIRST, 5)}&to_mtu=${hour(FIRST, 5)}`,
        'from_mtu',
        `must be before to_mtu (${hour(FIRST, 5)})`,
      ],
      [`from_mtu=${hour(FIRST, 6)}&to_mtu=${hour(FIRST, 5)}`, 'from_mtu', 'must be before to_mtu'],
      ['from_mtu=yesterday', 'from_mtu', 'expected an ISO-8601 instant with offset'],
      [
        `from_mtu=${hour(LAST, 1)}`,
        'from_mtu',
        `must be inside the delivery days from..to, [${dayWindow(FIRST).from}, ${dayWindow(FIRST).to})`,
      ],
      [`to_mtu=${dayWindow(FIRST).from}`, 'to_mtu', 'must be inside the delivery days from..to'],
    ];
    for (const [window, parameter, message] of cases) {
      const answer = await json(`${VALUES}?from=${FIRST}&to=${FIRST}&${window}`);
      expect(answer.status, window).toBe(400);
      expect(answer.body.parameter, window).toBe(parameter);
      expect(String(answer.body.message), window).toContain(message);
      expect(String(answer.body.message)).not.toContain('\n');
      const domain = await json(`${CONSTRAINTS}?from=${FIRST}&to=${FIRST}&${window}`, keys.domain);
      expect(domain.status, window).toBe(400);
      expect(domain.body.parameter, window).toBe(parameter);
    }
  });
});

describe('shape=wide: a row per MTU, a column per key', () => {
  it('answers CSV with mtu, delivery_day and a column per key, empty where a key has no value', async () => {
    const answer = await get(`${VALUES}?from=${FIRST}&to=${LAST}&shape=wide&format=csv`);
    expect(answer.status).toBe(200);
    const [header, ...lines] = answer.text.trimEnd().split('\n');
    expect(header).toBe(`mtu,delivery_day,${[...BORDERS].sort().join(',')}`);
    const mtus = [...hourlyMtus(FIRST), ...hourlyMtus(LAST)];
    expect(lines.map((line) => line.split(',')[0])).toEqual(mtus);
    expect(lines[0]).toBe(`${hour(FIRST, 0)},${FIRST},${BORDERS.map((b) => baseValue(b, 0)).join(',')}`);
    const hole = lines[24 + HOLE_HOUR]!.split(',');
    expect(hole).toEqual([
      hour(LAST, HOLE_HOUR),
      LAST,
      String(baseValue('AT_BE', HOLE_HOUR)),
      String(baseValue('BE_AT', HOLE_HOUR)),
      '',
    ]);
  });

  it('answers JSON as an envelope of keys, days_missing and rows, null where a key has no value', async () => {
    const answer = await json(`${VALUES}?from=${FIRST}&to=${LAST}&shape=wide&border=DE_FR&border=AT_BE`);
    expect(answer.status).toBe(200);
    expect(answer.body.keys).toEqual(['AT_BE', 'DE_FR']);
    expect(answer.body.days_missing).toEqual([GAP]);
    const rows = answer.body.rows as Row[];
    expect(rows).toHaveLength(48);
    expect(rows[24 + HOLE_HOUR]).toEqual({
      mtu: hour(LAST, HOLE_HOUR),
      delivery_day: LAST,
      AT_BE: baseValue('AT_BE', HOLE_HOUR),
      DE_FR: null,
    });
    const ndjson = await get(
      `${VALUES}?from=${FIRST}&to=${LAST}&shape=wide&border=DE_FR&border=AT_BE&format=ndjson`,
    );
    expect(
      ndjson.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(rows);
    // With a window too: only its MTUs.
    const window = await json(
      `${VALUES}?from=${FIRST}&to=${LAST}&shape=wide&from_mtu=${hour(LAST, 2)}&to_mtu=${hour(LAST, 4)}`,
    );
    expect((window.body.rows as Row[]).map((row) => row.mtu)).toEqual([hour(LAST, 2), hour(LAST, 3)]);
    expect(window.body.days_missing).toEqual([]);
  });

  it('refuses a shape it does not know', async () => {
    const answer = await json(`${VALUES}?from=${FIRST}&to=${LAST}&shape=tall`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ parameter: 'shape', message: 'shape: expected long or wide' });
  });
});

describe('Jao-Days-Missing: the days of the range not stored', () => {
  it('names the days not stored, comma-separated, and is absent when none is', async () => {
    const answer = await get(`${VALUES}?from=${FIRST}&to=2024-01-14&format=csv`);
    expect(answer.status).toBe(200);
    // LAST is stored in part (an MTU of DE_FR missing): stored, not missing.
    expect(answer.headers.get('jao-days-missing')).toBe(`${GAP},2024-01-13,2024-01-14`);
    const cached = await get(`${VALUES}?from=${FIRST}&to=2024-01-14&format=csv`);
    expect(cached.headers.get('x-cache')).toBe('hit');
    expect(cached.headers.get('jao-days-missing')).toBe(`${GAP},2024-01-13,2024-01-14`);
    const none = await get(`${VALUES}?from=${FIRST}&to=${FIRST}`);
    expect(none.headers.get('jao-days-missing')).toBeNull();
    // As of an instant: the days the values as then known held no row of.
    const asOf = await get(`${VALUES}?from=${FIRST}&to=${LAST}&as_of=${LAST}T00:00:00Z`);
    expect(asOf.headers.get('jao-days-missing')).toBe(`${GAP},${LAST}`);
    const domain = await get(`${CONSTRAINTS}?from=2024-12-31&to=${DOMAIN_DAY}&format=csv`, keys.domain);
    expect(domain.headers.get('jao-days-missing')).toBe('2024-12-31');
  });
});

describe('the range limit', () => {
  it('is stated in the 400 and in the OpenAPI document', async () => {
    const answer = await json(`${VALUES}?from=2023-01-01&to=2024-01-05`);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'to: the range from..to spans 370 days, more than the maximum of 366: split it into ranges of at most 366 days',
    );
    const document = (await (await api.request('/openapi.json')).json()) as {
      paths: Record<string, { get: { description: string } }>;
    };
    for (const path of ['/v1/datasets/{dataset}/values', '/v1/datasets/{dataset}/constraints'])
      expect(document.paths[path]!.get.description).toContain('from..to spans at most 366 days');
  });
});

// GET /v1/datasets/maxExchanges/difference against jao.max_exchanges_as_of: two versions of a revised day (one MTU
// lost in the second, six values changed), per border and MTU, in json and csv, and its refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { createTestKey, type InjectedTestApi, injectTestApi } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, validatedDay } from './storageFixtures';

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
const DAY = '2024-01-10';
const FIRST_WRITE = new Date('2024-01-09T12:00:00.000Z');
const REVISION = new Date('2024-01-10T06:00:00.000Z');
const PATH = '/v1/datasets/maxExchanges/difference';

let db: TestDatabase;
let api: InjectedTestApi;
let key: string;

async function write(at: Date, value: (border: string, hour: number) => number | undefined) {
  const validated = validatedDay(DAY, BORDERS, value);
  await writeDay(db.pool, {
    dataset: 'maxExchanges',
    day: DAY,
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
  await write(FIRST_WRITE, baseValue);
  // The revision: AT_BE +7 MW in the first six hours, DE_FR's last hour gone.
  await write(REVISION, (border, hour) => {
    if (border === 'DE_FR' && hour === 23) return undefined;
    return baseValue(border, hour) + (border === 'AT_BE' && hour < 6 ? 7 : 0);
  });
  key = await createTestKey(db.pool);
  api = await injectTestApi(db.url);
});

afterAll(async () => {
  await api?.close();
  await db?.release();
});

interface Difference {
  mtu: string;
  border: string;
  base_mw: number | null;
  compare_mw: number | null;
  difference_mw: number | null;
}

const get = (query: string) => api.get(key, `${PATH}?${query}`);

async function asOf(at: Date | null, border: string) {
  const source = at ? 'jao.max_exchanges_as_of($2)' : 'jao.max_exchanges';
  const { rows } = await db.pool.query<{ mtu: Date; value_mw: number }>(
    `SELECT mtu, value_mw FROM ${source} WHERE border = $1 AND delivery_day = '${DAY}' ORDER BY mtu`,
    at ? [border, at] : [border],
  );
  return new Map(rows.map((row) => [row.mtu.toISOString(), row.value_mw]));
}

describe('the difference between two versions', () => {
  it('gives, per border and MTU, both versions and their difference, as jao.max_exchanges_as_of has them', async () => {
    const before = new Date(REVISION.getTime() - 1);
    const query = `from=${DAY}&to=${DAY}&border=DE_FR&border=AT_BE&base_as_of=${before.toISOString()}`;
    const response = await get(query);
    expect(response.status).toBe(200);
    const rows = (await response.json()) as Difference[];
    expect(rows).toHaveLength(2 * 24);
    for (const border of ['AT_BE', 'DE_FR']) {
      const [base, current] = [await asOf(before, border), await asOf(null, border)];
      const mine = rows.filter((row) => row.border === border);
      expect(mine.map((row) => row.mtu)).toEqual([...base.keys()]);
      for (const row of mine) {
        const compare = current.get(row.mtu) ?? null;
        expect(row).toMatchObject({ base_mw: base.get(row.mtu), compare_mw: compare });
        expect(row.difference_mw).toBe(compare === null ? null : compare - base.get(row.mtu)!);
      }
    }
    expect(rows.filter((row) => row.difference_mw !== 0)).toEqual([
      ...rows.filter((row) => row.border === 'AT_BE').slice(0, 6),
      expect.objectContaining({ border: 'DE_FR', compare_mw: null, difference_mw: null }),
    ]);
    expect(rows.filter((row) => row.border === 'AT_BE')[0]!.difference_mw).toBe(7);

    // compare_as_of: the same answer as the current values when it is after the revision.
    const named = await get(`${query}&compare_as_of=${REVISION.toISOString()}`);
    expect(await named.json()).toEqual(rows);
    // The CSV holds the same rows, an absent value as an empty field.
    const csv = await get(`${query}&format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('mtu,delivery_day,border,base_mw,compare_mw,difference_mw');
    expect(lines.slice(1)).toEqual(
      rows.map((row) =>
        [row.mtu, DAY, row.border, row.base_mw ?? '', row.compare_mw ?? '', row.difference_mw ?? ''].join(
          ',',
        ),
      ),
    );
  });

  it('refuses what it cannot answer with one clear line', async () => {
    const base = `from=${DAY}&to=${DAY}&base_as_of=${REVISION.toISOString()}`;
    const refusals: [string, string][] = [
      [base, 'border: required'],
      [`${base}&border=XX_YY`, 'border: unknown border XX_YY'],
      [
        `${base}&${Array.from({ length: 9 }, (_, i) => `border=A${i}_B`).join('&')}`,
        'border: at most 8 borders',
      ],
      [`from=${DAY}&to=${DAY}&border=AT_BE`, 'base_as_of: required'],
      [
        `${base}&border=AT_BE&compare_as_of=${FIRST_WRITE.toISOString()}`,
        'compare_as_of: must not be before base_as_of',
      ],
    ];
    for (const [query, message] of refusals) {
      const response = await get(query);
      expect({
        query,
        status: response.status,
        message: ((await response.json()) as { message: string }).message,
      }).toEqual({
        query,
        status: 400,
        message,
      });
    }
  });
});

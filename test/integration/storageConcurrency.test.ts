import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDayRecords } from '../../db/dayStatus';
import { type DayWrite, writeDay } from '../../db/writeDay';
import type { DeliveryDay, KeyedValuesDay } from '../../domain/types';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, validatedDay } from './storageFixtures';

let db: TestDatabase;
let poolA: pg.Pool;
let poolB: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  poolA = testPool({ connectionString: db.url, max: 4 });
  poolB = testPool({ connectionString: db.url, max: 4 });
});

afterAll(async () => {
  await poolA?.end();
  await poolB?.end();
  await db?.release();
});

const BORDERS = ['AT_BE', 'BE_AT', 'FR_DE', 'DE_FR'];

function write(
  pool: pg.Pool,
  day: DeliveryDay,
  validated: KeyedValuesDay,
  workflowId: string,
  observedAt?: Date,
) {
  const request: DayWrite = {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId,
  };
  if (observedAt) request.observedAt = observedAt;
  return writeDay(pool, request);
}

interface CellHistory {
  border: string;
  hour: number;
  versions: { revision: number; value: number; valid_from: Date; valid_to: Date | null }[];
}

async function versionsOf(day: DeliveryDay): Promise<CellHistory[]> {
  const result = await db.pool.query<{
    border: string;
    hour: number;
    revision: number;
    value: number;
    valid_from: Date;
    valid_to: Date | null;
  }>(
    `SELECT border, (extract(epoch FROM mtu - ($1::date::timestamp AT TIME ZONE 'Europe/Amsterdam')) / 3600)::int AS hour,
            revision, value_mw AS value, valid_from, valid_to
       FROM jao.max_exchanges_history WHERE delivery_day = $1::date
      ORDER BY border, mtu, revision`,
    [day],
  );
  const cells = new Map<string, CellHistory>();
  for (const row of result.rows) {
    const id = `${row.border}/${row.hour}`;
    let cell = cells.get(id);
    if (!cell) {
      cell = { border: row.border, hour: row.hour, versions: [] };
      cells.set(id, cell);
    }
    cell.versions.push({
      revision: row.revision,
      value: row.value,
      valid_from: row.valid_from,
      valid_to: row.valid_to,
    });
  }
  return [...cells.values()];
}

describe('writeDay: two connections writing the same day at once', () => {
  it.each([1, 2, 3, 4, 5])(
    'round %i ends as one serial order, with nothing lost or duplicated',
    async (round) => {
      const day = `2026-03-0${round}`;
      const v0 = (border: string, hour: number) => baseValue(border, hour);
      const va = (border: string, hour: number) => baseValue(border, hour) + 1;
      const vb = (border: string, hour: number) => baseValue(border, hour) + 2;
      await write(db.pool, day, validatedDay(day, BORDERS, v0), 'initial', new Date('2026-03-10T00:00:00Z'));

      const [resultA, resultB] = await Promise.all([
        write(poolA, day, validatedDay(day, BORDERS, va), 'writer-a'),
        write(poolB, day, validatedDay(day, BORDERS, vb), 'writer-b'),
      ]);
      // One of them ran second: it saw the other's content and recorded revision 3.
      expect([resultA.revision, resultB.revision].sort()).toEqual([2, 3]);
      expect(resultA.changedPoints).toBe(96);
      expect(resultB.changedPoints).toBe(96);
      const [firstFn, lastFn, lastWorkflow] =
        resultA.revision === 3 ? [vb, va, 'writer-a'] : [va, vb, 'writer-b'];

      const cells = await versionsOf(day);
      expect(cells).toHaveLength(BORDERS.length * 24);
      for (const cell of cells) {
        const [r1, r2, r3] = cell.versions;
        expect(cell.versions.map((v) => [v.revision, v.value])).toEqual([
          [1, v0(cell.border, cell.hour)],
          [2, firstFn(cell.border, cell.hour)],
          [3, lastFn(cell.border, cell.hour)],
        ]);
        // Contiguous transaction-time intervals: each version ends when the next one begins.
        expect(r1!.valid_to).toEqual(r2!.valid_from);
        expect(r2!.valid_to).toEqual(r3!.valid_from);
        expect(r2!.valid_from.getTime()).toBeLessThan(r3!.valid_from.getTime());
        expect(r3!.valid_to).toBeNull();
      }
      const [record] = await readDayRecords(db.pool, 'maxExchanges', day, day);
      expect(record).toMatchObject({
        revisionCount: 3,
        attempts: 3,
        points: 96,
        lastWorkflowId: lastWorkflow,
      });
    },
  );

  it('writes different days with the same new series concurrently without duplicates or deadlocks', async () => {
    const borders = ['PL_SK', 'SK_PL', 'HU_SI', 'SI_HU', 'RO_HU'];
    const days = ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'];
    const pools = [poolA, poolB, db.pool];
    const results = await Promise.all(
      days.map((day, index) =>
        write(pools[index % pools.length]!, day, validatedDay(day, borders, baseValue), day),
      ),
    );
    expect(results.reduce((sum, result) => sum + result.newSeries, 0)).toBe(borders.length);
    const series = await db.pool.query<{ n: number; distinct_keys: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT key)::int AS distinct_keys FROM jao.series
        WHERE border = ANY ($1::text[])`,
      [borders],
    );
    expect(series.rows[0]).toEqual({ n: borders.length, distinct_keys: borders.length });
    const perDay = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.max_exchanges WHERE border = ANY ($1::text[]) GROUP BY delivery_day`,
      [borders],
    );
    expect(perDay.rows).toEqual(days.map(() => ({ n: borders.length * 24 })));
  });
});

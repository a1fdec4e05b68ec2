// What the project's pools read a value as (db/pool.ts POOL_TYPES): the storage layer and the API rely on a bigint
// arriving as a number, a date as its delivery-day text, and every other type as node-postgres reads it.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../../db/pool';

const pool = createPool(inject('adminDatabaseUrl'), { max: 1 });
afterAll(() => pool.end());

describe('the pool reads values as the storage layer expects', () => {
  it('reads int8 as a number, a date as its text, and the rest as node-postgres does', async () => {
    const { rows } = await pool.query(
      `SELECT 9007199254740991::int8 AS big, count(*) AS counted, DATE '2025-03-30' AS day,
              TIMESTAMPTZ '2025-03-30T01:00:00Z' AS at, 2::int4 AS small, 1.5::float8 AS ratio, 'x'::text AS word
         FROM generate_series(1, 3)`,
    );
    expect(rows).toEqual([
      {
        big: Number.MAX_SAFE_INTEGER,
        counted: 3,
        day: '2025-03-30',
        at: new Date('2025-03-30T01:00:00Z'),
        small: 2,
        ratio: 1.5,
        word: 'x',
      },
    ]);
  });
});

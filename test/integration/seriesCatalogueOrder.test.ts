// The series catalogue's first_seen_at and last_seen_at do not depend on the order in which writes of different days
// commit: a restore applies days in parallel (archive/restore.ts) and must rebuild the catalogue the original holds.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import type { DeliveryDay } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { validatedDay } from './storageFixtures';

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];

/** Writes of three days (the third day adds a border), each at its own transaction time. */
const WRITES: { day: DeliveryDay; at: string; borders: string[]; shift: number }[] = [
  { day: '2024-02-01', at: '2026-01-01T10:05:00.000Z', borders: BORDERS, shift: 0 },
  { day: '2024-02-02', at: '2026-01-01T10:40:00.000Z', borders: BORDERS, shift: 0 },
  { day: '2024-02-01', at: '2026-01-01T11:20:00.000Z', borders: BORDERS, shift: 1 },
  { day: '2024-02-03', at: '2026-01-01T11:50:00.000Z', borders: [...BORDERS, 'NL_DE'], shift: 0 },
  { day: '2024-02-02', at: '2026-01-01T13:10:00.000Z', borders: BORDERS, shift: 2 },
  { day: '2024-02-03', at: '2026-01-01T13:30:00.000Z', borders: ['AT_BE'], shift: 3 },
];

let inOrder: TestDatabase;
let reordered: TestDatabase;

beforeAll(async () => {
  [inOrder, reordered] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});

afterAll(async () => {
  await Promise.all([inOrder?.release(), reordered?.release()]);
});

async function apply(pool: pg.Pool, writes: typeof WRITES): Promise<void> {
  for (const write of writes) {
    const validated = validatedDay(write.day, write.borders, (_, hour) => 1000 + hour + write.shift);
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day: write.day,
      status: 'complete',
      validated,
      expectedMtus: validated.expectedMtus,
      rawResponseId: null,
      workflowId: `maxExchanges/day/${write.day}`,
      observedAt: new Date(write.at),
    });
  }
}

async function catalogue(pool: pg.Pool) {
  const result = await pool.query<{ key: string; first_seen_at: Date; last_seen_at: Date }>(
    'SELECT key, first_seen_at, last_seen_at FROM jao.series ORDER BY key',
  );
  return result.rows.map((row) => ({
    key: row.key,
    firstSeen: row.first_seen_at.toISOString(),
    lastSeen: row.last_seen_at.toISOString(),
  }));
}

describe('the series catalogue', () => {
  it('holds the same first and last seen times whatever order the days are written in', async () => {
    await apply(inOrder.pool, WRITES);
    // Each day's writes keep their order; the days are interleaved differently (the latest day first).
    const byDay = (day: DeliveryDay) => WRITES.filter((write) => write.day === day);
    await apply(reordered.pool, [...byDay('2024-02-03'), ...byDay('2024-02-02'), ...byDay('2024-02-01')]);

    const expected = await catalogue(inOrder.pool);
    expect(await catalogue(reordered.pool)).toEqual(expected);
    // first seen: the first write that stored the key; last seen: the first write of the latest hour that changed it.
    expect(expected).toEqual([
      { key: 'border_AT_BE', firstSeen: '2026-01-01T10:05:00.000Z', lastSeen: '2026-01-01T13:10:00.000Z' },
      { key: 'border_BE_AT', firstSeen: '2026-01-01T10:05:00.000Z', lastSeen: '2026-01-01T13:10:00.000Z' },
      { key: 'border_DE_FR', firstSeen: '2026-01-01T10:05:00.000Z', lastSeen: '2026-01-01T13:10:00.000Z' },
      { key: 'border_NL_DE', firstSeen: '2026-01-01T11:50:00.000Z', lastSeen: '2026-01-01T11:50:00.000Z' },
    ]);
  });
});

// The flow-based domain revised inside compressed chunks (TimescaleDB; skipped on plain PostgreSQL): one write
// changes a version, adds one at an MTU its constraint had none, and leaves one out (vanished), all in chunks the
// compression policy compressed. Each DML decompresses the day's batches once: two DMLs on the same compressed
// batches in one statement decompressed them twice, and the revision failed on a duplicate key.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConstraintRow, constraintDayRows, writeConstraintDay } from '../helpers/constraintDays';
import { createPausedJobsDatabase, type PausedJobsDatabase } from '../helpers/database';

const DATASET = 'coreFinalComputation';
const DAY = '2025-01-01';
/** The fixture row (its id in the hour's page) whose constraint the test follows; the helper adds hour × 100. */
const ROW_ID = 61;
const CHANGED = 5;
const VANISHING = 3;
/** Left out of the first write, published in the second: a version new at an MTU of a stored constraint. */
const ADDED = 7;

// The policies are paused: the chunks are compressed here, after the first write.
let db: PausedJobsDatabase;

const is = (row: ConstraintRow, hour: number, slotHour: number) =>
  hour === slotHour && row.id === slotHour * 100 + ROW_ID;

beforeAll(async () => {
  db = await createPausedJobsDatabase();
});
afterAll(async () => {
  await db?.release();
});

it('revises a day whose versions are compressed: changed, added and vanished versions', async (ctx) => {
  ctx.skip(!db.timescale, `needs TimescaleDB: DATABASE_URL points at a server without it (${db.engineLine})`);
  const first = await writeConstraintDay(
    db.pool,
    DATASET,
    DAY,
    constraintDayRows(DAY, (row, hour) => (is(row, hour, ADDED) ? null : row)),
    '2024-12-31T08:00:00Z',
  );
  expect(first.revision).toBe(1);
  const compressed = await db.pool.query<{ n: number }>(
    `SELECT count(compress_chunk(c))::int AS n FROM show_chunks('jao.constraint_value') AS c`,
  );
  expect(compressed.rows[0]!.n).toBeGreaterThan(0);

  const revised = constraintDayRows(DAY, (row, hour) => {
    if (is(row, hour, VANISHING)) return null;
    return is(row, hour, CHANGED) ? { ...row, ram: 1234 } : row;
  });
  const second = await writeConstraintDay(db.pool, DATASET, DAY, revised, '2024-12-31T10:00:00Z');
  expect(second).toMatchObject({ revision: 2, changedPoints: 1, newPoints: 1, vanishedPoints: 1 });

  const stored = await db.pool.query<{ hour: number; ram: number; revision: number }>(
    `SELECT extract(hour FROM mtu AT TIME ZONE 'UTC')::int AS hour, ram, revision
       FROM jao.constraint_value v
      WHERE v.dataset = $1 AND v.delivery_day = $2 AND constraint_id = (
        SELECT constraint_id FROM jao.constraint_value WHERE dataset = $1 AND ram = 1234)
      ORDER BY mtu`,
    [DATASET, DAY],
  );
  const byHour = new Map(stored.rows.map((row) => [row.hour, row]));
  expect(stored.rows).toHaveLength(23);
  expect(byHour.get(CHANGED - 1)).toMatchObject({ ram: 1234, revision: 2 });
  expect(byHour.has(VANISHING - 1)).toBe(false);
  expect(byHour.get(ADDED - 1)?.revision).toBe(1);
  const history = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM jao.constraint_value_history WHERE dataset = $1 AND delivery_day = $2`,
    [DATASET, DAY],
  );
  expect(history.rows[0]!.n).toBe(2);
});

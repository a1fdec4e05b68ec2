// Migration 028 (db/migrationSteps/dayWriteIndex.ts): the journal of writes indexed by day and time, so that a
// restore's question "does this day hold a later write?" reads one range, not the whole journal; a build an
// interruption left invalid is dropped and made again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.release();
});

const indexState = async () =>
  (
    await db.pool.query<{ definition: string; valid: boolean }>(
      `SELECT pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AS valid
         FROM pg_index i WHERE i.indexrelid = to_regclass('jao.day_write_day_idx')`,
    )
  ).rows;

describe('migration 028: jao.day_write by day and time', () => {
  it('indexes (dataset, day, written_at), and the question a restore asks reads it', async () => {
    expect(await indexState()).toEqual([
      {
        definition: 'CREATE INDEX day_write_day_idx ON jao.day_write USING btree (dataset, day, written_at)',
        valid: true,
      },
    ]);
    const client = await db.pool.connect();
    try {
      // A journal of many days, as a restore of years meets it: the planner reads the day's range.
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO jao.day_write (dataset, day, kind, written_at, status, expected_mtus, derivation_kind, derivation_reason)
         SELECT 'maxExchanges', DATE '2022-06-09' + n, 'fetch', TIMESTAMPTZ '2026-01-01' + n * INTERVAL '1 minute', 'complete',
                24, 'fetch', 'a test'
           FROM generate_series(0, 4999) AS n`,
      );
      await client.query('ANALYZE jao.day_write');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT EXISTS (SELECT 1 FROM jao.day_write x
                                 WHERE x.dataset = 'maxExchanges' AND x.day = DATE '2024-01-01'
                                   AND x.written_at > TIMESTAMPTZ '2026-01-02')`,
      );
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('day_write_day_idx');
      expect(text).not.toContain('Seq Scan');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('drops a build left invalid and makes it again', async () => {
    // As a build stopped half-way leaves it: invalid (the test's superuser marks it so).
    await db.pool.query(
      `UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass('jao.day_write_day_idx')`,
    );
    await db.pool.query(`DELETE FROM jao.schema_migrations WHERE name = '028_day_write_day_index'`);
    const lines: string[] = [];
    const report = await migrate(db.pool, undefined, { onProgress: (line) => lines.push(line) });
    expect(report.applied).toEqual(['028_day_write_day_index']);
    expect(lines).toContainEqual(expect.stringMatching(/^028 drops jao\.day_write_day_idx, left invalid/));
    expect(await indexState()).toEqual([expect.objectContaining({ valid: true })]);
  });
});

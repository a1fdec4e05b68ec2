// Migration 012 on a database that already holds values (compressed ones on TimescaleDB): every value gains its
// delivery day, the views answer exactly as before, and compression is as it was (docs/timescaledb.md "Plain SQL on
// the views").
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../../bench/seedHistory';
import { migrate } from '../../db/migrate';
import { createDatabaseBefore, type EarlierSchemaDatabase } from '../helpers/database';

const SHAPE = {
  dataset: 'maxExchanges',
  keys: ['border_AT_BE', 'border_DE_FR', 'border_FR_DE'],
  minutes: 60,
} as const;
/** Two stretches a year apart (two chunks of each hypertable), each with a change of clocks. */
const STRETCHES = [
  { from: '2024-10-25', days: 4 },
  { from: '2025-10-24', days: 4 },
] as const;

const VIEW_QUERIES = [
  'SELECT * FROM jao.max_exchanges ORDER BY mtu, border',
  'SELECT * FROM jao.max_exchanges_history ORDER BY mtu, border, revision',
  'SELECT * FROM jao.dataset_values ORDER BY dataset, mtu, border',
  'SELECT * FROM jao.dataset_values_history ORDER BY dataset, mtu, border, revision',
  `SELECT * FROM jao.max_exchanges_as_of('2025-10-26T09:00:00Z') ORDER BY mtu, border`,
];

interface CompressionState {
  compressed: string[];
  settings: unknown[];
  policies: unknown[];
}

async function compressionState(pool: pg.Pool): Promise<CompressionState> {
  const chunks = await pool.query<{ chunk: string }>(
    `SELECT format('%s.%s', hypertable_name, range_start::date) AS chunk FROM timescaledb_information.chunks
      WHERE hypertable_schema = 'jao' AND hypertable_name LIKE 'observation%' AND is_compressed ORDER BY 1`,
  );
  const settings = await pool.query(
    `SELECT hypertable::text, segmentby, orderby FROM timescaledb_information.hypertable_compression_settings
      WHERE hypertable::text LIKE 'jao.observation%' ORDER BY 1`,
  );
  const policies = await pool.query(
    `SELECT hypertable_name, schedule_interval::text, config ->> 'compress_after' AS compress_after, scheduled,
            next_start
       FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' ORDER BY 1`,
  );
  return {
    compressed: chunks.rows.map((row) => row.chunk),
    settings: settings.rows,
    policies: policies.rows,
  };
}

describe('migration 012 on stored values', () => {
  let db: EarlierSchemaDatabase;
  let pool: pg.Pool;
  let timescale = false;
  const before: unknown[][] = [];
  let compressionBefore: CompressionState | null = null;
  const progress: string[] = [];

  beforeAll(async () => {
    db = await createDatabaseBefore('before_012', '012');
    ({ pool, timescale } = db);
    for (const stretch of STRETCHES) await seedHistory(pool, stretch.from, stretch.days, SHAPE);
    if (timescale) {
      // The older stretch compressed, the newer one as the write path left it.
      await pool.query(
        `SELECT count(compress_chunk(format('%I.%I', chunk_schema, chunk_name)::regclass))
           FROM timescaledb_information.chunks
          WHERE hypertable_schema = 'jao' AND hypertable_name LIKE 'observation%' AND range_end < '2025-06-01'`,
      );
      compressionBefore = await compressionState(pool);
    }
    for (const sql of VIEW_QUERIES) before.push((await pool.query(sql)).rows);
    await migrate(pool, undefined, { onProgress: (line) => progress.push(line) });
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('gives every stored value, current and superseded, the Europe/Amsterdam date of its MTU', async () => {
    const { rows } = await pool.query<{ table: string; values: number; wrong: number }>(
      `SELECT 'observation' AS table, count(*)::int AS values,
              count(*) FILTER (WHERE delivery_day IS DISTINCT FROM (mtu AT TIME ZONE 'Europe/Amsterdam')::date)::int
                AS wrong
         FROM jao.observation
       UNION ALL
       SELECT 'observation_history', count(*)::int,
              count(*) FILTER (WHERE delivery_day IS DISTINCT FROM (mtu AT TIME ZONE 'Europe/Amsterdam')::date)::int
         FROM jao.observation_history`,
    );
    // 8 days of 3 borders, two of them 25 hours long: 3 × (6 × 24 + 2 × 25) values, one in twenty revised.
    expect(rows[0]).toEqual({ table: 'observation', values: 582, wrong: 0 });
    expect(rows[1]!.values).toBeGreaterThan(0);
    expect(rows[1]!.wrong).toBe(0);
    const shortest = await pool.query<{ delivery_day: string; mtus: number }>(
      `SELECT delivery_day::text, count(*)::int AS mtus FROM jao.observation
        WHERE series_id = (SELECT min(series_id) FROM jao.series)
        GROUP BY 1 HAVING count(*) <> 24 ORDER BY 1`,
    );
    expect(shortest.rows).toEqual([
      { delivery_day: '2024-10-27', mtus: 25 },
      { delivery_day: '2025-10-26', mtus: 25 },
    ]);
  });

  it('says what it is at while it rewrites the tables', () => {
    expect(progress).toContain('012 adds delivery_day to jao.observation');
    expect(progress).toContain('012 adds delivery_day to jao.observation_history');
    if (timescale) {
      const compressed = compressionBefore!.compressed.length;
      expect(
        progress.filter((line) =>
          / decompresses _timescaledb_internal\._hyper_\d+_\d+_chunk of jao\./.test(line),
        ),
      ).toHaveLength(compressed);
      expect(progress.filter((line) => / compresses .* again$/.test(line))).toHaveLength(compressed);
    }
  });

  it('leaves every view answering as before, row for row', async () => {
    for (const [i, sql] of VIEW_QUERIES.entries()) {
      expect((await pool.query(sql)).rows, sql).toEqual(before[i]);
    }
    expect(before[0]!.length).toBe(582);
  });

  it('keeps compression as it was on TimescaleDB: the same chunks compressed, settings and policies', async (ctx) => {
    ctx.skip(!timescale, 'needs TimescaleDB: DATABASE_URL points at a server without it');
    expect(compressionBefore!.compressed.length).toBeGreaterThan(0);
    expect(await compressionState(pool)).toEqual(compressionBefore);
    const skipping = await pool.query<{ hypertable: string }>(
      `SELECT DISTINCT h.table_name AS hypertable FROM _timescaledb_catalog.chunk_column_stats s
         JOIN _timescaledb_catalog.hypertable h ON h.id = s.hypertable_id
        WHERE s.column_name = 'delivery_day' ORDER BY 1`,
    );
    expect(skipping.rows.map((row) => row.hypertable)).toEqual(['observation', 'observation_history']);
  });
});

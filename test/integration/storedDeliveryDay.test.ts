// Migrations 012-015 on a database that already holds values (compressed ones on TimescaleDB): every value gains its
// delivery day (012 adds the column, 013 fills it in batches, resumably), the views answer exactly as before, a writer
// that does not know the column (the previous release) still stores each value's day, and a migration that cannot get
// its lock within 0.5 s steps back, and in the end gives up in one line having changed nothing (docs/timescaledb.md
// "Plain SQL on the views", docs/howto/upgrade.md).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHistory } from '../../bench/seedHistory';
import { migrate } from '../../db/migrate';
import { testClient, testPool } from '../helpers/connections';
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
  // Not next_start: a policy run the database's scheduler began before the jobs were paused may end during the test,
  // and set it (to its retry) whatever the migrations do.
  const policies = await pool.query(
    `SELECT hypertable_name, schedule_interval::text, config ->> 'compress_after' AS compress_after, scheduled
       FROM timescaledb_information.jobs
      WHERE proc_name = 'policy_compression' AND hypertable_name LIKE 'observation%' ORDER BY 1`,
  );
  return {
    compressed: chunks.rows.map((row) => row.chunk),
    settings: settings.rows,
    policies: policies.rows,
  };
}

async function valuesWithoutTheirDay(pool: pg.Pool): Promise<{ values: number; wrong: number }> {
  const { rows } = await pool.query<{ values: number; wrong: number }>(
    `SELECT count(*)::int AS values,
            count(*) FILTER (WHERE delivery_day IS DISTINCT FROM (mtu AT TIME ZONE 'Europe/Amsterdam')::date)::int
              AS wrong
       FROM (SELECT mtu, delivery_day FROM jao.observation
             UNION ALL SELECT mtu, delivery_day FROM jao.observation_history) AS v`,
  );
  return rows[0]!;
}

/** Each value table, or on TimescaleDB each of their chunks, with its indexes on (delivery_day, series_id). */
async function dayIndexes(
  pool: pg.Pool,
  timescale: boolean,
): Promise<{ relation: string; indexes: number; valid: number }[]> {
  const relations = timescale
    ? `SELECT show_chunks('jao.observation')::regclass AS relation
       UNION ALL SELECT show_chunks('jao.observation_history')::regclass`
    : `SELECT 'jao.observation'::regclass AS relation UNION ALL SELECT 'jao.observation_history'::regclass`;
  const { rows } = await pool.query<{ relation: string; indexes: number; valid: number }>(
    `SELECT r.relation::text AS relation, count(i.indexrelid)::int AS indexes,
            count(i.indexrelid) FILTER (WHERE i.indisvalid)::int AS valid
       FROM (${relations}) AS r
       LEFT JOIN pg_index i ON i.indrelid = r.relation AND i.indnatts = 2
        AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = r.relation AND attname = 'delivery_day')
        AND i.indkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = r.relation AND attname = 'series_id')
      GROUP BY 1 ORDER BY 1`,
  );
  return rows;
}

describe('migrations 012-015 on stored values', () => {
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
    await db?.release();
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

  it('says in one line how many values the fill gave their day, and nothing on the way for so few', async () => {
    const { values } = await valuesWithoutTheirDay(pool);
    const fill = progress.filter((line) => line.startsWith('013 '));
    expect(fill).toHaveLength(1);
    // The values span 2024-10-25 to 2025-10-27: every day between is visited, in batches that grow while they are quick.
    expect(fill[0]).toMatch(
      new RegExp(`^013 filled delivery_day of ${values} values over 368 days in \\d+\\.\\d s$`),
    );
  });

  it('leaves every view answering as before, row for row', async () => {
    for (const [i, sql] of VIEW_QUERIES.entries()) {
      expect((await pool.query(sql)).rows, sql).toEqual(before[i]);
    }
    expect(before[0]!.length).toBe(582);
  });

  it('keeps compression settings and policies on TimescaleDB; the chunks it filled compress again, same rows', async (ctx) => {
    ctx.skip(!timescale, 'needs TimescaleDB: DATABASE_URL points at a server without it');
    expect(compressionBefore!.compressed.length).toBeGreaterThan(0);
    const after = await compressionState(pool);
    expect({ settings: after.settings, policies: after.policies }).toEqual({
      settings: compressionBefore!.settings,
      policies: compressionBefore!.policies,
    });
    // What the compression policy does on its next run: the chunks the fill updated are compressed again.
    await pool.query(
      `SELECT count(compress_chunk(format('%I.%I', chunk_schema, chunk_name)::regclass))
         FROM timescaledb_information.chunks
        WHERE hypertable_schema = 'jao' AND hypertable_name LIKE 'observation%' AND range_end < '2025-06-01'`,
    );
    expect(await compressionState(pool)).toEqual(compressionBefore);
    for (const [i, sql] of VIEW_QUERIES.entries()) {
      expect((await pool.query(sql)).rows, sql).toEqual(before[i]);
    }
    expect(await valuesWithoutTheirDay(pool)).toMatchObject({ wrong: 0 });
    const skipping = await pool.query<{ hypertable: string }>(
      `SELECT DISTINCT h.table_name AS hypertable FROM _timescaledb_catalog.chunk_column_stats s
         JOIN _timescaledb_catalog.hypertable h ON h.id = s.hypertable_id
        WHERE s.column_name = 'delivery_day' ORDER BY 1`,
    );
    expect(skipping.rows.map((row) => row.hypertable)).toEqual(['observation', 'observation_history']);
  });

  it('gives a value written without its day (by the previous release) its day, as jao_writer, also in compressed history', async () => {
    const writerUrl = new URL(db.url);
    writerUrl.username = 'jao_writer';
    const writer = testPool({ connectionString: writerUrl.toString(), max: 1 });
    try {
      const series = await writer.query<{ series_id: number }>(
        'SELECT min(series_id) AS series_id FROM jao.series',
      );
      const seriesId = series.rows[0]!.series_id;
      // 22:30 UTC on 2025-10-25 is 00:30 of 2025-10-26 in Amsterdam (summer time); a new revision of a value of the
      // older (on TimescaleDB compressed) stretch goes to history.
      await writer.query(
        `INSERT INTO jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at)
         VALUES ($1, '2025-10-30T23:00:00Z', 1, 1, now(), now())`,
        [seriesId],
      );
      await writer.query(
        `INSERT INTO jao.observation_history (series_id, mtu, value, revision, first_seen_at, valid_from, valid_to)
         VALUES ($1, '2024-10-25T22:30:00Z', 1, 99, now(), now(), now()),
                ($1, '2025-10-25T22:00:00Z', 1, 99, now(), now(), now())`,
        [seriesId],
      );
      const days = await pool.query<{ mtu: Date; delivery_day: string }>(
        `SELECT mtu, delivery_day::text FROM jao.observation WHERE mtu = '2025-10-30T23:00:00Z'
         UNION ALL
         SELECT mtu, delivery_day::text FROM jao.observation_history WHERE revision = 99 ORDER BY mtu`,
      );
      expect(days.rows.map((row) => [row.mtu.toISOString(), row.delivery_day])).toEqual([
        ['2024-10-25T22:30:00.000Z', '2024-10-26'],
        ['2025-10-25T22:00:00.000Z', '2025-10-26'],
        ['2025-10-30T23:00:00.000Z', '2025-10-31'],
      ]);
      // The writer may add to history, never change it: the trigger's function sets the one column for it.
      await expect(
        writer.query('UPDATE jao.observation_history SET value = 2 WHERE revision = 99'),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await writer.end();
      await pool.query(`DELETE FROM jao.observation WHERE mtu = '2025-10-30T23:00:00Z'`);
      await pool.query('DELETE FROM jao.observation_history WHERE revision = 99');
    }
  });

  it('resumes an interrupted fill after the last batch it committed', async () => {
    // As if the fill had stopped after 2025-10-24: its progress says so, the values after have no day yet, and a
    // value before is left without one on purpose: a fill that started over would give it its day.
    await pool.query(`DELETE FROM jao.schema_migrations WHERE name >= '013' AND name < '016'`);
    await pool.query(
      `UPDATE jao.migration_step_progress SET done_through = '2025-10-24T22:00:00Z' WHERE name = '013_fill_delivery_day'`,
    );
    const cleared = await pool.query(
      `UPDATE jao.observation SET delivery_day = NULL WHERE mtu >= '2024-10-26T22:00:00Z' AND mtu < '2024-10-27T23:00:00Z'
          OR mtu >= '2025-10-24T22:00:00Z'`,
    );
    expect(cleared.rowCount).toBeGreaterThan(0);
    const lines: string[] = [];
    const report = await migrate(pool, undefined, { onProgress: (line) => lines.push(line) });
    expect(report.applied).toEqual([
      '013_fill_delivery_day',
      '014_delivery_day_index',
      '015_views_on_stored_delivery_day',
    ]);
    // 3 days of 3 borders (one of 25 hours) from 2025-10-25 on.
    expect(lines.filter((line) => line.startsWith('013 '))).toEqual([
      expect.stringMatching(/^013 filled delivery_day of 219 values over 3 days in /),
    ]);
    const left = await pool.query<{ day: string; values: number }>(
      `SELECT (mtu AT TIME ZONE 'Europe/Amsterdam')::date::text AS day, count(*)::int AS values
         FROM jao.observation WHERE delivery_day IS NULL GROUP BY 1 ORDER BY 1`,
    );
    expect(left.rows).toEqual([{ day: '2024-10-27', values: 75 }]);
    await pool.query(
      `UPDATE jao.observation SET delivery_day = (mtu AT TIME ZONE 'Europe/Amsterdam')::date WHERE delivery_day IS NULL`,
    );
  });

  it('indexes the day of every table, on TimescaleDB every chunk and each one made later; rebuilds an index left invalid', async () => {
    const indexed = await dayIndexes(pool, timescale);
    expect(indexed.length).toBeGreaterThanOrEqual(2);
    expect(indexed.filter((relation) => relation.valid !== 1 || relation.indexes !== 1)).toEqual([]);

    // As a build stopped half-way leaves it: invalid (the test's superuser marks it so).
    const broken = indexed[indexed.length - 1]!.relation;
    await pool.query(
      `UPDATE pg_index SET indisvalid = false
        WHERE indrelid = $1::regclass AND indnatts = 2
          AND indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'delivery_day')
          AND indkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'series_id')`,
      [broken],
    );
    await pool.query(`DELETE FROM jao.schema_migrations WHERE name >= '014' AND name < '016'`);
    const lines: string[] = [];
    const report = await migrate(pool, undefined, { onProgress: (line) => lines.push(line) });
    expect(report.applied).toEqual(['014_delivery_day_index', '015_views_on_stored_delivery_day']);
    expect(lines).toContainEqual(expect.stringMatching(/^014 drops .*left invalid by an interrupted build/));
    expect(await dayIndexes(pool, timescale)).toEqual(indexed);

    if (timescale) {
      // A chunk made after the migration (a day two years on) has the index from its start.
      await pool.query(
        `INSERT INTO jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at, delivery_day)
         SELECT min(series_id), '2027-06-30T22:00:00Z', 1, 1, now(), now(), '2027-07-01' FROM jao.series`,
      );
      try {
        const later = await dayIndexes(pool, timescale);
        expect(later.length).toBe(indexed.length + 1);
        expect(later.filter((relation) => relation.valid !== 1 || relation.indexes !== 1)).toEqual([]);
      } finally {
        await pool.query(`DELETE FROM jao.observation WHERE mtu = '2027-06-30T22:00:00Z'`);
      }
    }
  });
});

describe('a migration that cannot get its lock within 0.5 s', () => {
  let db: EarlierSchemaDatabase;
  let holder: pg.Client;

  beforeAll(async () => {
    db = await createDatabaseBefore('locked_012', '012');
    holder = testClient({ connectionString: db.url, application_name: 'long-reader' });
    holder.on('error', () => {});
    await holder.connect();
  });

  afterAll(async () => {
    await holder?.end();
    await db?.release();
  });

  const holdReadLock = async () => {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE jao.observation IN ACCESS SHARE MODE');
  };

  it('tries again after a pause, then gives up in one line having changed nothing', async () => {
    await holdReadLock();
    const lines: string[] = [];
    try {
      await expect(
        migrate(db.pool, undefined, {
          lockRetry: { attempts: 2, firstDelayMs: 10, maxDelayMs: 10 },
          onProgress: (line) => lines.push(line),
        }),
      ).rejects.toThrow(
        /^migration 012_delivery_day_column did not get its locks in 2 tries of 0.5 s each \(canceling statement due to lock timeout\); nothing of it was applied: run jao migrate again when the sessions holding them are done$/,
      );
    } finally {
      await holder.query('ROLLBACK');
    }
    expect(lines).toEqual([
      'migration 012_delivery_day_column waits for its locks (canceling statement due to lock timeout); try 2 of 2 in 10 ms',
    ]);
    const column = await db.pool.query(
      `SELECT 1 FROM pg_attribute WHERE attrelid = 'jao.observation'::regclass AND attname = 'delivery_day'`,
    );
    expect(column.rowCount).toBe(0);
    const recorded = await db.pool.query(`SELECT 1 FROM jao.schema_migrations WHERE name >= '012'`);
    expect(recorded.rowCount).toBe(0);
  });

  it('goes on once the lock is free, the reader never having waited for it', async () => {
    await holdReadLock();
    // The reader lets go once the migration has waited for its locks (a try of 0.5 s) and says it tries again.
    let released: Promise<unknown> | undefined;
    const lines: string[] = [];
    const report = await migrate(db.pool, undefined, {
      lockRetry: { attempts: 10, firstDelayMs: 100, maxDelayMs: 400 },
      onProgress: (line) => {
        lines.push(line);
        if (line.includes(' waits for its locks ')) released ??= holder.query('ROLLBACK');
      },
    });
    await released;
    expect(report.applied[0]).toBe('012_delivery_day_column');
    expect(lines.some((line) => line.includes(' waits for its locks '))).toBe(true);
  });
});

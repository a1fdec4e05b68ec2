// TimescaleDB with compressed history: reads of one day touch only its chunk, a revision or a new day inside
// compressed chunks succeeds and decompresses only the batches it must. Skipped on plain PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import type { DeliveryDay } from '../../domain/types';
import { testPool } from '../helpers/connections';
import { createPausedJobsDatabase, type PausedJobsDatabase } from '../helpers/database';
import { baseValue, fetchWrite, hourlyMtus, validatedDay } from './storageFixtures';

let db: PausedJobsDatabase;
/** Rows the writes materialized in the daily aggregate, before the fixture's refresh (none: migration 019). */
let materializedAfterWrites: number | null = null;

const BORDERS = ['AT_BE', 'BE_AT', 'DE_FR'];
// 365-day chunks (migration 018) are aligned on the Unix epoch: A = [2021-12-19, 2022-12-19),
// B = [2022-12-19, 2023-12-19), C = [2023-12-19, 2024-12-18).
const DAYS_A = ['2022-12-10', '2022-12-11'];
const DAYS_B = ['2023-02-01', '2023-02-02', '2023-02-03'];
const DAYS_C = ['2024-03-01', '2024-03-02'];
const REVISED = '2023-02-02';
const NEW_DAY = '2023-02-04';
const T1 = new Date('2023-03-05T08:00:00.000Z');
const T2 = new Date('2023-03-06T08:00:00.000Z');
const T3 = new Date('2023-03-07T08:00:00.000Z');

interface Chunk {
  name: string;
  hypertable: string;
  compressed: boolean;
  partial: boolean;
  /** Rows in the chunk's own (uncompressed) heap: after compression, what DML decompressed or added. */
  heapRows: number;
  /** Of those, rows of border AT_BE. */
  heapRowsAtBe: number;
}

async function chunks(): Promise<Chunk[]> {
  const result = await db.pool.query<{
    schema: string;
    name: string;
    hypertable: string;
    compressed: boolean;
    partial: boolean;
  }>(
    // chunk_status() and not the catalog table: its columns changed in 2.29 (schema and table name became relid).
    `SELECT c.chunk_schema AS schema, c.chunk_name AS name, c.hypertable_name AS hypertable,
            c.is_compressed AS compressed,
            (_timescaledb_functions.chunk_status(format('%I.%I', c.chunk_schema, c.chunk_name)::regclass) & 8) <> 0
              AS partial
       FROM timescaledb_information.chunks c
      WHERE c.hypertable_schema = 'jao'
      ORDER BY c.hypertable_name, c.range_start`,
  );
  const out: Chunk[] = [];
  for (const row of result.rows) {
    const table = `${pg.escapeIdentifier(row.schema)}.${pg.escapeIdentifier(row.name)}`;
    const heap = await db.pool.query<{ n: number; at_be: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE series_id = (SELECT series_id FROM jao.series WHERE key = 'border_AT_BE'))::int
                AS at_be
         FROM ONLY ${table}`,
    );
    out.push({
      name: row.name,
      hypertable: row.hypertable,
      compressed: row.compressed,
      partial: row.partial,
      heapRows: heap.rows[0]!.n,
      heapRowsAtBe: heap.rows[0]!.at_be,
    });
  }
  return out;
}

/** The observation chunk holding `day`. */
async function chunkOf(day: DeliveryDay): Promise<string> {
  const result = await db.pool.query<{ name: string }>(
    `SELECT c.chunk_name AS name FROM timescaledb_information.chunks c
      WHERE c.hypertable_schema = 'jao' AND c.hypertable_name = 'observation'
        AND c.range_start <= $1::date::timestamptz AND c.range_end > $1::date::timestamptz`,
    [day],
  );
  return result.rows[0]!.name;
}

interface ViewRow {
  border: string;
  hour: number;
  value_mw: number;
  revision: number;
}

async function viewOf(day: DeliveryDay): Promise<ViewRow[]> {
  const result = await db.pool.query<ViewRow>(
    `SELECT border, (extract(epoch FROM mtu - $2::timestamptz) / 3600)::int AS hour, value_mw, revision
       FROM jao.max_exchanges WHERE delivery_day = $1::date ORDER BY border, mtu`,
    [day, hourlyMtus(day)[0]],
  );
  return result.rows;
}

function expectedView(
  borders: string[],
  value: (border: string, hour: number) => number,
  revision: (border: string, hour: number) => number,
): ViewRow[] {
  return [...borders].sort().flatMap((border) =>
    Array.from({ length: 24 }, (_, hour) => ({
      border,
      hour,
      value_mw: value(border, hour),
      revision: revision(border, hour),
    })),
  );
}

/** Daily rows of the aggregate that differ from the current values of the day (none when it is right). */
async function staleDailyRows(day: DeliveryDay): Promise<number> {
  const result = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       (SELECT border, min(value_mw) AS min_mw, max(value_mw) AS max_mw, count(*) AS mtus
          FROM jao.max_exchanges WHERE delivery_day = $1::date GROUP BY border
        EXCEPT
        SELECT border, min_mw, max_mw, mtus FROM jao.max_exchanges_daily WHERE delivery_day = $1::date)
       UNION ALL
       (SELECT border, min_mw, max_mw, mtus FROM jao.max_exchanges_daily WHERE delivery_day = $1::date
        EXCEPT
        SELECT border, min(value_mw), max(value_mw), count(*)
          FROM jao.max_exchanges WHERE delivery_day = $1::date GROUP BY border)) AS differing`,
    [day],
  );
  return result.rows[0]!.n;
}

const revisedValue = (border: string, hour: number) =>
  border === 'DE_FR' && (hour === 5 || hour === 6) ? baseValue(border, hour) + 100 : baseValue(border, hour);

const SKIP_NOTE = 'needs TimescaleDB: DATABASE_URL points at a server without it';

beforeAll(async () => {
  // Policies paused: chunks are compressed by this file, at chosen moments.
  db = await createPausedJobsDatabase();
  if (!db.timescale) return;
  for (const day of [...DAYS_A, ...DAYS_B, ...DAYS_C]) {
    await writeDay(db.pool, fetchWrite(day, validatedDay(day, BORDERS, baseValue), T1));
  }
  // One revision before compression, so that history has a chunk to compress too.
  await writeDay(
    db.pool,
    fetchWrite(
      DAYS_A[0]!,
      validatedDay(DAYS_A[0]!, BORDERS, (b, h) => baseValue(b, h) + 1),
      T2,
    ),
  );
  const materialized = await db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM jao.max_exchanges_daily_materialized',
  );
  materializedAfterWrites = materialized.rows[0]!.n;
  // What the aggregate's job does in production: every day materialized before the chunks are compressed.
  await db.pool.query('CALL jao.refresh_max_exchanges_daily()');
  await db.pool.query(
    `SELECT count(compress_chunk(c)) FROM (
       SELECT show_chunks('jao.observation') AS c UNION ALL SELECT show_chunks('jao.observation_history')) AS all_chunks`,
  );
});

afterAll(async () => {
  await db?.release();
});

describe('TimescaleDB with compressed history', () => {
  it('compresses every chunk of the fixture', async (ctx) => {
    ctx.skip(!db.timescale, `${SKIP_NOTE} (${db.engineLine})`);
    const all = await chunks();
    expect(all.filter((c) => c.hypertable === 'observation')).toHaveLength(3);
    expect(all.filter((c) => c.hypertable === 'observation_history')).toHaveLength(1);
    expect(all.every((c) => c.compressed && !c.partial && c.heapRows === 0)).toBe(true);
  });

  it('keeps the daily aggregate right without materializing anything while writing', async (ctx) => {
    ctx.skip(!db.timescale, `${SKIP_NOTE} (${db.engineLine})`);
    expect(materializedAfterWrites).toBe(0);
    for (const day of [...DAYS_A, ...DAYS_B, ...DAYS_C]) expect(await staleDailyRows(day)).toBe(0);
  });

  it('reads one day of jao.max_exchanges from its own chunk only, with the right values', async (ctx) => {
    ctx.skip(!db.timescale, `${SKIP_NOTE} (${db.engineLine})`);
    expect(await viewOf(REVISED)).toEqual(expectedView(BORDERS, baseValue, () => 1));
    const plan = await db.pool.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT border, mtu, value_mw FROM jao.max_exchanges WHERE delivery_day = $1`,
      [REVISED],
    );
    const scanned = new Set<string>();
    const walk = (node: Record<string, unknown>) => {
      const provider = node['Custom Plan Provider'];
      if (
        (provider === 'ColumnarScan' || provider === 'DecompressChunk') &&
        Number(node['Actual Loops']) > 0
      ) {
        scanned.add(String(node['Relation Name']));
      }
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk((plan.rows[0]!['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
    expect([...scanned]).toEqual([await chunkOf(REVISED)]);
  });

  it('revises a day inside compressed history, decompressing only the changed series of that chunk', async (ctx) => {
    ctx.skip(!db.timescale, `${SKIP_NOTE} (${db.engineLine})`);
    // DE_FR changes at hours 5 and 6; BE_AT vanishes; AT_BE is unchanged.
    const revised = validatedDay(REVISED, ['AT_BE', 'DE_FR'], revisedValue);
    // With TimescaleDB's guard at its tightest, so that the test shows the write path lifts it for its own
    // transaction (a real revision of every series of a 365-day chunk decompresses more than its default of 100,000 tuples).
    const guarded = testPool({
      connectionString: db.url,
      max: 2,
      options: '-c timescaledb.max_tuples_decompressed_per_dml_transaction=1',
    });
    const result = await writeDay(guarded, fetchWrite(REVISED, revised, T3)).finally(() => guarded.end());
    expect(result).toMatchObject({ changedPoints: 2, newPoints: 0, vanishedPoints: 24, revision: 2 });

    expect(await viewOf(REVISED)).toEqual(
      expectedView(['AT_BE', 'DE_FR'], revisedValue, (border, hour) =>
        border === 'DE_FR' && (hour === 5 || hour === 6) ? 2 : 1,
      ),
    );
    const history = await db.pool.query<{ border: string; n: number; ok: boolean }>(
      `SELECT border, count(*)::int AS n, bool_and(revision = 1 AND valid_from = $2 AND valid_to = $3) AS ok
         FROM jao.max_exchanges_history WHERE delivery_day = $1::date AND valid_to IS NOT NULL
        GROUP BY border ORDER BY border`,
      [REVISED, T1, T3],
    );
    expect(history.rows).toEqual([
      { border: 'BE_AT', n: 24, ok: true },
      { border: 'DE_FR', n: 2, ok: true },
    ]);
    expect(await staleDailyRows(REVISED)).toBe(0);

    const revisedChunk = await chunkOf(REVISED);
    const observationChunks = (await chunks()).filter((c) => c.hypertable === 'observation');
    for (const chunk of observationChunks) {
      if (chunk.name === revisedChunk) {
        // The batches of DE_FR and BE_AT in this chunk (3 days each, one batch per series), less BE_AT's
        // deleted day; AT_BE's batch stays compressed.
        expect(chunk).toMatchObject({ compressed: true, partial: true, heapRowsAtBe: 0 });
        expect(chunk.heapRows).toBeGreaterThan(0);
        expect(chunk.heapRows).toBeLessThanOrEqual(2 * 3 * 24 - 24);
      } else {
        expect(chunk).toMatchObject({ compressed: true, partial: false, heapRows: 0 });
      }
    }
  });

  it('writes a new day inside a compressed chunk and leaves the other chunks compressed', async (ctx) => {
    ctx.skip(!db.timescale, `${SKIP_NOTE} (${db.engineLine})`);
    const result = await writeDay(
      db.pool,
      fetchWrite(NEW_DAY, validatedDay(NEW_DAY, BORDERS, baseValue), T3),
    );
    expect(result).toMatchObject({ status: 'complete', newPoints: 72, changedPoints: 0, revision: 1 });
    expect(await viewOf(NEW_DAY)).toEqual(expectedView(BORDERS, baseValue, () => 1));
    expect(await staleDailyRows(NEW_DAY)).toBe(0);
    const target = await chunkOf(NEW_DAY);
    for (const chunk of (await chunks()).filter((c) => c.hypertable === 'observation' && c.name !== target)) {
      expect(chunk).toMatchObject({ compressed: true, partial: false, heapRows: 0 });
    }
  });
});

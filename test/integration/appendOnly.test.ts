// History is append-only for jao_writer: it appends revisions, raw answers and rejections but can neither rewrite
// nor delete them, and the whole pipeline still runs as jao_writer. Days 2025-10-10..2025-10-13.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import { dayWorkflowId } from '../../domain/workflowInputs';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createPipelineWorkers, type PipelineWorkers } from '../../workers/pipelineWorker';
import type { deliveryDayWorkflow } from '../../workflows';
import { testPool } from '../helpers/connections';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runBundle } from '../helpers/pipeline';
import { connectTemporal, type TemporalTestContext, uniqueTaskQueue } from '../helpers/temporal';
import { baseValue, validatedDay } from './storageFixtures';

const REVISED_DAY = '2025-10-10';
const VANISHING_DAY = '2025-10-11';
const TRUNCATED_DAY = '2025-10-12';
const DIRECT_DAY = '2025-10-13';
const CORE_KEYS = 132;

let db: TestDatabase;
let writer: pg.Pool;
let temporal: TemporalTestContext;
let simulator: SimulatorHandle;
let workers: PipelineWorkers;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('append-only');

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  url.username = 'jao_writer';
  url.password = '';
  writer = testPool({ connectionString: url.toString(), max: 4 });
  temporal = await connectTemporal();
  simulator = await startSimulator({ faults: { truncatedDays: [TRUNCATED_DAY] } });
  workers = await createPipelineWorkers({
    connection: temporal.workerConnection,
    namespace: temporal.namespace,
    taskQueue,
    pool: writer,
    jao: { baseUrl: simulator.origin, timeoutMs: 10_000 },
    maxRequestsPerMinute: 100_000,
    workflowBundle: runBundle(),
  });
  running = workers.run();
});

afterAll(async () => {
  workers?.shutdown();
  await running;
  await simulator?.close();
  await temporal?.close();
  await writer?.end();
  await db?.release();
});

const runDay = (day: string) =>
  temporal.client.workflow.execute<typeof deliveryDayWorkflow>('deliveryDayWorkflow', {
    workflowId: dayWorkflowId('maxExchanges', day),
    taskQueue,
    args: [{ dataset: 'maxExchanges', day, trigger: 'manual' }],
  });

async function sqlState(sql: string): Promise<string | null> {
  const client = await writer.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const count = async (sql: string, values: unknown[] = []) =>
  (await db.pool.query<{ n: number }>(sql, values)).rows[0]!.n;

describe('jao_writer', () => {
  it('runs the whole pipeline: first content, an identical re-fetch, a revision, vanished values, an invalid day', async () => {
    expect(await runDay(REVISED_DAY)).toMatchObject({
      status: 'complete',
      points: 24 * CORE_KEYS,
      revision: 1,
    });
    expect(await runDay(REVISED_DAY)).toMatchObject({ status: 'complete', changedPoints: 0, revision: 1 });
    simulator.reviseDay(REVISED_DAY);
    const revised = await runDay(REVISED_DAY);
    expect(revised).toMatchObject({ status: 'complete', revision: 2 });
    expect(revised.changedPoints).toBeGreaterThan(0);

    expect(await runDay(VANISHING_DAY)).toMatchObject({ status: 'complete', mtus: 24 });
    simulator.setFaults({ missingMtuDays: [VANISHING_DAY] });
    expect(await runDay(VANISHING_DAY)).toMatchObject({ mtus: 23, revision: 2 });

    expect(await runDay(TRUNCATED_DAY)).toMatchObject({ status: 'invalid', points: 0 });

    expect(
      await count(
        `SELECT fetch_count AS n FROM jao.raw_response WHERE day = $1 ORDER BY raw_response_id LIMIT 1`,
        [REVISED_DAY],
      ),
    ).toBe(2);
    expect(
      await count('SELECT count(*)::int AS n FROM jao.max_exchanges_history WHERE valid_to IS NOT NULL'),
    ).toBe(revised.changedPoints + CORE_KEYS);
    expect(
      await count('SELECT count(*)::int AS n FROM jao.rejection WHERE day = $1', [TRUNCATED_DAY]),
    ).toBeGreaterThan(0);
  });

  it('moves a series’ last_seen_at, the one series column it may update', async () => {
    const borders = ['AT_BE', 'BE_AT'];
    const write = (observedAt: Date, shift: number) =>
      writeDay(writer, {
        dataset: 'maxExchanges',
        day: DIRECT_DAY,
        status: 'complete',
        validated: validatedDay(DIRECT_DAY, borders, (border, hour) => baseValue(border, hour) + shift),
        expectedMtus: 24,
        rawResponseId: null,
        workflowId: null,
        observedAt,
      });
    const first = new Date('2030-01-01T00:00:00Z');
    const later = new Date('2030-01-01T02:00:00Z');
    await write(first, 0);
    expect(await write(later, 1)).toMatchObject({ changedPoints: 48, revision: 2 });
    const seen = await db.pool.query<{ last_seen_at: Date }>(
      `SELECT last_seen_at FROM jao.series WHERE key = ANY ($1::text[])`,
      [borders.map((border) => `border_${border}`)],
    );
    expect(seen.rows.map((row) => row.last_seen_at.toISOString())).toEqual([
      later.toISOString(),
      later.toISOString(),
    ]);
  });

  it('cannot rewrite or delete history, raw answers, rejections or the catalog', async () => {
    const denied = [
      'DELETE FROM jao.observation_history',
      'UPDATE jao.observation_history SET value = 0',
      'DELETE FROM jao.raw_response',
      `UPDATE jao.raw_response SET body = '\\x00'::bytea`,
      `UPDATE jao.raw_response SET sha256 = 'forged'`,
      `UPDATE jao.raw_response SET truncated_reason = NULL`,
      // A body leaves only through jao.drop_archived_raw_bodies, which checks the archive was verified.
      'UPDATE jao.raw_response SET body = NULL',
      'UPDATE jao.raw_response SET archive_verified_at = now()',
      'DELETE FROM jao.rejection',
      `UPDATE jao.rejection SET raw = ''`,
      'DELETE FROM jao.series',
      `UPDATE jao.series SET key = 'border_XX_YY'`,
      'UPDATE jao.series SET first_seen_at = now()',
      'DELETE FROM jao.delivery_day',
      'DELETE FROM jao.day_lock',
      'UPDATE jao.day_lock SET day = day + 1',
      'TRUNCATE jao.observation_history',
      'TRUNCATE jao.raw_response',
      'DELETE FROM jao.derivation',
      `UPDATE jao.derivation SET reason = 'forged'`,
      'TRUNCATE jao.derivation',
    ];
    for (const sql of denied) expect({ sql, state: await sqlState(sql) }).toEqual({ sql, state: '42501' });
    // What the write path needs stays allowed.
    const allowed = [
      'UPDATE jao.raw_response SET last_fetched_at = now(), fetch_count = fetch_count + 1',
      'UPDATE jao.raw_response SET archive_key = archive_key WHERE false',
      `SELECT jao.drop_archived_raw_bodies('{}'::bigint[], 30)`,
      'UPDATE jao.series SET last_seen_at = now()',
      `SELECT jao.touch_series('{}'::int[], now())`,
      'UPDATE jao.delivery_day SET attempts = attempts',
      'DELETE FROM jao.observation WHERE false',
    ];
    for (const sql of allowed) expect({ sql, state: await sqlState(sql) }).toEqual({ sql, state: null });
  });
});

import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { storeRawResponse } from '../../db/rawResponse';
import { writeDay } from '../../db/writeDay';
import { testPool } from '../helpers/connections';
import { constraintDayRows, writeConstraintDay } from '../helpers/constraintDays';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, validatedDay } from './storageFixtures';

let db: TestDatabase;
let reader: pg.Pool;
let writer: pg.Pool;

function poolAs(user: string): pg.Pool {
  const url = new URL(db.url);
  url.username = user;
  url.password = '';
  return testPool({ connectionString: url.toString(), max: 2 });
}

beforeAll(async () => {
  db = await createTestDatabase();
  reader = poolAs('jao_reader');
  writer = poolAs('jao_writer');
});

afterAll(async () => {
  await reader?.end();
  await writer?.end();
  await db?.release();
});

async function sqlState(pool: pg.Pool, sql: string): Promise<string | null> {
  try {
    await pool.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  }
}

const day = '2026-04-20';

describe('jao_writer', () => {
  it('runs the write path and the raw store', async () => {
    const raw = await storeRawResponse(writer, {
      dataset: 'maxExchanges',
      day,
      requestWindow: { from: '2026-04-19T22:00:00.000Z', to: '2026-04-20T22:00:00.000Z' },
      httpStatus: 200,
      body: '{"data":[]}',
    });
    const validated = validatedDay(day, ['AT_BE', 'BE_AT'], baseValue);
    const first = await writeDay(writer, {
      dataset: 'maxExchanges',
      day,
      status: 'complete',
      validated,
      expectedMtus: 24,
      rawResponseId: raw.id,
      workflowId: 'wf',
    });
    expect(first).toMatchObject({ points: 48, revision: 1 });
    const revised = validatedDay(day, ['AT_BE', 'BE_AT'], (border, hour) => baseValue(border, hour) + 1);
    const second = await writeDay(writer, {
      dataset: 'maxExchanges',
      day,
      status: 'complete',
      validated: revised,
      expectedMtus: 24,
      rawResponseId: raw.id,
      workflowId: 'wf',
    });
    expect(second).toMatchObject({ changedPoints: 48, revision: 2 });
  });

  it('revises a day of the flow-based domain through a table of its session, once migrate gave back TEMPORARY', async () => {
    // A database whose PUBLIC lost TEMPORARY (a hardened server, a restored dump): the next migrate run grants it.
    await db.pool.query(`REVOKE TEMPORARY ON DATABASE "${db.name}" FROM PUBLIC`);
    const privilege = `SELECT has_database_privilege('jao_writer', current_database(), 'TEMPORARY') AS has`;
    expect((await db.pool.query(privilege)).rows[0].has).toBe(false);
    await migrate(db.pool);
    expect((await db.pool.query(privilege)).rows[0].has).toBe(true);
    const domainWriter = poolAs('jao_writer');
    try {
      const domainDay = '2025-01-01';
      const first = await writeConstraintDay(
        domainWriter,
        'coreFinalComputation',
        domainDay,
        constraintDayRows(domainDay),
        '2024-12-31T08:00:00Z',
      );
      expect(first).toMatchObject({ status: 'complete', revision: 1 });
      const revised = constraintDayRows(domainDay, (row, hour) => (hour === 0 ? { ...row, ram: 7 } : row));
      const second = await writeConstraintDay(
        domainWriter,
        'coreFinalComputation',
        domainDay,
        revised,
        '2024-12-31T09:00:00Z',
      );
      expect(second.revision).toBe(2);
      expect(second.changedPoints).toBeGreaterThan(0);
    } finally {
      await domainWriter.end();
    }
  });

  it('cannot drop, alter or truncate the tables and views', async () => {
    expect(await sqlState(writer, 'DROP TABLE jao.observation')).toBe('42501');
    expect(await sqlState(writer, 'DROP TABLE jao.delivery_day')).toBe('42501');
    expect(await sqlState(writer, 'ALTER TABLE jao.series ADD COLUMN extra int')).toBe('42501');
    expect(await sqlState(writer, 'TRUNCATE jao.observation_history')).toBe('42501');
    expect(await sqlState(writer, 'DROP VIEW jao.max_exchanges')).toBe('42501');
    expect(await sqlState(writer, 'DROP SCHEMA jao CASCADE')).toBe('42501');
    expect(await sqlState(writer, 'CREATE TABLE jao.extra (i int)')).toBe('42501');
  });

  it('can run migrate at start-up when the schema is up to date', async () => {
    const report = await migrate(writer);
    expect(report.applied).toEqual([]);
  });
});

describe('jao_reader', () => {
  it('reads the consumer interface and the day status', async () => {
    const current = await reader.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.max_exchanges WHERE delivery_day = $1::date`,
      [day],
    );
    expect(current.rows[0]!.n).toBe(48);
    const asOf = await reader.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.max_exchanges_as_of(now()) WHERE border = 'AT_BE'`,
    );
    expect(asOf.rows[0]!.n).toBe(24);
    const history = await reader.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.max_exchanges_history`,
    );
    expect(history.rows[0]!.n).toBe(96);
    const daily = await reader.query<{ mtus: number }>(
      `SELECT mtus::int AS mtus FROM jao.max_exchanges_daily WHERE delivery_day = $1::date AND border = 'AT_BE'`,
      [day],
    );
    expect(daily.rows).toEqual([{ mtus: 24 }]);
    const status = await reader.query<{ status: string; revision_count: number }>(
      `SELECT status, revision_count FROM jao.delivery_day WHERE day = $1::date`,
      [day],
    );
    expect(status.rows).toEqual([{ status: 'complete', revision_count: 2 }]);
    const quality = await reader.query<{ status: string; keys: number; missing_mtus: Date[] }>(
      `SELECT status, keys, missing_mtus FROM jao.day_quality WHERE day = $1::date`,
      [day],
    );
    expect(quality.rows).toEqual([{ status: 'complete', keys: 2, missing_mtus: [] }]);
  });

  it("reads what the API needs: keys, the live feed's events, the border catalogue, the migrations", async () => {
    const events = await reader.query<{ type: string; revision: number; error: string | null }>(
      `SELECT type, revision, error FROM jao.day_event WHERE day = $1::date ORDER BY event_id`,
      [day],
    );
    expect(events.rows).toEqual([
      { type: 'day.stored', revision: 1, error: null },
      { type: 'day.revised', revision: 2, error: null },
    ]);
    const borders = await reader.query(`SELECT border, key FROM jao.max_exchanges_borders ORDER BY border`);
    expect(borders.rows).toEqual([
      { border: 'AT_BE', key: 'border_AT_BE' },
      { border: 'BE_AT', key: 'border_BE_AT' },
    ]);
    const keys = await reader.query(`SELECT count(*)::int AS n FROM jao.api_key`);
    expect(keys.rows).toEqual([{ n: 0 }]);
    const migrations = await reader.query(`SELECT count(*)::int AS n FROM jao.schema_migrations`);
    expect(migrations.rows[0]!.n).toBeGreaterThan(0);
    const catalog = await reader.query(`SELECT border, unit, first_day::text AS first_day FROM jao.catalog`);
    expect(catalog.rows).toEqual([
      { border: 'AT_BE', unit: 'MW', first_day: day },
      { border: 'BE_AT', unit: 'MW', first_day: day },
    ]);
    const lineage = await reader.query(
      `SELECT revision, lineage_known, kind FROM jao.value_lineage('AT_BE', '2026-04-19T22:00:00Z')`,
    );
    expect(lineage.rows).toEqual([
      { revision: 1, lineage_known: true, kind: 'fetch' },
      { revision: 2, lineage_known: true, kind: 'fetch' },
    ]);
  });

  it('can write nothing and create nothing', async () => {
    const denied = [
      `INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus) VALUES ('maxExchanges', '2030-01-01', 'failed', 24)`,
      `UPDATE jao.delivery_day SET attempts = 0`,
      `DELETE FROM jao.delivery_day`,
      `INSERT INTO jao.observation (series_id, mtu, value, revision, first_seen_at, updated_at) VALUES (1, now(), 1, 1, now(), now())`,
      `UPDATE jao.observation SET value = 0`,
      `DELETE FROM jao.observation_history`,
      `TRUNCATE jao.raw_response`,
      `CREATE TABLE jao.extra (i int)`,
      `CREATE VIEW jao.extra AS SELECT 1`,
      `CREATE TABLE public.extra (i int)`,
      `DROP VIEW jao.max_exchanges`,
      `SELECT count(*) FROM jao.observation`,
      `SELECT count(*) FROM jao.raw_response`,
      `SELECT count(*) FROM jao.key_set`,
      `INSERT INTO jao.api_key (name, key_sha256, datasets) VALUES ('x', 'x', '{maxExchanges}')`,
      `UPDATE jao.api_key SET revoked_at = now()`,
      `DELETE FROM jao.api_key`,
      `INSERT INTO jao.day_event (type, dataset, day, status, revision, raised_at) VALUES ('day.stored', 'maxExchanges', '2030-01-01', 'complete', 1, now())`,
      `DELETE FROM jao.day_event`,
      `SELECT count(*) FROM jao.series`,
      `SELECT count(*) FROM jao.derivation`,
      `UPDATE jao.dataset_source SET endpoint = 'forged'`,
    ];
    for (const sql of denied) {
      expect({ sql, state: await sqlState(reader, sql) }).toEqual({ sql, state: '42501' });
    }
    // The consumer views are not updatable at all (joins), whoever asks.
    expect(await sqlState(reader, 'DELETE FROM jao.max_exchanges')).toBe('55000');
    const unchanged = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM jao.observation`);
    expect(unchanged.rows[0]!.n).toBe(48);
  });
});

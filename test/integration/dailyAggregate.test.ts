// jao.max_exchanges_daily is right as soon as a write commits (migration 019), without any refresh in the write
// path: on TimescaleDB a day changed since it was materialized is aggregated from its values at query time until
// the aggregate's job (jao.refresh_max_exchanges_daily) materializes it again; on plain PostgreSQL it is a view.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDay } from '../../db/writeDay';
import type { DeliveryDay } from '../../domain/types';
import { testPool } from '../helpers/connections';
import { createPausedJobsDatabase, type PausedJobsDatabase } from '../helpers/database';
import { baseValue, fetchWrite, validatedDay } from './storageFixtures';

let db: PausedJobsDatabase;
let reader: pg.Pool;

const BORDERS = ['AT_BE', 'DE_FR'];
const DAY = '2023-05-10';
const OTHER_DAY = '2023-05-11';
const T1 = new Date('2023-05-09T08:00:00.000Z');
const T2 = new Date('2023-05-10T08:00:00.000Z');
const T3 = new Date('2023-05-11T08:00:00.000Z');

interface DailyRow {
  border: string;
  min_mw: number;
  avg_mw: number;
  max_mw: number;
  mtus: number;
}

async function daily(
  pool: pg.Pool,
  day: DeliveryDay,
  relation = 'jao.max_exchanges_daily',
): Promise<DailyRow[]> {
  const result = await pool.query<DailyRow>(
    `SELECT border, min_mw, avg_mw, max_mw, mtus::int AS mtus FROM ${relation}
      WHERE delivery_day = $1::date ORDER BY border`,
    [day],
  );
  return result.rows;
}

/** The aggregate computed from the day's current values. */
async function fromValues(day: DeliveryDay): Promise<DailyRow[]> {
  const result = await db.pool.query<DailyRow>(
    `SELECT border, min(value_mw) AS min_mw, avg(value_mw) AS avg_mw, max(value_mw) AS max_mw,
            count(*)::int AS mtus
       FROM jao.max_exchanges WHERE delivery_day = $1::date GROUP BY border ORDER BY border`,
    [day],
  );
  return result.rows;
}

async function materialize(): Promise<void> {
  if (db.timescale) await db.pool.query('CALL jao.refresh_max_exchanges_daily()');
}

beforeAll(async () => {
  // The jobs paused: this file materializes at chosen moments.
  db = await createPausedJobsDatabase();
  const url = new URL(db.url);
  url.username = 'jao_reader';
  url.password = '';
  reader = testPool({ connectionString: url.toString(), max: 2 });
});

afterAll(async () => {
  await reader?.end();
  await db?.release();
});

describe('jao.max_exchanges_daily', () => {
  it('is right right after a first write, and after its materialization', async () => {
    await writeDay(db.pool, fetchWrite(DAY, validatedDay(DAY, BORDERS, baseValue), T1));
    await writeDay(db.pool, fetchWrite(OTHER_DAY, validatedDay(OTHER_DAY, BORDERS, baseValue), T1));
    const expected = BORDERS.map((border) => ({
      border,
      min_mw: baseValue(border, 0),
      avg_mw: baseValue(border, 0) + 115,
      max_mw: baseValue(border, 23),
      mtus: 24,
    }));
    expect(await daily(reader, DAY)).toEqual(expected);
    await materialize();
    expect(await daily(reader, DAY)).toEqual(expected);
    expect(await daily(reader, OTHER_DAY)).toEqual(await fromValues(OTHER_DAY));
  });

  it('is right right after a revision and a vanished border, before anything is materialized again', async () => {
    // DE_FR's hour 0 drops by 500 MW: the day's new minimum.
    const revised = (border: string, hour: number) =>
      border === 'DE_FR' && hour === 0 ? baseValue(border, 0) - 500 : baseValue(border, hour);
    await writeDay(db.pool, fetchWrite(DAY, validatedDay(DAY, BORDERS, revised), T2));
    const afterRevision = await daily(reader, DAY);
    expect(afterRevision.find((row) => row.border === 'DE_FR')?.min_mw).toBe(baseValue('DE_FR', 0) - 500);
    expect(afterRevision).toEqual(await fromValues(DAY));
    if (db.timescale) {
      // The materialized rows still hold the first version: the view took the day from its values.
      const stored = await daily(db.pool, DAY, 'jao.max_exchanges_daily_materialized');
      expect(stored.find((row) => row.border === 'DE_FR')?.min_mw).toBe(baseValue('DE_FR', 0));
    }

    // AT_BE vanishes from the day (a partial answer): its row goes at once.
    await writeDay(db.pool, fetchWrite(DAY, validatedDay(DAY, ['DE_FR'], revised), T3));
    expect((await daily(reader, DAY)).map((row) => row.border)).toEqual(['DE_FR']);
    expect(await daily(reader, DAY)).toEqual(await fromValues(DAY));
    expect(await daily(reader, OTHER_DAY)).toEqual(await fromValues(OTHER_DAY));

    await materialize();
    expect(await daily(reader, DAY)).toEqual(await fromValues(DAY));
  });

  it('on TimescaleDB: materializes by its job, recording the change it included for each day', async (ctx) => {
    ctx.skip(!db.timescale, 'needs TimescaleDB: DATABASE_URL points at a server without it');
    const recorded = await db.pool.query<{ day: string; same: boolean }>(
      `SELECT r.day::text AS day, r.changed_at = d.last_changed_at AS same
         FROM jao.max_exchanges_daily_refreshed r
         JOIN jao.delivery_day d ON d.dataset = r.dataset AND d.day = r.day
        ORDER BY r.day`,
    );
    expect(recorded.rows).toEqual([
      { day: DAY, same: true },
      { day: OTHER_DAY, same: true },
    ]);
    expect(await daily(db.pool, DAY, 'jao.max_exchanges_daily_materialized')).toEqual(await fromValues(DAY));
    const jobs = await db.pool.query<{ proc: string; every: string }>(
      `SELECT proc_schema || '.' || proc_name AS proc, schedule_interval::text AS every
         FROM timescaledb_information.jobs
        WHERE proc_name IN ('refresh_max_exchanges_daily', 'policy_refresh_continuous_aggregate')`,
    );
    expect(jobs.rows).toEqual([{ proc: 'jao.refresh_max_exchanges_daily', every: '00:01:00' }]);
    // A value changed outside the write path (no day's change records it): the job's last refresh takes what
    // TimescaleDB's invalidation log holds.
    await db.pool.query(
      `UPDATE jao.observation SET value = value + 1000
        WHERE mtu = $1 AND series_id = (SELECT series_id FROM jao.series WHERE key = 'border_DE_FR')`,
      [new Date('2023-05-10T12:00:00.000Z')],
    );
    await materialize();
    expect(await daily(db.pool, DAY, 'jao.max_exchanges_daily_materialized')).toEqual(await fromValues(DAY));
    expect(await daily(reader, DAY)).toEqual(await fromValues(DAY));
    // What the job reads and writes is not the consumer interface.
    for (const relation of ['jao.max_exchanges_daily_materialized', 'jao.max_exchanges_daily_refreshed']) {
      await expect(reader.query(`SELECT count(*) FROM ${relation}`)).rejects.toMatchObject({ code: '42501' });
    }
  });
});

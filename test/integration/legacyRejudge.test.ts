// Migration 013: days stored `complete` before migration 010 (no key set) are re-judged from their stored values.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { loadMigrations } from '../../db/migrations';
import { watchPool } from '../../db/pool';
import { writeDay } from '../../db/writeDay';
import type { DeliveryDay, ValidatedDay } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { baseValue, hourlyMtus, validatedDay } from './storageFixtures';

const REJUDGE = '013_rejudge_legacy_complete_days';

let db: TestDatabase;
let pool: pg.Pool;
let scratch: string;

beforeAll(async () => {
  db = await createTestDatabase();
  scratch = `${db.name}_legacy`;
  await db.pool.query(`CREATE DATABASE "${scratch}"`);
  const url = new URL(db.url);
  url.pathname = `/${scratch}`;
  pool = watchPool(new pg.Pool({ connectionString: url.toString(), max: 4 }));
  // Every migration but 013: the days below are stored as before it (by today's write path, which needs the
  // later tables too, such as 015's day events), then 013 runs on them.
  await migrate(
    pool,
    loadMigrations().filter((m) => m.name !== REJUDGE),
  );
});

afterAll(async () => {
  await pool?.end();
  await db?.pool.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  await db?.drop();
});

const BORDERS = ['AT_BE', 'BE_AT'];

/**
 * A day as an earlier version stored it: values written, recorded `complete` whatever they were, without the
 * quality record of migration 010 (no key set, no resolution, no reason).
 */
async function storeLegacyDay(day: DeliveryDay, validated: ValidatedDay): Promise<void> {
  await writeDay(pool, {
    dataset: 'maxExchanges',
    day,
    status: 'complete',
    validated,
    expectedMtus: validated.expectedMtus,
    rawResponseId: null,
    workflowId: `maxExchanges/day/${day}`,
  });
  await pool.query(
    `UPDATE jao.delivery_day
        SET status = 'complete', key_set_id = NULL, resolution_minutes = NULL, missing_mtus = '{}', reason = NULL,
            null_values = 0, rejected_values = 0, received_mtus = expected_mtus
      WHERE dataset = 'maxExchanges' AND day = $1::date`,
    [day],
  );
}

async function dayRow(day: DeliveryDay): Promise<Record<string, unknown>> {
  const result = await pool.query(
    `SELECT d.status, d.received_mtus, d.points, d.reason, d.key_set_id IS NULL AS legacy, d.revision_count,
            ARRAY(SELECT to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') FROM unnest(q.missing_mtus) AS m)
              AS missing_mtus,
            q.reason AS quality_reason
       FROM jao.delivery_day d JOIN jao.day_quality q USING (dataset, day)
      WHERE d.dataset = 'maxExchanges' AND d.day = $1::date`,
    [day],
  );
  expect(result.rows).toHaveLength(1);
  return result.rows[0] as Record<string, unknown>;
}

const short = (iso: string) => `${iso.slice(0, 16)}Z`;

describe(`migration ${REJUDGE}`, () => {
  const missingValues = '2025-12-05';
  const complete = '2025-12-06';
  const missingMtus = '2025-12-07';
  const empty = '2025-12-08';
  const judgedSince010 = '2025-12-09';
  const dstDay = '2025-10-26';

  it('re-judges legacy complete days from their stored values and leaves the others alone', async () => {
    // BE_AT has no value at the first two hours: 46 of 48 values, every MTU present.
    await storeLegacyDay(
      missingValues,
      validatedDay(missingValues, BORDERS, (border, hour) =>
        border === 'BE_AT' && hour < 2 ? undefined : baseValue(border, hour),
      ),
    );
    await storeLegacyDay(complete, validatedDay(complete, BORDERS, baseValue));
    // No value at all at the last two hours: 44 of 48 values, 22 of 24 MTUs.
    await storeLegacyDay(
      missingMtus,
      validatedDay(missingMtus, BORDERS, (border, hour) =>
        hour >= 22 ? undefined : baseValue(border, hour),
      ),
    );
    // Recorded complete with nothing stored.
    await pool.query(
      `INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus, received_mtus, points, revision_count)
       VALUES ('maxExchanges', $1::date, 'complete', 24, 24, 48, 1)`,
      [empty],
    );
    // The 25-hour day at the end of summer time, one MTU without values: the grid has 25 hourly MTUs.
    await storeLegacyDay(
      dstDay,
      validatedDay(dstDay, BORDERS, (border, hour) => (hour === 2 ? undefined : baseValue(border, hour))),
    );
    // Written since 010 (it has a key set): not re-judged, even with values missing.
    await writeDay(pool, {
      dataset: 'maxExchanges',
      day: judgedSince010,
      status: 'complete',
      validated: validatedDay(judgedSince010, BORDERS, (border, hour) =>
        border === 'AT_BE' && hour === 0 ? undefined : baseValue(border, hour),
      ),
      expectedMtus: 24,
      rawResponseId: null,
      workflowId: null,
    });
    const untouched = {
      [complete]: await dayRow(complete),
      [judgedSince010]: await dayRow(judgedSince010),
    };
    expect(untouched[complete]).toMatchObject({ status: 'complete', legacy: true, points: 48 });
    expect(untouched[judgedSince010]).toMatchObject({ status: 'complete', legacy: false, points: 47 });

    const report = await migrate(pool);
    expect(report.applied).toEqual([REJUDGE]);

    expect(await dayRow(missingValues)).toEqual({
      status: 'partial',
      received_mtus: 24,
      points: 46,
      reason: 're-judged by migration 013: 46 of 48 values stored (2 keys × 24 MTUs)',
      legacy: true,
      revision_count: 1,
      missing_mtus: [],
      quality_reason: 're-judged by migration 013: 46 of 48 values stored (2 keys × 24 MTUs)',
    });
    const lastTwo = hourlyMtus(missingMtus).slice(22).map(short);
    expect(await dayRow(missingMtus)).toEqual({
      status: 'partial',
      received_mtus: 22,
      points: 44,
      reason:
        're-judged by migration 013: 44 of 48 values stored (2 keys × 24 MTUs); 22 of 24 MTUs have values',
      legacy: true,
      revision_count: 1,
      missing_mtus: lastTwo,
      quality_reason:
        're-judged by migration 013: 44 of 48 values stored (2 keys × 24 MTUs); 22 of 24 MTUs have values',
    });
    expect(await dayRow(empty)).toEqual({
      status: 'invalid',
      received_mtus: 0,
      points: 0,
      reason: 're-judged by migration 013: no value stored (24 MTUs expected)',
      legacy: true,
      revision_count: 1,
      missing_mtus: hourlyMtus(empty).map(short),
      quality_reason: 're-judged by migration 013: no value stored (24 MTUs expected)',
    });
    expect(hourlyMtus(dstDay)).toHaveLength(25);
    expect(await dayRow(dstDay)).toEqual({
      status: 'partial',
      received_mtus: 24,
      points: 48,
      reason:
        're-judged by migration 013: 48 of 50 values stored (2 keys × 25 MTUs); 24 of 25 MTUs have values',
      legacy: true,
      revision_count: 1,
      missing_mtus: [short(hourlyMtus(dstDay)[2]!)],
      quality_reason:
        're-judged by migration 013: 48 of 50 values stored (2 keys × 25 MTUs); 24 of 25 MTUs have values',
    });
    // The query of docs/deployment.md for what the migration changed.
    const changed = await pool.query<{ day: string; status: string }>(
      `SELECT day::text AS day, status FROM jao.day_quality
        WHERE reason LIKE 're-judged by migration 013:%' ORDER BY dataset, day`,
    );
    expect(changed.rows).toEqual([
      { day: dstDay, status: 'partial' },
      { day: missingValues, status: 'partial' },
      { day: missingMtus, status: 'partial' },
      { day: empty, status: 'invalid' },
    ]);
    expect(await dayRow(complete)).toEqual(untouched[complete]);
    expect(await dayRow(judgedSince010)).toEqual(untouched[judgedSince010]);
    // The values themselves are not touched.
    const values = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jao.max_exchanges WHERE delivery_day BETWEEN '2025-12-05' AND '2025-12-09'`,
    );
    expect(values.rows[0]!.n).toBe(46 + 48 + 44 + 0 + 47);
  });

  it('changes nothing when run again', async () => {
    const before = await pool.query(
      `SELECT d.*, d.missing_mtus::text AS missing FROM jao.delivery_day d ORDER BY dataset, day`,
    );
    const sql = loadMigrations().find((m) => m.name === REJUDGE)!.sql;
    const again = await pool.query(sql);
    expect(again.rowCount).toBe(0);
    expect((await migrate(pool)).applied).toEqual([]);
    const after = await pool.query(
      `SELECT d.*, d.missing_mtus::text AS missing FROM jao.delivery_day d ORDER BY dataset, day`,
    );
    expect(after.rows).toEqual(before.rows);
  });
});

// JAO's monitoring answers kept with their versions (db/monitoringSteps.ts, migration 025): a repeated reading adds
// nothing, a change closes the current version and adds the next, and what JAO said is answerable as of any instant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshnessActivities } from '../../activities/freshness';
import {
  latestMonitoringReadings,
  monitoringStepsAsOf,
  recordMonitoringReading,
} from '../../db/monitoringSteps';
import type { MonitoringStep } from '../../domain/monitoring';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.release();
});

const pending: MonitoringStep = {
  day: '2026-03-10',
  page: 'Final Computation',
  status: 'Pending',
  deadline: '2026-03-09T11:00:00.000Z',
  lastModifiedOn: null,
  followUpActionInitiated: false,
};
const received: MonitoringStep = {
  ...pending,
  status: 'Received',
  lastModifiedOn: '2026-03-09T07:58:00.000Z',
};
const revised: MonitoringStep = { ...received, lastModifiedOn: '2026-03-09T15:00:00.000Z' };
const at = (time: string) => new Date(`2026-03-09T${time}:00.000Z`);

describe('monitoring storage', () => {
  it('keeps versions, once each, and answers as of any instant', async () => {
    expect(
      await recordMonitoringReading(db.pool, 'core', at('07:00'), { outcome: 'read', steps: [pending] }),
    ).toBe(1);
    expect(
      await recordMonitoringReading(db.pool, 'core', at('07:30'), { outcome: 'read', steps: [pending] }),
    ).toBe(0);
    expect(
      await recordMonitoringReading(db.pool, 'core', at('08:00'), { outcome: 'read', steps: [received] }),
    ).toBe(1);
    // Two readers of the same answer at once add one version between them.
    const twice = await Promise.all([
      recordMonitoringReading(db.pool, 'core', at('15:01'), { outcome: 'read', steps: [revised] }),
      recordMonitoringReading(db.pool, 'core', at('15:02'), { outcome: 'read', steps: [revised] }),
    ]);
    expect(twice.sort()).toEqual([0, 1]);
    await recordMonitoringReading(db.pool, 'core', at('15:30'), { outcome: 'failed', detail: 'HTTP 503' });

    const asOf = async (time: string) =>
      (await monitoringStepsAsOf(db.pool, 'core', at(time))).map(({ status, lastModifiedOn, version }) => ({
        status,
        lastModifiedOn,
        version,
      }));
    expect(await asOf('06:59')).toEqual([]);
    expect(await asOf('07:45')).toEqual([{ status: 'Pending', lastModifiedOn: null, version: 1 }]);
    expect(await asOf('12:00')).toEqual([
      { status: 'Received', lastModifiedOn: '2026-03-09T07:58:00.000Z', version: 2 },
    ]);
    expect(await asOf('16:00')).toEqual([
      { status: 'Received', lastModifiedOn: '2026-03-09T15:00:00.000Z', version: 3 },
    ]);
    const { rows } = await db.pool.query(
      `SELECT jao.monitoring_received_at('core', '2026-03-10', 'Final Computation') AS said`,
    );
    expect(rows[0].said).toEqual(at('08:00'));
    expect((await latestMonitoringReadings(db.pool, 'core', 2)).map((each) => each.outcome)).toEqual([
      'failed',
      'read',
    ]);
  });
});

/** Readings of the day after the ones above, read after them. */
const nextDay = (time: string) => new Date(`2026-03-10T${time.length === 5 ? `${time}:00` : time}.000Z`);

describe('the polls stand down by the stored readings', () => {
  it('while the region reads, for datasets with declared steps; take over after the failures in a row or when stale', async () => {
    // A step of today, Pending: nothing JAO says it has is missing from the database.
    const announced: MonitoringStep = { ...pending, day: '2026-03-10', deadline: '2026-03-10T11:00:00.000Z' };
    // Core's maxExchanges is announced by a declared step (Final Computation), coreAtc by none.
    let now = nextDay('10:00');
    const on = { on: true, failuresBeforePolls: 2, staleAfterMs: 5 * 60_000, lookbackDays: 1 };
    const activities = createFreshnessActivities({ pool: db.pool, monitoring: on, now: () => now });
    const off = createFreshnessActivities({ pool: db.pool, now: () => now });
    const fresh = await createTestDatabase();
    try {
      const empty = createFreshnessActivities({ pool: fresh.pool, monitoring: on, now: () => now });
      // No reading at all: the polls run.
      expect(await empty.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({ standDown: false });
    } finally {
      await fresh.release();
    }
    // A reading that names none of the dataset's steps (JAO spells its pages otherwise): the polls run.
    await recordMonitoringReading(db.pool, 'core', nextDay('09:58'), {
      outcome: 'read',
      steps: [{ ...announced, page: 'A page no declaration names' }],
    });
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({ standDown: false });
    await recordMonitoringReading(db.pool, 'core', nextDay('09:59'), { outcome: 'read', steps: [announced] });
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({
      standDown: true,
      region: 'core',
      reason: "JAO's monitoring of core fetches its days (last read 2026-03-10T09:59:00.000Z)",
    });
    // JAO_MONITORING off, or a dataset no step announces: the polls run.
    expect(await off.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({ standDown: false });
    expect(await activities.pollsStandDown({ dataset: 'coreAtc' })).toEqual({ standDown: false });
    // One failed reading: still monitoring (the next is the retry); two in a row: the polls.
    await recordMonitoringReading(db.pool, 'core', nextDay('10:00'), {
      outcome: 'failed',
      detail: 'HTTP 503',
    });
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toMatchObject({ standDown: true });
    await recordMonitoringReading(db.pool, 'core', nextDay('10:00:30'), {
      outcome: 'unreadable',
      detail: 'unreadable monitoring answer: x',
    });
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({ standDown: false });
    // Read again: monitoring; then nothing read for more than MONITORING_STALE_AFTER: the polls.
    await recordMonitoringReading(db.pool, 'core', nextDay('10:01'), { outcome: 'read', steps: [announced] });
    now = nextDay('10:02');
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toMatchObject({ standDown: true });
    now = nextDay('10:07');
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({ standDown: false });
    // Read again, but JAO says Received a day the database does not hold: the polls run until it is stored.
    await recordMonitoringReading(db.pool, 'core', nextDay('10:07:30'), {
      outcome: 'read',
      steps: [{ ...announced, status: 'Received', lastModifiedOn: '2026-03-10T10:05:00.000Z' }],
    });
    now = nextDay('10:08');
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toEqual({ standDown: false });
    await db.pool.query(
      `INSERT INTO jao.delivery_day (dataset, day, status, expected_mtus, received_mtus)
       VALUES ('maxExchanges', '2026-03-10', 'complete', 24, 24)`,
    );
    expect(await activities.pollsStandDown({ dataset: 'maxExchanges' })).toMatchObject({ standDown: true });
  });
});

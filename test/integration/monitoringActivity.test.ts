// The monitoring activity (activities/monitoring.ts) on a clock of its own: one reading of the simulator's monitoring
// answer, taken at the instant the injected clock gives (the simulator's, far from the machine's): the window it
// asks for, the time the reading is recorded at, and the pace it derives all come from that clock.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitoringActivities, type MonitoringReadResult } from '../../activities/monitoring';
import { latestMonitoringReadings } from '../../db/monitoringSteps';
import { MONITORING_OFF, monitoringWindow } from '../../domain/monitoring';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const quiet = { logger: new DefaultLogger('ERROR') };

/** 10:00 in Amsterdam on 2026-03-09: the window of day 2026-03-10 (08:00-11:00 the day before) is open. */
let now = new Date('2026-03-09T09:00:00Z');
let sim: SimulatorHandle;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startSimulator({ now: () => now });
});
afterAll(async () => {
  await sim?.close();
  await db?.release();
});

const activities = () =>
  createMonitoringActivities({
    pool: db.pool,
    jao: { baseUrl: sim.origin, timeoutMs: 10_000 },
    now: () => now,
  });

/** One reading of Core's monitoring answer; the window it asked for and the reading as recorded. */
async function readCore(read: ReturnType<typeof activities>['readJaoMonitoring']) {
  const result = (await new MockActivityEnvironment({}, quiet).run(() =>
    read({ region: 'core' }),
  )) as MonitoringReadResult;
  const asked = sim.requests.filter((request) => request.monitoring === 'core').at(-1);
  const [recorded] = await latestMonitoringReadings(db.pool, 'core', 1);
  return { result, asked: { from: asked?.fromUtc, to: asked?.toUtc }, recorded };
}

const preFinal = (result: MonitoringReadResult) =>
  result.outcome === 'read'
    ? result.steps.find((step) => step.day === '2026-03-10' && step.page === 'Pre-Final Computation')?.status
    : result.detail;

describe('the monitoring activity', () => {
  it('asks for the window of its clock, records the reading at its time and paces by it, reading it each time', async () => {
    const { readJaoMonitoring } = activities();
    sim.unpublishDay('2026-03-10', 'corePreFinalComputation');
    const pending = await readCore(readJaoMonitoring);
    // From the lookback's first day to the start of the day after tomorrow, Amsterdam time.
    expect(pending.asked).toEqual(monitoringWindow(now, MONITORING_OFF.lookbackDays));
    expect(pending.asked.to).toBe('2026-03-10T23:00:00.000Z');
    expect(pending.recorded).toMatchObject({ readAt: '2026-03-09T09:00:00.000Z', outcome: 'read' });
    // A step of day 2026-03-10 is Pending while its window is open: the next reading comes soon.
    expect(preFinal(pending.result)).toBe('Pending');
    expect(pending.result).toMatchObject({ outcome: 'read', pace: 'expecting' });

    sim.publishDay('2026-03-10', now, 'corePreFinalComputation');
    now = new Date('2026-03-09T23:30:00Z');
    const published = await readCore(readJaoMonitoring);
    expect(published.asked.to).toBe('2026-03-11T23:00:00.000Z');
    expect(published.recorded).toMatchObject({ readAt: '2026-03-09T23:30:00.000Z', outcome: 'read' });
    expect(preFinal(published.result)).toBe('Received');
    expect(published.result).toMatchObject({ outcome: 'read', pace: 'quiet' });
  });
});

// The simulator's monitoring path (simulator/monitoring.ts) over HTTP: steps per dataset with deadlines, Pending
// turning Received when the day is published, lastModifiedOn moving on a revision, a late step, and an outage of
// the monitoring path alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMonitoringAnswer } from '../../domain/monitoringAnswer';
import { type SimulatorHandle, startSimulator } from '../../simulator/server';

// 2026-03-09 10:00 Amsterdam: day 2026-03-10 is published at 08:00 and its deadline is 12:00.
let now = new Date('2026-03-09T09:00:00Z');
let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ now: () => now });
});
afterAll(async () => {
  await sim.close();
});

const WINDOW = 'FromUtc=2026-03-09T23:00:00.000Z&ToUtc=2026-03-10T23:00:00.000Z';

async function monitoring(region = 'core') {
  const response = await fetch(`${sim.origin}/${region}/api/system/monitoring?${WINDOW}`);
  return { status: response.status, body: await response.text() };
}

async function steps() {
  const { status, body } = await monitoring();
  expect(status).toBe(200);
  const read = readMonitoringAnswer(JSON.parse(body));
  if ('problem' in read) throw new Error(read.problem);
  return new Map(read.steps.map((step) => [step.page, step]));
}

describe('simulator: monitoring', () => {
  it('lists the declared steps of the business day, Received when published, with deadlines', async () => {
    const answer = await steps();
    expect([...answer.keys()]).toEqual([
      'Final Computation',
      'Pre-Final Computation',
      'Initial Computation (Virgin Domain)',
    ]);
    const final = answer.get('Final Computation')!;
    expect(final).toMatchObject({
      day: '2026-03-10',
      status: 'Received',
      deadline: '2026-03-09T11:00:00.000Z',
    });
    expect(final.lastModifiedOn).not.toBeNull();
    const row = (JSON.parse((await monitoring()).body) as { data: Record<string, unknown>[] }).data[0]!;
    expect(Object.keys(row)).toEqual([
      'id',
      'businessDayUtc',
      'deadline',
      'page',
      'status',
      'lastModifiedOn',
      'followUpActionInitiated',
    ]);
    expect(row.businessDayUtc).toBe('2026-03-09T23:00:00Z');
  });

  it('turns Pending into Received when the day is published, and moves lastModifiedOn on a revision', async () => {
    sim.unpublishDay('2026-03-10', 'maxExchanges');
    expect((await steps()).get('Final Computation')).toMatchObject({
      status: 'Pending',
      lastModifiedOn: null,
    });
    expect((await steps()).get('Pre-Final Computation')?.status).toBe('Received');
    sim.publishDay('2026-03-10', now, 'maxExchanges');
    const first = (await steps()).get('Final Computation')!;
    expect(first.status).toBe('Received');
    now = new Date('2026-03-09T09:30:00Z');
    sim.reviseDay('2026-03-10', 'coreFinalComputation');
    const revised = (await steps()).get('Final Computation')!;
    expect(revised.lastModifiedOn).toBe('2026-03-09T09:30:00.000Z');
    expect(revised.lastModifiedOn).not.toBe(first.lastModifiedOn);
  });

  it('keeps a step Pending past its deadline (late)', async () => {
    sim.unpublishDay('2026-03-10', 'corePreFinalComputation');
    now = new Date('2026-03-09T11:30:00Z');
    const late = (await steps()).get('Pre-Final Computation')!;
    expect(late.status).toBe('Pending');
    expect(now.getTime()).toBeGreaterThan(Date.parse(late.deadline!));
  });

  it('fails the monitoring path alone in an outage, and answers unreadably on demand', async () => {
    sim.setFaults({ monitoringOutage: true });
    expect((await monitoring()).status).toBe(503);
    const data = await fetch(
      `${sim.origin}/core/api/data/maxExchanges?FromUtc=2026-03-08T23:00:00.000Z&ToUtc=2026-03-09T23:00:00.000Z`,
    );
    expect(data.status).toBe(200);
    sim.setFaults({ monitoringOutage: false, monitoringUnreadable: true });
    const unreadable = await monitoring();
    expect(unreadable.status).toBe(200);
    expect(unreadable.body).toMatch(/^<!DOCTYPE html>/);
    sim.setFaults({ monitoringUnreadable: false });
    expect(sim.requests.filter((entry) => entry.monitoring === 'core').length).toBeGreaterThan(5);
    // Nordic has no step a declaration names: its answer is empty, not an error.
    expect(JSON.parse((await monitoring('nordic')).body)).toEqual({
      data: [],
      rejected: false,
      messages: [],
    });
  });
});

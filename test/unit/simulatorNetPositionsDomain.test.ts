// The simulator's net positions inside its own final presolved domain, as the market's cleared ones are: for every
// MTU (a quarter-hour against its hour's domain) and every presolved constraint, PTDF · NP ≤ RAM, read from the
// answers the flow-based paths serve (simulator/flowBased/netPositions.ts), through revisions and the latecomer.
import { describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import { catalogueFor } from '../../simulator/flowBased/constraints';
import { FlowBasedState } from '../../simulator/flowBased/dayState';
import { answerDomainRequest } from '../../simulator/flowBased/domainAnswer';
import { answerNetPosRequest } from '../../simulator/flowBased/netPosAnswer';
import { clearedTenths, netPositionHubs, netPositionTenths } from '../../simulator/flowBased/netPositions';

const NOW_MS = Date.parse('2026-11-22T12:00:00Z');
const HOUR_MS = 3_600_000;
/** A float's last bits: the simulator keeps the bound exactly (the desk's check allows 1 MW for rounding). */
const EPSILON_MW = 1e-6;

type Row = Record<string, unknown>;

function flowBasedState(domainShare = 1): FlowBasedState {
  return new FlowBasedState({ now: () => new Date(NOW_MS), publicationTime: '12:00', seed: 1, domainShare });
}

function served(answer: { status: number; body: string }): Row[] {
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { data: Row[] }).data;
}

function dayQuery(day: DeliveryDay, extra: Record<string, string> = {}) {
  const { from, to } = dayWindow(day);
  return { fromutc: from, toutc: to, ...extra };
}

const domainRows = (days: FlowBasedState, day: DeliveryDay) =>
  served(
    answerDomainRequest(
      days,
      catalogueFor(days.seed, days.domainShare),
      'finalComputation',
      dayQuery(day, { filter: '{"Presolved":true}', skip: '0', take: '100000' }),
      NOW_MS,
    ),
  );

const netPosRows = (days: FlowBasedState, day: DeliveryDay) =>
  served(answerNetPosRequest(days, dayQuery(day), NOW_MS));

interface Check {
  mtus: number;
  pairs: number;
  /** The least RAM − PTDF · NP over every (constraint, MTU), MW. */
  worstSlack: number;
  violations: string[];
  hubs: number;
}

/** PTDF · NP against RAM for every net-position MTU and each presolved constraint of its hour. */
function checkDay(days: FlowBasedState, day: DeliveryDay): Check {
  const byHour = new Map<number, Row[]>();
  for (const row of domainRows(days, day)) {
    const hourMs = Date.parse(String(row.dateTimeUtc));
    byHour.set(hourMs, [...(byHour.get(hourMs) ?? []), row]);
  }
  const check: Check = { mtus: 0, pairs: 0, worstSlack: Infinity, violations: [], hubs: 0 };
  for (const np of netPosRows(days, day)) {
    const mtuMs = Date.parse(String(np.dateTimeUtc));
    const hubs = Object.keys(np).filter((key) => key.startsWith('hub_'));
    check.hubs = hubs.length;
    const constraints = byHour.get(Math.floor(mtuMs / HOUR_MS) * HOUR_MS) ?? [];
    expect(constraints.length, `constraints of ${np.dateTimeUtc}`).toBeGreaterThan(0);
    check.mtus++;
    for (const constraint of constraints) {
      let flow = 0;
      for (const hub of hubs) {
        const ptdf = constraint[`ptdf_${hub.slice('hub_'.length)}`];
        if (typeof ptdf === 'number') flow += ptdf * (np[hub] as number);
      }
      const slack = (constraint.ram as number) - flow;
      check.pairs++;
      check.worstSlack = Math.min(check.worstSlack, slack);
      if (slack < -EPSILON_MW)
        check.violations.push(`${np.dateTimeUtc} ${constraint.cneName} ${constraint.contName}: ${slack}`);
    }
  }
  return check;
}

describe('the simulated net positions satisfy the final presolved domain', () => {
  const cases: Array<[string, DeliveryDay, number, number]> = [
    ['an hourly DST day before quarter-hours (23 MTUs)', '2025-03-30', 23, 14],
    ['an hourly day', '2025-09-30', 24, 14],
    ['a quarter-hourly DST day (100 MTUs against 25 hours)', '2025-10-26', 100, 14],
    ['a quarter-hourly day the day before AHC', '2026-06-10', 96, 14],
    ['an AHC day with the nine virtual hubs', '2026-06-11', 96, 23],
  ];
  for (const [what, day, mtus, hubs] of cases) {
    it(`on ${what}: ${day}`, () => {
      const check = checkDay(flowBasedState(), day);
      expect(check.violations).toEqual([]);
      expect([check.mtus, check.hubs]).toEqual([mtus, hubs]);
      expect(check.pairs).toBeGreaterThan(mtus * 100);
      // Cleared onto the domain's boundary, not far inside it: some constraint binds.
      expect(check.worstSlack).toBeLessThan(1);
    });
  }

  it('still after finalComputation is revised, netPos is revised, and the latecomer joins the domain', () => {
    const day: DeliveryDay = '2026-11-19';
    const days = flowBasedState();
    const before = netPosRows(days, day);
    expect(checkDay(days, day).violations).toEqual([]);

    days.revise('finalComputation', day);
    expect(checkDay(days, day).violations).toEqual([]);
    const afterDomain = netPosRows(days, day);

    days.revise('netPos', day);
    expect(checkDay(days, day).violations).toEqual([]);
    expect(netPosRows(days, day)).not.toEqual(afterDomain);

    days.armCountChange('finalComputation', day);
    days.pageServed('finalComputation', day);
    const withLatecomer = checkDay(days, day);
    expect(withLatecomer.violations).toEqual([]);
    expect(
      domainRows(days, day).filter((row) => row.cneName === 'Borssele - Rilland 380 Zwart '),
    ).toHaveLength(24);
    // Re-cleared, not re-drawn: the ids stay, the values move only where the revised domain binds them.
    expect(afterDomain.map((row) => row.id)).toEqual(before.map((row) => row.id));
  });

  it('on the smaller domain tests opt into (flowBasedDomainShare): cleared against it, onto its boundary', () => {
    for (const day of ['2025-09-30', '2026-06-11'] as const) {
      const check = checkDay(flowBasedState(0.2), day);
      expect(check.violations).toEqual([]);
      expect(check.pairs).toBeGreaterThan(check.mtus * 20);
      expect(check.pairs).toBeLessThan(check.mtus * 100);
      expect(check.worstSlack).toBeLessThan(1);
    }
  });

  it('is deterministic: two simulators serve the same net positions', () => {
    const day: DeliveryDay = '2026-06-11';
    expect(netPosRows(flowBasedState(), day)).toEqual(netPosRows(flowBasedState(), day));
  });
});

describe('clearing drawn net positions into a domain', () => {
  const hubs = netPositionHubs('2026-06-11');
  const drawn = netPositionTenths(hubs, Date.parse('2026-06-11T10:00:00Z'), 0, 1);
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  const column = (hub: string) => hubs.indexOf(hub);

  it('keeps drawn net positions that already fit', () => {
    expect(clearedTenths(hubs, drawn, [])).toEqual(drawn);
    expect(clearedTenths(hubs, drawn, [{ ram: 1e9, ptdfs: hubs.map(() => 1) }])).toEqual(drawn);
  });

  it('scales the whole vector onto a binding constraint, still summing to 0 with ALBE = −ALDE', () => {
    const de = column('DE');
    const ptdfs = hubs.map((_, i) => (i === de ? 0 : i === column('FR') ? 0.25 : 0));
    const fr = drawn[column('FR')]! / 10;
    const ram = Math.abs(fr) * 0.125;
    const signed = hubs.map((_, i) => ptdfs[i]! * Math.sign(fr));
    const cleared = clearedTenths(hubs, drawn, [{ ram, ptdfs: signed }]);
    expect(sum(cleared)).toBe(0);
    expect(cleared[column('ALDE')]).toBe(-cleared[column('ALBE')]!);
    const flow = (Math.abs(cleared[column('FR')]!) / 10) * 0.25;
    expect(flow).toBeLessThanOrEqual(ram + EPSILON_MW);
    expect(flow).toBeGreaterThan(ram - 0.1);
  });

  it('serves zeros for a domain nothing but zero fits', () => {
    const both = (sign: number) => ({ ram: 0, ptdfs: hubs.map((hub) => (hub === 'FR' ? sign : 0)) });
    const cleared = clearedTenths(hubs, drawn, [both(1), both(-1)]);
    expect(cleared[column('FR')]).toBe(0);
    expect(sum(cleared)).toBe(0);
  });
});

// Core's net positions at one MTU: a value per hub in tenths of a MW, summing to zero over every hub of the row
// (the fixture's 23 hubs do). The ALEGrO hubs mirror each other (ALBE = −ALDE, as in the fixture); DE balances.
// As the market's cleared net positions do, they satisfy the final presolved domain of their hour (a quarter-hour
// its hour's): the drawn vector is scaled down, whole, until PTDF · NP ≤ RAM holds for every constraint.
import { dayStartMs } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import type { FlowBasedState } from './dayState';
import { hasAhcHubs, NET_POSITION_AHC_HUBS, NET_POSITION_CORE_HUBS } from './endpoints';
import { type DomainConstraint, finalDomainByHour } from './finalDomain';
import { textHash, unitOf } from './hash';

/** The `hub_` names of a day's rows, in the order of the real answer. */
export function netPositionHubs(day: DeliveryDay): readonly string[] {
  return hasAhcHubs(day) ? [...NET_POSITION_CORE_HUBS, ...NET_POSITION_AHC_HUBS] : NET_POSITION_CORE_HUBS;
}

const BALANCING_HUB = 'DE';
/** Largest net position drawn for a Core hub, in tenths of a MW. */
const CORE_RANGE_TENTHS = 40_000;
const AHC_RANGE_TENTHS = 15_000;
/** MW: a float's last bits (a PTDF of five decimals times a tenth of a MW is exact to far less). */
const EPSILON_MW = 1e-6;
/** Each further try after rounding broke a constraint scales by this much more. */
const STEP_DOWN = 0.999;
const MAX_TRIES = 50;

/** `values` with ALDE = −ALBE and the balancing hub making the row sum to zero. */
function balanced(hubs: readonly string[], values: number[]): number[] {
  const albe = hubs.indexOf('ALBE');
  const alde = hubs.indexOf('ALDE');
  if (albe >= 0 && alde >= 0) values[alde] = -values[albe]! || 0;
  const balancing = hubs.indexOf(BALANCING_HUB);
  values[balancing] = 0;
  const sum = values.reduce((total, value) => total + value, 0);
  values[balancing] = -sum || 0;
  return values;
}

/** The net positions of `hubs` at a MTU (version `epoch` of its day's values) as drawn, in tenths of a MW. */
export function netPositionTenths(
  hubs: readonly string[],
  mtuMs: number,
  epoch: number,
  seed: number,
): number[] {
  const draw = (hub: string, range: number) =>
    Math.round((unitOf(textHash(hub), mtuMs, epoch, seed) - 0.5) * 2 * range);
  const values = hubs.map((hub) => {
    if (hub === BALANCING_HUB || hub === 'ALDE') return 0;
    if (hub === 'ALBE') return draw(hub, 5_000);
    const isAhc = hub.includes('_');
    // Some virtual hubs carry no exchange in a MTU (0.0 in the fixture).
    if (isAhc && unitOf(textHash(hub), mtuMs, epoch, seed, 0xa4c) < 0.3) return 0;
    return draw(hub, isAhc ? AHC_RANGE_TENTHS : CORE_RANGE_TENTHS);
  });
  return balanced(hubs, values);
}

/** PTDF · NP in MW. */
function flowMw(constraint: DomainConstraint, tenths: readonly number[]): number {
  let flow = 0;
  for (let i = 0; i < tenths.length; i++) flow += constraint.ptdfs[i]! * tenths[i]!;
  return flow / 10;
}

const holds = (domain: readonly DomainConstraint[], tenths: readonly number[]) =>
  domain.every((constraint) => flowMw(constraint, tenths) <= constraint.ram + EPSILON_MW);

/**
 * `drawn` scaled by the largest factor in [0, 1] that keeps every constraint of `domain`, rounded to tenths and
 * balanced again (rounding may cross a bound by a few hundredths of a MW: then a little smaller). Scaling the whole
 * vector keeps the sum at zero and ALBE = −ALDE; the zero vector fits every domain whose RAMs are not negative.
 */
export function clearedTenths(
  hubs: readonly string[],
  drawn: readonly number[],
  domain: readonly DomainConstraint[],
): number[] {
  if (holds(domain, drawn)) return [...drawn];
  let factor = 1;
  for (const constraint of domain) {
    const flow = flowMw(constraint, drawn);
    if (flow > constraint.ram + EPSILON_MW) factor = Math.min(factor, Math.max(0, constraint.ram) / flow);
  }
  for (let attempt = 0; attempt < MAX_TRIES; attempt++, factor *= STEP_DOWN) {
    const tenths = balanced(
      hubs,
      drawn.map((value) => Math.round(value * factor) || 0),
    );
    if (holds(domain, tenths)) return tenths;
  }
  return hubs.map(() => 0);
}

/** The net positions served for `day` at a MTU: drawn for the netPos day's version, cleared into the final domain. */
export function servedNetPositionTenths(days: FlowBasedState, day: DeliveryDay, mtuMs: number): number[] {
  const hubs = netPositionHubs(day);
  const drawn = netPositionTenths(hubs, mtuMs, days.revisionOf('netPos', day), days.seed);
  const hour = Math.floor((mtuMs - dayStartMs(day)) / 3_600_000);
  const domain = finalDomainByHour(days, day, hubs)[hour] ?? [];
  return clearedTenths(hubs, drawn, domain);
}

// Core's net positions at one MTU: a value per hub in tenths of a MW, summing to zero over every hub of the row
// (the fixture's 23 hubs do). The ALEGrO hubs mirror each other (ALBE = −ALDE, as in the fixture); DE balances.
import type { DeliveryDay } from '../../domain/types';
import { hasAhcHubs, NET_POSITION_AHC_HUBS, NET_POSITION_CORE_HUBS } from './endpoints';
import { textHash, unitOf } from './hash';

/** The `hub_` names of a day's rows, in the order of the real answer. */
export function netPositionHubs(day: DeliveryDay): readonly string[] {
  return hasAhcHubs(day) ? [...NET_POSITION_CORE_HUBS, ...NET_POSITION_AHC_HUBS] : NET_POSITION_CORE_HUBS;
}

const BALANCING_HUB = 'DE';
/** Largest net position drawn for a Core hub, in tenths of a MW. */
const CORE_RANGE_TENTHS = 40_000;
const AHC_RANGE_TENTHS = 15_000;

/** The net positions of `hubs` at a MTU (version `epoch` of its day's values), in tenths of a MW. */
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
  const albe = hubs.indexOf('ALBE');
  const alde = hubs.indexOf('ALDE');
  if (albe >= 0 && alde >= 0) values[alde] = -values[albe]! || 0;
  const balancing = hubs.indexOf(BALANCING_HUB);
  const sum = values.reduce((total, value) => total + value, 0);
  values[balancing] = -sum || 0;
  return values;
}

// Core netPos, answered by the flow-based simulator's netPos path (simulator/flowBased/netPosAnswer.ts): its hubs
// per day (the nine AHC hubs from 2026-06-11) and its values, whose one source is simulator/flowBased/netPositions.ts.
import { HUB_KEY_PREFIX, hubKey } from '../../domain/hubs';
import type { DeliveryDay } from '../../domain/types';
import type { FlowBasedState } from '../flowBased/dayState';
import { hasAhcHubs } from '../flowBased/endpoints';
import { netPositionHubs, servedNetPositionTenths } from '../flowBased/netPositions';
import { type KeySet, keySetOf } from '../values';
import type { FlowBasedProfile } from './profile';

const keySets = new Map<boolean, KeySet>();

function keySetForDay(day: DeliveryDay): KeySet {
  const ahc = hasAhcHubs(day);
  let keySet = keySets.get(ahc);
  if (keySet === undefined) {
    keySet = keySetOf(netPositionHubs(day).map(hubKey));
    keySets.set(ahc, keySet);
  }
  return keySet;
}

function valueAt(days: FlowBasedState, day: DeliveryDay, key: string, mtuMs: number): number | null {
  const hubs = netPositionHubs(day);
  const index = hubs.indexOf(key.slice(HUB_KEY_PREFIX.length));
  if (!key.startsWith(HUB_KEY_PREFIX) || index < 0) return null;
  const tenths = servedNetPositionTenths(days, day, mtuMs);
  return tenths[index]! / 10;
}

export const coreNetPosProfile: FlowBasedProfile = {
  dataset: 'coreNetPos',
  servedBy: 'netPos',
  keySetForDay,
  valueAt,
};

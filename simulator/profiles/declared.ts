// The profile of a dataset without a capture of its own, built from its declaration alone: its declared keys in
// order (keys, or each key pattern over its zones), integer values in a range by unit and sign, one row id per MTU,
// its extra row fields, and, where it declares them, MTUs without a row (sparse) and nulls (publishedNull).
import {
  type DatasetDeclaration,
  declaredKeysOn,
  type KeyedValueDataset,
  publishedEmptyKeysOf,
  type Unit,
} from '../../domain/datasets';
import type { DeliveryDay } from '../../domain/types';
import { idsFromCapture, type KeySet, keySetOf, type ValueScale, zonelessJaoInstant } from '../values';
import type { GeneratedProfile } from './profile';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Plausible values by unit: [low, high] for a value that is never negative; a signed one spans [-high, high]. */
const RANGES: { readonly [U in Unit]: { low: number; high: number; divisor?: number } } = {
  MW: { low: 0, high: 15_000 },
  'EUR/MWh': { low: 0, high: 250 },
  'EUR/MW': { low: 0, high: 2_000 },
  EUR: { low: 0, high: 900_000 },
  dimensionless: { low: 0, high: 100, divisor: 100 },
};

function scaleOf(declaration: DatasetDeclaration): ValueScale {
  const { low, high, divisor } = RANGES[declaration.unit];
  const minutes = declaration.resolutions.at(-1)!.minutes;
  return {
    min: declaration.valueSign === 'signed' ? -high : low,
    max: high,
    slotMs: Math.min(HOUR_MS, minutes * MINUTE_MS),
    ...(divisor ? { divisor } : {}),
  };
}

export function declaredProfile(
  declaration: DatasetDeclaration & { id: KeyedValueDataset },
): GeneratedProfile {
  const keySets = new Map<DeliveryDay, KeySet>();
  const stepMs = declaration.resolutions.at(-1)!.minutes * MINUTE_MS;
  const instants = declaration.extraRowFields.filter((field) => field.kind === 'zonelessUtcInstant');
  return {
    dataset: declaration.id,
    keySetForDay(day) {
      let keySet = keySets.get(day);
      if (keySet === undefined) {
        keySet = keySetOf(declaredKeysOn(declaration, day), publishedEmptyKeysOf(declaration));
        if (keySets.size > 64) keySets.clear();
        keySets.set(day, keySet);
      }
      return keySet;
    },
    format: {
      rowIdAt: idsFromCapture(1, Date.parse(`${declaration.firstDay}T00:00:00Z`), stepMs),
      scale: scaleOf(declaration),
      numbers: 'integer',
      ...(declaration.publishedNull ? { gaps: { cellsNull: 10 } } : {}),
    },
    ...(declaration.sparse ? { rowGaps: { rowsAbsent: 3 } } : {}),
    ...(instants.length > 0
      ? {
          leadingMembers: ({ lastModifiedMs }) =>
            instants.map((field) => `,"${field.name}":"${zonelessJaoInstant(lastModifiedMs)}"`).join(''),
        }
      : {}),
  };
}

// Core bilateral exchange restrictions (`bexRestrictions`, SHAPES §3.3): per hour and ordered pair of Core zones.
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, WITH_FLOW_BASED_INPUTS } from './shared';

export const coreBexRestrictions = {
  ...CORE_DAY_AHEAD,
  id: 'coreBexRestrictions',
  endpoint: 'bexRestrictions',
  title: 'JAO Core bilateral exchange restrictions, MW per border and hour',
  description:
    'Core day-ahead: the restrictions on bilateral exchanges between Core zones, per hour. Row: id, dateTimeUtc, ' +
    'then border_{FROM}_{TO} with 2-letter zones (K: JAOPuTo R/JAOPuTo_Core_bexrestrictions.R). Values in MW (I); ' +
    'the key set is not established (U): every ordered pair of the twelve Core zones is assumed (I). The fixture ' +
    'is built from these facts, not captured.',
  // One row for the hour 2026-01-01T00Z (grid-conductor's validation counts, K): hourly after 2025-10-01 too.
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: 'border_{FROM}_{TO}',
  zones: CORE_ZONES,
  valueSign: 'nonNegative',
  publication: WITH_FLOW_BASED_INPUTS,
  unit: 'MW',
} as const satisfies DatasetDeclaration;

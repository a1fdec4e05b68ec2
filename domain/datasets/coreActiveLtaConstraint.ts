// Core active LTA constraints (`activeLtaConstraint`, SHAPES §3.7): for the hours where the long-term allocations
// constrain the day-ahead domain, per border the constraint's shadow price and the quantity. Two key families in
// one row, sparse rows, and nulls where nothing is active.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, CORE_LTA_PAIRS, CORE_LTA_ZONES, pairKeys, WITH_COUPLING_RESULTS } from './shared';

export const coreActiveLtaConstraint = {
  ...CORE_DAY_AHEAD,
  id: 'coreActiveLtaConstraint',
  endpoint: 'activeLtaConstraint',
  title: 'JAO Core active LTA constraints: shadow price (EUR/MW) and quantity (MW) per border and hour',
  description:
    'Core day-ahead: where the long-term allocations (LTA) constrain the flow-based domain, per border and hour the ' +
    'shadow price of that constraint (shadowPrice_{FROM}_{TO}, EUR/MW) and the quantity (qty_{FROM}_{TO}, MW). ' +
    'Keys K (JAOPuTo R/JAOPuTo_Core_activeLTAconstraints.R); the 38 pairs, integers and nulls are real (JAOPuTo’s ' +
    'committed workspace, January 2025, rebuilt into the fixture); key order and envelope are inferred (I).',
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: ['shadowPrice_{FROM}_{TO}', 'qty_{FROM}_{TO}'],
  zones: CORE_LTA_ZONES,
  keys: [...pairKeys('shadowPrice_', CORE_LTA_PAIRS), ...pairKeys('qty_', CORE_LTA_PAIRS)],
  valueSign: 'nonNegative',
  publication: WITH_COUPLING_RESULTS,
  unit: 'MW',
  patternUnits: { 'shadowPrice_{FROM}_{TO}': 'EUR/MW' },
  publishedNull: {
    meaning: 'no LTA constraint is active on the border in that hour (the real values are null there), I',
  },
  sparse: {
    meaning:
      'JAO publishes a row only for the hours with an active LTA constraint: 114 of the 721 hours of January 2025 ' +
      'have none, scattered through the month (I). A day is complete when every row it has is read whole; a day ' +
      'without rows stays not published, as an answer before publication looks the same.',
  },
} as const satisfies DatasetDeclaration;

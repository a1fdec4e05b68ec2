// Core long-term allocations (`lta`) and nominations (`ltn`): per hour and border, the capacity allocated in the
// long-term auctions and the part of it nominated, both taken into the day-ahead flow-based domain. One declaration
// factory, as the two share their shape (SHAPES §3.1–3.2).
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, CORE_LTA_PAIRS, CORE_LTA_ZONES, D1_MORNING, pairKeys } from './shared';

interface LongTerm<Id extends string, Endpoint extends string> {
  id: Id;
  endpoint: Endpoint;
  title: string;
  what: string;
  source: string;
}

function longTerm<Id extends string, Endpoint extends string>(p: LongTerm<Id, Endpoint>) {
  return {
    ...CORE_DAY_AHEAD,
    id: p.id,
    endpoint: p.endpoint,
    title: p.title,
    description:
      `${p.what} Row: id, dateTimeUtc, then border_{FROM}_{TO} in MW (K: ${p.source}). Which 38 pairs JAO publishes is ` +
      'not established (U); the declared keys are the 38 of the real activeLtaConstraint values (I). The fixture ' +
      'is built from these facts, not captured.',
    // Hourly, also after the day-ahead market's 15-minute MTU (2025-10-01): jao-py's test_range_2 gets 49 rows for
    // 2025-10-25..27 (K).
    resolutions: [{ from: '2022-06-09', minutes: 60 }],
    keyPattern: 'border_{FROM}_{TO}',
    zones: CORE_LTA_ZONES,
    keys: pairKeys('border_', CORE_LTA_PAIRS),
    valueSign: 'nonNegative',
    publication: { ...D1_MORNING, typical: 'D-1 morning, with the day-ahead flow-based inputs, assumed (I)' },
    unit: 'MW',
  } as const satisfies DatasetDeclaration;
}

export const coreLta = longTerm({
  id: 'coreLta',
  endpoint: 'lta',
  title: 'JAO Core long-term allocations (LTA), MW per border and hour',
  what: 'Core day-ahead: the long-term transmission rights allocated per border and hour.',
  source: 'JAOPuTo R/JAOPuTo_Core_lta.R; jao-py test_core_flowbased.py asserts 38 columns for one MTU',
});

export const coreLtn = longTerm({
  id: 'coreLtn',
  endpoint: 'ltn',
  title: 'JAO Core long-term nominations (LTN), MW per border and hour',
  what: 'Core day-ahead: the long-term rights nominated per border and hour.',
  source: 'JAOPuTo R/JAOPuTo_Core_ltn.R',
});

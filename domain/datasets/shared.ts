// Facts and key sets several declarations share (domain/datasets/): what is real and what is assumed is said per
// piece. A declaration spreads the pieces it shares first, then states its own facts, which win.
import { CORE_ZONES } from '../borders';
import { AHC_FIRST_DAY, AHC_HUBS } from '../flowBased/fields';

/**
 * The 38 ordered Core border pairs of the real activeLtaConstraint values of January 2025 (test/fixtures/jao/more/
 * core_activeLtaConstraint_2025-01-02.reconstructed.json), in its order: Core's internal borders, ALEGrO as BE_ALBE
 * (no BE_DE). Known (K) for activeLtaConstraint; assumed (I) for lta and ltn, whose 38 pairs no public source names
 * (shadowAuctionATC's 38 have BE_DE instead).
 */
// biome-ignore format: a table of pairs
export const CORE_LTA_PAIRS = [
  'AT_CZ', 'AT_HU', 'AT_SI', 'CZ_AT', 'CZ_DE', 'CZ_PL', 'CZ_SK', 'DE_BE', 'DE_CZ', 'DE_PL', 'HR_HU', 'HR_SI',
  'HU_AT', 'HU_HR', 'HU_RO', 'HU_SI', 'HU_SK', 'PL_CZ', 'PL_DE', 'PL_SK', 'RO_HU', 'SI_AT', 'SI_HR', 'SI_HU',
  'SK_CZ', 'SK_HU', 'SK_PL', 'AT_DE', 'BE_NL', 'BE_FR', 'DE_AT', 'BE_ALBE', 'DE_FR', 'DE_NL', 'FR_BE', 'FR_DE',
  'NL_BE', 'NL_DE',
] as const;

/** The zones the pairs name: the twelve Core zones and ALEGrO's virtual hub on the Belgian side. */
export const CORE_LTA_ZONES = [...CORE_ZONES, 'ALBE'] as const;

/** The hubs a Core domain's PTDFs name from Advanced Hybrid Coupling on (its addedZones). */
export const AHC_PTDF_HUBS = {
  from: AHC_FIRST_DAY,
  zones: AHC_HUBS,
  reason: 'Advanced Hybrid Coupling: virtual hubs carry PTDFs',
} as const;

/** `{prefix}{FROM}_{TO}` for each pair. */
export function pairKeys(prefix: string, pairs: readonly string[]): string[] {
  return pairs.map((pair) => `${prefix}${pair}`);
}

/** The D-1 morning slot of the day-ahead flow-based inputs and domain: looked for 08:00-11:00, due by 12:00. */
export const D1_MORNING = { window: '08:00-11:00', deadline: '12:00' } as const;

/** The D-1 afternoon slot of the day-ahead coupling results: looked for 13:00-16:00, due by 17:00. */
export const D1_AFTERNOON = { window: '13:00-16:00', deadline: '17:00' } as const;

/** Published with the day-ahead flow-based inputs (assumed): several Core inputs of the domain share it. */
export const WITH_FLOW_BASED_INPUTS = {
  ...D1_MORNING,
  typical: 'D-1, with the day-ahead flow-based inputs, assumed (I)',
} as const;

/** Published with the day-ahead coupling results (assumed). */
export const WITH_COUPLING_RESULTS = {
  ...D1_AFTERNOON,
  typical: 'D-1, with the day-ahead coupling results, assumed (I)',
} as const;

/**
 * The Core day-ahead facts most Core declarations share: its calendar, its go-live, and where a publication's first
 * day comes from unless the declaration knows better: Core flow-based go-live (delivery day 2022-06-09, jao-py
 * README); the per-endpoint start is not established by any public source (I).
 */
export const CORE_DAY_AHEAD = {
  region: 'core',
  timeZone: 'Europe/Amsterdam',
  firstDay: '2022-06-09',
  firstDayName: 'Core flow-based go-live',
  firstDaySource:
    'Core day-ahead flow-based go-live, delivery day 2022-06-09 (jao-py README); that this endpoint starts on it is ' +
    'assumed (I): no public source gives its own first day.',
  rowKind: 'keyedValues',
  extraRowFields: [],
  envelopeFields: [],
} as const;

/**
 * The Nordic flow-based region's facts its declarations share: its calendar, its go-live and its MTUs. The day-ahead
 * market moved to 15-minute MTUs for delivery day 2025-10-01 (SDAC); hourly before, which the row ids of the
 * maxExchanges capture support (about 8,000 hourly rows before the quarter-hours). maxBorderFlow's capture of April
 * 2026 is quarter-hourly, each hour's four carrying the same value; the domain is 15-minute in January 2026 (a public
 * client's counts), hourly before inferred.
 */
export const NORDIC_DAY_AHEAD = {
  region: 'nordic',
  timeZone: 'Europe/Amsterdam',
  firstDay: '2024-10-30',
  firstDayName: 'Nordic flow-based go-live',
  resolutions: [
    { from: '2024-10-30', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  rowKind: 'keyedValues',
  envelopeFields: [],
} as const;

/**
 * What every flow-based domain publication shares: one row per constraint and MTU, signed MW, and the paged answer's
 * envelope. A day's keys are the hubs whose PTDFs it carries: a hub never seen before is drift, as a new key is.
 */
export const PAGED_CONSTRAINTS = {
  rowKind: 'constraints',
  keyPattern: 'hub_{HUB}',
  valueSign: 'signed',
  extraRowFields: [],
  envelopeFields: ['totalRows', 'totalRowsWithFilter', 'skip', 'take', 'appliedFilter', 'lastModifiedOn'],
  unit: 'MW',
} as const;

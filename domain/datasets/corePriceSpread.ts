// Core price spreads (`priceSpread`, SHAPES §3.4): the day-ahead price difference across each border, EUR/MWh, signed.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, CORE_LTA_PAIRS, CORE_LTA_ZONES, D1_AFTERNOON, pairKeys } from './shared';

export const corePriceSpread = {
  ...CORE_DAY_AHEAD,
  id: 'corePriceSpread',
  endpoint: 'priceSpread',
  title: 'JAO Core day-ahead price spreads, EUR/MWh per border and hour, signed',
  description:
    'Core day-ahead market coupling: the price spread across each border per MTU, EUR/MWh (I), stored as published. ' +
    'Row: id, dateTimeUtc, then border_{FROM}_{TO} (K: JAOPuTo R/JAOPuTo_Core_pricespreads.R). The sign convention ' +
    'is disputed: JAOPuTo negates the published value since 2026-03-13 ("sign is reversed (see documentation)"), an ' +
    'AF-CDMO replication module infers it from the data, other clients take it as published; the project keeps ' +
    'the published sign. jao-py counts 44 columns for one hour of 2025-03-23, zones outside Core included (K); ' +
    'which is U, so the declared keys are the 38 Core pairs of activeLtaConstraint (I) and the others arrive as ' +
    'new series. The fixture is built from these facts, not captured.',
  // Hourly on 2025-03-23 (K); quarter-hourly from the day-ahead market's 15-minute MTU is assumed (I).
  resolutions: [
    { from: '2022-06-09', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  keyPattern: 'border_{FROM}_{TO}',
  zones: CORE_LTA_ZONES,
  keys: pairKeys('border_', CORE_LTA_PAIRS),
  valueSign: 'signed',
  publication: {
    ...D1_AFTERNOON,
    typical: 'D-1, with the day-ahead coupling results (about 13:00), assumed (I)',
  },
  unit: 'EUR/MWh',
} as const satisfies DatasetDeclaration;

// Core alpha factor (`alphaFactor`, SHAPES §6.1): one dimensionless value per MTU with no key in the row. Its key is
// the declared field name, a plain key pattern; the row's own lastModifiedOn is an extra row field.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, WITH_COUPLING_RESULTS } from './shared';

export const coreAlphaFactor = {
  ...CORE_DAY_AHEAD,
  id: 'coreAlphaFactor',
  endpoint: 'alphaFactor',
  title: 'JAO Core alpha factor: the share of cross-zonal capacity from the FB and LTA domains, per MTU',
  description:
    'Core day-ahead: "the share of cross-zonal capacity provided by the FB domain and LTA domain" (JAOPuTo’s ' +
    'docstring), one number per MTU, dimensionless 0–1 (I). Row: id, dateTimeUtc, alphaFactor, lastModifiedOn ' +
    '(names K: JAOPuTo R/JAOPuTo_Core_alphafactor.R; jao-py drops lastModifiedOn). The member order and the form ' +
    'of lastModifiedOn are not established (U): written as Nordic’s rows write it (I). The fixture is built.',
  firstDaySource: `${CORE_DAY_AHEAD.firstDaySource} Its go-live is not established at all (U).`,
  // Hourly on 2025-03-23 (K: 24 rows a day in jao-py's test); four rows an hour on 2026-01-01 (K: grid-conductor);
  // the switch assumed at the day-ahead market's 15-minute MTU, 2025-10-01 (I).
  resolutions: [
    { from: '2022-06-09', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  keyPattern: 'alphaFactor',
  zones: [],
  valueSign: 'nonNegative',
  extraRowFields: [
    {
      name: 'lastModifiedOn',
      kind: 'zonelessUtcInstant',
      description: 'when JAO last modified the row; its form is not established, read as Nordic’s (I)',
    },
  ],
  publication: WITH_COUPLING_RESULTS,
  unit: 'dimensionless',
} as const satisfies DatasetDeclaration;

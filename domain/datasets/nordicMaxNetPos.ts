// Nordic min/max net positions (`maxNetPos` of the Nordic region, SHAPES §4.1): as Core's, but keys `min_{HUB}` and
// `max_{HUB}` with a separator, 31 hubs (12 zones and 19 virtual hubs), and a row lastModifiedOn.
import type { DatasetDeclaration } from './declaration';
import { nordicMaxExchanges } from './nordicMaxExchanges';
import { NORDIC_DAY_AHEAD } from './shared';

export const nordicMaxNetPos = {
  ...NORDIC_DAY_AHEAD,
  id: 'nordicMaxNetPos',
  endpoint: 'maxNetPos',
  title: 'JAO Nordic minimum and maximum net positions, MW per hub and MTU, signed',
  description:
    'Nordic flow-based domain: per hub and MTU the minimum (min_{HUB}) and maximum (max_{HUB}) net position, with ' +
    'the time JAO last modified the row. Keys and lastModifiedOn K (JAOPuTo’s earlier R/Nordic_maxnetpositions.R); ' +
    'the 31 hubs are from that script (K), the virtual hubs’ spelling beyond the named ones inferred (I). The ' +
    'fixture is built from these facts, not captured.',
  firstDaySource: `${nordicMaxExchanges.firstDaySource} That maxNetPos starts with it is assumed (I).`,
  keyPattern: ['min_{HUB}', 'max_{HUB}'],
  // biome-ignore format: a table of hubs
  zones: [
    'NO1', 'NO2', 'NO3', 'NO4', 'NO5', 'SE1', 'SE2', 'SE3', 'SE4', 'FI', 'DK1', 'DK2',
    'NO2_SK', 'NO2_ND', 'NO2_NK', 'DK1_SK', 'DK1_CO', 'DK1_DE', 'DK1_KS', 'DK1_SB', 'DK2_KO', 'DK2_SB',
    'SE3_KS', 'SE3_FS', 'SE4_BC', 'SE4_NB', 'SE4_SP', 'FI_EL', 'FI_FS', 'SE3_SWL', 'SE4_SWL',
  ],
  valueSign: 'signed',
  extraRowFields: nordicMaxExchanges.extraRowFields,
  publication: nordicMaxExchanges.publication,
  unit: 'MW',
} as const satisfies DatasetDeclaration;

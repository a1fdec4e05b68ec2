// Core min/max net positions (`maxNetPos`, SHAPES §4.1): per hub and hour the lowest and highest net position the
// flow-based domain allows. Keys without a separator: `minAT`, `maxAT`, two series per hub.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_MORNING } from './shared';

export const coreMaxNetPos = {
  ...CORE_DAY_AHEAD,
  id: 'coreMaxNetPos',
  endpoint: 'maxNetPos',
  title: 'JAO Core minimum and maximum net positions, MW per hub and hour, signed',
  description:
    'Core day-ahead flow-based domain: per hub and hour the minimum (min{HUB}, negative for an import) and maximum ' +
    '(max{HUB}) net position. No separator between family and hub (K: JAOPuTo R/JAOPuTo_Core_maxnetpos.R reads ' +
    'substr 1–3 as min/max); 28 columns on 2025-03-23 = 14 hubs (K: jao-py test). Virtual hubs after AHC have an ' +
    'unknown spelling (U) and would arrive as new series. The fixture is built from these facts, not captured.',
  // Hourly on 2025-03-23 (K); after 2025-10-01 not established, hourly assumed (I).
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: ['min{HUB}', 'max{HUB}'],
  zones: ['ALBE', 'ALDE', 'AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK'],
  valueSign: 'signed',
  publication: { ...D1_MORNING, typical: 'D-1, with the final flow-based domain, assumed (I)' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

// Core net positions: the day-ahead market coupling's net position of every Core hub per MTU, and of Advanced Hybrid
// Coupling's virtual hubs from their go-live. A value per hub, not per border: keys `hub_{HUB}`, signed.
import { AHC_FIRST_DAY, AHC_HUBS } from '../flowBased/fields';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_AFTERNOON } from './shared';

export const coreNetPos = {
  ...CORE_DAY_AHEAD,
  id: 'coreNetPos',
  endpoint: 'netPos',
  title: 'JAO Core net positions (day-ahead), MW per hub and MTU, signed',
  description:
    'Core day-ahead market coupling results: the net position of each Core bidding zone (and ALEGrO’s virtual ' +
    'hubs ALBE and ALDE) per MTU, positive for a net export and negative for a net import, a row summing to about ' +
    '0; from delivery day 2026-06-11 also the nine virtual hubs of Advanced Hybrid Coupling (DE_DK1_VH, …).',
  firstDaySource:
    'Net positions are a result of Core flow-based market coupling, live from delivery day 2022-06-09 (JAO and the ' +
    'Core TSOs, go-live announcement of 2022-06-08); the first day JAO publishes netPos for is assumed to be it.',
  // Quarter-hourly from the day-ahead market's 15-minute MTU (2025-10-01, as scheduledExchanges): the real answer of
  // 2026-08-09 is; hourly before it is assumed.
  resolutions: [
    { from: '2022-06-09', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  keyPattern: 'hub_{HUB}',
  // The Core hubs of the real answer (test/fixtures/jao/flowbased/core_netPos_2026-08-09T00Z.json), in its order.
  zones: ['ALBE', 'ALDE', 'AT', 'BE', 'CZ', 'DE', 'HR', 'HU', 'FR', 'NL', 'RO', 'SI', 'SK', 'PL'],
  addedZones: [
    {
      from: AHC_FIRST_DAY,
      zones: AHC_HUBS,
      reason:
        'Advanced Hybrid Coupling: the Core borders to zones outside Core take part in the flow-based domain through ' +
        'a virtual hub each (docs/flow-based.md)',
    },
  ],
  valueSign: 'signed',
  publication: {
    ...D1_AFTERNOON,
    typical: 'D-1, with the day-ahead coupling results (about 13:00), assumed',
  },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

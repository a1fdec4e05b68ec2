// Nordic maxExchanges: the same dataset for the Nordic flow-based region, at 15-minute MTUs since 2025-10-01.
import { D1_MORNING } from './coreKeySets';
import type { DatasetDeclaration } from './declaration';

export const nordicMaxExchanges = {
  id: 'nordicMaxExchanges',
  region: 'nordic',
  endpoint: 'maxExchanges',
  title: 'JAO Nordic maximum bilateral exchanges (MaxBEX), MW per border and MTU',
  description:
    'Nordic flow-based market coupling: the largest exchange possible across each Nordic border (and the ' +
    'Nordic borders to the Baltic and continental zones, including the SouthWest Link virtual zones) within the ' +
    'flow-based domain of the day-ahead market, per MTU, with the time JAO last modified each row.',
  timeZone: 'Europe/Amsterdam',
  firstDay: '2024-10-30',
  firstDayName: 'Nordic flow-based go-live',
  firstDaySource:
    'Nordic flow-based market coupling went live with the auction of 2024-10-29 for delivery day 2024-10-30 ' +
    '(Nordic TSOs and Nordic RCC go-live announcements, October 2024); not checked against JAO itself.',
  // The day-ahead market moved to 15-minute MTUs for delivery day 2025-10-01 (SDAC); hourly before, which the
  // row ids of the capture support (about 8,000 hourly rows before the quarter-hours).
  resolutions: [
    { from: '2024-10-30', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  rowKind: 'keyedValues',
  keyPattern: 'border_{FROM}_{TO}',
  // biome-ignore format: a table of zones
  zones: [
    'NO1', 'NO2', 'NO3', 'NO4', 'NO5', 'SE1', 'SE2', 'SE3', 'SE4', 'FI', 'DK1', 'DK2', 'DE', 'NL', 'PL', 'LT',
    'EE', 'SE3SWL', 'SE4SWL',
  ],
  valueSign: 'nonNegative',
  extraRowFields: [
    {
      name: 'lastModifiedOn',
      kind: 'zonelessUtcInstant',
      description: 'when JAO last modified the row, UTC written without a zone (docs/datasets.md)',
    },
  ],
  envelopeFields: [],
  publication: { ...D1_MORNING, typical: 'D-1, 07:24-08:31 UTC in the capture' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

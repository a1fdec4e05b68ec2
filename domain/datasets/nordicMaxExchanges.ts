// Nordic maxExchanges: the same dataset for the Nordic flow-based region, at 15-minute MTUs since 2025-10-01.
import type { DatasetDeclaration } from './declaration';
import { D1_MORNING, NORDIC_DAY_AHEAD } from './shared';

export const nordicMaxExchanges = {
  ...NORDIC_DAY_AHEAD,
  id: 'nordicMaxExchanges',
  endpoint: 'maxExchanges',
  title: 'JAO Nordic maximum bilateral exchanges (MaxBEX), MW per border and MTU',
  description:
    'Nordic flow-based market coupling: the largest exchange possible across each Nordic border (and the ' +
    'Nordic borders to the Baltic and continental zones, including the SouthWest Link virtual zones) within the ' +
    'flow-based domain of the day-ahead market, per MTU, with the time JAO last modified each row.',
  firstDaySource:
    'Nordic flow-based market coupling went live with the auction of 2024-10-29 for delivery day 2024-10-30 ' +
    '(Nordic TSOs and Nordic RCC go-live announcements, October 2024); not checked against JAO itself.',
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
  publication: { ...D1_MORNING, typical: 'D-1, 07:24-08:31 UTC in the capture' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

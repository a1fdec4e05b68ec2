// Nordic maxBorderFlow: the largest flow the Nordic flow-based domain allows across each border, per MTU, with the
// time JAO last modified each row; the same borders as Nordic maxExchanges.
import type { DatasetDeclaration } from './declaration';
import { nordicMaxExchanges } from './nordicMaxExchanges';
import { D1_MORNING, NORDIC_DAY_AHEAD } from './shared';

export const nordicMaxBorderFlow = {
  ...NORDIC_DAY_AHEAD,
  id: 'nordicMaxBorderFlow',
  endpoint: 'maxBorderFlow',
  title: 'JAO Nordic maximum border flows, MW per border and MTU',
  description:
    'Nordic flow-based market coupling: the largest physical flow possible across each Nordic border (and the ' +
    'Nordic borders to the Baltic and continental zones, including the SouthWest Link virtual zones) within the ' +
    'flow-based domain of the day-ahead market, per MTU, with the time JAO last modified each row.',
  firstDaySource:
    'Published with the Nordic flow-based results from go-live (delivery day 2024-10-30), like Nordic ' +
    'maxExchanges; not checked against JAO itself.',
  keyPattern: 'border_{FROM}_{TO}',
  zones: nordicMaxExchanges.zones,
  valueSign: 'nonNegative',
  extraRowFields: nordicMaxExchanges.extraRowFields,
  publication: { ...D1_MORNING, typical: 'D-1, 07:23-08:31 UTC in the capture' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

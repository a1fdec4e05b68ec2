// Core shadow auctions' ATC: the capacities JAO's shadow auctions would offer per Core border, were market coupling
// to fail. Added by declaration alone (docs/datasets.md).
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_MORNING } from './shared';

export const coreShadowAuctionATC = {
  ...CORE_DAY_AHEAD,
  id: 'coreShadowAuctionATC',
  endpoint: 'shadowAuctionATC',
  title: 'JAO Core shadow auctions: available transfer capacity (ATC), MW per border and MTU',
  description:
    'Core day-ahead fallback: the ATC offered per border in the shadow auctions JAO runs when the single ' +
    'day-ahead coupling cannot, for the adjacent Core borders only, integer MW per MTU.',
  firstDaySource:
    'The Core shadow allocation rules apply from Core flow-based go-live (delivery day 2022-06-09); the first day ' +
    'JAO publishes shadowAuctionATC for is assumed to be that day, not checked against JAO (the capture’s row ids ' +
    'suggest rows from before it).',
  // Hourly in the capture of October 2025, after the day-ahead market's 15-minute MTU began.
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: 'border_{FROM}_{TO}',
  zones: CORE_ZONES,
  valueSign: 'nonNegative',
  envelopeFields: ['totalRows', 'totalRowsWithFilter'],
  publication: { ...D1_MORNING, typical: 'D-1, assumed with Core maxExchanges' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

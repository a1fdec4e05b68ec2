// Core scheduledExchanges: the day-ahead market's scheduled commercial exchanges on Core's borders (and a few of
// its borders to neighbours), hourly until the day-ahead market's 15-minute MTU, quarter-hourly from it.
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_AFTERNOON } from './shared';

export const coreScheduledExchanges = {
  ...CORE_DAY_AHEAD,
  id: 'coreScheduledExchanges',
  endpoint: 'scheduledExchanges',
  title: 'JAO Core scheduled exchanges (day-ahead), MW per border and MTU',
  description:
    'Core day-ahead market coupling results: the commercial exchange scheduled across each border per MTU, ' +
    'for the Core borders and the borders from Core to ES, DK1 and DK2; one direction of a pair is usually 0.',
  firstDaySource:
    'JAO publishes the Core day-ahead results from Core flow-based go-live (delivery day 2022-06-09); the first ' +
    'day of scheduledExchanges is assumed to be that day, not checked against JAO.',
  // Quarter-hourly in the capture of April 2026. SDAC's first 15-minute delivery day was 2025-10-01 (auction of
  // 2025-09-30), with the day-ahead results published per 15 minutes from that day on: Nord Pool, "SDAC 15-minute MTU
  // go-live" (https://support.nordpoolgroup.com/support/solutions/articles/8000121859), and OKTE, "Successful
  // Implementation of the 15MTU Project" (https://okte.sk/en/information/news/2025-10-09-successful-implementation-of-the-15mtu-project).
  // Hourly before it: the 60-minute MTU those sources name as the one replaced; no JAO answer before it was captured.
  resolutions: [
    { from: '2022-06-09', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  keyPattern: 'border_{FROM}_{TO}',
  zones: [...CORE_ZONES, 'ES', 'DK1', 'DK2'],
  valueSign: 'nonNegative',
  publication: {
    ...D1_AFTERNOON,
    typical: 'D-1, after the day-ahead coupling results (about 13:00), assumed',
  },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

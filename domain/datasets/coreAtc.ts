// Core atc: the available transfer capacity on the borders from Core to its neighbours outside the flow-based
// domain, including ALEGrO's virtual hubs (ALBE, ALDE). Four Italian borders are published empty on purpose.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_MORNING } from './shared';

export const coreAtc = {
  ...CORE_DAY_AHEAD,
  id: 'coreAtc',
  endpoint: 'atc',
  title: 'JAO Core external ATC: available transfer capacity on Core’s borders to its neighbours, MW per MTU',
  description:
    'The ATC JAO publishes for the day-ahead market on the borders from Core to zones outside it (DE–DK1, ' +
    'NL–DK1, FR–ES, FR–IT, AT–IT, RO–BG) and between ALEGrO’s virtual hubs ALBE and ALDE, integer MW per MTU; ' +
    'the four Italian borders are published empty.',
  firstDaySource:
    'Assumed to start with Core flow-based go-live (delivery day 2022-06-09), when the Core publication tool ' +
    'began; not checked against JAO.',
  // Quarter-hourly rows in the capture of April 2026, each hour's four carrying the same value; hourly before the
  // day-ahead market's 15-minute MTU (2025-10-01) is assumed (docs/datasets.md).
  resolutions: [
    { from: '2022-06-09', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  keyPattern: 'border_{FROM}_{TO}',
  zones: ['AT', 'DE', 'FR', 'NL', 'RO', 'DK1', 'ES', 'IT', 'BG', 'ALBE', 'ALDE'],
  valueSign: 'nonNegative',
  publishedEmpty: {
    keys: ['border_FR_IT', 'border_IT_FR', 'border_AT_IT', 'border_IT_AT'],
    meaning:
      'The Italian borders of Core are part of the Italy North capacity calculation region, whose day-ahead ' +
      'capacities are calculated in that region’s own coordinated process (Coreso, "D-2 capacity calculation in ' +
      'CSE", https://www.coreso.eu/projects/d-2-capacity-calculation-in-cse/) and published by JAO outside Core; ' +
      'the keys are null in every row of the capture (192 of 192). The project’s reading, not confirmed by JAO.',
  },
  publication: { ...D1_MORNING, typical: 'D-1, before the day-ahead gate closure, assumed' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

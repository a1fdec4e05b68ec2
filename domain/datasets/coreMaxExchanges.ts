// Core maxExchanges (MaxBEX): the pipeline's first dataset and its default.
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_MORNING } from './shared';

export const coreMaxExchanges = {
  ...CORE_DAY_AHEAD,
  id: 'maxExchanges',
  endpoint: 'maxExchanges',
  title: 'JAO Core maximum bilateral exchanges (MaxBEX), MW per border and MTU',
  description:
    'Core flow-based market coupling: the largest exchange possible from one Core bidding zone to another ' +
    'within the flow-based domain of the day-ahead market, per MTU, for every ordered pair of the twelve zones.',
  firstDaySource:
    'Core flow-based market coupling went live for delivery day 2022-06-09 (JAO and the Core TSOs, go-live ' +
    'announcement of 2022-06-08); the Publication Tool has no Core data before it.',
  // Core stayed hourly when the day-ahead market moved to 15-minute MTUs on 2025-10-01.
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: 'border_{FROM}_{TO}',
  zones: CORE_ZONES,
  valueSign: 'nonNegative',
  publication: { ...D1_MORNING, typical: 'D-1, typically 07:30-08:30 UTC' },
  // MaxBEX is computed from the final flow-based domain, so the step that announces the domain announces it (I).
  monitoring: {
    steps: ['Final Computation'],
    source:
      'Step name K (JAOEU.jl tutorial; jao-py parsers, monitoring rows). That MaxBEX is announced by the final ' +
      'computation step is inferred: MaxBEX is derived from the final domain. Assumption, see docs/monitoring.md.',
  },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

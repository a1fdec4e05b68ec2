// Core allocation constraints (`allocationConstraint`, SHAPES §4.4): per zone and MTU the limits a TSO puts on its
// zone's export (`limitUp_{ZONE}`) and import (`limitDown_{ZONE}`) outside the flow-based domain; null where none.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, WITH_FLOW_BASED_INPUTS } from './shared';

export const coreAllocationConstraint = {
  ...CORE_DAY_AHEAD,
  id: 'coreAllocationConstraint',
  endpoint: 'allocationConstraint',
  title: 'JAO Core allocation constraints: export and import limits, MW per zone and MTU',
  description:
    'Core day-ahead: the allocation constraints on a zone’s net position, limitUp_{ZONE} (export, jao-py renames it ' +
    '{ZONE}_export) and limitDown_{ZONE} (import), MW (K: JAOPuTo R/JAOPuTo_Core_allocationconstraints.R, jao-py ' +
    'jao.py). jao-py’s test reads one hour of 2025-03-23 as 4 columns [None, 0, None, 11987] (K): two zones, with ' +
    'nulls. Which zones is not established (U): PL and HU are assumed (I). The fixture is built, not captured.',
  // Hourly in 2025-03 (K: jao-py test); four rows for the hour 2026-01-01T00Z (K: grid-conductor); the switch is
  // assumed at the day-ahead market's 15-minute MTU, 2025-10-01 (I).
  resolutions: [
    { from: '2022-06-09', minutes: 60 },
    { from: '2025-10-01', minutes: 15 },
  ],
  keyPattern: ['limitUp_{HUB}', 'limitDown_{HUB}'],
  zones: ['PL', 'HU'],
  valueSign: 'nonNegative',
  publication: WITH_FLOW_BASED_INPUTS,
  unit: 'MW',
  publishedNull: { meaning: 'no limit is set for the zone in that MTU (jao-py’s test reads nulls there), I' },
} as const satisfies DatasetDeclaration;

// Core reference programs (`refprog`, SHAPES §3.5): the reference exchange programme per border and hour.
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, WITH_FLOW_BASED_INPUTS } from './shared';

export const coreRefprog = {
  ...CORE_DAY_AHEAD,
  id: 'coreRefprog',
  endpoint: 'refprog',
  title: 'JAO Core reference programs, MW per border and hour',
  description:
    'Core day-ahead: the reference programmes (exchange schedules the flow-based domain is referenced to) per ' +
    'border and hour. Row: id, dateTimeUtc, then border_{FROM}_{TO} (K: JAOPuTo R/JAOPuTo_Core_refprog.R). jao-py ' +
    'counts 90 columns on 2025-03-23, 88 before Ukraine and Moldova were split (K): zones outside Core are keys, and ' +
    'after AHC virtual hubs may be (I). The declared keys are the Core pairs (I); the others arrive as new series. ' +
    'Signed is assumed (a programme may be published as a net value). The fixture is built, not captured.',
  // Hourly on 2025-03-23 (K); after 2025-10-01 not established, hourly assumed (I).
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: 'border_{FROM}_{TO}',
  zones: CORE_ZONES,
  valueSign: 'signed',
  publication: WITH_FLOW_BASED_INPUTS,
  unit: 'MW',
} as const satisfies DatasetDeclaration;

// Core-region intraday ATC (`/core/api/data/intradayAtc`, SHAPES §3.6): per border and MTU the initial intraday ATC
// and its change, two prefixed border families (`initial_{FROM}_{TO}`, `delta_{FROM}_{TO}`) in one row.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, CORE_LTA_PAIRS, CORE_LTA_ZONES, pairKeys } from './shared';

export const coreIntradayAtc = {
  ...CORE_DAY_AHEAD,
  id: 'coreIntradayAtc',
  endpoint: 'intradayAtc',
  title: 'JAO Core intraday ATC: initial value and change, MW per border and MTU, signed',
  description:
    'Core intraday: per border and MTU the initial intraday ATC (initial_{FROM}_{TO}) and its change (delta_{FROM}_' +
    '{TO}, signed), MW. Families K (JAOPuTo R/JAOPuTo_Core_intradayatc.R; the earlier R/Core_intradayATC.R splits ' +
    'the prefix as "Calculation"). Border set U: the 38 Core pairs of activeLtaConstraint are assumed (I). ' +
    'Resolution U: hourly assumed (I). The fixture is built from these facts, not captured.',
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: ['initial_{FROM}_{TO}', 'delta_{FROM}_{TO}'],
  zones: CORE_LTA_ZONES,
  keys: [...pairKeys('initial_', CORE_LTA_PAIRS), ...pairKeys('delta_', CORE_LTA_PAIRS)],
  valueSign: 'signed',
  publication: {
    window: '18:00-24:00',
    deadline: '23:30',
    typical: 'D-1 evening, with the intraday capacity of the first IDCC window, assumed (I)',
  },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

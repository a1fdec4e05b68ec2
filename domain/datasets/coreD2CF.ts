// Core D-2 congestion forecast (`d2CF`, SHAPES §4.3): per zone (and German TSO area) and hour, the vertical load,
// generation and Core net position of the D-2 grid model. Three key families in one row.
import { CORE_ZONES } from '../borders';
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, D1_MORNING } from './shared';

/** The five German TSO areas JAO publishes besides DE (the spelling of the real values, I). */
const GERMAN_TSO_AREAS = ['50Hertz', 'Amprion', 'Creos', 'TennetGmbh', 'Transnet'] as const;
const AREAS = [...CORE_ZONES, ...GERMAN_TSO_AREAS];

export const coreD2CF = {
  ...CORE_DAY_AHEAD,
  id: 'coreD2CF',
  endpoint: 'd2CF',
  title: 'JAO Core D-2 congestion forecast: vertical load, generation and net position, MW per area and hour',
  description:
    'Core day-ahead inputs from the D-2 congestion forecast grid model: per Core zone and German TSO area and hour ' +
    'the vertical load (verticalLoad_{X}), generation (generation_{X}) and Core net position (coreNetPosition_{X}), ' +
    'MW, signed. Families K (JAOPuTo R/JAOPuTo_Core_D2CF.R), 51 columns K (jao-py test); the values of the fixture ' +
    'are real (JAOPuTo’s committed workspace, January 2025), the TSO suffix spelling and key order inferred (I).',
  // Hourly in the real values of January 2025 (K); after 2025-10-01 not established, hourly assumed (I).
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: ['verticalLoad_{HUB}', 'generation_{HUB}', 'coreNetPosition_{HUB}'],
  zones: AREAS,
  keys: ['verticalLoad_', 'generation_', 'coreNetPosition_'].flatMap((family) =>
    AREAS.map((area) => `${family}${area}`),
  ),
  valueSign: 'signed',
  publication: { ...D1_MORNING, typical: 'D-1 or earlier (the D-2 model), assumed (I)' },
  unit: 'MW',
} as const satisfies DatasetDeclaration;

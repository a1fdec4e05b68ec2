// Core reference net positions (`referenceNetPosition`, SHAPES §4.2): the global net position of the zones outside
// Core that the Core domain is computed with. Keys `globalNetPosition_{ZONE}`.
import type { DatasetDeclaration } from './declaration';
import { CORE_DAY_AHEAD, WITH_FLOW_BASED_INPUTS } from './shared';

export const coreReferenceNetPosition = {
  ...CORE_DAY_AHEAD,
  id: 'coreReferenceNetPosition',
  endpoint: 'referenceNetPosition',
  title: 'JAO Core reference net positions of the zones outside Core, MW per zone and hour, signed',
  description:
    'Core day-ahead: the reference (global) net position assumed for each zone outside Core, per hour. Keys ' +
    'globalNetPosition_{ZONE} (K for the prefix: JAOPuTo R/JAOPuTo_Core_refnetpos.R); the fourteen zones are from ' +
    'JAOPuTo’s earlier mapping list, each one inferred (I). The fixture is built from these facts, not captured.',
  // Resolution not established (U): hourly assumed, as the day-ahead inputs (I).
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  keyPattern: 'globalNetPosition_{HUB}',
  zones: ['AL', 'BA', 'BG', 'CH', 'DK1', 'ES', 'GR', 'IT', 'ME', 'MK', 'PT', 'RS', 'TR', 'UA'],
  valueSign: 'signed',
  publication: WITH_FLOW_BASED_INPUTS,
  unit: 'MW',
} as const satisfies DatasetDeclaration;

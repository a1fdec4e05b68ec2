// Core's shadow prices (docs/constraints.md): one row per constraint active at the market clearing point and hourly
// MTU, with its shadow price, margins and PTDFs. Shape C in its own spelling (`cnecName`, `cnecEic`, `f0core`,
// `hub_*` PTDFs, a flat contingency), mapped to the stored form of the domain's constraints.
import { CORE_PTDF_HUBS } from '../flowBased/fields';
import type { DatasetDeclaration } from './declaration';
import { AHC_PTDF_HUBS, CORE_DAY_AHEAD, PAGED_CONSTRAINTS } from './shared';

export const coreShadowPrices = {
  ...CORE_DAY_AHEAD,
  ...PAGED_CONSTRAINTS,
  id: 'coreShadowPrices',
  endpoint: 'shadowPrices',
  title:
    'JAO Core shadow prices: the active constraints with their shadow price, RAM and PTDFs per hourly MTU',
  description:
    'Core day-ahead flow-based market coupling: per hour, the constraints (CNECs) active at the market clearing ' +
    'point with their shadow price (EUR/MW), RAM and RAM at the clearing point, the margins JAO publishes with ' +
    'them (Fmax, FRM, Fref, F0 Core, F0 all, FUAF, AMR, LTA margin, CVA, IVA, total LTN flow, min RAM factor, ' +
    'Imax) and their zone-to-slack PTDF per hub. An hour where nothing binds has no row.',
  firstDaySource:
    'Core flow-based market coupling went live for delivery day 2022-06-09; when JAO started this endpoint is ' +
    'not established (test/fixtures/jao/more/core_shadowPrices_…source.txt).',
  // Hourly as the domains (inferred); after the 15-minute MTU of 2025-10-01 not established.
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  zones: CORE_PTDF_HUBS.filter((hub) => hub !== 'CH'),
  addedZones: [AHC_PTDF_HUBS],
  publication: {
    window: '08:00-13:00',
    deadline: '14:00',
    typical: 'D-1, after the day-ahead market clears (about 12:45), assumed',
  },
  constraintFields: {
    // jao-py asks for a day unpaged and unfiltered; paging works as on the domains. No filter: JAO misanswers `{}`.
    filter: null,
    presolvedFlag: null,
    presolvedWhy:
      'shadowPrices carries no presolved flag: its rows are the constraints binding at the clearing point, a ' +
      'subset of the presolved domain',
    ptdfPrefix: 'hub_',
    contingency: { form: 'flat', branchEic: 'branchEic' },
    renames: { cnecName: 'cneName', cnecEic: 'cneEic', f0core: 'fcore', f0all: 'fall' },
    // biome-ignore format: a table of names
    absent: [
      'minRamTarget', 'u', 'frefInit', 'fnrao', 'fltn', 'cneStatus', 'substationFrom', 'substationTo',
      'elementType', 'fmaxType', 'contTso', 'justification',
    ],
    extra: { shadowPrice: 'number', ramMcp: 'number', maxZ2ZPtdf: 'number' },
    everyMtuHasRows: false,
    // 85 rows on 2025-03-23 (jao-py's test): about 4 an hour; 10 leaves room.
    rowsPerMtu: 10,
  },
} as const satisfies DatasetDeclaration;

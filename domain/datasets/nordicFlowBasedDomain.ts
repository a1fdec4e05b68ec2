// Nordic's flow-based domain (docs/constraints.md): one row per non-redundant CNEC and quarter-hour, in Nordic's
// spelling of shape C (`biddingZoneFrom`/`biddingZoneTo`, `nonRedundant`, `aac`, `minFlow`, `maxFlow`,
// `significant`, `cnecType`; 31 hubs), mapped to the stored form of the domain's constraints. `finalComputation`
// is the domain; `fbDomainShadowPrice` the same rows with each one's shadow price.
import type { ConstraintFields, DatasetDeclaration } from './declaration';
import { NORDIC_DAY_AHEAD, PAGED_CONSTRAINTS } from './shared';

/**
 * The 31 hubs of Nordic PTDFs: 12 bidding zones and 19 virtual hubs of the HVDC links. The count and NO2_SK,
 * DK1_SK, SE4_SWL are sourced (test/fixtures/jao/more/nordic_…source.txt); the other virtual hubs' spelling is
 * inferred from the links.
 */
// biome-ignore format: a table of names
export const NORDIC_PTDF_HUBS = [
  'DK1', 'DK2', 'FI', 'NO1', 'NO2', 'NO3', 'NO4', 'NO5', 'SE1', 'SE2', 'SE3', 'SE4', 'DK1_CO', 'DK1_KS',
  'DK1_SB', 'DK1_SK', 'DK2_KO', 'DK2_SB', 'FI_EL', 'FI_FS', 'NO2_ND', 'NO2_NK', 'NO2_NSL', 'NO2_SK', 'SE3_FS',
  'SE3_KS', 'SE3_SWL', 'SE4_BC', 'SE4_NB', 'SE4_SP', 'SE4_SWL',
] as const;

const NORDIC_FIELDS: ConstraintFields = {
  // "Omitting the Nordic filter caused HTTP 500" (a public client's notes): always sent.
  filter: { NonRedundant: true },
  presolvedFlag: 'nonRedundant',
  ptdfPrefix: 'ptdf_',
  contingency: { form: 'list' },
  renames: { biddingZoneFrom: 'hubFrom', biddingZoneTo: 'hubTo' },
  // biome-ignore format: a table of names
  absent: [
    'minRamTarget', 'minRamFactor', 'frefInit', 'fcore', 'fuaf', 'ltaMargin', 'cva', 'ftotalLtn', 'fltn',
    'cneStatus', 'elementType', 'fmaxType', 'contTso', 'justification',
  ],
  extra: {
    cnecType: 'text',
    contEic: 'text',
    cnecName: 'text',
    significant: 'flag',
    minFlow: 'number',
    maxFlow: 'number',
    aac: 'number',
    flowFb: 'number',
  },
  everyMtuHasRows: true,
  // About 125 non-redundant rows per quarter-hour in January 2026 (a public client's counts).
  rowsPerMtu: 160,
};

interface NordicPublication<Id extends string, Endpoint extends string> {
  id: Id;
  endpoint: Endpoint;
  title: string;
  what: string;
  window: string;
  deadline: string;
  typical: string;
  extra: ConstraintFields['extra'];
}

function nordicDomain<Id extends string, Endpoint extends string>(p: NordicPublication<Id, Endpoint>) {
  return {
    ...NORDIC_DAY_AHEAD,
    ...PAGED_CONSTRAINTS,
    id: p.id,
    endpoint: p.endpoint,
    title: p.title,
    description:
      `Nordic flow-based market coupling, ${p.what}: per MTU, the non-redundant critical network elements and ` +
      'contingencies (CNECs) with every margin JAO publishes (RAM, min and max flow, Imax, U, Fmax, FRM, FNRAO, ' +
      'Fref, F all, AMR, AAC, IVA) and their PTDF per hub (31: zones and HVDC virtual hubs); fetched page by ' +
      'page after a count probe, filtered on non-redundant constraints.',
    firstDaySource:
      'Nordic flow-based market coupling went live for delivery day 2024-10-30 (jao-py README, Nordic TSOs’ ' +
      'announcements); not checked against JAO itself.',
    zones: NORDIC_PTDF_HUBS,
    publication: { window: p.window, deadline: p.deadline, typical: p.typical },
    constraintFields: { ...NORDIC_FIELDS, extra: { ...NORDIC_FIELDS.extra, ...p.extra } },
  } as const satisfies DatasetDeclaration;
}

export const nordicFinalComputation = nordicDomain({
  id: 'nordicFinalComputation',
  endpoint: 'finalComputation',
  title: 'JAO Nordic flow-based domain, final computation: non-redundant CNECs with RAM and PTDFs per MTU',
  what: 'final computation (the domain the market coupling cleared against)',
  window: '08:00-11:00',
  deadline: '12:00',
  typical: 'D-1, before the day-ahead gate closure, assumed',
  extra: {},
});

export const nordicFbDomainShadowPrice = nordicDomain({
  id: 'nordicFbDomainShadowPrice',
  endpoint: 'fbDomainShadowPrice',
  title:
    'JAO Nordic flow-based domain with shadow prices: non-redundant CNECs with their shadow price per MTU',
  what: 'the final domain with the shadow price of each constraint after the market cleared (0 where it does not bind)',
  window: '08:00-14:00',
  deadline: '15:00',
  typical: 'D-1, after the day-ahead market clears, assumed',
  extra: { shadowPrice: 'number' },
});

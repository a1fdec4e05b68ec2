// The flow-based paths the simulator serves beside the keyed datasets: every constraint dataset (Core's domain in
// its three computations, Core's shadow prices, Nordic's and coreID's domains), each from its declaration, and
// Core's net positions, with the hubs each publishes and the TSOs' EIC codes its filter reads.
import { type DatasetDeclaration, DECLARATIONS, dataPathOf } from '../../domain/datasets';
import { AHC_FIRST_DAY, AHC_HUBS, CORE_PTDF_HUBS } from '../../domain/flowBased/fields';
import type { DeliveryDay } from '../../domain/types';

/**
 * The simulator's name of a constraint dataset's path: its endpoint for Core (`finalComputation`), region and
 * endpoint elsewhere (`nordic/finalComputation`, `coreID/IDCCB_finalComputation`).
 */
export function domainEndpointOf(declaration: Pick<DatasetDeclaration, 'region' | 'endpoint'>): string {
  return declaration.region === 'core'
    ? declaration.endpoint
    : `${declaration.region}/${declaration.endpoint}`;
}

const DOMAIN_DECLARATIONS = new Map<string, DatasetDeclaration>(
  DECLARATIONS.filter((declaration) => declaration.rowKind === 'constraints').map((declaration) => [
    domainEndpointOf(declaration),
    declaration,
  ]),
);

/** Every constraint dataset's path, served from its declaration and field mapping (publicationRow.ts). */
export const DOMAIN_ENDPOINTS = [...DOMAIN_DECLARATIONS.keys()] as [string, ...string[]];
export type DomainEndpoint = string;

export const FLOW_BASED_ENDPOINTS = [...DOMAIN_ENDPOINTS, 'netPos'] as [string, ...string[]];
export type FlowBasedEndpoint = string;

/** The flow-based endpoint of that name; throws for another name. */
export function flowBasedEndpointNamed(name: string): FlowBasedEndpoint {
  const endpoint = FLOW_BASED_ENDPOINTS.find((each) => each === name);
  if (endpoint === undefined)
    throw new Error(`the simulator serves no flow-based endpoint ${JSON.stringify(name)}`);
  return endpoint;
}

/** The declaration a domain endpoint serves. */
export function domainDeclarationOf(endpoint: DomainEndpoint): DatasetDeclaration {
  const declaration = DOMAIN_DECLARATIONS.get(endpoint);
  if (declaration === undefined)
    throw new Error(`no constraint dataset is served as ${JSON.stringify(endpoint)}`);
  return declaration;
}

export function flowBasedPathOf(endpoint: FlowBasedEndpoint): string {
  return endpoint === 'netPos' ? '/core/api/data/netPos' : dataPathOf(domainDeclarationOf(endpoint));
}

export function isDomainEndpoint(endpoint: FlowBasedEndpoint): endpoint is DomainEndpoint {
  return endpoint !== 'netPos';
}

/** The first day an endpoint publishes: its declaration's, Core's go-live for netPos. */
export function firstDayOf(endpoint: FlowBasedEndpoint): DeliveryDay {
  return endpoint === 'netPos' ? FLOW_BASED_FIRST_DAY : domainDeclarationOf(endpoint).firstDay;
}

/** Core flow-based market coupling's first delivery day: nothing is published before it. */
export const FLOW_BASED_FIRST_DAY: DeliveryDay = '2022-06-09';

/** Net positions are published every quarter-hour from this delivery day on (SDAC's 15-minute MTU), hourly before. */
export const NET_POSITION_QUARTER_HOUR_DAY: DeliveryDay = '2025-10-01';

export { AHC_FIRST_DAY, AHC_HUBS, CORE_PTDF_HUBS };

/** True when the day's rows carry Advanced Hybrid Coupling's virtual hubs. */
export function hasAhcHubs(day: DeliveryDay): boolean {
  return day >= AHC_FIRST_DAY;
}

/** `hub_<hub>` of netPos before AHC, in the order of the real answer (test/fixtures/jao/flowbased/core_netPos_…). */
export const NET_POSITION_CORE_HUBS = [
  'ALBE',
  'ALDE',
  'AT',
  'BE',
  'CZ',
  'DE',
  'HR',
  'HU',
  'FR',
  'NL',
  'RO',
  'SI',
  'SK',
  'PL',
] as const;

/** Core hubs with a PTDF (CH is published null on every row). */
export const PTDF_HUBS = CORE_PTDF_HUBS.filter((hub) => hub !== 'CH');

/** The virtual hubs netPos adds from AHC_FIRST_DAY on, in the order of the real answer. */
export const NET_POSITION_AHC_HUBS = [
  'DE_NO2_BigHub',
  'NL_NO2_NorNed',
  'DE_DK2_BigHub',
  'DE_SE4_Baltic',
  'PL_SE4_SwePol',
  'PL_LT_BigHub',
  'RO_BG_VH',
  'NL_DK1_COBRA',
  'DE_DK1_VH',
] as const;

/** The Core TSOs as the domain's `tso` field names them, with the EIC the `Tso` filter matches. */
export const TSO_EICS = {
  APG: '10XAT-APG------Z',
  CEPS: '10XCZ-CEPS-GRIDE',
  ELES: '10XSI-ELES-----1',
  AMPRION: '10XDE-RWENET---W',
  '50HERTZ': '10XDE-VE-TRANSMK',
  TRANSELECTRICA: '10XRO-TEL------2',
  TENNETGMBH: '10XDE-EON-NETZ-C',
  TRANSNETBW: '10XDE-ENBW--TNGX',
  TENNETBV: '10X1001A1001A361',
  SEPS: '10XSK-SEPS-GRIDB',
  RTE: '10XFR-RTE------Q',
  PSE: '10XPL-TSO------P',
  MAVIR: '10X1001A1001A329',
  HOPS: '10XHR-HEP-OPS--A',
  ELIA: '10X1001A1001A094',
} as const;
export type Tso = keyof typeof TSO_EICS;

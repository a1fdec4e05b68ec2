// The fields of a row of Core's flow-based domain (`finalComputation`, `preFinalComputation`,
// `initialComputation`: one schema), as JAO serves them (docs/flow-based.md). Every one is kept as published.

/** Numeric fields, each in MW unless noted, kept exactly as published (null where JAO sends null). */
export const NUMERIC_FIELDS = [
  'ram',
  /** fraction: max(0.2, minRamFactor/100 − fuaf/fmax) */
  'minRamTarget',
  /** percent */
  'minRamFactor',
  /** A */
  'imax',
  /** kV */
  'u',
  'fmax',
  'frm',
  'frefInit',
  'fnrao',
  'fref',
  'fcore',
  'fall',
  'fuaf',
  'amr',
  'ltaMargin',
  'cva',
  'iva',
  'ftotalLtn',
  'fltn',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];

/** Text fields, kept as published: the literal "NA" (not applicable) stays "NA", null stays null. */
// biome-ignore format: a table of names
export const TEXT_FIELDS = [
  'tso', 'cneName', 'cneEic', 'cneStatus', 'direction', 'hubFrom', 'hubTo', 'substationFrom', 'substationTo',
  'elementType', 'fmaxType', 'contTso', 'contName', 'justification',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** Fields of each outaged branch of a row's contingency (`contingencies[]`), besides its `number` 1..k. */
// biome-ignore format: a table of names
export const CONTINGENCY_TEXT_FIELDS = [
  'branchEic', 'branchName', 'hubFrom', 'hubTo', 'substationFrom', 'substationTo', 'elementType',
] as const;
export type ContingencyTextField = (typeof CONTINGENCY_TEXT_FIELDS)[number];

/** `ptdf_<hub>`: the zone-to-slack PTDF of a hub, MW per MW of its net position. The set of hubs is open. */
export const PTDF_PREFIX = 'ptdf_';

/**
 * The Core hubs of the domain before Advanced Hybrid Coupling, in JAO's order (CH is published, null on every
 * row): PTDF columns of every MTU from go-live on.
 */
// biome-ignore format: a table of names
export const CORE_PTDF_HUBS = [
  'ALBE', 'ALDE', 'AT', 'BE', 'CZ', 'DE', 'FR', 'HR', 'HU', 'NL', 'PL', 'RO', 'SI', 'SK', 'CH',
] as const;

/** Advanced Hybrid Coupling's virtual hubs, which carry PTDFs and net positions from AHC_FIRST_DAY on. */
// biome-ignore format: a table of names
export const AHC_HUBS = [
  'DE_DK1_VH', 'DE_DK2_BigHub', 'DE_NO2_BigHub', 'DE_SE4_Baltic', 'NL_DK1_COBRA', 'NL_NO2_NorNed',
  'PL_LT_BigHub', 'PL_SE4_SwePol', 'RO_BG_VH',
] as const;

export const AHC_FIRST_DAY = '2026-06-11';

/** A hub name as it may appear after `ptdf_` or `hub_`: letters, digits and underscores. */
export const HUB_NAME = /^[A-Za-z0-9][A-Za-z0-9_]{0,39}$/;

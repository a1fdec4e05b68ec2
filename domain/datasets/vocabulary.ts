// The closed lists a dataset declaration (declaration.ts) chooses from: its region, row kind, value sign and unit.
// Pure data, apart from declaration.ts so that its zod check (declarationSchema.ts) reads them without reaching it.

/** The JAO Publication Tool regions whose data path is `/{region}/api/data/{endpoint}` (`coreID`: Core intraday). */
export const REGIONS = ['core', 'nordic', 'coreID'] as const;
export type Region = (typeof REGIONS)[number];

/**
 * What a row of the dataset holds: `keyedValues`, one number per key and MTU (the keys named by `keyPattern`), or
 * `constraints`, one row per constraint and MTU (the flow-based domain). Code that reads keyed values iterates
 * keyedValueDatasets() (index.ts).
 */
export const ROW_KINDS = ['keyedValues', 'constraints'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/**
 * The sign of the values: `nonNegative` (a capacity or a flow in one direction: a negative value is refused,
 * `value_negative`), or `signed` (a net position: export positive, import negative).
 */
export const VALUE_SIGNS = ['nonNegative', 'signed'] as const;
export type ValueSign = (typeof VALUE_SIGNS)[number];

/**
 * The unit of a dataset's values: `MW` (capacities, flows, positions), `EUR/MWh` (price spreads), `EUR` (congestion
 * income), `EUR/MW` (shadow prices), `dimensionless` (a share, such as the alpha factor).
 */
export const UNITS = ['MW', 'EUR/MWh', 'EUR', 'EUR/MW', 'dimensionless'] as const;
export type Unit = (typeof UNITS)[number];

// The datasets the pipeline knows, one declaration each (docs/datasets.md). Adding a dataset is adding its
// declaration here and its fixture (test/fixtures/jao/); the simulator answers it from the declaration unless a real
// capture gave it a profile of its own (simulator/profiles/).
import { coreActiveLtaConstraint } from './coreActiveLtaConstraint';
import { coreAllocationConstraint } from './coreAllocationConstraint';
import { coreAlphaFactor } from './coreAlphaFactor';
import { coreAtc } from './coreAtc';
import { coreBexRestrictions } from './coreBexRestrictions';
import { coreCongestionIncome } from './coreCongestionIncome';
import { coreD2CF } from './coreD2CF';
import { coreFinalComputation, coreInitialComputation, corePreFinalComputation } from './coreFlowBasedDomain';
import {
  coreIdccAFinalComputation,
  coreIdccAIntradayAtc,
  coreIdccAMaxExchanges,
  coreIdccBFinalComputation,
  coreIdccBIntradayAtc,
  coreIdccBMaxExchanges,
  coreIdccCFinalComputation,
  coreIdccCMaxExchanges,
  coreIdccDFinalComputation,
  coreIdccDMaxExchanges,
} from './coreIntraday';
import { coreIntradayAtc } from './coreIntradayAtc';
import { coreLta, coreLtn } from './coreLongTermAllocations';
import { coreMaxExchanges } from './coreMaxExchanges';
import { coreMaxNetPos } from './coreMaxNetPos';
import { coreNetPos } from './coreNetPos';
import { corePriceSpread } from './corePriceSpread';
import { coreReferenceNetPosition } from './coreReferenceNetPosition';
import { coreRefprog } from './coreRefprog';
import { coreScheduledExchanges } from './coreScheduledExchanges';
import { coreShadowAuctionATC } from './coreShadowAuctionATC';
import { coreShadowPrices } from './coreShadowPrices';
import type { DatasetDeclaration } from './declaration';
import { nordicFbDomainShadowPrice, nordicFinalComputation } from './nordicFlowBasedDomain';
import { nordicMaxBorderFlow } from './nordicMaxBorderFlow';
import { nordicMaxExchanges } from './nordicMaxExchanges';
import { nordicMaxNetPos } from './nordicMaxNetPos';

/** Product code imports it from './compat', which names it as what 1.x users rely on. */
export { DEFAULT_DATASET } from './compat';
export * from './declaration';

export const DECLARATIONS = [
  coreMaxExchanges,
  nordicMaxExchanges,
  coreShadowAuctionATC,
  coreScheduledExchanges,
  coreAtc,
  nordicMaxBorderFlow,
  coreFinalComputation,
  corePreFinalComputation,
  coreInitialComputation,
  coreNetPos,
  coreLta,
  coreLtn,
  coreBexRestrictions,
  corePriceSpread,
  coreRefprog,
  coreActiveLtaConstraint,
  coreMaxNetPos,
  coreReferenceNetPosition,
  coreD2CF,
  coreAllocationConstraint,
  coreCongestionIncome,
  coreAlphaFactor,
  coreIntradayAtc,
  nordicMaxNetPos,
  coreIdccAMaxExchanges,
  coreIdccBMaxExchanges,
  coreIdccCMaxExchanges,
  coreIdccDMaxExchanges,
  coreIdccAIntradayAtc,
  coreIdccBIntradayAtc,
  coreShadowPrices,
  nordicFinalComputation,
  nordicFbDomainShadowPrice,
  coreIdccAFinalComputation,
  coreIdccBFinalComputation,
  coreIdccCFinalComputation,
  coreIdccDFinalComputation,
] as const;

export type Dataset = (typeof DECLARATIONS)[number]['id'];
/** The datasets of keyed values (rowKind `keyedValues`): one number per key and MTU. */
export type KeyedValueDataset = Extract<(typeof DECLARATIONS)[number], { rowKind: 'keyedValues' }>['id'];
type KeyedValueDeclaration = Extract<(typeof DECLARATIONS)[number], { rowKind: 'keyedValues' }>;
/** The declarations of keyed values, in declaration order. */
export const KEYED_VALUE_DECLARATIONS = DECLARATIONS.filter(
  (declaration): declaration is KeyedValueDeclaration => declaration.rowKind === 'keyedValues',
);
/** The datasets of the flow-based domain (rowKind `constraints`): one row per constraint and MTU. */
export type ConstraintDataset = Extract<(typeof DECLARATIONS)[number], { rowKind: 'constraints' }>['id'];

/** Every dataset id, the default (Core maxExchanges) first. */
export const DATASETS = DECLARATIONS.map((declaration) => declaration.id) as unknown as readonly [
  Dataset,
  ...Dataset[],
];

/** The first day of the dataset that starts first: no delivery day before it is asked for anywhere. */
export const EARLIEST_FIRST_DAY = DECLARATIONS.map((declaration) => declaration.firstDay)
  .sort()
  .at(0)!;

const byId = new Map<string, DatasetDeclaration>(
  DECLARATIONS.map((declaration) => [declaration.id, declaration]),
);

export function isDataset(text: string): text is Dataset {
  return byId.has(text);
}

export function declarationOf(dataset: Dataset): DatasetDeclaration {
  return byId.get(dataset)!;
}

/** The datasets whose rows are keyed values (domain/datasets/declaration.ts: rowKind), in declaration order. */
export function keyedValueDatasets(): KeyedValueDataset[] {
  return KEYED_VALUE_DECLARATIONS.map((declaration) => declaration.id);
}

/** Whether the dataset's rows are constraints (the flow-based domain): fetched page by page, stored per constraint. */
export function isConstraintDataset(dataset: Dataset): dataset is ConstraintDataset {
  return declarationOf(dataset).rowKind === 'constraints';
}

/**
 * The dataset a user names: its id, or its region and endpoint (`nordic/maxExchanges`), case-insensitively;
 * null when none is.
 */
export function findDataset(text: string): Dataset | null {
  const wanted = text.trim().toLowerCase();
  for (const declaration of DECLARATIONS) {
    if (declaration.id.toLowerCase() === wanted) return declaration.id;
    if (`${declaration.region}/${declaration.endpoint}`.toLowerCase() === wanted) return declaration.id;
  }
  return null;
}

/** `unknown dataset "x" (known: maxExchanges, nordicMaxExchanges)`: the one line a bad name gets. */
export function unknownDatasetMessage(text: string): string {
  return `unknown dataset ${JSON.stringify(text)} (known: ${DATASETS.join(', ')})`;
}

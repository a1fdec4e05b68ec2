// The datasets the pipeline knows, one declaration each (docs/datasets.md). Adding a dataset is adding its
// declaration here, its simulator profile (simulator/profiles/) and its tests.
import { coreAtc } from './coreAtc';
import { coreFinalComputation, coreInitialComputation, corePreFinalComputation } from './coreFlowBasedDomain';
import {
  coreIdccAFinalComputation,
  coreIdccBFinalComputation,
  coreIdccCFinalComputation,
  coreIdccDFinalComputation,
} from './coreIntradayDomain';
import { coreMaxExchanges } from './coreMaxExchanges';
import { coreNetPos } from './coreNetPos';
import { coreScheduledExchanges } from './coreScheduledExchanges';
import { coreShadowAuctionATC } from './coreShadowAuctionATC';
import { coreShadowPrices } from './coreShadowPrices';
import type { DatasetDeclaration } from './declaration';
import { nordicFbDomainShadowPrice, nordicFinalComputation } from './nordicFlowBasedDomain';
import { nordicMaxBorderFlow } from './nordicMaxBorderFlow';
import { nordicMaxExchanges } from './nordicMaxExchanges';

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

export const DEFAULT_DATASET: KeyedValueDataset = coreMaxExchanges.id;

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
  return DECLARATIONS.filter((declaration) => declaration.rowKind === 'keyedValues').map(
    (declaration) => declaration.id as KeyedValueDataset,
  );
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

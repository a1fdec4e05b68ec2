// The datasets the pipeline knows (declared.ts reads their declarations), and what code asks of them.
import type { DatasetDeclaration } from './declaration';
import {
  type ConstraintDataset,
  DATASETS,
  type Dataset,
  DECLARATIONS,
  type Declared,
  type KeyedValueDataset,
} from './declared';

/** Product code imports it from './compat', which names it as what 1.x users rely on. */
export { DEFAULT_DATASET } from './compat';
export * from './declaration';
export * from './declared';

type KeyedValueDeclaration = Declared<KeyedValueDataset> & { readonly rowKind: 'keyedValues' };

/** The declarations of keyed values, in declaration order. */
export const KEYED_VALUE_DECLARATIONS = DECLARATIONS.filter(
  (declaration): declaration is KeyedValueDeclaration => declaration.rowKind === 'keyedValues',
);

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

// A stand-in declaration of Core's final flow-based domain (coreFinalComputation, rowKind `constraints`) for tests
// that need the dataset declared before its real declaration is in domain/datasets/. Used as
//   vi.mock('../../domain/datasets', async (real) => (await import('../helpers/flowBasedDeclaration'))
//     .withFinalComputationDeclared(await real()));
// it leaves the module as it is once the real declaration is there.
import type * as Datasets from '../../domain/datasets';
import type { DatasetDeclaration } from '../../domain/datasets/declaration';

type DatasetsModule = typeof Datasets;

export const FINAL_COMPUTATION = 'coreFinalComputation';

const finalComputation: DatasetDeclaration = {
  id: FINAL_COMPUTATION,
  region: 'core',
  endpoint: 'finalComputation',
  title: 'JAO Core final flow-based domain (test stand-in)',
  description:
    'The presolved constraints of the Core flow-based domain per MTU (a test stand-in declaration).',
  timeZone: 'Europe/Amsterdam',
  firstDay: '2022-06-09',
  firstDayName: 'Core flow-based go-live',
  firstDaySource: 'test stand-in',
  resolutions: [{ from: '2022-06-09', minutes: 60 }],
  rowKind: 'constraints',
  keyPattern: 'hub_{HUB}',
  zones: [],
  valueSign: 'signed',
  extraRowFields: [],
  envelopeFields: [],
  publication: { window: '08:00-11:00', deadline: '12:00', typical: 'test stand-in' },
  unit: 'MW',
};

/** `real` with coreFinalComputation declared last (unless it already is): every export reading the list. */
export function withFinalComputationDeclared(real: DatasetsModule): DatasetsModule {
  if (real.isDataset(FINAL_COMPUTATION)) return real;
  const declarations: DatasetDeclaration[] = [...real.DECLARATIONS, finalComputation];
  const ids = declarations.map((declaration) => declaration.id);
  const byId = new Map(declarations.map((declaration) => [declaration.id, declaration]));
  const stub = {
    ...real,
    DECLARATIONS: declarations,
    DATASETS: ids,
    isDataset: (text: string) => byId.has(text),
    declarationOf: (dataset: string) => byId.get(dataset)!,
    keyedValueDatasets: () =>
      declarations.filter((declaration) => declaration.rowKind === 'keyedValues').map((d) => d.id),
    findDataset: (text: string) => {
      const wanted = text.trim().toLowerCase();
      const found = declarations.find(
        (d) => d.id.toLowerCase() === wanted || `${d.region}/${d.endpoint}`.toLowerCase() === wanted,
      );
      return found?.id ?? null;
    },
    unknownDatasetMessage: (text: string) =>
      `unknown dataset ${JSON.stringify(text)} (known: ${ids.join(', ')})`,
  };
  return stub as unknown as DatasetsModule;
}

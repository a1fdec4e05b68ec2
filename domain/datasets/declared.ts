// The datasets the pipeline knows, one declaration each (docs/datasets.md): a JSON file per dataset in
// declarations/, named by its id. Its `extends` names the facts it shares with others (declarations/shared.json),
// which it lists first and its own facts override. Adding a dataset is adding its file here and its fixture
// (test/fixtures/jao/); the simulator answers it from the declaration unless a real capture gave it a profile of its
// own (simulator/profiles/). zod checks every declaration at worker start-up and in the tests (declarationSchema.ts).
import type { DatasetDeclaration } from './declarationSchema';
import coreActiveLtaConstraint from './declarations/coreActiveLtaConstraint.json';
import coreAllocationConstraint from './declarations/coreAllocationConstraint.json';
import coreAlphaFactor from './declarations/coreAlphaFactor.json';
import coreAtc from './declarations/coreAtc.json';
import coreBexRestrictions from './declarations/coreBexRestrictions.json';
import coreCongestionIncome from './declarations/coreCongestionIncome.json';
import coreD2CF from './declarations/coreD2CF.json';
import coreFinalComputation from './declarations/coreFinalComputation.json';
import coreIdccAFinalComputation from './declarations/coreIdccAFinalComputation.json';
import coreIdccAIntradayAtc from './declarations/coreIdccAIntradayAtc.json';
import coreIdccAMaxExchanges from './declarations/coreIdccAMaxExchanges.json';
import coreIdccBFinalComputation from './declarations/coreIdccBFinalComputation.json';
import coreIdccBIntradayAtc from './declarations/coreIdccBIntradayAtc.json';
import coreIdccBMaxExchanges from './declarations/coreIdccBMaxExchanges.json';
import coreIdccCFinalComputation from './declarations/coreIdccCFinalComputation.json';
import coreIdccCMaxExchanges from './declarations/coreIdccCMaxExchanges.json';
import coreIdccDFinalComputation from './declarations/coreIdccDFinalComputation.json';
import coreIdccDMaxExchanges from './declarations/coreIdccDMaxExchanges.json';
import coreInitialComputation from './declarations/coreInitialComputation.json';
import coreIntradayAtc from './declarations/coreIntradayAtc.json';
import coreLta from './declarations/coreLta.json';
import coreLtn from './declarations/coreLtn.json';
import coreMaxNetPos from './declarations/coreMaxNetPos.json';
import coreNetPos from './declarations/coreNetPos.json';
import corePreFinalComputation from './declarations/corePreFinalComputation.json';
import corePriceSpread from './declarations/corePriceSpread.json';
import coreReferenceNetPosition from './declarations/coreReferenceNetPosition.json';
import coreRefprog from './declarations/coreRefprog.json';
import coreScheduledExchanges from './declarations/coreScheduledExchanges.json';
import coreShadowAuctionATC from './declarations/coreShadowAuctionATC.json';
import coreShadowPrices from './declarations/coreShadowPrices.json';
import maxExchanges from './declarations/maxExchanges.json';
import nordicFbDomainShadowPrice from './declarations/nordicFbDomainShadowPrice.json';
import nordicFinalComputation from './declarations/nordicFinalComputation.json';
import nordicMaxBorderFlow from './declarations/nordicMaxBorderFlow.json';
import nordicMaxExchanges from './declarations/nordicMaxExchanges.json';
import nordicMaxNetPos from './declarations/nordicMaxNetPos.json';
import shared from './declarations/shared.json';

/** Each dataset's declaration file by its id, in declaration order: the default (Core maxExchanges) first. */
const WRITTEN = {
  maxExchanges,
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
};

export type Dataset = keyof typeof WRITTEN;

/**
 * The datasets of the flow-based domain (rowKind `constraints`): one row per constraint and MTU. Their files say so;
 * this list names them to the compiler, and a unit test (test/unit/datasets.test.ts) holds the two together.
 */
export const CONSTRAINT_DATASETS = [
  'coreFinalComputation',
  'corePreFinalComputation',
  'coreInitialComputation',
  'coreShadowPrices',
  'nordicFinalComputation',
  'nordicFbDomainShadowPrice',
  'coreIdccAFinalComputation',
  'coreIdccBFinalComputation',
  'coreIdccCFinalComputation',
  'coreIdccDFinalComputation',
] as const satisfies readonly Dataset[];
export type ConstraintDataset = (typeof CONSTRAINT_DATASETS)[number];
/** The datasets of keyed values (rowKind `keyedValues`): one number per key and MTU. */
export type KeyedValueDataset = Exclude<Dataset, ConstraintDataset>;

/** A dataset's declaration, its id one of the declared. */
export type Declared<Id extends Dataset = Dataset> = DatasetDeclaration & { readonly id: Id };

/** The facts a declaration shares (its `extends`, in order), then its own, under its id. */
function declared(id: Dataset, written: object): Declared {
  const names: readonly string[] =
    'extends' in written && Array.isArray(written.extends) ? written.extends : [];
  const facts = names.map((name) => (shared as Record<string, { facts?: object }>)[name]?.facts);
  return { id, ...Object.assign({}, ...facts), ...written } as Declared;
}

export const DECLARATIONS: readonly Declared[] = Object.entries(WRITTEN).map(([id, written]) =>
  declared(id as Dataset, written),
);

/** Every dataset id, the default (Core maxExchanges) first. */
export const DATASETS = DECLARATIONS.map((declaration) => declaration.id) as unknown as readonly [
  Dataset,
  ...Dataset[],
];

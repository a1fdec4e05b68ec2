// The simulator's profile of every declared dataset: those with a real capture have their own (built from it, and
// compared with it by the fidelity tests); every other keyed dataset is answered from its declaration alone
// (declared.ts).
import {
  DATASETS,
  type Dataset,
  declarationOf,
  isConstraintDataset,
  KEYED_VALUE_DECLARATIONS,
  type KeyedValueDataset,
} from '../../domain/datasets';
import { domainEndpointOf, type FlowBasedEndpoint } from '../flowBased/endpoints';
import { coreAtcProfile } from './coreAtc';
import { coreMaxExchangesProfile } from './coreMaxExchanges';
import { coreNetPosProfile } from './coreNetPos';
import { coreScheduledExchangesProfile } from './coreScheduledExchanges';
import { coreShadowAuctionATCProfile } from './coreShadowAuctionATC';
import { declaredProfile } from './declared';
import { nordicMaxBorderFlowProfile } from './nordicMaxBorderFlow';
import { nordicMaxExchangesProfile } from './nordicMaxExchanges';
import { type GeneratedProfile, isFlowBasedProfile, type SimulatorProfile } from './profile';

export type { FlowBasedProfile, GeneratedProfile, RowContext, SimulatorProfile } from './profile';
export { isFlowBasedProfile } from './profile';

/** The profiles built from a real capture of the dataset (test/fixtures/jao/). */
const CAPTURED_PROFILES: { readonly [dataset: string]: SimulatorProfile } = {
  maxExchanges: coreMaxExchangesProfile,
  nordicMaxExchanges: nordicMaxExchangesProfile,
  coreShadowAuctionATC: coreShadowAuctionATCProfile,
  coreScheduledExchanges: coreScheduledExchangesProfile,
  coreAtc: coreAtcProfile,
  nordicMaxBorderFlow: nordicMaxBorderFlowProfile,
  coreNetPos: coreNetPosProfile,
};

export const PROFILES = Object.fromEntries(
  KEYED_VALUE_DECLARATIONS.map((declaration) => [
    declaration.id,
    CAPTURED_PROFILES[declaration.id] ?? declaredProfile(declaration),
  ]),
) as { readonly [D in KeyedValueDataset]: SimulatorProfile };

/** Whether the dataset's simulator profile is built from a real capture of it, not from its declaration alone. */
export function hasCapturedProfile(dataset: KeyedValueDataset): boolean {
  return CAPTURED_PROFILES[dataset] !== undefined;
}

/** The dataset's profile when the simulator writes its rows itself; null when a flow-based endpoint answers it. */
export function generatedProfileOf(dataset: KeyedValueDataset): GeneratedProfile | null {
  const profile = PROFILES[dataset];
  return isFlowBasedProfile(profile) ? null : profile;
}

/** The flow-based endpoint that answers the dataset's path, or null. */
export function flowBasedEndpointOf(dataset: Dataset): FlowBasedEndpoint | null {
  if (isConstraintDataset(dataset)) return domainEndpointOf(declarationOf(dataset));
  const profile = PROFILES[dataset];
  return isFlowBasedProfile(profile) ? profile.servedBy : null;
}

/** The declared dataset a flow-based endpoint answers for, if any. */
export function datasetServedBy(endpoint: FlowBasedEndpoint): Dataset | undefined {
  return DATASETS.find((dataset) => flowBasedEndpointOf(dataset) === endpoint);
}

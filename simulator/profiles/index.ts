// The simulator's profile of every declared dataset: a dataset without one does not type-check.
import {
  DATASETS,
  type Dataset,
  declarationOf,
  isConstraintDataset,
  type KeyedValueDataset,
} from '../../domain/datasets';
import { domainEndpointOf, type FlowBasedEndpoint } from '../flowBased/endpoints';
import { coreAtcProfile } from './coreAtc';
import { coreMaxExchangesProfile } from './coreMaxExchanges';
import { coreNetPosProfile } from './coreNetPos';
import { coreScheduledExchangesProfile } from './coreScheduledExchanges';
import { coreShadowAuctionATCProfile } from './coreShadowAuctionATC';
import { nordicMaxBorderFlowProfile } from './nordicMaxBorderFlow';
import { nordicMaxExchangesProfile } from './nordicMaxExchanges';
import { type GeneratedProfile, isFlowBasedProfile, type SimulatorProfile } from './profile';

export type { FlowBasedProfile, GeneratedProfile, RowContext, SimulatorProfile } from './profile';
export { isFlowBasedProfile } from './profile';

export const PROFILES: { readonly [D in KeyedValueDataset]: SimulatorProfile } = {
  maxExchanges: coreMaxExchangesProfile,
  nordicMaxExchanges: nordicMaxExchangesProfile,
  coreShadowAuctionATC: coreShadowAuctionATCProfile,
  coreScheduledExchanges: coreScheduledExchangesProfile,
  coreAtc: coreAtcProfile,
  nordicMaxBorderFlow: nordicMaxBorderFlowProfile,
  coreNetPos: coreNetPosProfile,
};

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

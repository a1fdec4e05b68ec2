// The simulator's profile of every declared dataset: a dataset without one does not type-check.
import type { KeyedValueDataset } from '../../domain/datasets';
import { coreAtcProfile } from './coreAtc';
import { coreMaxExchangesProfile } from './coreMaxExchanges';
import { coreScheduledExchangesProfile } from './coreScheduledExchanges';
import { coreShadowAuctionATCProfile } from './coreShadowAuctionATC';
import { nordicMaxBorderFlowProfile } from './nordicMaxBorderFlow';
import { nordicMaxExchangesProfile } from './nordicMaxExchanges';
import type { SimulatorProfile } from './profile';

export type { RowContext, SimulatorProfile } from './profile';

export const PROFILES: { readonly [D in KeyedValueDataset]: SimulatorProfile } = {
  maxExchanges: coreMaxExchangesProfile,
  nordicMaxExchanges: nordicMaxExchangesProfile,
  coreShadowAuctionATC: coreShadowAuctionATCProfile,
  coreScheduledExchanges: coreScheduledExchangesProfile,
  coreAtc: coreAtcProfile,
  nordicMaxBorderFlow: nordicMaxBorderFlowProfile,
};

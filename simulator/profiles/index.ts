// The simulator's profile of every declared dataset: a dataset without one does not type-check.
import type { Dataset } from '../../domain/types';
import { coreMaxExchangesProfile } from './coreMaxExchanges';
import { coreShadowAuctionATCProfile } from './coreShadowAuctionATC';
import { nordicMaxExchangesProfile } from './nordicMaxExchanges';
import type { SimulatorProfile } from './profile';

export type { RowContext, SimulatorProfile } from './profile';

export const PROFILES: { readonly [D in Dataset]: SimulatorProfile } = {
  maxExchanges: coreMaxExchangesProfile,
  nordicMaxExchanges: nordicMaxExchangesProfile,
  coreShadowAuctionATC: coreShadowAuctionATCProfile,
};

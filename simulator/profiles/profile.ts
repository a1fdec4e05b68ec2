// What the simulator needs to answer like one dataset, beyond its declaration (domain/datasets/): the key set of a
// day, how rows are written, the members a row carries besides its keys, and the envelope's extra members. Each
// profile is built from the dataset's real capture (test/fixtures/jao/), and the fidelity tests compare the two.
import type { Dataset, DeliveryDay } from '../../domain/types';
import type { FlowBasedState } from '../flowBased/dayState';
import type { FlowBasedEndpoint } from '../flowBased/endpoints';
import type { Gaps, KeySet, RowFormat } from '../values';

export interface RowContext {
  day: DeliveryDay;
  mtuMs: number;
  /** When the day's current version was last modified at JAO (its publication, revision or re-publication). */
  lastModifiedMs: number;
}

interface ProfileBase {
  dataset: Dataset;
  keySetForDay(day: DeliveryDay, keySetChangeDay: DeliveryDay): KeySet;
}

/** A dataset the simulator answers from its key set and row format (simulator/dataAnswer.ts). */
export interface GeneratedProfile extends ProfileBase {
  format: RowFormat;
  /** Members between `dateTimeUtc` and the keys, each starting with a comma (Nordic's `lastModifiedOn`). */
  leadingMembers?(context: RowContext): string;
  /** Members after `messages`, each starting with a comma (shadowAuctionATC's row counts). */
  envelopeTail?(rows: number): string;
  /** The longest window answered, in days (default 2: maxExchanges answers 400 beyond). */
  maxWindowDays?: number;
  /** `indented`: the answer written with two-space indentation (atc), instead of compact (the rest). */
  layout?: 'compact' | 'indented';
  /** MTUs without a row (a sparse dataset). */
  rowGaps?: Gaps;
}

/**
 * A dataset whose path a flow-based endpoint of the simulator answers (netPos: simulator/flowBased/): its rows, and
 * its days' publication and revisions, are that endpoint's, so the values have one source; the dataset control
 * routes act on them through it.
 */
export interface FlowBasedProfile extends ProfileBase {
  servedBy: FlowBasedEndpoint;
  /** The value the endpoint serves for a key at a MTU (null: the key is not in the day's rows). */
  valueAt(days: FlowBasedState, day: DeliveryDay, key: string, mtuMs: number): number | null;
}

export type SimulatorProfile = GeneratedProfile | FlowBasedProfile;

export function isFlowBasedProfile(profile: SimulatorProfile): profile is FlowBasedProfile {
  return 'servedBy' in profile;
}

// The lanes by name: a dataset's lane is its declaration's row shape (domain/lanes.ts: laneNameOf).
import { type LaneName, laneNameOf } from '../../domain/lanes';
import type { Dataset } from '../../domain/types';
import { constraintsLane } from './constraints';
import { keyedValuesLane } from './keyedValues';
import type { Lane } from './lane';

const LANES: Readonly<Record<LaneName, Lane>> = {
  keyedValues: keyedValuesLane,
  constraints: constraintsLane,
};

/** The lane that judges, writes and reads `dataset`'s rows. */
export function laneOf(dataset: Dataset): Lane {
  return LANES[laneNameOf(dataset)];
}

export type { Lane, LaneContent, MergedDay, MergeMode } from './lane';

// The lanes by name: a dataset's lane is its declaration's row shape (domain/lanes.ts: laneNameOf), and a judged
// day's tag names the lane that judged it.
import { type LaneName, laneNameOf } from '../../domain/lanes';
import type { Dataset, Rejection, ValidatedDay } from '../../domain/types';
import { constraintsLane } from './constraints/lane';
import { keyedValuesLane } from './keyedValues/lane';
import type { Lane, LaneContent } from './lane';

type DayOf<Name extends LaneName> = Extract<ValidatedDay, { lane: Name }>;
type Lanes = { [Name in LaneName]: Lane<DayOf<Name>> };

const LANES: Lanes = {
  keyedValues: keyedValuesLane,
  constraints: constraintsLane,
};

/** The lane that judges, writes and reads `dataset`'s rows. */
export function laneOf(dataset: Dataset): Lanes[LaneName] {
  return LANES[laneNameOf(dataset)];
}

/** The lane named `name`, typed for the days it judges. */
function laneNamed<Name extends LaneName>(name: Name): Lane<DayOf<Name>> {
  return LANES[name];
}

/** A judged day as content for its write, by the lane that judged it. */
export function contentOf(validated: ValidatedDay, rejections: readonly Rejection[]): Promise<LaneContent> {
  return laneNamed(validated.lane).contentOf(validated, rejections);
}

/** The rows of a judged day its write would store, counted by the lane that judged it. */
export function storedRowsOf(validated: ValidatedDay): number {
  return laneNamed(validated.lane).storedRows(validated);
}

// What a stored raw body means for its delivery day: the status it leads to and what may be written.
import { expectedMtuCount } from './calendar';
import { declarationOf, declaredResolutionOn } from './datasets';
import { judgeDay } from './dayStatus';
import type { Dataset, DayStatus, DeliveryDay, KeyedValuesDay, Rejection, ValidatedDay } from './types';
import { DEFAULT_RESOLUTION_MINUTES, type ValidationOptions, validateDayBody } from './validate';

/** A judged answer; `Day`: the lane's validated day (domain/types.ts: ValidatedDay). */
export interface Assessment<Day extends ValidatedDay = ValidatedDay> {
  status: Exclude<DayStatus, 'failed'>;
  /**
   * What validation read; null when the body is not a JAO envelope. Its values are written only when the
   * status is `complete` or `partial`; its counts describe the day either way.
   */
  validated: Day | null;
  rejections: Rejection[];
  expectedMtus: number;
  /** Why the day is not complete (null when it is): jao.delivery_day.reason. */
  reason: string | null;
  /** What this answer did wrong, for last_error: the reason of an invalid answer, null otherwise. */
  error: string | null;
}

export function assessBody(
  day: DeliveryDay,
  body: string,
  options: ValidationOptions = {},
): Assessment<KeyedValuesDay> {
  const outcome = validateDayBody(day, body, options);
  if (!outcome.ok) {
    const resolution = options.declaredResolutionMinutes ?? DEFAULT_RESOLUTION_MINUTES;
    return invalidAssessment(outcome.reason, expectedMtuCount(day, resolution), outcome.rejections);
  }
  return judgedAssessment(outcome.result, judgeDay(outcome.result));
}

/** A judged day: an invalid one's reason is also what its answer did wrong. */
export function judgedAssessment<Day extends ValidatedDay>(
  validated: Day,
  { status, reason }: Pick<Assessment, 'status' | 'reason'>,
): Assessment<Day> {
  const { rejections, expectedMtus } = validated;
  return { status, validated, rejections, expectedMtus, reason, error: status === 'invalid' ? reason : null };
}

/** An answer nothing of which is written: the day is invalid, for `reason`. */
export function invalidAssessment<Day extends ValidatedDay = ValidatedDay>(
  reason: string,
  expectedMtus: number,
  rejections: Rejection[] = [],
): Assessment<Day> {
  return { status: 'invalid', validated: null, rejections, expectedMtus, reason, error: reason };
}

/** A stored answer that is not processed (too large, truncated): the day is invalid, nothing of it is written. */
export function refusedAssessment(dataset: Dataset, day: DeliveryDay, reason: string): Assessment {
  return invalidAssessment(reason, expectedMtuCount(day, declaredResolutionOn(declarationOf(dataset), day)));
}

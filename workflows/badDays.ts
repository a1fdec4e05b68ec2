// The bad-day markers (docs/operations.md, "Only the days bad now"). badDayWorkflow stays Running exactly while its
// day is bad in the way its id names; badDaysSyncWorkflow, started by the bad-days schedule, brings the markers in
// line with the database. Neither touches the days themselves.
import {
  ApplicationFailure,
  condition,
  defineSignal,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { BadDaysSyncResult } from '../activities/badDays';
import { BAD_DAY_OVER_SIGNAL, type BadDay, parseBadDay } from '../domain/badDays';
import { badDayActivities } from './activities';
import { INVALID_INPUT } from './deliveryDay';

export const dayNoLongerBadSignal = defineSignal(BAD_DAY_OVER_SIGNAL);

/** Runs until its day is no longer bad in this way (the sync's signal); returns the day it marked. */
export async function badDayWorkflow(input: BadDay): Promise<BadDay> {
  const parsed = parseBadDay(input);
  if (!parsed.ok)
    throw ApplicationFailure.nonRetryable(`invalid bad-day input: ${parsed.message}`, INVALID_INPUT);
  let over = false;
  setHandler(dayNoLongerBadSignal, () => {
    over = true;
  });
  await condition(() => over);
  return parsed.value;
}

/** One pass of the sync (the bad-days schedule's action). */
export async function badDaysSyncWorkflow(): Promise<BadDaysSyncResult> {
  setCurrentDetails('bringing the bad-day markers in line with jao.delivery_day');
  const result = await badDayActivities.syncBadDayMarkers();
  setCurrentDetails(
    `${result.badDays} bad day(s): ${result.started} marker(s) started, ${result.completed} completed`,
  );
  return result;
}

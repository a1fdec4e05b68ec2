// The bad-day markers' keeper (docs/operations.md, "Only the days bad now"): the worker starts it, or tells the one
// running to sync, at start-up; and it removes release 1.1.0's schedule `bad-days`, which started a sync every 30 s
// (2,880 runs a day in the Web UI's list). Both idempotent: a worker of 1.1.0 that starts again during a rolling
// upgrade puts its schedule back, and the next start of this release removes it; meanwhile both keep the markers,
// which is safe (two syncs at once leave one marker per bad day).
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { signalBadDayMarkers } from '../activities/badDays';
import { badDayMarkersIdOf } from '../domain/badDays';
import { perQueueId } from './pollSchedule';

/** Release 1.1.0's schedule of the sync (`bad-days/<queue>` on any queue but the default). */
export const BAD_DAYS_SCHEDULE_ID = 'bad-days';

export interface BadDayMarkersStart {
  /** The keeper's workflow id. */
  keeper: string;
  /** What became of release 1.1.0's schedule. */
  schedule: 'removed' | 'absent';
}

/** Starts the keeper of `taskQueue`'s markers, or tells the one running to sync; removes the schedule it replaces. */
export async function ensureBadDayMarkers(client: Client, taskQueue: string): Promise<BadDayMarkersStart> {
  let schedule: BadDayMarkersStart['schedule'] = 'removed';
  try {
    await client.schedule.getHandle(perQueueId(BAD_DAYS_SCHEDULE_ID, taskQueue)).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    schedule = 'absent';
  }
  await signalBadDayMarkers(client, taskQueue);
  return { keeper: badDayMarkersIdOf(taskQueue), schedule };
}

// The bad-day markers (docs/operations.md, "Only the days bad now"). badDayWorkflow stays Running exactly while its
// day is bad in the way its id names; badDayMarkersWorkflow, one long-lived run per task queue, brings the markers in
// line with the database whenever a write tells it a day's outcome changed, at the deadline of a day not published
// yet, and on a slow sweep; it continues as new after a bounded number of syncs. badDaysSyncWorkflow is one sync
// alone: release 1.1.0's schedule started it every 30 s, and runs of it still open replay here. None of them touches
// the days themselves.
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineSignal,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BadDaysSyncResult } from '../activities/badDays';
import {
  BAD_DAY_MARKERS_SYNCS_PER_RUN,
  BAD_DAY_OVER_SIGNAL,
  BAD_DAYS_SWEEP_INTERVAL_MS,
  type BadDay,
  DAY_OUTCOME_CHANGED_SIGNAL,
  parseBadDay,
} from '../domain/badDays';
import { badDayActivities } from './activities';
import { INVALID_INPUT } from './deliveryDay';

export const dayNoLongerBadSignal = defineSignal(BAD_DAY_OVER_SIGNAL);
export const dayOutcomeChangedSignal = defineSignal(DAY_OUTCOME_CHANGED_SIGNAL);

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

/** One pass of the sync (the action of release 1.1.0's bad-days schedule). */
export async function badDaysSyncWorkflow(): Promise<BadDaysSyncResult> {
  setCurrentDetails('bringing the bad-day markers in line with jao.delivery_day');
  const result = await badDayActivities.syncBadDayMarkers();
  setCurrentDetails(
    `${result.badDays} bad day(s): ${result.started} marker(s) started, ${result.completed} completed`,
  );
  return result;
}

/**
 * The keeper's input, which is also what one run hands the next at continue-as-new. Fields are only ever added,
 * optional with a default.
 */
export interface BadDayMarkersInput {
  /** Sync at once (default true: a keeper just started syncs before it waits). */
  pending?: boolean;
  /** The earliest deadline ahead of a day not published (ISO instant), as the last sync found it. */
  nextDeadline?: string;
  /** Syncs per run before it continues as new (default BAD_DAY_MARKERS_SYNCS_PER_RUN). */
  syncsPerRun?: number;
}

type SyncReason = 'a day changed' | 'a deadline passed' | 'sweep' | 'start';

const clock = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function describeKeeper(
  result: BadDaysSyncResult,
  reason: SyncReason,
  at: number,
  next: { sweep: number; deadline: number | null },
): string {
  return [
    `${result.badDays} bad day(s) now, one running badDayWorkflow each.`,
    `Last sync ${clock(at)} (${reason}): ${result.started} marker(s) started, ${result.completed} completed.`,
    `Next sync when a write changes a day's outcome, else at ${clock(next.sweep)}` +
      (next.deadline !== null && next.deadline < next.sweep
        ? ` (${clock(next.deadline)}: a day not published reaches its deadline).`
        : ' (sweep).'),
  ].join('\n\n');
}

/**
 * Keeps one running badDayWorkflow per day bad now (signal-with-start by the worker at start and by every write
 * that changes a day's outcome: activities/badDays.ts). Never ends on its own: it continues as new every
 * `syncsPerRun` syncs, or earlier when Temporal suggests it (a flood of signals).
 */
export async function badDayMarkersWorkflow(input: BadDayMarkersInput = {}): Promise<never> {
  const syncsPerRun = input.syncsPerRun ?? BAD_DAY_MARKERS_SYNCS_PER_RUN;
  let changed = input.pending ?? true;
  setHandler(dayOutcomeChangedSignal, () => {
    changed = true;
  });
  let reason: SyncReason = 'start';
  let nextSweep = Date.now() + BAD_DAYS_SWEEP_INTERVAL_MS;
  let nextDeadline = input.nextDeadline === undefined ? null : Date.parse(input.nextDeadline);
  setCurrentDetails('Keeps one running badDayWorkflow per day bad now: waiting for its first sync.');
  for (let syncs = 0; syncs < syncsPerRun && !workflowInfo().continueAsNewSuggested; syncs++) {
    if (!changed) {
      const wakeAt = nextDeadline === null ? nextSweep : Math.min(nextSweep, nextDeadline);
      if (wakeAt > Date.now()) await condition(() => changed, wakeAt - Date.now());
      reason = changed ? 'a day changed' : wakeAt === nextSweep ? 'sweep' : 'a deadline passed';
    } else if (syncs > 0) reason = 'a day changed';
    changed = false;
    const result = await badDayActivities.syncBadDayMarkers();
    const at = Date.now();
    nextSweep = at + BAD_DAYS_SWEEP_INTERVAL_MS;
    nextDeadline = result.nextDeadline === undefined ? null : Date.parse(result.nextDeadline);
    setCurrentDetails(describeKeeper(result, reason, at, { sweep: nextSweep, deadline: nextDeadline }));
  }
  return continueAsNew<typeof badDayMarkersWorkflow>({
    pending: changed,
    ...(nextDeadline === null ? {} : { nextDeadline: new Date(nextDeadline).toISOString() }),
    ...(input.syncsPerRun === undefined ? {} : { syncsPerRun: input.syncsPerRun }),
  });
}

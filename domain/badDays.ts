// Days that are bad now, and the bad-day markers that show them in the Temporal Web UI (docs/operations.md, "Only
// the days bad now"): one running badDayWorkflow per bad day, its id naming the day and its bad status. Which days
// are bad is decided here from jao.delivery_day's facts; which markers to start and complete, by `markerChanges`.
import { isDeliveryDay } from './calendar';
import { deadlineOf } from './statusReport';
import { DATASETS, type Dataset, type DayStatus, type DeliveryDay } from './types';
import { describeIssues, type Parsed, TASK_QUEUE } from './workflowInputs';
import { zod } from './zod';

export const BAD_DAY_WORKFLOW_TYPE = 'badDayWorkflow';
export const BAD_DAYS_SYNC_WORKFLOW_TYPE = 'badDaysSyncWorkflow';
/** Sent to a marker whose day is no longer bad in that way: the marker returns. */
export const BAD_DAY_OVER_SIGNAL = 'dayNoLongerBad';
/** How often the schedule brings the markers in line with the database: the most a marker lags the day. */
export const BAD_DAYS_SYNC_INTERVAL_MS = 30_000;
/** Rows of jao.delivery_day read per query while looking for bad days. */
export const BAD_DAYS_PAGE_SIZE = 500;
/** Marker starts and completions in flight at once during one sync. */
export const BAD_DAYS_SYNC_CONCURRENCY = 8;

/**
 * How a day is bad: its stored status when failed, invalid or partial; `late` while still not published after its
 * deadline; `recheck_failed` when complete but the last check of JAO went wrong (the values stay).
 */
export const BAD_DAY_STATUSES = ['failed', 'invalid', 'partial', 'late', 'recheck_failed'] as const;
export type BadDayStatus = (typeof BAD_DAY_STATUSES)[number];

/** What jao.delivery_day says about one day. */
export interface StoredDayFacts {
  dataset: Dataset;
  day: DeliveryDay;
  status: DayStatus;
  lastError: string | null;
}

export interface BadDay {
  dataset: Dataset;
  day: DeliveryDay;
  status: BadDayStatus;
}

/** A running marker, as Temporal's visibility lists it. */
export interface RunningMarker extends BadDay {
  workflowId: string;
}

/**
 * The day's bad status, or null when it is fine now: complete without a failed re-check, or not published before
 * its deadline (`deadline`, HH:MM Europe/Amsterdam on the day before; domain/statusReport.ts).
 */
export function badStatusOf(facts: StoredDayFacts, deadline: string, now: Date): BadDayStatus | null {
  switch (facts.status) {
    case 'failed':
    case 'invalid':
    case 'partial':
      return facts.status;
    case 'complete':
      return facts.lastError === null ? null : 'recheck_failed';
    case 'not_published':
      return deadlineOf(facts.day, deadline).getTime() <= now.getTime() ? 'late' : null;
  }
}

/** `{dataset}/bad-day/YYYY-MM-DD/{status}` on the default task queue, `…/<queue>` on any other (as schedules). */
export function markerIdOf(bad: BadDay, taskQueue: string): string {
  const id = `${bad.dataset}/bad-day/${bad.day}/${bad.status}`;
  return taskQueue === TASK_QUEUE ? id : `${id}/${taskQueue}`;
}

const keyOf = (bad: BadDay) => `${bad.dataset}\u0000${bad.day}\u0000${bad.status}`;

export interface MarkerChanges {
  /** Bad days without a running marker of their status. */
  start: BadDay[];
  /** Running markers whose day is fine now, or bad in another way. */
  complete: RunningMarker[];
}

/** What brings the running markers in line with the days bad now: one marker per bad day, naming its status. */
export function markerChanges(badDays: readonly BadDay[], running: readonly RunningMarker[]): MarkerChanges {
  const wanted = new Set(badDays.map(keyOf));
  const marked = new Set(running.map(keyOf));
  return {
    start: badDays.filter((bad) => !marked.has(keyOf(bad))),
    complete: running.filter((marker) => !wanted.has(keyOf(marker))),
  };
}

/** A marker's input, checked where it arrives (a start from the Web UI included). */
export function parseBadDay(raw: unknown): Parsed<BadDay> {
  const z = zod();
  const schema = z
    .object({
      dataset: z.enum(DATASETS),
      day: z.string().refine(isDeliveryDay, 'expected a delivery day YYYY-MM-DD'),
      status: z.enum(BAD_DAY_STATUSES),
    })
    .strict();
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
}

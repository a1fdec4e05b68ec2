// Days that are bad now, and the bad-day markers that show them in the Temporal Web UI (docs/operations.md, "Only
// the days bad now"): one running badDayWorkflow per bad day, its id naming the day and its bad status. Which days
// are bad is decided here from jao.delivery_day's facts; which markers to start and complete, by `markerChanges`;
// when a write calls for the keeper of the markers (badDayMarkersWorkflow), by `outcomeChanged`.
import { isDeliveryDay } from './calendar';
import { deadlineOf } from './freshnessDeadline';
import { DATASETS, type Dataset, type DayStatus, type DeliveryDay } from './types';
import { type Parsed, parsedOf, TASK_QUEUE } from './workflowInputs';
import { zod } from './zod';

export const BAD_DAY_WORKFLOW_TYPE = 'badDayWorkflow';
/** The keeper of the markers: one long-lived run per task queue (workflows/badDays.ts). */
export const BAD_DAY_MARKERS_WORKFLOW_TYPE = 'badDayMarkersWorkflow';
/** The keeper's workflow id on the default task queue (`bad-days/markers/<queue>` on any other). */
export const BAD_DAY_MARKERS_WORKFLOW_ID = 'bad-days/markers';
/** Sent to a marker whose day is no longer bad in that way: the marker returns. */
export const BAD_DAY_OVER_SIGNAL = 'dayNoLongerBad';
/** Sent to the keeper (signal-with-start) where a write changed a day's outcome: it syncs the markers at once. */
export const DAY_OUTCOME_CHANGED_SIGNAL = 'dayOutcomeChanged';
/**
 * How often the keeper syncs when no write told it of a change: the most a marker lags a day written where nobody
 * signals (a worker of release 1.1.0 during a rolling upgrade, a signal lost to a Temporal outage).
 */
export const BAD_DAYS_SWEEP_INTERVAL_MS = 10 * 60_000;
/** Syncs per run of the keeper before it continues as new (history: about a dozen events per sync). */
export const BAD_DAY_MARKERS_SYNCS_PER_RUN = 300;
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
 * its deadline (`deadline`: domain/freshnessDeadline.ts).
 */
export function badStatusOf(facts: StoredDayFacts, deadline: string, now: Date): BadDayStatus | null {
  const kind = outcomeKindOf({ status: facts.status, lastError: facts.lastError !== null });
  if (kind !== 'not_published') return kind;
  return deadlineOf(facts.day, deadline).getTime() <= now.getTime() ? 'late' : null;
}

/** The deadline still ahead of a day stored not published, when it turns late with no write; null for any other. */
export function deadlineAheadOf(facts: StoredDayFacts, deadline: string, now: Date): Date | null {
  if (facts.status !== 'not_published') return null;
  const due = deadlineOf(facts.day, deadline);
  return due.getTime() > now.getTime() ? due : null;
}

/**
 * What a day's marker follows of its stored record: `null` for a day that cannot be bad (no record, or complete with
 * its last check fine), else its status, or `recheck_failed` for a complete day whose last check failed. A day not
 * published may turn late by the clock alone, with no write: the keeper wakes at the next deadline for that (its
 * sync's `nextDeadline`).
 */
export type OutcomeKind = Exclude<DayStatus, 'complete'> | 'recheck_failed' | null;

/** A stored day's record as far as its marker is concerned (`lastError`: the column is set). */
export interface DayRecordFacts {
  status: DayStatus;
  lastError: boolean;
}

export function outcomeKindOf(record: DayRecordFacts | null): OutcomeKind {
  if (record === null) return null;
  if (record.status === 'complete') return record.lastError ? 'recheck_failed' : null;
  return record.status;
}

/**
 * Whether a write moved the day from one outcome its marker tells apart to another, so that the keeper of the markers
 * must sync: a new day stored complete, or a day not published checked again and still not published, is no change.
 */
export function outcomeChanged(before: DayRecordFacts | null, after: DayRecordFacts | null): boolean {
  return outcomeKindOf(before) !== outcomeKindOf(after);
}

/** The keeper's workflow id on `taskQueue` (as schedules: the queue appended on any queue but the default). */
export function badDayMarkersIdOf(taskQueue: string): string {
  return taskQueue === TASK_QUEUE
    ? BAD_DAY_MARKERS_WORKFLOW_ID
    : `${BAD_DAY_MARKERS_WORKFLOW_ID}/${taskQueue}`;
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
  return parsedOf(schema.safeParse(raw));
}

// Inputs, ids and results of reprocessing (docs/design.md §13): days re-derived from their stored raw answers by
// the current build, without asking JAO. Pure: imported by workflows, activities and the CLI.
import type { z } from 'zod';
import { DEFAULT_DATASET } from './datasets/compat';
import { DATASETS, type Dataset, type DayStatus, type DeliveryDay } from './types';
import {
  type BackfillProgress,
  concurrencySchema,
  type DayOutcome,
  daysPerRunSchema,
  dayWorkflowId,
  type Parsed,
  parsedOf,
  rangeProblem,
  wrongIdOf,
} from './workflowInputs';
import { deliveryDaySchema, lazily, zod } from './zod';

/** `maxExchanges/reprocess/2024-01-01..2024-01-31`: one run per range (a second start attaches to it). */
export const reprocessWorkflowId = (dataset: Dataset, from: DeliveryDay, to: DeliveryDay) =>
  `${dataset}/reprocess/${from}..${to}`;

/**
 * `maxExchanges/day/2024-01-05/reprocess`: never the day workflow's own id (`maxExchanges/day/2024-01-05`), so a
 * reprocessing and a fetch of the same day can both run (their writes take turns on the day's lock), yet found by
 * the day: `WorkflowId STARTS_WITH "maxExchanges/day/2024-01-05"` lists both.
 */
export const reprocessDayWorkflowId = (dataset: Dataset, day: DeliveryDay) =>
  `${dayWorkflowId(dataset, day)}/reprocess`;

/** Days reprocessed at a time by default: no rate limit applies, the database is what they share. */
export const DEFAULT_REPROCESS_CONCURRENCY = 8;

function buildSchemas() {
  const z = zod();
  const deliveryDay = deliveryDaySchema();
  const dataset = z.enum(DATASETS).default(DEFAULT_DATASET);
  return {
    range: z.object({
      dataset,
      from: deliveryDay,
      to: deliveryDay,
      concurrency: concurrencySchema(DEFAULT_REPROCESS_CONCURRENCY),
      daysPerRun: daysPerRunSchema(),
    }),
    day: z.object({ dataset, day: deliveryDay }),
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
const inputSchemas = lazily(buildSchemas);

export type ReprocessInput = z.input<Schemas['range']>;
export type ReprocessRequest = z.output<Schemas['range']>;
export type ReprocessDayInput = z.input<Schemas['day']>;
export type ReprocessDayRequest = z.output<Schemas['day']>;

const NOT_YET = 'no answer of it can be stored yet';

/** Validates a reprocessing of a range; `now` decides what "tomorrow" is. */
export function parseReprocessInput(raw: unknown, now: Date): Parsed<ReprocessRequest> {
  return parsedOf(inputSchemas().range.safeParse(raw), (request) => rangeProblem(request, now, NOT_YET));
}

/**
 * Validates the reprocessing of one day. Started from outside (no parent), its id must name the day too, so a day's
 * reprocessing is always found under its own id.
 */
export function parseReprocessDayInput(
  raw: unknown,
  now: Date,
  workflowId: string | null,
): Parsed<ReprocessDayRequest> {
  return parsedOf(inputSchemas().day.safeParse(raw), ({ dataset, day }) => {
    const problem = rangeProblem({ dataset, from: day, to: day }, now, NOT_YET);
    if (problem) return problem.replace(/^(from|to) /, '');
    const expected = reprocessDayWorkflowId(dataset, day);
    return workflowId !== null && workflowId !== expected ? wrongIdOf(workflowId, expected) : null;
  });
}

/** Values a reprocessing changed (or, in a dry run, would change) in one day. */
export interface ValueChanges {
  changed: number;
  added: number;
  vanished: number;
}

export const totalOf = (values: ValueChanges) => values.changed + values.added + values.vanished;

/** One day reprocessed: what it was, what it is, and what changed. */
export interface ReprocessDayResult {
  day: DeliveryDay;
  /** The day's status after the reprocessing (the stored one when nothing changed). */
  status: DayStatus;
  /** Its status before; null when the day had no record. */
  statusBefore: DayStatus | null;
  /** The values or the day's record changed (in a dry run: would change). */
  changed: boolean;
  values: ValueChanges;
  /** The day's revision count after. */
  revision: number;
  /** The stored answer it was re-derived from, and whether that is the day's latest one. */
  rawResponseId: number;
  latestAnswer: boolean;
  /** Why the day is not complete; absent when it is. */
  reason?: string;
}

/** A changed day as the run reports it. */
export interface ChangedDay {
  day: DeliveryDay;
  statusBefore: DayStatus | null;
  status: DayStatus;
  values: ValueChanges;
}

/** Changed days listed by a run; beyond, they are counted. */
export const LISTED_CHANGED_DAYS = 500;

export interface ReprocessTotals {
  changedDays: number;
  unchangedDays: number;
  values: ValueChanges;
  /** The first LISTED_CHANGED_DAYS changed days. */
  changed: ChangedDay[];
}

export const emptyReprocessTotals = (): ReprocessTotals => ({
  changedDays: 0,
  unchangedDays: 0,
  values: { changed: 0, added: 0, vanished: 0 },
  changed: [],
});

export function countReprocessed(totals: ReprocessTotals, result: ReprocessDayResult): void {
  if (!result.changed) {
    totals.unchangedDays += 1;
    return;
  }
  totals.changedDays += 1;
  for (const kind of ['changed', 'added', 'vanished'] as const) totals.values[kind] += result.values[kind];
  if (totals.changed.length < LISTED_CHANGED_DAYS) {
    const { day, statusBefore, status, values } = result;
    totals.changed.push({ day, statusBefore, status, values });
  }
}

/** A day of a batch: re-derived, or failed with the reason (nothing of it was written). */
export type ReprocessBatchOutcome =
  | { day: DeliveryDay; ok: true; result: ReprocessDayResult }
  | { day: DeliveryDay; ok: false; reason: string };

/** Days one activity re-derives at most: each batch is a few seconds, so progress and cancellation stay prompt. */
export const MAX_REPROCESS_BATCH_DAYS = 25;

/**
 * Days per batch when `days` are left for this run at `concurrency` batches in flight: every slot gets work, and a
 * batch holds no more than MAX_REPROCESS_BATCH_DAYS.
 */
export const reprocessBatchSize = (days: number, concurrency: number) =>
  Math.max(1, Math.min(MAX_REPROCESS_BATCH_DAYS, Math.ceil(days / concurrency)));

export interface ReprocessPlan {
  /** Days with at least one stored raw answer, in order. */
  days: DeliveryDay[];
  /** Days of the range without any: reported, never fetched. */
  withoutRawAnswer: DeliveryDay[];
}

export interface ReprocessProgress extends BackfillProgress {
  changedDays: number;
  unchangedDays: number;
  values: ValueChanges;
  withoutRawAnswer: DeliveryDay[];
}

export interface ReprocessResult extends ReprocessTotals {
  dataset: Dataset;
  from: DeliveryDay;
  to: DeliveryDay;
  /** Days reprocessed (those with a stored raw answer). */
  total: number;
  byStatus: Partial<Record<DayStatus, number>>;
  /** Days that are not complete after it (their status and reason), and days whose reprocessing failed. */
  notCompleted: DayOutcome[];
  withoutRawAnswer: DeliveryDay[];
}

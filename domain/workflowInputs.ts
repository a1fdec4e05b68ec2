// Inputs, ids and results of the pipeline's workflows. Pure: imported by workflows, activities and the CLI.

import type { z } from 'zod';
import { addDays, daysInRange, marketTomorrow } from './calendar';
import { declarationOf } from './datasets';
import { DEFAULT_DATASET } from './datasets/compat';
import { DOMAIN_PAGE_TAKE } from './flowBased/paging';
import { DATASETS, type Dataset, type DayStatus, type DeliveryDay } from './types';
import { deliveryDaySchema, lazily, zod } from './zod';

export const TASK_QUEUE = 'jao-scraper';
/** Fetch activities run on their own queue so a task-queue-wide rate limit covers every worker. */
export const fetchTaskQueueOf = (taskQueue: string) => `${taskQueue}-fetch`;
/** True for a name fetchTaskQueueOf gives. */
export const isFetchTaskQueue = (taskQueue: unknown) =>
  typeof taskQueue === 'string' && taskQueue.endsWith(fetchTaskQueueOf(''));

export const dayWorkflowId = (dataset: Dataset, day: DeliveryDay) => `${dataset}/day/${day}`;
export const backfillWorkflowId = (
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
  mode: BackfillMode,
) => `${dataset}/backfill/${from}..${to}/${mode}`;

export const TRIGGERS = ['manual', 'cli', 'backfill', 'poll'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const BACKFILL_MODES = ['missing', 'failed', 'all'] as const;
export type BackfillMode = (typeof BACKFILL_MODES)[number];
export const MAX_CONCURRENCY = 64;
/** Days before today a poll may re-check (also the bound of POLL_LOOKBACK_DAYS). */
export const MAX_POLL_LOOKBACK_DAYS = 62;

/** Days (or batches) a run keeps in flight, as `jao backfill` and `jao reprocess` take it. */
export function concurrencySchema(defaultValue: number) {
  return zod()
    .coerce.number()
    .int('concurrency must be a whole number')
    .min(1, 'concurrency must be at least 1')
    .max(MAX_CONCURRENCY, `concurrency must be at most ${MAX_CONCURRENCY}`)
    .default(defaultValue);
}

/** Days started per run before continuing as new, which keeps each run's event history small. */
export const daysPerRunSchema = () => zod().number().int().min(1).max(2_000).default(400);

/**
 * The zod schemas, built on first use (zod itself too, domain/zod.ts): every workflow execution evaluates this
 * module afresh, and building schemas costs far more than the day workflow's own logic, so only the code that
 * parses pays for it.
 */
function buildSchemas() {
  const z = zod();
  const deliveryDay = deliveryDaySchema();
  const dataset = z
    .enum(DATASETS, {
      error: (issue) => `unknown dataset ${JSON.stringify(issue.input)} (known: ${DATASETS.join(', ')})`,
    })
    .default(DEFAULT_DATASET);
  return {
    day: z.object({
      dataset,
      day: deliveryDay,
      trigger: z.enum(TRIGGERS).default('manual'),
      /** Rows a page of a paged dataset asks for (default DOMAIN_PAGE_TAKE); ignored by the other datasets. */
      pageSize: z.number().int().min(1).max(DOMAIN_PAGE_TAKE).optional(),
    }),
    backfill: z.object({
      dataset,
      from: deliveryDay,
      to: deliveryDay,
      concurrency: concurrencySchema(4),
      mode: z
        .enum(BACKFILL_MODES, { message: `mode must be one of ${BACKFILL_MODES.join(', ')}` })
        .default('missing'),
      daysPerRun: daysPerRunSchema(),
    }),
    poll: z.object({
      dataset,
      lookbackDays: z.number().int().min(0).max(MAX_POLL_LOOKBACK_DAYS).default(3),
      lookaheadDays: z.number().int().min(0).max(2).default(1),
      concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(4),
    }),
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
const inputSchemas = lazily(buildSchemas);

export type DayInput = z.input<Schemas['day']>;
export type DayRequest = z.output<Schemas['day']>;
export type BackfillInput = z.input<Schemas['backfill']>;
export type BackfillRequest = z.output<Schemas['backfill']>;
export type PollInput = z.input<Schemas['poll']>;
export type PollRequest = z.output<Schemas['poll']>;

export interface DayResult {
  day: DeliveryDay;
  status: DayStatus;
  mtus: number;
  points: number;
  changedPoints: number;
  revision: number;
  /** Why the day is not complete; absent when it is (and in results of older builds). */
  reason?: string;
}

/** One line per problem, prefixed with the field: what a user sees for bad input. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A parse's value, or its issues; with `problem`, also refused when it names one for the value. */
export function parsedOf<T>(
  result: z.ZodSafeParseResult<T>,
  problem: (value: T) => string | null = () => null,
): Parsed<T> {
  if (!result.success) return { ok: false, message: describeIssues(result.error) };
  const message = problem(result.data);
  return message === null ? { ok: true, value: result.data } : { ok: false, message };
}

/** The refusal of a day's workflow started under another id than its own. */
export const wrongIdOf = (workflowId: string, expected: string) =>
  `workflow id "${workflowId}" does not name the day: start it as "${expected}"`;

export function parseDayInput(raw: unknown): Parsed<DayRequest> {
  return parsedOf(inputSchemas().day.safeParse(raw), ({ dataset, day }) => {
    const before = beforeFirstDay(dataset, day);
    return before === null ? null : `${day} is ${before}: JAO has no data`;
  });
}

/** `before Core flow-based go-live (2022-06-09)` when the day is before the dataset's first day, else null. */
export function beforeFirstDay(dataset: Dataset, day: DeliveryDay): string | null {
  const { firstDay, firstDayName } = declarationOf(dataset);
  return day < firstDay ? `before ${firstDayName} (${firstDay})` : null;
}

/**
 * What a day workflow started from outside (CLI, Web UI) must also satisfy: a day that can be published by now
 * (tomorrow at the latest) and the id that names it, so a day is always found under its own id.
 */
export function checkStartedDay(request: DayRequest, workflowId: string, now: Date): Parsed<DayRequest> {
  const tomorrow = marketTomorrow(now);
  if (request.day > tomorrow) {
    return {
      ok: false,
      message: `${request.day} is after tomorrow (${tomorrow}): it cannot be published yet`,
    };
  }
  const expected = dayWorkflowId(request.dataset, request.day);
  if (workflowId !== expected) return { ok: false, message: wrongIdOf(workflowId, expected) };
  return { ok: true, value: request };
}

/**
 * Why a range of days cannot be run, or null: reversed, from before the dataset's first day, or to after tomorrow
 * (`notYet` says what such a day cannot be).
 */
export function rangeProblem(
  range: { dataset: Dataset; from: DeliveryDay; to: DeliveryDay },
  now: Date,
  notYet: string,
): string | null {
  const { from, to } = range;
  if (from > to) return `the range is reversed: from ${from} is after to ${to}`;
  const before = beforeFirstDay(range.dataset, from);
  if (before !== null) return `from ${from} is ${before}: JAO has no data`;
  const tomorrow = marketTomorrow(now);
  return to > tomorrow ? `to ${to} is after tomorrow (${tomorrow}): ${notYet}` : null;
}

/** Validates a backfill request; `now` decides what "tomorrow" is (no day after it can be published). */
export function parseBackfillInput(raw: unknown, now: Date): Parsed<BackfillRequest> {
  return parsedOf(inputSchemas().backfill.safeParse(raw), (request) =>
    rangeProblem(request, now, 'it cannot be published yet'),
  );
}

export function parsePollInput(raw: unknown): Parsed<PollRequest> {
  return parsedOf(inputSchemas().poll.safeParse(raw ?? {}));
}

/**
 * The range `jao start` backfills: the last `days` days through tomorrow, starting no earlier than go-live
 * (`clamped` says when the setting reached before it).
 */
export function initialBackfillRange(
  now: Date,
  days: number,
  dataset: Dataset,
): { from: DeliveryDay; to: DeliveryDay; clamped: boolean } {
  const from = addDays(marketTomorrow(now), -1 - days);
  const to = marketTomorrow(now);
  const { firstDay } = declarationOf(dataset);
  return from < firstDay ? { from: firstDay, to, clamped: true } : { from, to, clamped: false };
}

/** Days a poll covers: the last `lookbackDays` days, today, and `lookaheadDays` days ahead. */
export function pollDays(
  now: Date,
  lookbackDays: number,
  lookaheadDays: number,
  dataset: Dataset,
): DeliveryDay[] {
  const { firstDay } = declarationOf(dataset);
  const tomorrow = marketTomorrow(now);
  const first = addDays(tomorrow, -1 - lookbackDays);
  const last = addDays(tomorrow, lookaheadDays - 1);
  return daysInRange(first, last).filter((day) => day >= firstDay);
}

export interface BackfillProgress {
  total: number;
  done: number;
  running: number;
  byStatus: Partial<Record<DayStatus, number>>;
  /** Days so far that ended failed, invalid or partial: what `jao rerun --failed` (mode `failed`) re-runs. */
  failedDays: DeliveryDay[];
  /** Every day so far that did not end complete, with its status and reason. */
  notCompleted: DayOutcome[];
}

export interface DayOutcome {
  day: DeliveryDay;
  status: DayStatus;
  /** Why the day is not complete (set for every status but complete). */
  reason?: string;
  /** Older builds' name of `reason` for failed days, still found in tallies carried across continue-as-new. */
  error?: string;
}

/** The reason of an outcome, whichever build recorded it. */
export const reasonOf = (outcome: DayOutcome): string | undefined => outcome.reason ?? outcome.error;

export interface BackfillResult {
  dataset: Dataset;
  from: DeliveryDay;
  to: DeliveryDay;
  mode: BackfillMode;
  total: number;
  byStatus: Partial<Record<DayStatus, number>>;
  /** Every day that did not end `complete`, with its status and error. */
  notCompleted: DayOutcome[];
}

/** The statuses backfill mode `failed` (`jao rerun --failed`) re-runs, and `progress.failedDays` lists. */
export const RERUN_FAILED_STATUSES: readonly DayStatus[] = ['failed', 'invalid', 'partial'];
export const isRerunFailed = (status: DayStatus | undefined): boolean =>
  status !== undefined && RERUN_FAILED_STATUSES.includes(status);

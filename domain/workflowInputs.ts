// Inputs, ids and results of the pipeline's workflows. Pure: imported by workflows, activities and the CLI.
import { z } from 'zod';
import { addDays, GO_LIVE_DAY, isDeliveryDay, marketTomorrow } from './calendar';
import { DATASETS, DAY_STATUSES, type Dataset, type DayStatus, type DeliveryDay } from './types';

export const TASK_QUEUE = 'jao-scraper';
/** Fetch activities run on their own queue so a task-queue-wide rate limit covers every worker. */
export const fetchTaskQueueOf = (taskQueue: string) => `${taskQueue}-fetch`;
export const POLL_SCHEDULE_ID = 'maxExchanges-poll';

export const dayWorkflowId = (dataset: Dataset, day: DeliveryDay) => `${dataset}/day/${day}`;
export const backfillWorkflowId = (
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
  mode: BackfillMode,
) => `${dataset}/backfill/${from}..${to}/${mode}`;

export const deliveryDaySchema = z.string().refine(isDeliveryDay, {
  error: (issue) => `"${String(issue.input)}" is not a date in the form YYYY-MM-DD`,
});

const datasetSchema = z.enum(DATASETS).default('maxExchanges');

export const TRIGGERS = ['manual', 'cli', 'backfill', 'poll'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const dayInputSchema = z.object({
  dataset: datasetSchema,
  day: deliveryDaySchema,
  trigger: z.enum(TRIGGERS).default('manual'),
});
export type DayInput = z.input<typeof dayInputSchema>;
export type DayRequest = z.output<typeof dayInputSchema>;

export interface DayResult {
  day: DeliveryDay;
  status: DayStatus;
  mtus: number;
  points: number;
  changedPoints: number;
  revision: number;
}

export const BACKFILL_MODES = ['missing', 'failed', 'all'] as const;
export type BackfillMode = (typeof BACKFILL_MODES)[number];
export const MAX_CONCURRENCY = 64;

export const backfillInputSchema = z.object({
  dataset: datasetSchema,
  from: deliveryDaySchema,
  to: deliveryDaySchema,
  concurrency: z.coerce
    .number()
    .int('concurrency must be a whole number')
    .min(1, 'concurrency must be at least 1')
    .max(MAX_CONCURRENCY, `concurrency must be at most ${MAX_CONCURRENCY}`)
    .default(4),
  mode: z
    .enum(BACKFILL_MODES, { message: `mode must be one of ${BACKFILL_MODES.join(', ')}` })
    .default('missing'),
  /** Days started per run before continuing as new, which keeps each run's event history small. */
  daysPerRun: z.number().int().min(1).max(2_000).default(400),
});
export type BackfillInput = z.input<typeof backfillInputSchema>;
export type BackfillRequest = z.output<typeof backfillInputSchema>;

export const pollInputSchema = z.object({
  dataset: datasetSchema,
  lookbackDays: z.number().int().min(0).max(62).default(3),
  lookaheadDays: z.number().int().min(0).max(2).default(1),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(4),
});
export type PollInput = z.input<typeof pollInputSchema>;
export type PollRequest = z.output<typeof pollInputSchema>;

/** One line per problem, prefixed with the field: what a user sees for bad input. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseDayInput(raw: unknown): Parsed<DayRequest> {
  const parsed = dayInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  return checkDayBounds(parsed.data.day, parsed.data);
}

function checkDayBounds<T>(day: DeliveryDay, value: T): Parsed<T> {
  if (day < GO_LIVE_DAY) {
    return {
      ok: false,
      message: `${day} is before Core flow-based go-live (${GO_LIVE_DAY}): JAO has no data`,
    };
  }
  return { ok: true, value };
}

/** Validates a backfill request; `now` decides what "tomorrow" is (no day after it can be published). */
export function parseBackfillInput(raw: unknown, now: Date): Parsed<BackfillRequest> {
  const parsed = backfillInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const { from, to } = parsed.data;
  if (from > to) return { ok: false, message: `the range is reversed: from ${from} is after to ${to}` };
  if (from < GO_LIVE_DAY) {
    return {
      ok: false,
      message: `from ${from} is before Core flow-based go-live (${GO_LIVE_DAY}): JAO has no data`,
    };
  }
  const tomorrow = marketTomorrow(now);
  if (to > tomorrow) {
    return { ok: false, message: `to ${to} is after tomorrow (${tomorrow}): it cannot be published yet` };
  }
  return { ok: true, value: parsed.data };
}

export function parsePollInput(raw: unknown): Parsed<PollRequest> {
  const parsed = pollInputSchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  return { ok: true, value: parsed.data };
}

/** Days a poll covers: the last `lookbackDays` days, today, and `lookaheadDays` days ahead. */
export function pollDays(now: Date, lookbackDays: number, lookaheadDays: number): DeliveryDay[] {
  const tomorrow = marketTomorrow(now);
  const first = addDays(tomorrow, -1 - lookbackDays);
  const last = addDays(tomorrow, lookaheadDays - 1);
  const days: DeliveryDay[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (day >= GO_LIVE_DAY) days.push(day);
  }
  return days;
}

export interface BackfillProgress {
  total: number;
  done: number;
  running: number;
  byStatus: Partial<Record<DayStatus, number>>;
  failedDays: DeliveryDay[];
}

export interface DayOutcome {
  day: DeliveryDay;
  status: DayStatus;
  error?: string;
}

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

export const isDayStatus = (value: string): value is DayStatus =>
  (DAY_STATUSES as readonly string[]).includes(value);

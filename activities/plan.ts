// The backfill's planning activities: which days of a range a backfill runs, given what the database already holds,
// and which of its days the database does not hold complete when it checks them again before it ends.
import type pg from 'pg';
import { readDayRecords } from '../db/dayStatus';
import { daysInRange } from '../domain/calendar';
import { DATABASE_RETRY_HORIZON } from '../domain/timeBudget';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';
import { type BackfillMode, type BackfillRequest, isRerunFailed } from '../domain/workflowInputs';
import { retriedDatabaseWork } from './retryHorizon';

export interface PlanDeps {
  pool: pg.Pool;
  /** How long after its first attempt failing database work is retried (DATABASE_RETRY_HORIZON). */
  retryHorizonMs?: number;
  /** Masked in every error text logged (the JAO API key). */
  secrets?: string[];
}

export function createPlanActivities({
  pool,
  retryHorizonMs = DATABASE_RETRY_HORIZON.defaultMs,
  secrets = [],
}: PlanDeps) {
  const retried = retriedDatabaseWork(retryHorizonMs, secrets);
  return {
    planBackfillDays: (input: PlanInput): Promise<DeliveryDay[]> =>
      retried(`plan the backfill ${input.from}..${input.to}`, undefined, () => planDays(pool, input)),

    /** Re-planning a backfill: which of the days its runs counted complete the database does not hold complete. */
    findIncompleteDays: (input: DaysInput): Promise<IncompleteDay[]> =>
      retried(`check ${input.days.length} days against the database`, undefined, () =>
        incompleteDays(pool, input),
      ),
  };
}

export type PlanActivities = ReturnType<typeof createPlanActivities>;

/** `missing` skips complete days; `failed` keeps only days that ended failed, invalid or partial. */
const SELECTED_BY_MODE: Record<BackfillMode, (status: DayStatus | undefined) => boolean> = {
  all: () => true,
  missing: (status) => status !== 'complete',
  failed: isRerunFailed,
};

export type PlanInput = Pick<BackfillRequest, 'dataset' | 'from' | 'to' | 'mode'>;

export async function planDays(pool: pg.Pool, input: PlanInput): Promise<DeliveryDay[]> {
  const days = daysInRange(input.from, input.to);
  if (input.mode === 'all') return days;
  const records = await readDayRecords(pool, input.dataset, input.from, input.to);
  const statusByDay = new Map<DeliveryDay, DayStatus>(records.map((record) => [record.day, record.status]));
  const selected = SELECTED_BY_MODE[input.mode];
  return days.filter((day) => selected(statusByDay.get(day)));
}

export interface DaysInput {
  dataset: Dataset;
  days: DeliveryDay[];
}

/** A day the database does not hold complete, with the status it holds (null: no row at all). */
export interface IncompleteDay {
  day: DeliveryDay;
  status: DayStatus | null;
}

/** Which of `days` the database does not hold complete, in the order given. */
export async function incompleteDays(pool: pg.Pool, input: DaysInput): Promise<IncompleteDay[]> {
  if (input.days.length === 0) return [];
  const sorted = [...input.days].sort();
  const records = await readDayRecords(pool, input.dataset, sorted[0]!, sorted.at(-1)!);
  const statusByDay = new Map<DeliveryDay, DayStatus>(records.map((record) => [record.day, record.status]));
  return input.days
    .filter((day) => statusByDay.get(day) !== 'complete')
    .map((day) => ({ day, status: statusByDay.get(day) ?? null }));
}

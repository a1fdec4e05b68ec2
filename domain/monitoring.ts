// JAO's monitoring answer (`GET /{region}/api/system/monitoring?FromUtc&ToUtc`, docs/monitoring.md): one row per
// business day and publication step, saying whether JAO received the step and when it last changed. Pure: the
// workflow, the activities, the simulator and the status all read it through here; zod reads an answer in
// monitoringAnswer.ts, which the workflow bundle never loads (domain/zod.ts).
import { dayOfInstant } from './calendar';
import type { DatasetDeclaration, Region } from './datasets/declaration';
import type { DeliveryDay } from './deliveryDay';

export const MONITORING_STATUSES = ['Received', 'Pending'] as const;
export type MonitoringStatus = (typeof MONITORING_STATUSES)[number];

/** One step of one business day as the pipeline keeps it. */
export interface MonitoringStep {
  /** The business day read as the delivery day it names (businessDayUtc's date in Europe/Amsterdam). */
  day: DeliveryDay;
  page: string;
  status: MonitoringStatus;
  /** ISO instants (UTC), null where JAO gives none. */
  deadline: string | null;
  lastModifiedOn: string | null;
  followUpActionInitiated: boolean | null;
}

/** `2024-08-31T22:00:00Z` and `2024-09-01T00:00:00Z` both name business day 2024-09-01. */
export function businessDayOf(businessDayUtc: string): DeliveryDay {
  // Noon UTC of the instant's UTC date falls on the same Amsterdam date whichever midnight JAO writes.
  const ms = new Date(businessDayUtc).getTime();
  const utcDate = new Date(ms + 12 * 3_600_000).toISOString().slice(0, 10);
  return dayOfInstant(new Date(`${utcDate}T12:00:00Z`));
}

/** The monitoring path of a region (the bare region, also for coreID). */
export function monitoringPathOf(region: Region): string {
  return `/${region}/api/system/monitoring`;
}

/** The datasets a step announces, among the given declarations of one region. */
export function datasetsAnnouncedBy(page: string, declarations: readonly DatasetDeclaration[]): string[] {
  return declarations
    .filter((declaration) => declaration.monitoring?.steps.includes(page) ?? false)
    .map((declaration) => declaration.id);
}

/** The regions with at least one dataset a monitoring step announces. */
export function monitoredRegions(declarations: readonly DatasetDeclaration[]): Region[] {
  return [...new Set(declarations.filter((each) => each.monitoring).map((each) => each.region))];
}

/** A step's identity across readings: its business day and page. */
export function stepKey(step: Pick<MonitoringStep, 'day' | 'page'>): string {
  return `${step.day} ${step.page}`;
}

/** What a reading says that the last one did not: a step became Received, or a Received step's lastModifiedOn moved. */
export interface StepChange {
  step: MonitoringStep;
  /** `published`: Received for the first time (fetch the day); `revised`: lastModifiedOn moved (re-fetch it). */
  kind: 'published' | 'revised';
}

/**
 * The steps that changed between two readings. A step seen Received for the first time, also on the first reading
 * (`previous` empty), is `published`: whether its day is already stored is the day workflow's question, not this one.
 */
export function changedSteps(
  previous: ReadonlyMap<string, MonitoringStep>,
  current: readonly MonitoringStep[],
): StepChange[] {
  const changes: StepChange[] = [];
  for (const step of current) {
    if (step.status !== 'Received') continue;
    const before = previous.get(stepKey(step));
    if (before === undefined || before.status !== 'Received') changes.push({ step, kind: 'published' });
    else if (step.lastModifiedOn !== null && step.lastModifiedOn !== before.lastModifiedOn) {
      changes.push({ step, kind: 'revised' });
    }
  }
  return changes;
}

/**
 * A day's state in JAO's own word, for one dataset: `published` (a step Received and the day stored complete),
 * `notYetPublished` (a step Pending before its deadline), `late` (Pending after it), `missing` (JAO says Received but
 * the day is absent or incomplete), or `unknown` (no step of the dataset for the day).
 */
export type AnnouncedDayState = 'published' | 'notYetPublished' | 'late' | 'missing' | 'unknown';

export function classifyAnnouncedDay(
  steps: readonly Pick<MonitoringStep, 'status' | 'deadline'>[],
  storedComplete: boolean,
  now: Date,
): AnnouncedDayState {
  if (steps.length === 0) return 'unknown';
  // Every step the dataset names must be Received for JAO to have said it has the day.
  const pending = steps.filter((step) => step.status === 'Pending');
  if (pending.length === 0) return storedComplete ? 'published' : 'missing';
  const overdue = pending.some((step) => step.deadline !== null && now.getTime() > Date.parse(step.deadline));
  return overdue ? 'late' : 'notYetPublished';
}

/** Without a readable reading for this long, a region's days are left to the fixed polls (health says so). */
export const MONITORING_STALE_AFTER_MS = 5 * 60_000;

export type MonitoringMode = 'monitoring' | 'polls';

/** A region's mode as health reports it: `polls` where its last reading failed, was unreadable, or is too old. */
export interface RegionMode {
  region: Region;
  mode: MonitoringMode;
  /** Why the fixed polls fetch its days (null in mode `monitoring`). */
  reason: string | null;
}

export function monitoringModeOf(
  region: Region,
  latest: { readAt: string; outcome: 'read' | 'failed' | 'unreadable'; detail: string | null } | undefined,
  now: Date,
  staleAfterMs = MONITORING_STALE_AFTER_MS,
): RegionMode {
  if (latest === undefined) return { region, mode: 'polls', reason: 'no monitoring reading yet' };
  const ageMs = now.getTime() - Date.parse(latest.readAt);
  if (latest.outcome !== 'read') {
    return { region, mode: 'polls', reason: latest.detail ?? `last reading ${latest.outcome}` };
  }
  if (ageMs > staleAfterMs) {
    return { region, mode: 'polls', reason: `no monitoring reading for ${Math.round(ageMs / 60_000)} min` };
  }
  return { region, mode: 'monitoring', reason: null };
}

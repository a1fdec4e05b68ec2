// JAO's monitoring answer (`GET /{region}/api/system/monitoring?FromUtc&ToUtc`, docs/monitoring.md): one row per
// business day and publication step, saying whether JAO received the step and when it last changed. Pure: the
// workflow, the activities, the simulator and the status all read it through here; zod reads an answer in
// monitoringAnswer.ts, which the workflow bundle never loads (domain/zod.ts).
import { addDays, dayOfInstant, dayStartMs, marketToday } from './calendar';
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

/**
 * The given datasets and every dataset a step of theirs also announces: JAO says Received for a step only once all of
 * them are out, so whoever publishes one of them for a step to turn publishes all (the benchmark's rig).
 */
export function datasetsPublishedWith(
  datasets: readonly string[],
  declarations: readonly DatasetDeclaration[],
): string[] {
  const steps = new Set(
    declarations
      .filter((declaration) => datasets.includes(declaration.id))
      .flatMap((declaration) => declaration.monitoring?.steps ?? []),
  );
  const companions = [...steps].flatMap((page) => datasetsAnnouncedBy(page, declarations));
  return [...new Set([...datasets, ...companions])];
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
 * `not_yet_published` (a step Pending before its deadline), `late` (Pending after it), `missing` (JAO says Received but
 * the day is absent or incomplete), or `unknown` (no step of the dataset for the day).
 */
export type AnnouncedDayState = 'published' | 'not_yet_published' | 'late' | 'missing' | 'unknown';

export function classifyAnnouncedDay(
  steps: readonly Pick<MonitoringStep, 'status' | 'deadline'>[],
  storedComplete: boolean,
  now: Date,
): AnnouncedDayState {
  if (steps.length === 0) return 'unknown';
  // The day stored complete is published, whatever a reading (perhaps an old one, or JAO's monitoring lagging its
  // data) still says pending: the data is the proof.
  if (storedComplete) return 'published';
  // Every step the dataset names must be Received for JAO to have said it has the day.
  const pending = steps.filter((step) => step.status === 'Pending');
  if (pending.length === 0) return 'missing';
  const overdue = pending.some((step) => step.deadline !== null && now.getTime() > Date.parse(step.deadline));
  return overdue ? 'late' : 'not_yet_published';
}

/** JAO's own word on one day of one dataset (`jao status`, `/v1/freshness`, the page): its state and why. */
export interface JaoWord {
  state: AnnouncedDayState;
  /** The dataset's declared steps JAO listed for the day, as last read (none: `unknown`). */
  steps: Array<Pick<MonitoringStep, 'page' | 'status' | 'deadline' | 'lastModifiedOn'>>;
  /** The latest reading that saw them (ISO instant): how current JAO's word is; null without a step. */
  seenAt: string | null;
}

/** The day's word from its stored steps and whether the day is stored complete. */
export function jaoWordOf(
  steps: ReadonlyArray<JaoWord['steps'][number] & { seenAt: string }>,
  storedComplete: boolean,
  now: Date,
): JaoWord {
  const seen = steps.map((step) => step.seenAt).sort();
  return {
    state: classifyAnnouncedDay(steps, storedComplete, now),
    steps: steps.map(({ page, status, deadline, lastModifiedOn }) => ({
      page,
      status,
      deadline,
      lastModifiedOn,
    })),
    seenAt: seen.at(-1) ?? null,
  };
}

/** One line of JAO's word for a person: `late: Final Computation pending past its deadline …`. */
export function describeJaoWord(word: JaoWord, instant: (iso: string) => string): string {
  const pending = word.steps.filter((step) => step.status === 'Pending');
  const due = (step: JaoWord['steps'][number]) =>
    step.deadline ? `${step.page} due ${instant(step.deadline)}` : `${step.page} (no deadline given)`;
  switch (word.state) {
    case 'unknown':
      return 'JAO: no step read for the day';
    case 'not_yet_published':
      return `JAO: not yet published (${pending.map(due).join(', ')})`;
    case 'late':
      return `JAO: late (${pending.map(due).join(', ')}, still pending)`;
    case 'missing':
      return `JAO: missing (${word.steps.map((step) => step.page).join(', ')} received, the day is not stored complete)`;
    case 'published':
      return `JAO: published (${word.steps.map((step) => step.page).join(', ')} received)`;
  }
}

/** Without a readable reading for this long, a region's days are left to the fixed polls (MONITORING_STALE_AFTER). */
export const MONITORING_STALE_AFTER_MS = 5 * 60_000;
/** Failed or unreadable readings in a row after which the fixed polls take over (MONITORING_FAILURES_BEFORE_POLLS). */
export const MONITORING_FAILURES_BEFORE_POLLS = 3;

export type MonitoringMode = 'monitoring' | 'polls';

/** When a region's monitoring counts as healthy: what `jao health`, the gauges and the polls decide the mode by. */
export interface MonitoringModeSettings {
  /** JAO_MONITORING=on: off, every region is in mode `polls` and the polls never stand down. */
  on: boolean;
  /** This many failed or unreadable readings in a row put the region in mode `polls`. */
  failuresBeforePolls: number;
  /** No readable reading for longer than this puts the region in mode `polls` (the workflow stopped, say). */
  staleAfterMs: number;
  /**
   * POLL_LOOKBACK_DAYS: the days before today a reading covers, as the polls it stands in for would, so a revision
   * JAO announces of any of them is fetched while they stand down.
   */
  lookbackDays: number;
}

/** The polls' own default look-back (POLL_LOOKBACK_DAYS). */
const DEFAULT_LOOKBACK_DAYS = 3;

export const MONITORING_OFF: MonitoringModeSettings = {
  on: false,
  failuresBeforePolls: MONITORING_FAILURES_BEFORE_POLLS,
  staleAfterMs: MONITORING_STALE_AFTER_MS,
  lookbackDays: DEFAULT_LOOKBACK_DAYS,
};

/**
 * The declarations of `region` whose days the region's monitoring starts: those of `kept` (JAO_DATASETS), or every
 * one of the region where the run was started without the list (before 1.3.0). A step announces every dataset that
 * names it, kept or not.
 */
export function monitoredDeclarations(
  declarations: readonly DatasetDeclaration[],
  region: Region,
  kept: readonly string[] | undefined,
): DatasetDeclaration[] {
  return declarations.filter(
    (declaration) => declaration.region === region && (kept === undefined || kept.includes(declaration.id)),
  );
}

/** The signal that brings a running monitoring workflow the worker's settings (control/monitoringWorkflow.ts). */
export const MONITORING_SETTINGS_SIGNAL = 'monitoringSettings';

/** What a worker starting up tells its region's monitoring workflow, running or not: its configuration now. */
export interface MonitoringSettings {
  intervalMs: number;
  quietIntervalMs: number;
  /** JAO_DATASETS: the datasets whose days the workflow starts. */
  datasets: string[];
}

/** The first business day a reading covers: the polls' look-back, and yesterday at least. */
export function firstMonitoredDay(today: DeliveryDay, lookbackDays: number): DeliveryDay {
  return addDays(today, -Math.max(1, lookbackDays));
}

/**
 * The business days one reading covers: the polls' look-back days, and yesterday at least (late revisions), to the
 * day after tomorrow (D+1 is published on D), as local midnights in UTC.
 */
export function monitoringWindow(now: Date, lookbackDays: number): { from: string; to: string } {
  const today = marketToday(now);
  return {
    from: new Date(dayStartMs(firstMonitoredDay(today, lookbackDays))).toISOString(),
    to: new Date(dayStartMs(addDays(today, 2))).toISOString(),
  };
}

/**
 * The settings from the configuration: the staleness bound is at least three of the longer interval, so a long
 * MONITORING_QUIET_INTERVAL never reads as an outage between two good readings.
 */
export function monitoringModeSettingsOf(config: {
  JAO_MONITORING?: 'on' | 'off';
  MONITORING_INTERVAL?: number;
  MONITORING_QUIET_INTERVAL?: number;
  MONITORING_FAILURES_BEFORE_POLLS?: number;
  MONITORING_STALE_AFTER?: number;
  POLL_LOOKBACK_DAYS?: number;
}): MonitoringModeSettings {
  const staleAfterMs = config.MONITORING_STALE_AFTER ?? MONITORING_STALE_AFTER_MS;
  return {
    on: config.JAO_MONITORING === 'on',
    failuresBeforePolls: config.MONITORING_FAILURES_BEFORE_POLLS ?? MONITORING_FAILURES_BEFORE_POLLS,
    staleAfterMs: Math.max(
      staleAfterMs,
      3 * Math.max(config.MONITORING_INTERVAL ?? 0, config.MONITORING_QUIET_INTERVAL ?? 0),
    ),
    lookbackDays: config.POLL_LOOKBACK_DAYS ?? DEFAULT_LOOKBACK_DAYS,
  };
}

/** A region's mode as health reports it and the polls obey: `polls` with the reason, or `monitoring`. */
export interface RegionMode {
  region: Region;
  mode: MonitoringMode;
  /** Why the fixed polls fetch its days (null in mode `monitoring`). */
  reason: string | null;
  /** The last readable reading (ISO instant), null when there is none among those looked at. */
  lastReadAt: string | null;
}

/** One stored reading's outcome (db/monitoringSteps.ts latestMonitoringReadings). */
export interface ReadingOutcome {
  readAt: string;
  outcome: 'read' | 'failed' | 'unreadable';
  detail: string | null;
}

/**
 * A region's mode from its latest readings, newest first (at least `failuresBeforePolls` of them when there are):
 * `monitoring` while a readable reading is recent and fewer than `failuresBeforePolls` failed since; a single failed
 * reading does not hand the region to the polls (the next interval's reading is the retry).
 */
export function monitoringModeOf(
  region: Region,
  latest: readonly ReadingOutcome[],
  now: Date,
  settings: Pick<MonitoringModeSettings, 'failuresBeforePolls' | 'staleAfterMs'> = MONITORING_OFF,
): RegionMode {
  const lastRead = latest.find((reading) => reading.outcome === 'read');
  const lastReadAt = lastRead?.readAt ?? null;
  const polls = (reason: string): RegionMode => ({ region, mode: 'polls', reason, lastReadAt });
  const newest = latest[0];
  if (newest === undefined) return polls('no monitoring reading yet');
  const failedInARow = lastRead === undefined ? latest.length : latest.indexOf(lastRead);
  if (failedInARow >= settings.failuresBeforePolls) {
    const why = newest.detail ?? `last reading ${newest.outcome}`;
    return polls(failedInARow > 1 ? `${why}; ${failedInARow} readings in a row` : why);
  }
  if (lastRead === undefined) return polls('no readable monitoring reading yet');
  const ageMs = now.getTime() - Date.parse(lastRead.readAt);
  if (ageMs > settings.staleAfterMs) {
    return polls(`no readable monitoring reading for ${Math.round(ageMs / 60_000)} min`);
  }
  return { region, mode: 'monitoring', reason: null, lastReadAt };
}

/** What the fixed polls of a dataset do: stand down while its region's monitoring is healthy, else run. */
export type PollsStandDown = { standDown: true; region: Region; reason: string } | { standDown: false };

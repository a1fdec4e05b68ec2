// The pipeline's health verdict from facts gathered elsewhere: one reason per problem (exit 1), none when healthy;
// and warnings, which name what deserves a look without making the pipeline unhealthy.
import { healthLinePrefix } from './datasets/compat';
import { describeDrift } from './drift';
import { describeJaoWord, type RegionMode } from './monitoring';
import type { GridStatus, StatusReport } from './statusReport';
import { jobProblem, type TimescaleJob } from './timescaleJobs';
import type { Dataset } from './types';

export type QueueState =
  /** `pollers`: how many workers polled recently, when known. */
  | { kind: 'polled'; pollers?: number }
  | { kind: 'unpolled'; lastPollAgeMs: number | null }
  | { kind: 'unknown' };

export interface PolledQueue {
  taskQueue: string;
  /** What the queue carries, for the message: "workflows and validate/write", "fetches". */
  role: string;
  state: QueueState;
}

export type ScheduleState = 'running' | 'paused' | 'missing' | 'unknown';

/** A poll or publication schedule of a dataset (its id names the dataset). */
export interface DatasetSchedule {
  dataset: Dataset;
  scheduleId: string;
  state: ScheduleState;
  pauseNote?: string;
}

export interface HealthFacts {
  /** Null when reachable, else why not. */
  temporalError: string | null;
  databaseError: string | null;
  /**
   * The health window through tomorrow of every dataset the worker keeps current (JAO_DATASETS), each judged the
   * same way; empty when the database could not be read.
   */
  reports: DatasetReport[];
  /**
   * The poll and publication schedules of those datasets on the configured task queue, each with its note when
   * paused (the reason, and who paused it when they said: the jao CLI does); absent when Temporal could not be read.
   */
  schedules?: DatasetSchedule[];
  queues?: PolledQueue[];
  /**
   * TimescaleDB's background jobs as read at `checkedAt`; absent on plain PostgreSQL (nothing to watch) or when the
   * database could not be read. `error`: why they could not be read when the rest of the database could.
   */
  timescaleJobs?: { checkedAt: Date; jobs: TimescaleJob[] } | { error: string };
  /** Writes not archived yet (docs/archive.md); absent when the database could not be read. */
  archive?: ArchiveLag;
  /** Per region JAO's monitoring announces datasets of (docs/monitoring.md): whose word fetches its days. */
  monitoring?: RegionMode[];
}

/** One dataset's health window (domain/statusReport.ts). */
export interface DatasetReport {
  dataset: Dataset;
  report: StatusReport;
}

export interface ArchiveLag {
  pending: number;
  /** Age of the oldest write not archived (ms), null when none waits. */
  oldestAgeMs: number | null;
  /** ARCHIVE_MAX_LAG: a write waiting longer makes the pipeline unhealthy. */
  maxLagMs: number;
}

/** The archive's lag as a problem line, or null while every write waiting is younger than ARCHIVE_MAX_LAG. */
export function archiveProblem(lag: ArchiveLag): string | null {
  if (lag.oldestAgeMs === null || lag.oldestAgeMs <= lag.maxLagMs) return null;
  const minutes = Math.floor(lag.oldestAgeMs / 60_000);
  return `archive lagging: ${lag.pending} write(s) not archived, the oldest for ${minutes} min (ARCHIVE_MAX_LAG ${Math.round(lag.maxLagMs / 60_000)} min; run jao archive, or see the archive workflow's failures)`;
}

export interface HealthVerdict {
  healthy: boolean;
  problems: string[];
  warnings: string[];
}

/** The statuses each make a day a problem of its own (`day failed: …`); the gauges count late days apart from them. */
export const BAD_STATUSES: ReadonlySet<GridStatus> = new Set<GridStatus>(['failed', 'invalid', 'partial']);

/** A dataset's window: tomorrow late as `data late`, then its other bad, late and re-check failed days. */
function reportProblems(report: StatusReport): string[] {
  const { tomorrow } = report;
  const problems = tomorrow.late
    ? [`data late: ${tomorrow.day} is ${tomorrow.status}, it was due at ${tomorrow.deadline}`]
    : [];
  for (const line of report.days) {
    if (BAD_STATUSES.has(line.status)) {
      const reason = line.status === 'failed' ? line.lastError : (line.reason ?? line.lastError);
      problems.push(`day ${line.status}: ${line.day}${reason ? ` (${reason})` : ''}`);
    } else if (line.late && line.day !== tomorrow.day) {
      const status = line.status.replace('_', ' ');
      problems.push(`day late: ${line.day} is ${status} after its deadline`);
    } else if (line.status === 'complete' && line.lastError) {
      problems.push(`re-check failed: ${line.day} (${line.lastError})`);
    }
  }
  return problems;
}

function queueProblem(queue: PolledQueue): string | null {
  if (queue.state.kind !== 'unpolled') return null;
  const age = queue.state.lastPollAgeMs;
  const last = age === null ? 'no poll seen' : `last poll ${Math.round(age / 1000)} s ago`;
  return `no worker polls task queue ${queue.taskQueue} (${queue.role}; ${last})`;
}

/** The server keeps one note per schedule: while paused it is the pause reason (who paused, when they said). */
const pausedProblem = (scheduleId: string, note: string | undefined) =>
  `schedule ${scheduleId} is paused: ${note?.trim() ? note.trim().replace(/\s+/g, ' ') : 'no reason recorded'}`;

export function assessHealth(facts: HealthFacts): HealthVerdict {
  const problems: string[] = [];
  if (facts.temporalError) problems.push(`temporal unreachable: ${facts.temporalError}`);
  if (facts.databaseError) problems.push(`database unreachable: ${facts.databaseError}`);
  for (const schedule of facts.schedules ?? []) {
    if (schedule.state === 'paused') problems.push(pausedProblem(schedule.scheduleId, schedule.pauseNote));
    if (schedule.state === 'missing') problems.push(`schedule ${schedule.scheduleId} does not exist`);
  }
  problems.push(...(facts.queues ?? []).flatMap((queue) => queueProblem(queue) ?? []));
  const archive = facts.archive ? archiveProblem(facts.archive) : null;
  if (archive) problems.push(archive);
  for (const { dataset, report } of facts.reports) {
    const prefix = healthLinePrefix(dataset);
    problems.push(...reportProblems(report).map((line) => `${prefix}${line}`));
  }
  problems.push(...timescaleJobProblems(facts.timescaleJobs));
  return { healthy: problems.length === 0, problems, warnings: healthWarnings(facts) };
}

function timescaleJobProblems(jobs: HealthFacts['timescaleJobs']): string[] {
  if (!jobs) return [];
  if ('error' in jobs) return [`timescaledb jobs unreadable: ${jobs.error}`];
  return jobs.jobs.flatMap((job) => jobProblem(job, jobs.checkedAt) ?? []);
}

/** Lines that deserve a look but do not make the pipeline unhealthy: schema drift, one line per day. */
function healthWarnings(facts: HealthFacts): string[] {
  const warnings: string[] = [];
  for (const { dataset, report } of facts.reports) {
    for (const line of report.days) {
      if (line.drift)
        warnings.push(`${healthLinePrefix(dataset)}schema drift: ${line.day} (${describeDrift(line.drift)})`);
    }
  }
  // JAO's own word on a day (datasets with declared steps): late is JAO's, missing is ours to fetch again.
  for (const { dataset, report } of facts.reports) {
    for (const line of report.days) {
      const word = line.jaoWord;
      if (word && (word.state === 'late' || word.state === 'missing')) {
        const runbook = word.state === 'late' ? 'JaoSaysLate' : 'JaoSaysMissing';
        warnings.push(
          `${healthLinePrefix(dataset)}${line.day}: ${describeJaoWord(word, (iso) => iso)}; see ${runbook}`,
        );
      }
    }
  }
  for (const region of facts.monitoring ?? []) {
    if (region.mode === 'polls') {
      warnings.push(
        `monitoring ${region.region}: fixed polls fetch its days (${region.reason}); see JaoMonitoringDown`,
      );
    }
  }
  return warnings;
}

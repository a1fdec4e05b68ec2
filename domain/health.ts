// The pipeline's health verdict from facts gathered elsewhere: one reason per problem (exit 1), none when healthy;
// and warnings, which name what deserves a look without making the pipeline unhealthy.
import { describeDrift } from './drift';
import type { RegionMode } from './monitoring';
import type { StatusReport } from './statusReport';
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

/** A poll or publication schedule of a dataset other than the default one (its id names the dataset). */
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
  schedule: ScheduleState;
  /** The poll schedule's note when paused: the reason, and who paused it when they said (the jao CLI does). */
  pauseNote?: string;
  /** The poll schedule of the configured task queue (default maxExchanges-poll). */
  scheduleId?: string;
  /** The publication-window schedule of the configured task queue (default maxExchanges-publication). */
  publication?: { scheduleId: string; state: ScheduleState; pauseNote?: string };
  /** The health window through tomorrow; null when the database could not be read. */
  report: StatusReport | null;
  /**
   * The same window of every other dataset the worker keeps current (JAO_DATASETS): their bad, late and re-check
   * failed days are problems named with their dataset (`nordicMaxExchanges day failed: …`).
   */
  datasetReports?: { dataset: Dataset; report: StatusReport }[];
  /** The poll and publication schedules of those datasets; absent when Temporal could not be read. */
  datasetSchedules?: DatasetSchedule[];
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

const BAD_STATUSES = new Set(['failed', 'invalid', 'partial']);

function dayProblems(report: StatusReport): string[] {
  const problems: string[] = [];
  for (const line of report.days) {
    const why = line.lastError ? ` (${line.lastError})` : '';
    if (BAD_STATUSES.has(line.status)) {
      const reason = line.status === 'failed' ? line.lastError : (line.reason ?? line.lastError);
      problems.push(`day ${line.status}: ${line.day}${reason ? ` (${reason})` : ''}`);
    } else if (line.late) {
      const status = line.status.replace('_', ' ');
      problems.push(`day late: ${line.day} is ${status} after its deadline`);
    } else if (line.status === 'complete' && line.lastError) {
      problems.push(`re-check failed: ${line.day}${why}`);
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
  const scheduleId = facts.scheduleId ?? 'maxExchanges-poll';
  if (facts.schedule === 'paused') problems.push(pausedProblem(scheduleId, facts.pauseNote));
  if (facts.schedule === 'missing') problems.push(`schedule ${scheduleId} does not exist`);
  if (facts.publication?.state === 'paused')
    problems.push(pausedProblem(facts.publication.scheduleId, facts.publication.pauseNote));
  if (facts.publication?.state === 'missing') {
    problems.push(`schedule ${facts.publication.scheduleId} does not exist`);
  }
  for (const schedule of facts.datasetSchedules ?? []) {
    if (schedule.state === 'paused') problems.push(pausedProblem(schedule.scheduleId, schedule.pauseNote));
    if (schedule.state === 'missing') problems.push(`schedule ${schedule.scheduleId} does not exist`);
  }
  for (const queue of facts.queues ?? []) {
    const problem = queueProblem(queue);
    if (problem) problems.push(problem);
  }
  const archive = facts.archive ? archiveProblem(facts.archive) : null;
  if (archive) problems.push(archive);
  if (facts.report) {
    const { tomorrow } = facts.report;
    if (tomorrow.late) {
      problems.push(`data late: ${tomorrow.day} is ${tomorrow.status}, it was due at ${tomorrow.deadline}`);
    }
    const tomorrowLine = `day late: ${tomorrow.day} `;
    problems.push(...dayProblems(facts.report).filter((line) => !line.startsWith(tomorrowLine)));
  }
  for (const { dataset, report } of facts.datasetReports ?? []) {
    problems.push(...dayProblems(report).map((line) => `${dataset} ${line}`));
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
  for (const line of facts.report?.days ?? []) {
    if (line.drift) warnings.push(`schema drift: ${line.day} (${describeDrift(line.drift)})`);
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

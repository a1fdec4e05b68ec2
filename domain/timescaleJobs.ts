// TimescaleDB's background jobs (the compression policies, the daily aggregate's job) judged from their last runs:
// a job is failing when its last run failed, or when it has not succeeded within twice its schedule interval.
// Pure: db/timescaleJobs.ts reads the facts, `jao health` and the worker's gauges report the verdicts.

export interface TimescaleJob {
  id: number;
  /** The procedure the job calls, schema-qualified: `_timescaledb_functions.policy_compression`. */
  proc: string;
  /** The hypertable or continuous aggregate the job works on, schema-qualified; null for a job on none. */
  target: string | null;
  /** false when paused (alter_job(…, scheduled => false)). */
  scheduled: boolean;
  scheduleIntervalMs: number;
  lastRunStatus: 'Success' | 'Failed' | null;
  lastRunStartedAt: Date | null;
  lastSuccessAt: Date | null;
  /** When the last failed run ended (or started, when its end is not recorded); null when none is recorded. */
  lastFailureAt: Date | null;
  /** The last failed run's error, as TimescaleDB recorded it; null when none or not readable by this role. */
  lastError: string | null;
  /** When the scheduler will next start it; null when paused or not known. */
  nextStart: Date | null;
}

export type JobVerdict =
  | { kind: 'fine' }
  | { kind: 'failed' }
  /** `since`: the last success (or, without any, the start of the first run or the first due time). */
  | { kind: 'overdue'; since: Date };

/** A job has failed when its last run failed; it is overdue when it has not succeeded for twice its interval. */
export function judgeJob(job: TimescaleJob, now: Date): JobVerdict {
  if (job.lastRunStatus === 'Failed') return { kind: 'failed' };
  const since = job.lastSuccessAt ?? job.lastRunStartedAt ?? job.nextStart;
  // A job that never ran and is not due yet (or whose due time is unknown) has nothing to be judged by.
  if (since === null || since.getTime() > now.getTime()) return { kind: 'fine' };
  if (now.getTime() - since.getTime() > 2 * job.scheduleIntervalMs) return { kind: 'overdue', since };
  return { kind: 'fine' };
}

export function isFailing(verdict: JobVerdict): boolean {
  return verdict.kind !== 'fine';
}

/** `timescaledb job 1000 (_timescaledb_functions.policy_compression on jao.observation)` */
export function jobName(job: TimescaleJob): string {
  return `timescaledb job ${job.id} (${job.proc}${job.target ? ` on ${job.target}` : ''})`;
}

function formatInterval(ms: number): string {
  const seconds = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}

/**
 * What TimescaleDB's job runner (2.28.3, 2.29.2) raises on PostgreSQL 15.20 and 17.12 after every run in the
 * scheduler, once the run's work is committed (docs/timescaledb.md, "Background jobs").
 */
export const PORTAL_DROP_ERROR = 'cannot drop portal "" while it is being set up';

function errorPart(job: TimescaleJob): string {
  if (!job.lastError) return 'error not readable by this role (timescaledb_information.job_errors)';
  const error = job.lastError.trim().replace(/\s+/g, ' ');
  if (error !== PORTAL_DROP_ERROR) return error;
  return `${error} (TimescaleDB's job runner on this PostgreSQL, after the run committed its work: docs/timescaledb.md#background-jobs)`;
}

/** One line for `jao health` naming the job and what is wrong with it; null when the job is fine. */
export function jobProblem(job: TimescaleJob, now: Date): string | null {
  const verdict = judgeJob(job, now);
  const paused = job.scheduled ? '' : ', paused';
  switch (verdict.kind) {
    case 'fine':
      return null;
    case 'failed': {
      const at = job.lastFailureAt ? ` at ${job.lastFailureAt.toISOString()}` : '';
      return `${jobName(job)} failed${at}${paused}: ${errorPart(job)}`;
    }
    case 'overdue': {
      const what = job.lastSuccessAt
        ? `last success ${job.lastSuccessAt.toISOString()}`
        : `no success since ${verdict.since.toISOString()}`;
      return (
        `${jobName(job)} has not succeeded within twice its schedule of ${formatInterval(job.scheduleIntervalMs)} ` +
        `(${what}${paused})`
      );
    }
  }
}

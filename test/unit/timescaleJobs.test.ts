import { describe, expect, it } from 'vitest';
import { assessHealth, type HealthFacts } from '../../domain/health';
import { healthGauges } from '../../domain/healthMetrics';
import { jobProblem, judgeJob, type TimescaleJob } from '../../domain/timescaleJobs';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

function job(extra: Partial<TimescaleJob> = {}): TimescaleJob {
  return {
    id: 1000,
    proc: 'jao.refresh_max_exchanges_daily',
    target: null,
    scheduled: true,
    scheduleIntervalMs: 60_000,
    lastRunStatus: 'Success',
    lastRunStartedAt: minutesAgo(1),
    lastSuccessAt: minutesAgo(1),
    lastFailureAt: null,
    lastError: null,
    nextStart: new Date(NOW.getTime() + 1_000),
    ...extra,
  };
}

const compression = (extra: Partial<TimescaleJob> = {}) =>
  job({
    id: 1001,
    proc: '_timescaledb_functions.policy_compression',
    target: 'jao.observation',
    scheduleIntervalMs: 12 * 3_600_000,
    ...extra,
  });

describe('judgeJob', () => {
  it('finds a job fine that succeeded within twice its schedule', () => {
    expect(judgeJob(job(), NOW)).toEqual({ kind: 'fine' });
    expect(judgeJob(job({ lastSuccessAt: minutesAgo(2), lastRunStartedAt: minutesAgo(2) }), NOW)).toEqual({
      kind: 'fine',
    });
  });

  it('finds a job failed when its last run failed, however recent its last success', () => {
    const failed = job({ lastRunStatus: 'Failed', lastFailureAt: minutesAgo(0.5), lastError: 'boom' });
    expect(judgeJob(failed, NOW)).toEqual({ kind: 'failed' });
  });

  it('finds a job overdue past twice its schedule since its last success, paused or not', () => {
    const since = minutesAgo(2.5);
    expect(judgeJob(job({ lastSuccessAt: since }), NOW)).toEqual({ kind: 'overdue', since });
    expect(judgeJob(job({ lastSuccessAt: since, scheduled: false, nextStart: null }), NOW)).toEqual({
      kind: 'overdue',
      since,
    });
    expect(judgeJob(compression({ lastSuccessAt: minutesAgo(23 * 60) }), NOW)).toEqual({ kind: 'fine' });
    expect(judgeJob(compression({ lastSuccessAt: minutesAgo(25 * 60) }), NOW).kind).toBe('overdue');
  });

  it('judges a job that never succeeded from its first run, or its first due time, and not before', () => {
    const stuck = job({ lastRunStatus: null, lastSuccessAt: null, lastRunStartedAt: minutesAgo(5) });
    expect(judgeJob(stuck, NOW)).toEqual({ kind: 'overdue', since: minutesAgo(5) });
    const neverRan = job({ lastRunStatus: null, lastSuccessAt: null, lastRunStartedAt: null });
    expect(judgeJob({ ...neverRan, nextStart: minutesAgo(3) }, NOW)).toEqual({
      kind: 'overdue',
      since: minutesAgo(3),
    });
    expect(judgeJob({ ...neverRan, nextStart: minutesAgo(1) }, NOW)).toEqual({ kind: 'fine' });
    expect(judgeJob({ ...neverRan, nextStart: null }, NOW)).toEqual({ kind: 'fine' });
  });
});

describe('jobProblem', () => {
  it('stays quiet about a fine job', () => {
    expect(jobProblem(job(), NOW)).toBeNull();
  });

  it('names a failed job, its target and its error on one line', () => {
    const failed = compression({
      lastRunStatus: 'Failed',
      lastFailureAt: minutesAgo(1),
      lastError: 'could not\n lock chunk',
    });
    expect(jobProblem(failed, NOW)).toBe(
      'timescaledb job 1001 (_timescaledb_functions.policy_compression on jao.observation) failed at ' +
        '2026-11-23T11:59:00.000Z: could not lock chunk',
    );
    expect(jobProblem({ ...failed, lastError: 'cannot drop portal "" while it is being set up' }, NOW)).toBe(
      'timescaledb job 1001 (_timescaledb_functions.policy_compression on jao.observation) failed at ' +
        '2026-11-23T11:59:00.000Z: cannot drop portal "" while it is being set up (TimescaleDB\'s job runner on ' +
        'this PostgreSQL, after the run committed its work: docs/timescaledb.md#background-jobs)',
    );
    expect(jobProblem({ ...failed, lastError: null }, NOW)).toMatch(
      /failed at \S+: error not readable by this role \(timescaledb_information\.job_errors\)$/,
    );
  });

  it('names an overdue job with its schedule and last success, and says when it is paused', () => {
    expect(jobProblem(job({ lastSuccessAt: minutesAgo(10), scheduled: false }), NOW)).toBe(
      'timescaledb job 1000 (jao.refresh_max_exchanges_daily) has not succeeded within twice its schedule of ' +
        '1 min (last success 2026-11-23T11:50:00.000Z, paused)',
    );
    expect(
      jobProblem(
        compression({ lastRunStatus: null, lastSuccessAt: null, lastRunStartedAt: minutesAgo(60 * 25) }),
        NOW,
      ),
    ).toBe(
      'timescaledb job 1001 (_timescaledb_functions.policy_compression on jao.observation) has not succeeded ' +
        'within twice its schedule of 12 h (no success since 2026-11-22T11:00:00.000Z)',
    );
  });
});

describe('health with TimescaleDB jobs', () => {
  const base: HealthFacts = {
    temporalError: null,
    databaseError: null,
    schedules: [{ dataset: 'maxExchanges', scheduleId: 'maxExchanges-publication', state: 'running' }],
    reports: [],
  };

  it('is healthy and exports no job gauge on plain PostgreSQL', () => {
    expect(assessHealth(base)).toEqual({ healthy: true, problems: [], warnings: [] });
    expect(
      healthGauges(base).filter(
        (r) => r.name.includes('timescaledb') || r.labels.source === 'timescaledb_jobs',
      ),
    ).toEqual([]);
  });

  it('names each failing job, and exports each job’s last success, last failure and failing flag', () => {
    const failed = compression({ lastRunStatus: 'Failed', lastFailureAt: minutesAgo(1), lastError: 'boom' });
    const facts: HealthFacts = { ...base, timescaleJobs: { checkedAt: NOW, jobs: [job(), failed] } };
    const verdict = assessHealth(facts);
    expect(verdict.healthy).toBe(false);
    expect(verdict.problems).toEqual([expect.stringMatching(/^timescaledb job 1001 .* failed at .*: boom$/)]);
    const jobReadings = healthGauges(facts).filter(
      (r) => r.name.startsWith('jao_timescaledb_job') || r.labels.source === 'timescaledb_jobs',
    );
    const labels = (id: number, proc: string, target: string) => ({ job_id: String(id), proc, target });
    const refresh = labels(1000, 'jao.refresh_max_exchanges_daily', '');
    const policy = labels(1001, '_timescaledb_functions.policy_compression', 'jao.observation');
    const seconds = (at: Date) => at.getTime() / 1000;
    expect(jobReadings).toEqual([
      { name: 'jao_health_source_up', labels: { source: 'timescaledb_jobs' }, value: 1 },
      {
        name: 'jao_timescaledb_job_last_success_timestamp_seconds',
        labels: refresh,
        value: seconds(minutesAgo(1)),
      },
      { name: 'jao_timescaledb_job_last_failure_timestamp_seconds', labels: refresh, value: 0 },
      { name: 'jao_timescaledb_job_failing', labels: refresh, value: 0 },
      {
        name: 'jao_timescaledb_job_last_success_timestamp_seconds',
        labels: policy,
        value: seconds(minutesAgo(1)),
      },
      {
        name: 'jao_timescaledb_job_last_failure_timestamp_seconds',
        labels: policy,
        value: seconds(minutesAgo(1)),
      },
      { name: 'jao_timescaledb_job_failing', labels: policy, value: 1 },
    ]);
  });

  it('says so when the jobs cannot be read, in health and in the source gauge', () => {
    const facts: HealthFacts = { ...base, timescaleJobs: { error: 'permission denied for view job_stats' } };
    expect(assessHealth(facts).problems).toEqual([
      'timescaledb jobs unreadable: permission denied for view job_stats',
    ]);
    expect(healthGauges(facts)).toContainEqual({
      name: 'jao_health_source_up',
      labels: { source: 'timescaledb_jobs' },
      value: 0,
    });
  });
});

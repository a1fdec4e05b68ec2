// The health verdict's facts as Prometheus gauges (the worker refreshes them; deploy/prometheus/ alerts on them):
// the same facts and rules as `jao health`, as numbers; the days and schedules by dataset. Pure.
import { BAD_STATUSES, type HealthFacts } from './health';
import type { GridStatus, StatusReport } from './statusReport';
import { isFailing, judgeJob } from './timescaleJobs';
import { DAY_STATUSES, type Dataset } from './types';

export const HEALTH_GAUGES = {
  jao_health_window_days:
    "Days of a dataset's health window (HEALTH_WINDOW_DAYS before tomorrow, through tomorrow) by status",
  jao_health_window_late_days:
    "Days of a dataset's health window before tomorrow still not complete after their deadline (not failed, invalid or partial)",
  jao_health_window_recheck_failed_days:
    "Complete days of a dataset's health window whose last re-check failed",
  jao_tomorrow_late:
    "1 when a dataset's tomorrow is not complete after its freshness deadline (FRESHNESS_DEADLINE for Core maxExchanges), else 0",
  jao_health_window_jao_word_days:
    "Days of a dataset's health window JAO's own word calls late, missing or not_yet_published (datasets with declared monitoring steps)",
  jao_schedule_paused: "1 when the dataset's schedule is paused, else 0",
  jao_schedule_missing: "1 when the dataset's schedule does not exist, else 0",
  jao_task_queue_pollers: 'Workers that polled the task queue within HEALTH_POLLER_STALE_AFTER',
  jao_archive_pending_writes: 'Writes of days not archived yet (docs/archive.md)',
  jao_archive_lag_seconds: 'Age of the oldest write not archived yet, 0 when none waits',
  jao_health_source_up:
    '1 when the health check could read the source (temporal, database, timescaledb_jobs where TimescaleDB runs), else 0',
  jao_timescaledb_job_last_success_timestamp_seconds:
    'Unix time of the last successful run of each TimescaleDB background job (0: none recorded)',
  jao_timescaledb_job_last_failure_timestamp_seconds:
    'Unix time of the last failed run of each TimescaleDB background job (0: none recorded)',
  jao_monitoring_mode:
    "1 for the mode a region's days are fetched in (JAO_MONITORING=on): monitoring (JAO's monitoring, the polls stand down) or polls (the fixed polls), else 0",
  jao_timescaledb_job_failing:
    '1 when the TimescaleDB background job last failed or has not succeeded within twice its schedule interval, else 0',
} as const;

export type HealthGauge = keyof typeof HEALTH_GAUGES;

/** Unix time of the last refresh of the gauges above: alerts tell stale gauges by it. */
export const HEALTH_REFRESHED_GAUGE = 'jao_health_refreshed_timestamp_seconds';

export interface GaugeReading {
  name: HealthGauge;
  labels: Record<string, string>;
  value: number;
}

export const GRID_STATUSES: readonly GridStatus[] = [...DAY_STATUSES, 'missing'];

/**
 * Every gauge the facts determine. A source that could not be read leaves its gauges out (they keep their last
 * value) and reads 0 in `jao_health_source_up`.
 */
export function healthGauges(facts: HealthFacts): GaugeReading[] {
  const readings: GaugeReading[] = [
    gauge('jao_health_source_up', { source: 'temporal' }, facts.temporalError ? 0 : 1),
    gauge('jao_health_source_up', { source: 'database' }, facts.databaseError ? 0 : 1),
  ];
  for (const schedule of facts.schedules ?? []) {
    if (schedule.state === 'unknown') continue;
    const labels = { schedule: schedule.scheduleId, dataset: schedule.dataset };
    readings.push(gauge('jao_schedule_paused', labels, flag(schedule.state === 'paused')));
    readings.push(gauge('jao_schedule_missing', labels, flag(schedule.state === 'missing')));
  }
  for (const queue of facts.queues ?? []) {
    if (queue.state.kind === 'unknown') continue;
    const pollers = queue.state.kind === 'polled' ? (queue.state.pollers ?? 1) : 0;
    readings.push(gauge('jao_task_queue_pollers', { task_queue: queue.taskQueue }, pollers));
  }
  for (const { dataset, report } of facts.reports) readings.push(...windowGauges(dataset, report));
  if (facts.archive) {
    readings.push(gauge('jao_archive_pending_writes', {}, facts.archive.pending));
    readings.push(gauge('jao_archive_lag_seconds', {}, Math.floor((facts.archive.oldestAgeMs ?? 0) / 1000)));
  }
  for (const region of facts.monitoring ?? []) {
    for (const mode of ['monitoring', 'polls'] as const) {
      readings.push(
        gauge('jao_monitoring_mode', { region: region.region, mode }, flag(region.mode === mode)),
      );
    }
  }
  readings.push(...timescaleJobGauges(facts.timescaleJobs));
  return readings;
}

const flag = (on: boolean) => (on ? 1 : 0);
const gauge = (name: HealthGauge, labels: Record<string, string>, value: number): GaugeReading => ({
  name,
  labels,
  value,
});

/** A dataset's health window: its days by status, its late and re-check failed days, whether tomorrow is late. */
function windowGauges(dataset: Dataset, report: StatusReport): GaugeReading[] {
  const readings = GRID_STATUSES.map((status) =>
    gauge(
      'jao_health_window_days',
      { dataset, status },
      report.days.filter((line) => line.status === status).length,
    ),
  );
  const before = report.days.filter((line) => line.day !== report.tomorrow.day);
  const lateDays = before.filter((line) => line.late && !BAD_STATUSES.has(line.status)).length;
  const recheckFailed = report.days.filter((line) => line.status === 'complete' && line.lastError).length;
  readings.push(
    gauge('jao_health_window_late_days', { dataset }, lateDays),
    gauge('jao_health_window_recheck_failed_days', { dataset }, recheckFailed),
    gauge('jao_tomorrow_late', { dataset }, flag(report.tomorrow.late)),
  );
  // JAO's own word (docs/monitoring.md), for a dataset that declares steps: its days by the states worth a look.
  if (report.days.some((line) => line.jaoWord !== null)) {
    for (const state of ['late', 'missing', 'not_yet_published'] as const) {
      const days = report.days.filter((line) => line.jaoWord?.state === state).length;
      readings.push(gauge('jao_health_window_jao_word_days', { dataset, state }, days));
    }
  }
  return readings;
}

const unixSeconds = (at: Date | null) => (at ? Math.floor(at.getTime() / 1000) : 0);

/** Per job: its last success, last failure and whether it is failing; nothing on plain PostgreSQL. */
function timescaleJobGauges(jobs: HealthFacts['timescaleJobs']): GaugeReading[] {
  if (!jobs) return [];
  const source = { source: 'timescaledb_jobs' };
  if ('error' in jobs) return [gauge('jao_health_source_up', source, 0)];
  const readings = [gauge('jao_health_source_up', source, 1)];
  for (const job of jobs.jobs) {
    const labels = { job_id: String(job.id), proc: job.proc, target: job.target ?? '' };
    readings.push(
      gauge('jao_timescaledb_job_last_success_timestamp_seconds', labels, unixSeconds(job.lastSuccessAt)),
      gauge('jao_timescaledb_job_last_failure_timestamp_seconds', labels, unixSeconds(job.lastFailureAt)),
      gauge('jao_timescaledb_job_failing', labels, flag(isFailing(judgeJob(job, jobs.checkedAt)))),
    );
  }
  return readings;
}

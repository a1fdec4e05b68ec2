// The facts behind the pipeline's health verdict (domain/health.ts), gathered from Temporal and the database: what
// `jao health` judges and what the worker's health gauges export. A source that cannot be read is recorded as such.
import type { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { archiveLag } from '../archive/ship';
import type { Config } from '../common/config';
import { readTemporalHealth } from '../control/healthFacts';
import { readRegionMode } from '../db/monitoringSteps';
import { readStatusReport } from '../db/statusReport';
import { readTimescaleJobs } from '../db/timescaleJobs';
import { addDays, marketTomorrow } from '../domain/calendar';
import { type DatasetPublicationSettings, freshnessDeadlineOf } from '../domain/datasetSource';
import { declarationOf } from '../domain/datasets';
import type { HealthFacts } from '../domain/health';
import { monitoredRegions, monitoringModeSettingsOf } from '../domain/monitoring';
import type { Dataset } from '../domain/types';

export type HealthSettings = Pick<
  Config,
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_TASK_QUEUE'
  | 'HEALTH_POLLER_STALE_AFTER'
  | 'HEALTH_WINDOW_DAYS'
  | 'ARCHIVE_MAX_LAG'
  | 'JAO_DATASETS'
> &
  Partial<
    Pick<
      Config,
      | 'JAO_MONITORING'
      | 'MONITORING_INTERVAL'
      | 'MONITORING_QUIET_INTERVAL'
      | 'MONITORING_FAILURES_BEFORE_POLLS'
      | 'MONITORING_STALE_AFTER'
    >
  > &
  DatasetPublicationSettings;

export type Lender<R> = <T>(use: (resource: R) => Promise<T>) => Promise<T>;

export interface HealthSources {
  temporal: Lender<{ client: Client; connection: Connection }>;
  database: Lender<pg.Pool>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The first day of a dataset's health window: HEALTH_WINDOW_DAYS before tomorrow, not before its first day. */
export function healthWindowStart(dataset: Dataset, tomorrow: string, windowDays: number): string {
  const start = addDays(tomorrow, -windowDays);
  const { firstDay } = declarationOf(dataset);
  // biome-ignore lint/complexity/useMathMinMax: days are ISO strings, which Math.max does not order
  return start < firstDay ? firstDay : start;
}

export async function gatherHealthFacts(
  settings: HealthSettings,
  sources: HealthSources,
  now: Date,
): Promise<HealthFacts> {
  const datasets = settings.JAO_DATASETS;
  const facts: HealthFacts = { temporalError: null, databaseError: null, reports: [] };
  try {
    Object.assign(
      facts,
      await sources.temporal((temporal) =>
        readTemporalHealth(
          temporal,
          {
            namespace: settings.TEMPORAL_NAMESPACE,
            taskQueue: settings.TEMPORAL_TASK_QUEUE,
            pollerStaleAfterMs: settings.HEALTH_POLLER_STALE_AFTER,
            datasets,
          },
          now.getTime(),
        ),
      ),
    );
  } catch (error) {
    facts.temporalError = messageOf(error);
    facts.queues = [];
  }
  try {
    const tomorrow = marketTomorrow(now);
    for (const dataset of datasets) {
      const range = { from: healthWindowStart(dataset, tomorrow, settings.HEALTH_WINDOW_DAYS), to: tomorrow };
      const deadline = freshnessDeadlineOf(dataset, settings);
      const report = await sources.database((pool) => readStatusReport(pool, range, now, deadline, dataset));
      facts.reports.push({ dataset, report });
    }
    const lag = await sources.database((pool) => archiveLag(pool));
    facts.archive = {
      pending: lag.pending,
      oldestAgeMs: lag.oldest === null ? null : Math.max(0, now.getTime() - lag.oldest.getTime()),
      maxLagMs: settings.ARCHIVE_MAX_LAG,
    };
    const regions =
      settings.JAO_MONITORING === 'on' ? monitoredRegions(settings.JAO_DATASETS.map(declarationOf)) : [];
    facts.monitoring = [];
    const modeSettings = monitoringModeSettingsOf(settings);
    for (const region of regions) {
      facts.monitoring.push(
        await sources.database((pool) => readRegionMode(pool, region, now, modeSettings)),
      );
    }
  } catch (error) {
    facts.databaseError = messageOf(error);
    return facts;
  }
  try {
    const jobs = await sources.database((pool) => readTimescaleJobs(pool));
    if (jobs) facts.timescaleJobs = { checkedAt: now, jobs };
  } catch (error) {
    facts.timescaleJobs = { error: messageOf(error) };
  }
  return facts;
}

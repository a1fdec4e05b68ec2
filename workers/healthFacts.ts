// The facts behind the pipeline's health verdict (domain/health.ts), gathered from Temporal and the database: what
// `jao health` judges and what the worker's health gauges export. A source that cannot be read is recorded as such.
import type { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { archiveLag } from '../archive/ship';
import type { Config } from '../common/config';
import { readTemporalHealth } from '../control/healthFacts';
import { pollScheduleIdFor } from '../control/pollSchedule';
import { latestMonitoringReadings } from '../db/monitoringSteps';
import { readStatusReport } from '../db/statusReport';
import { readTimescaleJobs } from '../db/timescaleJobs';
import { addDays, GO_LIVE_DAY, marketTomorrow } from '../domain/calendar';
import { freshnessDeadlineOf } from '../domain/datasetSource';
import { DEFAULT_DATASET, declarationOf } from '../domain/datasets';
import type { HealthFacts } from '../domain/health';
import { monitoredRegions, monitoringModeOf } from '../domain/monitoring';

export type HealthSettings = Pick<
  Config,
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_TASK_QUEUE'
  | 'HEALTH_POLLER_STALE_AFTER'
  | 'HEALTH_WINDOW_DAYS'
  | 'FRESHNESS_DEADLINE'
  | 'ARCHIVE_MAX_LAG'
> &
  Partial<Pick<Config, 'JAO_DATASETS'>>;

/** Lends a resource to `use` for the time of one read (connecting, or borrowing a long-lived one). */
export type Lender<R> = <T>(use: (resource: R) => Promise<T>) => Promise<T>;

export interface HealthSources {
  temporal: Lender<{ client: Client; connection: Connection }>;
  database: Lender<pg.Pool>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The first day of the health window: HEALTH_WINDOW_DAYS before tomorrow, not before go-live. */
export function healthWindowStart(tomorrow: string, windowDays: number): string {
  const start = addDays(tomorrow, -windowDays);
  // biome-ignore lint/complexity/useMathMinMax: days are ISO strings, which Math.max does not order
  return start < GO_LIVE_DAY ? GO_LIVE_DAY : start;
}

export async function gatherHealthFacts(
  settings: HealthSettings,
  sources: HealthSources,
  now: Date,
): Promise<HealthFacts> {
  const others = (settings.JAO_DATASETS ?? []).filter((dataset) => dataset !== DEFAULT_DATASET);
  const facts: HealthFacts = {
    temporalError: null,
    databaseError: null,
    schedule: 'unknown',
    scheduleId: pollScheduleIdFor(settings.TEMPORAL_TASK_QUEUE),
    report: null,
  };
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
            otherDatasets: others,
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
    const from = healthWindowStart(tomorrow, settings.HEALTH_WINDOW_DAYS);
    facts.report = await sources.database((pool) =>
      readStatusReport(pool, { from, to: tomorrow }, now, settings.FRESHNESS_DEADLINE),
    );
    if (others.length > 0) {
      facts.datasetReports = [];
      for (const dataset of others) {
        const firstDay = declarationOf(dataset).firstDay;
        // biome-ignore lint/complexity/useMathMinMax: days are ISO strings, which Math.max does not order
        const range = { from: from < firstDay ? firstDay : from, to: tomorrow };
        const deadline = freshnessDeadlineOf(dataset, settings.FRESHNESS_DEADLINE);
        const report = await sources.database((pool) =>
          readStatusReport(pool, range, now, deadline, dataset),
        );
        facts.datasetReports.push({ dataset, report });
      }
    }
    const lag = await sources.database((pool) => archiveLag(pool));
    facts.archive = {
      pending: lag.pending,
      oldestAgeMs: lag.oldest === null ? null : Math.max(0, now.getTime() - lag.oldest.getTime()),
      maxLagMs: settings.ARCHIVE_MAX_LAG,
    };
    const regions = monitoredRegions((settings.JAO_DATASETS ?? [DEFAULT_DATASET]).map(declarationOf));
    facts.monitoring = [];
    for (const region of regions) {
      const [latest] = await sources.database((pool) => latestMonitoringReadings(pool, region, 1));
      facts.monitoring.push(monitoringModeOf(region, latest, now));
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

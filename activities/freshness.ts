// Freshness: the publication window's look at what is stored, and the publication → stored latency metric.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { readDayRecords } from '../db/dayStatus';
import { firstCompletionFacts, readStoredDayStatus } from '../db/freshness';
import { readRegionMode } from '../db/monitoringSteps';
import { readDeclaredSteps } from '../db/statusReport';
import { addDays, marketToday } from '../domain/calendar';
import { declarationOf } from '../domain/datasets';
import { freshnessOf } from '../domain/freshness';
import {
  classifyAnnouncedDay,
  firstMonitoredDay,
  MONITORING_OFF,
  type MonitoringModeSettings,
  type PollsStandDown,
} from '../domain/monitoring';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

export const PUBLICATION_LATENCY_METRIC = 'jao_publication_latency_seconds';
/** Bucket boundaries (seconds) of the latency histogram: around the publication window's 30 s checks. */
export const PUBLICATION_LATENCY_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600];

export interface FreshnessDeps {
  pool: pg.Pool;
  /** When a region's monitoring is healthy enough for its polls to stand down (default: JAO_MONITORING off). */
  monitoring?: MonitoringModeSettings;
  /** The clock the mode is judged by (tests may give their own). */
  now?: () => Date;
}

export function createFreshnessActivities({
  pool,
  monitoring = MONITORING_OFF,
  now = () => new Date(),
}: FreshnessDeps) {
  return {
    /** The day's recorded status (null: never run); no request to JAO. */
    storedDayStatus({ dataset, day }: { dataset: Dataset; day: DeliveryDay }): Promise<DayStatus | null> {
      return readStoredDayStatus(pool, dataset, day);
    },
    /**
     * Whether the dataset's fixed polls (poll, publication window) stand down now: JAO_MONITORING on, the dataset
     * announced by declared monitoring steps, its region's monitoring healthy, and no day of the monitoring window
     * that JAO says it published missing from the database (docs/monitoring.md). Never
     * throws: a mode that cannot be read lets the polls run, so a status never looks better than it is.
     */
    async pollsStandDown({ dataset }: { dataset: Dataset }): Promise<PollsStandDown> {
      const declaration = declarationOf(dataset);
      if (!monitoring.on || !declaration.monitoring) return { standDown: false };
      try {
        const at = now();
        const mode = await readRegionMode(pool, declaration.region, at, monitoring);
        if (mode.mode !== 'monitoring') return { standDown: false };
        const { listed, missing } = await announcedWindow(pool, dataset, at, monitoring.lookbackDays);
        // A reading that lists none of the dataset's steps for today or tomorrow (JAO names them otherwise, or has
        // not listed them yet) announces nothing of it: standing down would fetch nothing.
        if (!listed) {
          activityLog().info(
            `${dataset}: the polls run: JAO's monitoring of ${declaration.region} lists none of its steps ` +
              `(${declaration.monitoring.steps.join(', ')}) for today or tomorrow`,
          );
          return { standDown: false };
        }
        // A day JAO says it has but the database does not hold complete (its fetch failed, or found it empty or
        // partial) is the polls' again: the monitoring workflow starts a day only when its step changes.
        if (missing.length > 0) {
          activityLog().info(
            `${dataset}: the polls run: JAO says it published ${missing.join(', ')}, not stored complete`,
          );
          return { standDown: false };
        }
        return {
          standDown: true,
          region: declaration.region,
          reason: `JAO's monitoring of ${declaration.region} fetches its days (last read ${mode.lastReadAt})`,
        };
      } catch (error) {
        activityLog().warn(
          `${dataset}: the polls run, the monitoring mode is unreadable: ${error instanceof Error ? error.message : String(error)}`,
        );
        return { standDown: false };
      }
    },
  };
}

export type FreshnessActivities = ReturnType<typeof createFreshnessActivities>;

/** The activity's logger; outside an activity (a test calling it directly), nothing. */
function activityLog(): Pick<Console, 'info' | 'warn'> {
  try {
    return Context.current().log;
  } catch {
    return { info: () => {}, warn: () => {} };
  }
}

/**
 * What JAO's monitoring says of the dataset over the days a reading covers (the look-back to tomorrow): whether it
 * lists any of its declared steps for today or tomorrow, and the days its word calls missing.
 */
async function announcedWindow(
  pool: pg.Pool,
  dataset: Dataset,
  at: Date,
  lookbackDays: number,
): Promise<{ listed: boolean; missing: DeliveryDay[] }> {
  const today = marketToday(at);
  const [from, to] = [firstMonitoredDay(today, lookbackDays), addDays(today, 1)];
  const steps = (await readDeclaredSteps(pool, dataset, from, to)) ?? [];
  const listed = steps.some((step) => step.day >= today);
  if (steps.length === 0) return { listed, missing: [] };
  const complete = new Set(
    (await readDayRecords(pool, dataset, from, to))
      .filter((record) => record.status === 'complete')
      .map((record) => record.day),
  );
  const missing = [...new Set(steps.map((step) => step.day))].filter(
    (day) =>
      classifyAnnouncedDay(
        steps.filter((step) => step.day === day),
        complete.has(day),
        at,
      ) === 'missing',
  );
  return { listed, missing };
}

/**
 * Called by the write activity after a `complete` write: when that write first made the day complete and the
 * publication was watched (an empty answer came before the data), observes publication → stored.
 */
export async function recordPublicationLatency(
  pool: pg.Pool,
  ref: { dataset: Dataset; day: DeliveryDay; rawResponseId: number },
): Promise<void> {
  const times = await firstCompletionFacts(pool, ref.dataset, ref.day, ref.rawResponseId);
  if (!times) return;
  const { publicationToStoredSeconds, seenToStoredSeconds } = freshnessOf(times);
  if (publicationToStoredSeconds === null) return;
  Context.current()
    .metricMeter.createHistogram(
      PUBLICATION_LATENCY_METRIC,
      'float',
      'seconds',
      'Publication → first stored complete, at most (from the last answer without data)',
    )
    .record(publicationToStoredSeconds);
  activityLog().info('day first complete', {
    day: ref.day,
    publicationToStoredSeconds,
    seenToStoredSeconds,
  });
}

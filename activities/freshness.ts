// Freshness: the publication window's look at what is stored, and the publication → stored latency metric.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { firstCompletionFacts, readStoredDayStatus } from '../db/freshness';
import { readRegionMode } from '../db/monitoringSteps';
import { declarationOf } from '../domain/datasets';
import { freshnessOf } from '../domain/freshness';
import { MONITORING_OFF, type MonitoringModeSettings, type PollsStandDown } from '../domain/monitoring';
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
     * announced by declared monitoring steps, and its region's monitoring healthy (docs/monitoring.md). Never
     * throws: a mode that cannot be read lets the polls run, so a status never looks better than it is.
     */
    async pollsStandDown({ dataset }: { dataset: Dataset }): Promise<PollsStandDown> {
      const declaration = declarationOf(dataset);
      if (!monitoring.on || !declaration.monitoring) return { standDown: false };
      try {
        const mode = await readRegionMode(pool, declaration.region, now(), monitoring);
        if (mode.mode !== 'monitoring') return { standDown: false };
        return {
          standDown: true,
          region: declaration.region,
          reason: `JAO's monitoring of ${declaration.region} fetches its days (last read ${mode.lastReadAt})`,
        };
      } catch (error) {
        Context.current().log.warn(
          `${dataset}: the polls run, the monitoring mode is unreadable: ${error instanceof Error ? error.message : String(error)}`,
        );
        return { standDown: false };
      }
    },
  };
}

export type FreshnessActivities = ReturnType<typeof createFreshnessActivities>;

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
  Context.current().log.info('day first complete', {
    day: ref.day,
    publicationToStoredSeconds,
    seenToStoredSeconds,
  });
}

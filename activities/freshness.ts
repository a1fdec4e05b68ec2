// Freshness: the publication window's look at what is stored, and the publication → stored latency metric.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { firstCompletionFacts, readStoredDayStatus } from '../db/freshness';
import { freshnessOf } from '../domain/freshness';
import type { Dataset, DayStatus, DeliveryDay } from '../domain/types';

export const PUBLICATION_LATENCY_METRIC = 'jao_publication_latency_seconds';
/** Bucket boundaries (seconds) of the latency histogram: around the publication window's 30 s checks. */
export const PUBLICATION_LATENCY_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600];

export function createFreshnessActivities({ pool }: { pool: pg.Pool }) {
  return {
    /** The day's recorded status (null: never run); no request to JAO. */
    storedDayStatus({ dataset, day }: { dataset: Dataset; day: DeliveryDay }): Promise<DayStatus | null> {
      return readStoredDayStatus(pool, dataset, day);
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

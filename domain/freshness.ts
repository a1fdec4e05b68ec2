// Publication → stored latency of a day, from what the pipeline saw (docs/design.md §10). Pure.
import type { DeliveryDay } from './types';

export interface PublicationTimes {
  day: DeliveryDay;
  /** The last answer without data before the first one with data: JAO published after this instant. */
  publishedAfter: Date | null;
  /** The first answer with data. */
  seenAt: Date | null;
  /** First stored complete. */
  storedAt: Date | null;
}

export interface Freshness {
  publishedAfter: string | null;
  seenAt: string | null;
  storedAt: string | null;
  /** First answer with data → first stored complete. */
  seenToStoredSeconds: number | null;
  /**
   * Publication → first stored complete, at most: measured from the last empty answer, since the publication
   * happened after it. Null when no empty answer came first (the publication was not watched, e.g. a backfill).
   */
  publicationToStoredSeconds: number | null;
}

const secondsBetween = (from: Date | null, to: Date | null): number | null =>
  from && to ? Math.max(0, (to.getTime() - from.getTime()) / 1000) : null;

export function freshnessOf(times: PublicationTimes): Freshness {
  return {
    publishedAfter: times.publishedAfter?.toISOString() ?? null,
    seenAt: times.seenAt?.toISOString() ?? null,
    storedAt: times.storedAt?.toISOString() ?? null,
    seenToStoredSeconds: secondsBetween(times.seenAt, times.storedAt),
    publicationToStoredSeconds: secondsBetween(times.publishedAfter, times.storedAt),
  };
}

// Bounds on what one JAO answer may be, so that reading, storing and validating it fits the worker's heap. For a
// paged dataset an answer is one page; the day's stored answer, its pages assembled, is bounded by the pages it may
// hold (domain/storedAnswerLimit.ts).

/**
 * Default of JAO_MAX_BODY_BYTES. The Core capture (test/fixtures/jao) is about 4 KB per hourly row of 132 keys,
 * pretty-printed; the largest plausible day (25 hours of 15-minute rows, ~150 keys) is about 460 KB. 8 MiB also
 * takes a day whose rows each carry 10,000 unknown keys (about 6.7 MB), so that such a day keeps its legitimate
 * values (its new keys refused as too_many_keys) instead of ending invalid; validating it peaks near 55 MB of heap.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MIN_BODY_BYTES = 64 * 1024;
/** Above this a hostile answer of tiny invalid values no longer fits the deployed 256 MB heap when validated. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What jao.raw_response keeps of an answer refused for its size: its beginning, for lineage. */
export const KEPT_PREFIX_BYTES = 64 * 1024;

/**
 * Rows one answer may hold: a day has at most 100 MTUs (25 hours of 15 minutes). Far more rows is not data but
 * an absurd answer; refusing it as a whole keeps validation from building millions of rejections. It is checked on
 * each answer JAO sends (source/jaoClient.ts), so for a paged dataset on each page (at most DOMAIN_PAGE_TAKE rows); a
 * paged day's rows (a Nordic quarter-hour day has about 12,800) are bounded by its pages, never by this.
 */
export const MAX_ROWS_PER_ANSWER = 10_000;

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

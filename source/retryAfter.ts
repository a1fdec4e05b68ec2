// `Retry-After` as sent with 429/503: delay seconds or an HTTP date.

const DELAY_SECONDS_PATTERN = /^\d+$/;
const HTTP_DATE_PATTERN = /GMT$/;

/** Milliseconds to wait, or null when the header is absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (DELAY_SECONDS_PATTERN.test(text)) return Number(text) * 1000;
  const dateMs = HTTP_DATE_PATTERN.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(dateMs)) return null;
  return Math.max(0, dateMs - nowMs);
}

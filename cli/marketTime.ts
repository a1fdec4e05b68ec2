// Instants as the command line prints them: market time (Europe/Amsterdam) to the second, marked CET or CEST, as the
// status page writes them, so that a time the CLI prints reads the same on the page.
import { utcOffsetMinutesAt } from '../domain/calendar';

const MINUTE_MS = 60_000;

/** `2026-11-26 08:05:00 CET` for an instant (a Date or an ISO string); an unreadable string as it is. */
export function marketInstant(instant: Date | string): string {
  const epochMs = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(epochMs)) return String(instant);
  const offset = utcOffsetMinutesAt(epochMs);
  const wall = new Date(epochMs + offset * MINUTE_MS).toISOString().slice(0, 19).replace('T', ' ');
  return `${wall} ${offset === 120 ? 'CEST' : 'CET'}`;
}

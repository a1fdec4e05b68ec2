// Publication windows for tests, chosen from the current time so that a scenario holds whatever the hour.
import { addDays, dayStartMs, marketToday, utcOffsetMinutesAt } from '../../domain/calendar';

const MINUTE_MS = 60_000;

/** Open at every instant of its day; it closes only at the next local midnight. */
export const WHOLE_DAY_WINDOW = '00:00-24:00';

/** `HH:MM` in Europe/Amsterdam of an instant. */
export function localHhmm(epochMs: number): string {
  return new Date(epochMs + utcOffsetMinutesAt(epochMs) * MINUTE_MS).toISOString().slice(11, 16);
}

/** Milliseconds from an instant to the next local (Europe/Amsterdam) midnight. */
export const msUntilLocalMidnight = (epochMs: number): number =>
  dayStartMs(addDays(marketToday(new Date(epochMs)), 1)) - epochMs;

/**
 * A window that is not open at `epochMs` nor at any later instant of that day: one that closed at 00:01, or, in
 * the day's first minute, one that opens at 23:00.
 */
export function windowClosedAt(epochMs: number): string {
  return localHhmm(epochMs) >= '00:01' ? '00:00-00:01' : '23:00-23:01';
}

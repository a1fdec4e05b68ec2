// Instants as the market reads them: Europe/Amsterdam wall-clock time on a 24-hour clock, marked CET or CEST so
// that the repeated hour of a 25-hour day is told apart. Independent of the browser's locale and time zone.
import { utcOffsetMinutesAt } from '../../domain/calendar';

const MINUTE_MS = 60_000;

/** CET (UTC+1) or CEST (UTC+2) at an instant. */
export function marketZoneAt(epochMs: number): 'CET' | 'CEST' {
  return utcOffsetMinutesAt(epochMs) === 120 ? 'CEST' : 'CET';
}

/** `2024-10-27 02:00 CEST` for an ISO instant; without the date when `withDate` is false. */
export function marketTimeText(iso: string, withDate = true): string {
  const epochMs = Date.parse(iso);
  const local = new Date(epochMs + utcOffsetMinutesAt(epochMs) * MINUTE_MS).toISOString();
  const time = `${local.slice(11, 16)} ${marketZoneAt(epochMs)}`;
  return withDate ? `${local.slice(0, 10)} ${time}` : time;
}

/**
 * Labels of the time axis's ticks (epoch seconds): the market time of each, with its date on the first tick and
 * wherever the date changes (on a second line).
 */
export function marketAxisLabels(splits: readonly number[]): string[] {
  let lastDate = '';
  return splits.map((seconds) => {
    const text = marketTimeText(new Date(seconds * 1000).toISOString());
    const [date, time] = [text.slice(0, 10), text.slice(11)];
    const label = date === lastDate ? time : `${time}\n${date}`;
    lastDate = date;
    return label;
  });
}

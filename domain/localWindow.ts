// A publication window as written (a declaration's `publication.window`, the setting that overrides it): local
// `HH:MM-HH:MM` on the day before delivery, or `D HH:MM-HH:MM` on the delivery day. Pure text: the declarations' check
// reads it, and publicationWindow.ts places it on the calendar.

const HHMM = '([01]\\d|2[0-3]):([0-5]\\d)';
/** The end may also be `24:00`: the next local midnight, so a window can last to the end of its day. */
const WINDOW_PATTERN = new RegExp(`^(D )?${HHMM}-(?:${HHMM}|24:00)$`);

/** A window as local (Europe/Amsterdam) wall-clock times, `start` before `end` on the same day. */
export interface LocalWindow {
  start: string;
  end: string;
  /** Local time of `start`, for the schedule's calendar. */
  startHour: number;
  startMinute: number;
  /** The window runs on the delivery day it watches (`D HH:MM-HH:MM`), not on the day before. */
  onTheDay: boolean;
}

/**
 * Reads `HH:MM-HH:MM` (the end up to `24:00`), `D ` before it for a window on the delivery day; null when it is not
 * that, or the end is not after the start.
 */
export function parseWindow(text: string): LocalWindow | null {
  const match = WINDOW_PATTERN.exec(text);
  if (!match) return null;
  const onTheDay = match[1] !== undefined;
  const [start, end] = text.slice(onTheDay ? 2 : 0).split('-') as [string, string];
  if (end <= start) return null;
  return { start, end, startHour: Number(match[2]), startMinute: Number(match[3]), onTheDay };
}

export const WINDOW_FORMAT =
  'expected HH:MM-HH:MM on the day before delivery, or D HH:MM-HH:MM on the delivery day (Europe/Amsterdam, ' +
  'the end up to 24:00), the end after the start';

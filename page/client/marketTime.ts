// Instants as the market reads them: Europe/Amsterdam wall-clock time on a 24-hour clock, marked CET or CEST so
// that the repeated hour of a 25-hour day is told apart. The page writes every instant so, whatever the browser's
// locale and time zone. Pure (no DOM): test/unit/marketTime.test.ts.
import {
  addDays,
  dayOfInstant,
  dayStartMs,
  daysBetween,
  deliveryDayProblem,
  isDeliveryDay,
  utcOffsetMinutesAt,
} from '../../domain/calendar';

const MINUTE_MS = 60_000;
const MINUTE = 60;
const DAY = 86_400;

/** CET (UTC+1) or CEST (UTC+2) at an instant. */
export function marketZoneAt(epochMs: number): 'CET' | 'CEST' {
  return utcOffsetMinutesAt(epochMs) === 120 ? 'CEST' : 'CET';
}

/** The market's wall clock at an instant, as `YYYY-MM-DDTHH:MM:SS`. */
function wallClock(epochMs: number): string {
  return new Date(epochMs + utcOffsetMinutesAt(epochMs) * MINUTE_MS).toISOString().slice(0, 19);
}

/** `2024-10-27 02:00 CEST` for an ISO instant; without the date when `withDate` is false. */
export function marketTimeText(iso: string, withDate = true): string {
  const epochMs = Date.parse(iso);
  const local = wallClock(epochMs);
  const time = `${local.slice(11, 16)} ${marketZoneAt(epochMs)}`;
  return withDate ? `${local.slice(0, 10)} ${time}` : time;
}

/** `2026-01-05 13:03:04 CET`: an instant to the second (a run's start, an as-of instant); `—` for none. */
export function instantText(iso: string | null): string {
  if (!iso) return '—';
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) return iso;
  return `${wallClock(epochMs).replace('T', ' ')} ${marketZoneAt(epochMs)}`;
}

const MARKET_TIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2})[ T]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?:\s*(CET|CEST))?$/i;

export type ParsedMarketTime = { ok: true; iso: string; text: string } | { ok: false; problem: string };

/**
 * A market time as typed (`2026-11-25 17:26`, seconds and `CET`/`CEST` optional): the instant, and the text it is
 * shown as (`2026-11-25 17:26:00 CET`). The repeated hour of a 25-hour day is its first (CEST) unless CET is named;
 * the hour a 23-hour day skips is refused.
 */
export function parseMarketTime(typed: string): ParsedMarketTime {
  const form = 'write YYYY-MM-DD HH:MM:SS, market time (Europe/Amsterdam)';
  const match = MARKET_TIME_PATTERN.exec(typed.trim());
  if (!match || !isDeliveryDay(match[1]!)) return { ok: false, problem: `Not a time: ${form}.` };
  const [, day, hours, minutes, seconds = '00', zone] = match;
  const wall = `${day}T${hours}:${minutes}:${seconds}`;
  const wallMs = Date.parse(`${wall}Z`);
  // The instants this wall-clock time may be: as CEST (UTC+2) and as CET (UTC+1); those that show it, named.
  const candidates = [
    { zone: 'CEST', epochMs: wallMs - 2 * 60 * MINUTE_MS },
    { zone: 'CET', epochMs: wallMs - 60 * MINUTE_MS },
  ].filter(
    (candidate) =>
      wallClock(candidate.epochMs) === wall && marketZoneAt(candidate.epochMs) === candidate.zone,
  );
  const chosen = zone ? candidates.find((candidate) => candidate.zone === zone.toUpperCase()) : candidates[0];
  if (!chosen) {
    return {
      ok: false,
      problem:
        candidates.length === 0
          ? `${day} ${hours}:${minutes} does not exist in market time: the clocks skip from 02:00 CET to 03:00 CEST.`
          : `${day} ${hours}:${minutes} is ${candidates[0]!.zone}, not ${zone!.toUpperCase()}.`,
    };
  }
  const iso = new Date(chosen.epochMs).toISOString();
  return { ok: true, iso, text: instantText(iso) };
}

/** A step between the time axis's ticks: minutes (a divisor of 60 or a multiple of an hour), days or months. */
interface TickStep {
  unit: 'minute' | 'day' | 'month';
  count: number;
  /** Its length in seconds, about (uPlot chooses a step by it). */
  seconds: number;
}

const TICK_STEPS: readonly TickStep[] = [
  ...[15, 30, 60, 120, 180, 360, 720].map((count) => ({
    unit: 'minute' as const,
    count,
    seconds: count * MINUTE,
  })),
  ...[1, 2, 7, 14].map((count) => ({ unit: 'day' as const, count, seconds: count * DAY })),
  ...[1, 3, 6, 12].map((count) => ({ unit: 'month' as const, count, seconds: count * 30 * DAY })),
];

/** The steps' lengths, for uPlot's `incrs`: it picks the shortest that keeps ticks `space` pixels apart. */
export const MARKET_TICK_INCREMENTS = TICK_STEPS.map((step) => step.seconds);

/** A Monday: weeks of ticks start on Mondays. */
const MONDAY = '2024-01-01';

/**
 * The time axis's ticks (epoch seconds) between `min` and `max` for the step uPlot chose (`increment`, seconds):
 * whole hours (or quarter-hours) of the market's clock, local midnights for steps of days, the first of the month
 * for months. On a clock-change day the hours are the market's: a 25-hour day has two ticks at 02:00 (CEST, then
 * CET) when they are a step apart (only the first at steps above an hour), a 23-hour day none.
 */
export function marketTicks(min: number, max: number, increment: number): number[] {
  const step = TICK_STEPS.find((candidate) => candidate.seconds >= increment) ?? TICK_STEPS.at(-1)!;
  const ticks: number[] = [];
  if (!(max >= min)) return ticks;
  if (step.unit === 'minute') {
    // Every offset of the market's clock is a whole number of hours: a whole UTC quarter-hour is a local one.
    // A tick closer than the step to the one before (02:00 CET an hour after 02:00 CEST) would crowd its label.
    const unit = Math.min(step.count, 60) * MINUTE;
    for (let t = Math.ceil(min / unit) * unit; t <= max; t += unit) {
      const local = wallClock(t * 1000);
      const minuteOfDay = Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
      const previous = ticks.at(-1);
      if (minuteOfDay % step.count === 0 && (previous === undefined || t - previous >= step.seconds))
        ticks.push(t);
    }
    return ticks;
  }
  const first = dayOfInstant(new Date(min * 1000));
  const last = dayOfInstant(new Date(max * 1000));
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const start = dayStartMs(day) / 1000;
    if (start < min || start > max) continue;
    const month = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
    const onStep =
      step.unit === 'day'
        ? ((daysBetween(MONDAY, day) % step.count) + step.count) % step.count === 0
        : day.endsWith('-01') && month % step.count === 0;
    if (onStep) ticks.push(start);
  }
  return ticks;
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

/** Why `typed` is not a day within min..max (either bound may be absent), or null when it is one. */
export function typedDayProblem(typed: string, min?: string, max?: string): string | null {
  const text = typed.trim();
  const problem = deliveryDayProblem(text);
  if (problem) return `${problem}.`;
  if (min && text < min) return `${text} is before ${min}, the dataset's first day.`;
  if (max && text > max) return `${text} is after ${max} (tomorrow): no day after it is published.`;
  return null;
}

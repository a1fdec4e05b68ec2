// Delivery-day calendar of the market (Europe/Amsterdam). Pure: only Date and Intl, so workflows may import it.
import type { DeliveryDay, UtcWindow } from './deliveryDay';

export const MARKET_TIME_ZONE = 'Europe/Amsterdam';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

let offsetFormatter: Intl.DateTimeFormat | undefined;

/** Amsterdam's offset at an instant as Intl names it ("GMT+01:00"), in minutes. */
function formattedOffsetMinutes(epochMs: number): number {
  offsetFormatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: MARKET_TIME_ZONE,
    timeZoneName: 'longOffset',
  });
  const name = offsetFormatter.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value;
  const match = /([+-])(\d\d):(\d\d)/.exec(name ?? '');
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/**
 * Amsterdam's offset by UTC hour: every change of it since 1970 fell on a whole UTC hour, so one hour has one
 * offset. Formatting an instant is microseconds, and the simulator and the validation ask for thousands of MTUs.
 */
const offsetByUtcHour = new Map<number, number>();
const OFFSET_CACHE_LIMIT = 50_000;

/** Minutes Amsterdam is ahead of UTC at an instant (60 in winter, 120 in summer). */
export function utcOffsetMinutesAt(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = offsetByUtcHour.get(hour);
  if (offset !== undefined) return offset;
  offset = formattedOffsetMinutes(hour * HOUR_MS);
  if (offsetByUtcHour.size >= OFFSET_CACHE_LIMIT) offsetByUtcHour.clear();
  offsetByUtcHour.set(hour, offset);
  return offset;
}

/** The instant of a local wall-clock time given as "local time read as if it were UTC". */
function instantOfLocal(localAsUtcMs: number): number {
  const firstGuess = localAsUtcMs - utcOffsetMinutesAt(localAsUtcMs) * MINUTE_MS;
  return localAsUtcMs - utcOffsetMinutesAt(firstGuess) * MINUTE_MS;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatDay(year: number, month: number, day: number): DeliveryDay {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Midnight UTC of the calendar date, a stable number to do date arithmetic on. */
function dayToUtcMidnight(day: DeliveryDay): number {
  if (!isDeliveryDay(day)) throw new RangeError(`not a delivery day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function utcMidnightToDay(epochMs: number): DeliveryDay {
  const date = new Date(epochMs);
  return formatDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * Why `text` is not a delivery day, in the words of the person who typed it, or null when it is one:
 * `"2024-1-5" is not a date in the form YYYY-MM-DD`, or for a date in that form, `2026-02-30 is not a day of the
 * calendar`.
 */
export function deliveryDayProblem(text: unknown): string | null {
  if (typeof text !== 'string' || !DAY_PATTERN.test(text))
    return `${JSON.stringify(text)} is not a date in the form YYYY-MM-DD`;
  if (isDeliveryDay(text)) return null;
  return Number(text.slice(0, 4)) < 1970
    ? `${text} is before 1970: not a delivery day`
    : `${text} is not a day of the calendar`;
}

/** `YYYY-MM-DD` in form, but no day of the calendar (2026-02-30, 2026-13-01). */
export const isImpossibleDay = (text: unknown): boolean =>
  typeof text === 'string' && DAY_PATTERN.test(text) && !isDeliveryDay(text);

/** Strict `YYYY-MM-DD` naming a real calendar date. */
export function isDeliveryDay(text: string): boolean {
  if (typeof text !== 'string') return false;
  const match = DAY_PATTERN.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function addDays(day: DeliveryDay, n: number): DeliveryDay {
  return utcMidnightToDay(dayToUtcMidnight(day) + n * DAY_MS);
}

/** Number of days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: DeliveryDay, to: DeliveryDay): number {
  return Math.round((dayToUtcMidnight(to) - dayToUtcMidnight(from)) / DAY_MS);
}

/** Every day from `from` to `to`, both included; empty when `to` is before `from`. */
export function daysInRange(from: DeliveryDay, to: DeliveryDay): DeliveryDay[] {
  const start = dayToUtcMidnight(from);
  const end = dayToUtcMidnight(to);
  const days: DeliveryDay[] = [];
  for (let t = start; t <= end; t += DAY_MS) days.push(utcMidnightToDay(t));
  return days;
}

const dayStartCache = new Map<DeliveryDay, number>();
const DAY_START_CACHE_LIMIT = 20_000;

/** Epoch milliseconds of local midnight starting the day. */
export function dayStartMs(day: DeliveryDay): number {
  const cached = dayStartCache.get(day);
  if (cached !== undefined) return cached;
  const start = instantOfLocal(dayToUtcMidnight(day));
  if (dayStartCache.size >= DAY_START_CACHE_LIMIT) dayStartCache.clear();
  dayStartCache.set(day, start);
  return start;
}

/** [local 00:00, next local 00:00) as UTC ISO strings with `.000Z`. */
export function dayWindow(day: DeliveryDay): UtcWindow {
  return {
    from: new Date(dayStartMs(day)).toISOString(),
    to: new Date(dayStartMs(addDays(day, 1))).toISOString(),
  };
}

/** 23 on the day DST starts, 25 on the day it ends, 24 otherwise. */
export function dayLengthHours(day: DeliveryDay): number {
  return Math.round((dayStartMs(addDays(day, 1)) - dayStartMs(day)) / HOUR_MS);
}

/** True on the two days a year whose length is not 24 hours. */
export function isDstChangeDay(day: DeliveryDay): boolean {
  return dayLengthHours(day) !== 24;
}

/** MTUs the day has at a resolution that divides an hour (60, 30, 15…). */
export function expectedMtuCount(day: DeliveryDay, resolutionMinutes: number): number {
  if (!Number.isInteger(resolutionMinutes) || resolutionMinutes <= 0 || 60 % resolutionMinutes !== 0) {
    throw new RangeError(`resolution must divide an hour, got ${resolutionMinutes} minutes`);
  }
  return (dayLengthHours(day) * 60) / resolutionMinutes;
}

/** The delivery day containing a UTC instant. */
export function dayOfInstant(instant: Date | string): DeliveryDay {
  const epochMs = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(epochMs)) throw new RangeError(`not an instant: ${JSON.stringify(String(instant))}`);
  const local = new Date(epochMs + utcOffsetMinutesAt(epochMs) * MINUTE_MS);
  return formatDay(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate());
}

export function marketToday(now: Date): DeliveryDay {
  return dayOfInstant(now);
}

export function marketTomorrow(now: Date): DeliveryDay {
  return addDays(marketToday(now), 1);
}

/** The instant of a local `HH:MM` (Europe/Amsterdam) on a day, e.g. the publication time of D+1 on D. */
export function localTimeOnDay(day: DeliveryDay, hhmm: string): Date {
  const match = HHMM_PATTERN.exec(hhmm);
  if (!match) throw new RangeError(`expected HH:MM, got ${JSON.stringify(hhmm)}`);
  const localAsUtc = dayToUtcMidnight(day) + Number(match[1]) * HOUR_MS + Number(match[2]) * MINUTE_MS;
  return new Date(instantOfLocal(localAsUtc));
}

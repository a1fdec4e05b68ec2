// The publication window (docs/design.md §5): local hours of the day before delivery in which tomorrow is checked
// every few seconds until it is complete. Pure: the workflow, the schedule and the configuration share it.
import type { z } from 'zod';
import { addDays, localTimeOnDay, marketToday, marketTomorrow } from './calendar';
import { declarationOf } from './datasets';
import { DEFAULT_DATASET } from './datasets/compat';
import { DATASETS, type DeliveryDay } from './types';
import { describeIssues, type Parsed } from './workflowInputs';
import { lazily, zod } from './zod';

export const DEFAULT_CHECK_INTERVAL_MS = 30_000;
export const MIN_CHECK_INTERVAL_MS = 1_000;
export const MAX_CHECK_INTERVAL_MS = 3_600_000;

const HHMM = '([01]\\d|2[0-3]):([0-5]\\d)';
/** The end may also be `24:00`: the next local midnight, so a window can last to the end of its day. */
const WINDOW_PATTERN = new RegExp(`^${HHMM}-(?:${HHMM}|24:00)$`);
const END_OF_DAY = '24:00';

/** A window as local (Europe/Amsterdam) wall-clock times, `start` before `end` on the same day. */
export interface LocalWindow {
  start: string;
  end: string;
  /** Local time of `start`, for the schedule's calendar. */
  startHour: number;
  startMinute: number;
}

/** Reads `HH:MM-HH:MM` (the end up to `24:00`); null when it is not that, or the end is not after the start. */
export function parseWindow(text: string): LocalWindow | null {
  const match = WINDOW_PATTERN.exec(text);
  if (!match) return null;
  const [start, end] = text.split('-') as [string, string];
  if (end <= start) return null;
  return { start, end, startHour: Number(match[1]), startMinute: Number(match[2]) };
}

/** The window's instants on `day` (the day before the delivery day it is for). */
export function windowOn(day: DeliveryDay, window: LocalWindow): { opens: Date; closes: Date } {
  const closes =
    window.end === END_OF_DAY ? localTimeOnDay(addDays(day, 1), '00:00') : localTimeOnDay(day, window.end);
  return { opens: localTimeOnDay(day, window.start), closes };
}

/** Whether `now` is inside today's window; the delivery day it is watching is then tomorrow. */
export function isInsideWindow(now: Date, window: LocalWindow): boolean {
  const { opens, closes } = windowOn(marketToday(now), window);
  return opens.getTime() <= now.getTime() && now.getTime() < closes.getTime();
}

/** The delivery day a window open at `now` watches. */
export const watchedDay = (now: Date): DeliveryDay => marketTomorrow(now);

export const WINDOW_FORMAT =
  'expected HH:MM-HH:MM (Europe/Amsterdam, the end up to 24:00), the end after the start';

/** Built on first use, like the other workflow input schemas (domain/workflowInputs.ts). */
function buildSchema() {
  const z = zod();
  return z.object({
    dataset: z.enum(DATASETS).default(DEFAULT_DATASET),
    /** Absent: the dataset's declared window. */
    window: z
      .string()
      .refine((text) => parseWindow(text) !== null, {
        message: WINDOW_FORMAT,
      })
      .optional(),
    checkIntervalMs: z
      .number()
      .int()
      .min(MIN_CHECK_INTERVAL_MS, `the check interval must be at least ${MIN_CHECK_INTERVAL_MS / 1000} s`)
      .max(MAX_CHECK_INTERVAL_MS, `the check interval must be at most ${MAX_CHECK_INTERVAL_MS / 60_000} min`)
      .default(DEFAULT_CHECK_INTERVAL_MS),
  });
}

const schema = lazily(buildSchema);

export type PublicationWindowInput = z.input<ReturnType<typeof buildSchema>>;
export type PublicationWindowRequest = z.output<ReturnType<typeof buildSchema>> & {
  window: string;
  local: LocalWindow;
};

export function parsePublicationWindowInput(raw: unknown): Parsed<PublicationWindowRequest> {
  const parsed = schema().safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const window = parsed.data.window ?? declarationOf(parsed.data.dataset).publication.window;
  return { ok: true, value: { ...parsed.data, window, local: parseWindow(window)! } };
}

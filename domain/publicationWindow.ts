// The publication window (docs/design.md §5): local hours of the day before delivery in which tomorrow is checked
// every few seconds until it is complete, or, written `D HH:MM-HH:MM`, hours of the delivery day itself in which
// today is (an intraday window computed on D). Pure: the workflow, the schedule and the configuration share it.
import type { z } from 'zod';
import { addDays, localTimeOnDay, marketToday, marketTomorrow } from './calendar';
import { declarationOf } from './datasets';
import { DEFAULT_DATASET } from './datasets/compat';
import { type LocalWindow, parseWindow, WINDOW_FORMAT } from './localWindow';
import { DATASETS, type DeliveryDay } from './types';
import { describeIssues, type Parsed } from './workflowInputs';
import { lazily, zod } from './zod';

/** The window's text, read here and by the declarations' check, which must not reach the datasets this module does. */
export { type LocalWindow, parseWindow, WINDOW_FORMAT } from './localWindow';

export const DEFAULT_CHECK_INTERVAL_MS = 30_000;
export const MIN_CHECK_INTERVAL_MS = 1_000;
export const MAX_CHECK_INTERVAL_MS = 3_600_000;

const END_OF_DAY = '24:00';

/** The day whose local hours the window of delivery day `day` runs in: `day` itself, or the day before. */
export const windowDayOf = (day: DeliveryDay, window: LocalWindow): DeliveryDay =>
  window.onTheDay ? day : addDays(day, -1);

/** A window's text in words: `08:00-11:00 Europe/Amsterdam on D-1`. */
export function windowInWords(text: string): string {
  const window = parseWindow(text);
  if (window === null) return `${text} Europe/Amsterdam`;
  return `${window.start}-${window.end} Europe/Amsterdam on ${window.onTheDay ? 'D' : 'D-1'}`;
}

/** The window's instants on `day` (the day whose local hours it runs in: windowDayOf). */
export function windowOn(day: DeliveryDay, window: LocalWindow): { opens: Date; closes: Date } {
  const closes =
    window.end === END_OF_DAY ? localTimeOnDay(addDays(day, 1), '00:00') : localTimeOnDay(day, window.end);
  return { opens: localTimeOnDay(day, window.start), closes };
}

/** Whether `now` is inside today's window; the delivery day it is watching is then tomorrow (today, on the day). */
export function isInsideWindow(now: Date, window: LocalWindow): boolean {
  const { opens, closes } = windowOn(marketToday(now), window);
  return opens.getTime() <= now.getTime() && now.getTime() < closes.getTime();
}

/** The delivery day a window open at `now` watches. */
export const watchedDay = (now: Date, window: LocalWindow): DeliveryDay =>
  window.onTheDay ? marketToday(now) : marketTomorrow(now);

/** Built on first use, like the other workflow input schemas (domain/workflowInputs.ts). */
function buildSchema() {
  const z = zod();
  return z.object({
    dataset: z.enum(DATASETS).default(DEFAULT_DATASET),
    /** Absent: the dataset's declared window. */
    window: z
      .string()
      .refine((text) => parseWindow(text) !== null, WINDOW_FORMAT)
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

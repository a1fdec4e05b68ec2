// What the catalogue says about where a dataset comes from and when it is published (jao.dataset_source,
// migration 017): the worker records it from its configuration at start-up. Pure.

import { DATASETS, type Dataset, dataPathOf, declarationOf } from './datasets';
import { type LegacyPublicationSettings, legacyPublicationOf } from './datasets/compat';
import { deadlineParts } from './freshnessDeadline';
import { parseWindow, windowInWords } from './publicationWindow';

export const DATASET_TITLES = Object.fromEntries(
  DATASETS.map((dataset) => [dataset, declarationOf(dataset).title]),
) as Record<Dataset, string>;

/** The settings that decide when a day is looked for (docs/reference/settings.md). */
export interface PublicationSettings {
  /** The dataset's publication window (publicationWindowOf), `HH:MM-HH:MM` Europe/Amsterdam on D-1. */
  window: string;
  /** PUBLICATION_POLL_INTERVAL. */
  checkIntervalMs: number;
  /** The dataset's freshness deadline (freshnessDeadlineOf; domain/freshnessDeadline.ts). */
  deadline: string;
  /** POLL_INTERVAL. */
  pollIntervalMs: number;
  /** POLL_LOOKBACK_DAYS. */
  lookbackDays: number;
}

/** A dataset's settings when nothing is configured: its declared window and deadline, the default intervals. */
export function defaultPublicationSettings(dataset: Dataset): PublicationSettings {
  const { window, deadline } = declarationOf(dataset).publication;
  return { window, checkIntervalMs: 30_000, deadline, pollIntervalMs: 600_000, lookbackDays: 3 };
}

/** The settings that move a dataset's window and deadline from its declaration (docs/reference/settings.md). */
export interface DatasetPublicationSettings extends LegacyPublicationSettings {
  PUBLICATION_WINDOWS?: Partial<Record<Dataset, string>>;
  FRESHNESS_DEADLINES?: Partial<Record<Dataset, string>>;
}

/** A dataset's publication window: PUBLICATION_WINDOWS, then the 1.x alias, then its declaration. */
export function publicationWindowOf(dataset: Dataset, settings: DatasetPublicationSettings): string {
  return (
    settings.PUBLICATION_WINDOWS?.[dataset] ??
    legacyPublicationOf(dataset, settings).window ??
    declarationOf(dataset).publication.window
  );
}

/** When a dataset's day D is due: FRESHNESS_DEADLINES, then the 1.x alias, then its declaration. */
export function freshnessDeadlineOf(dataset: Dataset, settings: DatasetPublicationSettings): string {
  return (
    settings.FRESHNESS_DEADLINES?.[dataset] ??
    legacyPublicationOf(dataset, settings).deadline ??
    declarationOf(dataset).publication.deadline
  );
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** The deadline as the schedule's sentence says it: on D-1 unsaid, as migration 017 stored it. */
function deadlineText(deadline: string): string {
  const { time, on } = deadlineParts(deadline);
  return on === 'D-1' ? time : `${time} on D`;
}

/** When JAO publishes, as the schedule's sentence says it: migration 017 stored the one of a window on D-1. */
function publishedText(window: string): string {
  return parseWindow(window)?.onTheDay
    ? 'day D is published on D itself'
    : 'day D is published on D-1 (JAO: typically 07:30-08:30 UTC)';
}

/** The publication schedule in one sentence (migration 017 stores the one of the default settings). */
export function describePublicationSchedule(settings: PublicationSettings): string {
  return (
    `${publishedText(settings.window)}; checked every ${duration(settings.checkIntervalMs)} ` +
    `within ${windowInWords(settings.window)} until complete, expected by ${deadlineText(settings.deadline)}; ` +
    `tomorrow and the last ${settings.lookbackDays} days re-checked every ${duration(settings.pollIntervalMs)}`
  );
}

/** The URL the pipeline fetches a dataset from: JAO_BASE_URL (an origin) and the dataset's path. */
export function sourceEndpointOf(baseUrl: string, dataset: Dataset): string {
  return `${baseUrl.replace(/\/+$/, '')}${dataPathOf(declarationOf(dataset))}`;
}

// What the catalogue says about where a dataset comes from and when it is published (jao.dataset_source,
// migration 017): the worker records it from its configuration at start-up. Pure.

import { DATASETS, type Dataset, DEFAULT_DATASET, dataPathOf, declarationOf } from './datasets';
import { coreMaxExchanges } from './datasets/coreMaxExchanges';

/** The path the JAO client appends to JAO_BASE_URL for the default dataset (docs/design.md §9). */
export const MAX_EXCHANGES_PATH = dataPathOf(coreMaxExchanges);

export const DATASET_TITLES = Object.fromEntries(
  DATASETS.map((dataset) => [dataset, declarationOf(dataset).title]),
) as Record<Dataset, string>;

/** The settings that decide when a day is looked for (docs/reference/settings.md). */
export interface PublicationSettings {
  /** PUBLICATION_WINDOW, `HH:MM-HH:MM` Europe/Amsterdam on D-1. */
  window: string;
  /** PUBLICATION_POLL_INTERVAL. */
  checkIntervalMs: number;
  /** FRESHNESS_DEADLINE, `HH:MM` Europe/Amsterdam on D-1. */
  deadline: string;
  /** POLL_INTERVAL. */
  pollIntervalMs: number;
  /** POLL_LOOKBACK_DAYS. */
  lookbackDays: number;
}

export const DEFAULT_PUBLICATION_SETTINGS: PublicationSettings = {
  window: coreMaxExchanges.publication.window,
  checkIntervalMs: 30_000,
  deadline: coreMaxExchanges.publication.deadline,
  pollIntervalMs: 600_000,
  lookbackDays: 3,
};

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** The publication schedule in one sentence (migration 017 stores the one of the default settings). */
export function describePublicationSchedule(settings: PublicationSettings): string {
  return (
    `day D is published on D-1 (JAO: typically 07:30-08:30 UTC); checked every ${duration(settings.checkIntervalMs)} ` +
    `within ${settings.window} Europe/Amsterdam on D-1 until complete, expected by ${settings.deadline}; ` +
    `tomorrow and the last ${settings.lookbackDays} days re-checked every ${duration(settings.pollIntervalMs)}`
  );
}

/** The URL the pipeline fetches a dataset from: JAO_BASE_URL (an origin) and the dataset's path. */
export function sourceEndpointOf(baseUrl: string, dataset: Dataset = DEFAULT_DATASET): string {
  return `${baseUrl.replace(/\/+$/, '')}${dataPathOf(declarationOf(dataset))}`;
}

/** When a dataset's day D is due: FRESHNESS_DEADLINE (`configured`) for the default dataset, the declared one else. */
export function freshnessDeadlineOf(dataset: Dataset, configured: string): string {
  return dataset === DEFAULT_DATASET ? configured : declarationOf(dataset).publication.deadline;
}

// Which dataset the page shows: the one the address names (`?dataset=nordicMaxExchanges`), when the key reads it;
// else the default one. The address keeps the choice, so that links and reloads show the same dataset. Pure (no
// DOM): test/unit/datasetChoice.test.ts.
import type { DatasetEntry } from '../../domain/apiAnswers';

export const DATASET_PARAM = 'dataset';

/** The dataset the address names (its query string), or null. */
export function datasetAsked(search: string): string | null {
  const asked = new URLSearchParams(search).get(DATASET_PARAM);
  return asked === null || asked === '' ? null : asked;
}

export interface DatasetChoice {
  /** The dataset shown; null when the key reads none. */
  shown: DatasetEntry | null;
  /** Why the dataset the address named is not the one shown; null when it is (or none was named). */
  problem: string | null;
}

/**
 * The dataset to show of those the key reads (GET /v1/datasets, in declaration order): the one asked for, else the
 * default dataset (`fallback`, the page's setting), else the first the key reads.
 */
export function chooseDataset(
  asked: string | null,
  readable: readonly DatasetEntry[],
  fallback: string,
): DatasetChoice {
  const found = asked === null ? undefined : readable.find((entry) => entry.id === asked);
  if (found) return { shown: found, problem: null };
  const shown =
    readable.find((entry) => entry.id === fallback) ??
    readable.find((entry) => entry.default) ??
    readable[0] ??
    null;
  const problem =
    asked === null
      ? null
      : `This key does not read a dataset ${JSON.stringify(asked)}${shown ? `; showing ${shown.id}` : ''}.`;
  return { shown, problem };
}

/** The query string that names `dataset`, the address's other parameters kept. */
export function datasetSearch(search: string, dataset: string): string {
  const query = new URLSearchParams(search);
  query.set(DATASET_PARAM, dataset);
  return `?${query.toString()}`;
}

/** The picker's line for a dataset: its id, its title and its MTU length. */
export function datasetOptionText(entry: DatasetEntry): string {
  return `${entry.id} — ${entry.title} (${entry.resolution_minutes}-minute MTUs)`;
}

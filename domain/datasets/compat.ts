// What 1.x users rely on, named: the one place outside the declarations where a dataset is singled out. 1.x kept
// Core maxExchanges alone, so an input, a request or a setting that names no dataset means it. Renaming any of
// these needs a clean-up step, as 1.2.0's was for `bad-days` (docs/evolution.md).
import { type DatasetDeclaration, dataPathOf } from './declaration';
import { type Dataset, DECLARATIONS } from './declared';

/**
 * The dataset an input names none of: the API's and the CLI's default, and what a workflow input stored before
 * datasets existed meant. Its views keep their 1.x names (`jao.max_exchanges*`, in the migrations).
 */
export const DEFAULT_DATASET = 'maxExchanges' satisfies Dataset;

/** The path JAO's client fetches when it is given none: 1.x's one endpoint (source/jaoClient.ts). */
export const MAX_EXCHANGES_PATH = dataPathOf(
  DECLARATIONS.find((declaration) => declaration.id === DEFAULT_DATASET)!,
);

/**
 * The schedule ids 1.x created, kept: every dataset's are `<id>-poll` and `<id>-publication`, which for the default
 * dataset are these (control/pollSchedule.ts, control/publicationSchedule.ts).
 */
export const LEGACY_SCHEDULE_IDS = {
  poll: `${DEFAULT_DATASET}-poll`,
  publication: `${DEFAULT_DATASET}-publication`,
} as const;

/** The settings 1.x read for its one dataset: PUBLICATION_WINDOW and FRESHNESS_DEADLINE. */
export interface LegacyPublicationSettings {
  PUBLICATION_WINDOW?: string | undefined;
  FRESHNESS_DEADLINE?: string | undefined;
}

/** PUBLICATION_WINDOW and FRESHNESS_DEADLINE: aliases of the default dataset's per-dataset settings. */
export function legacyPublicationOf(
  dataset: DatasetDeclaration['id'],
  settings: LegacyPublicationSettings,
): { window?: string | undefined; deadline?: string | undefined } {
  if (dataset !== DEFAULT_DATASET) return {};
  return { window: settings.PUBLICATION_WINDOW, deadline: settings.FRESHNESS_DEADLINE };
}

/**
 * What starts a dataset's line in `jao health`: its id and a space, nothing for the default dataset, whose lines
 * read as 1.x's did (`day failed: …`, `data late: …`; docs/operations.md "Status and health").
 */
export function healthLinePrefix(dataset: DatasetDeclaration['id']): string {
  return dataset === DEFAULT_DATASET ? '' : `${dataset} `;
}

/** Whether the dataset is the default one (GET /v1/datasets says so of it). */
export const isDefaultDataset = (dataset: string): boolean => dataset === DEFAULT_DATASET;

/** PUBLICATION_WINDOW or FRESHNESS_DEADLINE set beside a per-dataset setting naming the default dataset too. */
export function legacyAliasConflicts(
  settings: LegacyPublicationSettings & {
    PUBLICATION_WINDOWS: Partial<Record<string, string>>;
    FRESHNESS_DEADLINES: Partial<Record<string, string>>;
  },
): string[] {
  const aliases = [
    ['PUBLICATION_WINDOW', 'PUBLICATION_WINDOWS'],
    ['FRESHNESS_DEADLINE', 'FRESHNESS_DEADLINES'],
  ] as const;
  return aliases
    .filter(([alias, list]) => settings[alias] !== undefined && settings[list][DEFAULT_DATASET] !== undefined)
    .map(([alias, list]) => `${alias}: it sets ${DEFAULT_DATASET}'s, which ${list} names too; keep one`);
}

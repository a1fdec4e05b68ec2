import type { Config } from '../common/config';
import type { PublicationSettings } from '../domain/datasetSource';
import { DEFAULT_DATASET, declarationOf } from '../domain/datasets';
import type { Dataset } from '../domain/types';

/**
 * The publication settings of a dataset: the configured ones (PUBLICATION_WINDOW, FRESHNESS_DEADLINE) for the
 * default dataset, its declaration's window and deadline for the others; the intervals are the configured ones.
 */
export function publicationSettingsOf(config: Config, dataset: Dataset): PublicationSettings {
  const declared = declarationOf(dataset).publication;
  const isDefault = dataset === DEFAULT_DATASET;
  return {
    window: isDefault ? config.PUBLICATION_WINDOW : declared.window,
    deadline: isDefault ? config.FRESHNESS_DEADLINE : declared.deadline,
    checkIntervalMs: config.PUBLICATION_POLL_INTERVAL,
    pollIntervalMs: config.POLL_INTERVAL,
    lookbackDays: config.POLL_LOOKBACK_DAYS,
  };
}

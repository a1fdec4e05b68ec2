import type { Config } from '../common/config';
import { freshnessDeadlineOf, type PublicationSettings, publicationWindowOf } from '../domain/datasetSource';
import type { Dataset } from '../domain/types';

/**
 * The publication settings of a dataset: its window and deadline (PUBLICATION_WINDOWS, FRESHNESS_DEADLINES, the
 * 1.x aliases, else its declaration's); the intervals are the configured ones, the same for every dataset.
 */
export function publicationSettingsOf(config: Config, dataset: Dataset): PublicationSettings {
  return {
    window: publicationWindowOf(dataset, config),
    deadline: freshnessDeadlineOf(dataset, config),
    checkIntervalMs: config.PUBLICATION_POLL_INTERVAL,
    pollIntervalMs: config.POLL_INTERVAL,
    lookbackDays: config.POLL_LOOKBACK_DAYS,
  };
}

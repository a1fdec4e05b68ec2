// jao.dataset_source (migration 017): where a dataset comes from and when it is published, as the catalogue says.
import type pg from 'pg';
import type { Dataset } from '../domain/types';

export interface DatasetSource {
  dataset: Dataset;
  title: string;
  endpoint: string;
  publicationWindow: string;
  freshnessDeadline: string;
  publicationSchedule: string;
  /** The build of the worker recording it. */
  recordedBy: string;
}

/** Records (or updates) a dataset's source: the worker does at start-up, from its configuration. */
export async function recordDatasetSource(pool: pg.Pool, source: DatasetSource): Promise<void> {
  await pool.query(
    `INSERT INTO jao.dataset_source AS s (dataset, title, endpoint, publication_window, freshness_deadline,
                                         publication_schedule, recorded_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
     ON CONFLICT (dataset) DO UPDATE SET
        title = EXCLUDED.title, endpoint = EXCLUDED.endpoint, publication_window = EXCLUDED.publication_window,
        freshness_deadline = EXCLUDED.freshness_deadline, publication_schedule = EXCLUDED.publication_schedule,
        recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
    [
      source.dataset,
      source.title,
      source.endpoint,
      source.publicationWindow,
      source.freshnessDeadline,
      source.publicationSchedule,
      source.recordedBy,
    ],
  );
}

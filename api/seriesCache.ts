import type pg from 'pg';
import type { SeriesEntry } from '../domain/apiAnswers';
import type { Dataset } from '../domain/datasets';
import type { DataVersion } from './snapshot';

/** One answer per dataset, computed once per data version; a failed computation is forgotten. */
class PerVersion<T> {
  private readonly byDataset = new Map<Dataset, { tag: string; value: Promise<T> }>();

  get(dataset: Dataset, version: DataVersion, compute: () => Promise<T>): Promise<T> {
    const held = this.byDataset.get(dataset);
    if (held?.tag === version.tag) return held.value;
    const value = compute();
    value.catch(() => {
      if (this.byDataset.get(dataset)?.value === value) this.byDataset.delete(dataset);
    });
    this.byDataset.set(dataset, { tag: version.tag, value });
    return value;
  }
}

/**
 * The series of each dataset (a scan of its current values) and its known borders, computed once per data
 * version: both change only when a write commits.
 */
export class SeriesCache {
  private readonly entries = new PerVersion<SeriesEntry[]>();
  private readonly borders = new PerVersion<Set<string>>();

  series(client: pg.PoolClient, version: DataVersion, dataset: Dataset): Promise<SeriesEntry[]> {
    return this.entries.get(dataset, version, () => readSeries(client, dataset));
  }

  knownBorders(client: pg.PoolClient, version: DataVersion, dataset: Dataset): Promise<Set<string>> {
    return this.borders.get(dataset, version, async () => {
      const result = await client.query<{ border: string }>({
        name: 'jao.api.borders',
        text: 'SELECT border FROM jao.dataset_borders WHERE dataset = $1',
        values: [dataset],
      });
      return new Set(result.rows.map((row) => row.border));
    });
  }
}

/** The series of a dataset, from the views of every dataset (migration 008) narrowed to it: one read path. */
function seriesQuery(dataset: Dataset): pg.QueryConfig {
  return {
    name: 'jao.api.dataset_series',
    text: `SELECT b.key, b.border, b.from_zone, b.to_zone, b.unit,
                  v.first_day::text AS first_day, v.last_day::text AS last_day, COALESCE(v.values, 0)::int AS values,
                  v.last_revision_at,
                  b.dataset, c.resolution_minutes, COALESCE(c.complete_days, 0) AS complete_days,
                  c.days_in_span, c.complete_share, c.source_endpoint, c.publication_schedule
             FROM jao.dataset_borders b
             LEFT JOIN (SELECT border, min(delivery_day) AS first_day, max(delivery_day) AS last_day,
                               count(*) AS values, max(updated_at) AS last_revision_at
                          FROM jao.dataset_values WHERE dataset = $1 GROUP BY border) v ON v.border = b.border
             LEFT JOIN jao.catalog c ON c.dataset = b.dataset AND c.key = b.key
            WHERE b.dataset = $1
            ORDER BY b.border`,
    values: [dataset],
  };
}

async function readSeries(client: pg.PoolClient, dataset: Dataset): Promise<SeriesEntry[]> {
  const result = await client.query<
    Omit<SeriesEntry, 'last_revision_at' | 'complete_share'> & {
      last_revision_at: Date | null;
      complete_share: string | null;
    }
  >(seriesQuery(dataset));
  return result.rows.map((row) => ({
    ...row,
    last_revision_at: row.last_revision_at ? row.last_revision_at.toISOString() : null,
    complete_share: row.complete_share === null ? null : Number(row.complete_share),
  }));
}

import type pg from 'pg';
import type { DataVersion } from './snapshot';

/** A border of the series catalogue, with what is stored of it. */
export interface SeriesEntry {
  key: string;
  border: string;
  from_zone: string;
  to_zone: string;
  unit: string;
  first_day: string | null;
  last_day: string | null;
  values: number;
  last_revision_at: string | null;
  /** From jao.catalog (migration 017). */
  dataset: string;
  resolution_minutes: number | null;
  complete_days: number;
  days_in_span: number | null;
  complete_share: number | null;
  source_endpoint: string | null;
  publication_schedule: string | null;
}

/**
 * The catalogue (a scan of the current values) and the known borders, computed once per data version: both
 * change only when a write commits.
 */
export class Catalogue {
  private entries: { tag: string; value: Promise<SeriesEntry[]> } | null = null;
  private borders: { tag: string; value: Promise<Set<string>> } | null = null;

  series(client: pg.PoolClient, version: DataVersion): Promise<SeriesEntry[]> {
    if (this.entries?.tag !== version.tag) {
      const value = readSeries(client);
      value.catch(() => {
        if (this.entries?.value === value) this.entries = null;
      });
      this.entries = { tag: version.tag, value };
    }
    return this.entries.value;
  }

  knownBorders(client: pg.PoolClient, version: DataVersion): Promise<Set<string>> {
    if (this.borders?.tag !== version.tag) {
      const value = client
        .query<{ border: string }>({
          name: 'jao.api.borders',
          text: 'SELECT border FROM jao.max_exchanges_borders',
        })
        .then((result) => new Set(result.rows.map((row) => row.border)));
      value.catch(() => {
        if (this.borders?.value === value) this.borders = null;
      });
      this.borders = { tag: version.tag, value };
    }
    return this.borders.value;
  }
}

async function readSeries(client: pg.PoolClient): Promise<SeriesEntry[]> {
  const result = await client.query<
    Omit<SeriesEntry, 'last_revision_at' | 'complete_share'> & {
      last_revision_at: Date | null;
      complete_share: string | null;
    }
  >({
    name: 'jao.api.series',
    text: `SELECT b.key, b.border, b.from_zone, b.to_zone, b.unit,
                  v.first_day::text AS first_day, v.last_day::text AS last_day, COALESCE(v.values, 0)::int AS values,
                  v.last_revision_at,
                  'maxExchanges' AS dataset, c.resolution_minutes, COALESCE(c.complete_days, 0) AS complete_days,
                  c.days_in_span, c.complete_share, c.source_endpoint, c.publication_schedule
             FROM jao.max_exchanges_borders b
             LEFT JOIN (SELECT border, min(delivery_day) AS first_day, max(delivery_day) AS last_day,
                               count(*) AS values, max(updated_at) AS last_revision_at
                          FROM jao.max_exchanges GROUP BY border) v ON v.border = b.border
             LEFT JOIN jao.catalog c ON c.dataset = 'maxExchanges' AND c.key = b.key
            ORDER BY b.border`,
  });
  return result.rows.map((row) => ({
    ...row,
    last_revision_at: row.last_revision_at ? row.last_revision_at.toISOString() : null,
    complete_share: row.complete_share === null ? null : Number(row.complete_share),
  }));
}

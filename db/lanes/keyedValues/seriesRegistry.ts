// The series catalog as a day's write sees it: ids of the day's keys, registering the new ones.
import type pg from 'pg';
import { declarationOf, unitOfKey } from '../../../domain/datasets';
import type { Dataset } from '../../../domain/types';
import type { SeriesIds } from '../../dayWriteTypes';
import { namedStatement } from '../../namedStatement';
import { perPoolAndDataset } from '../../pool';
import type { DayContent } from './dayContent';

/**
 * series_id by key, per pool and dataset, filled after commits. Series rows are never deleted or re-keyed,
 * so a cached id stays right; a day whose keys are all cached skips the registration round trips.
 */
export const seriesCacheFor = perPoolAndDataset(() => new Map<string, number>());

/** Called only after the commit: a rolled-back registration must not leave ids in the cache. */
export function rememberSeries(cache: Map<string, number>, content: DayContent, seriesIds: SeriesIds): void {
  for (const [index, series] of content.series.entries()) cache.set(series.key, seriesIds.ids[index]!);
}

const INSERT_NEW_SERIES = namedStatement<{
  dataset: string;
  keys: string[];
  fromZones: string[];
  toZones: (string | null)[];
  units: string[];
  txTime: Date;
}>(
  'jao.writeDay.insertNewSeries',
  `INSERT INTO jao.series (dataset, key, from_zone, to_zone, unit, first_seen_at, last_seen_at)
   SELECT :dataset, n.key, n.from_zone, n.to_zone, n.unit, :txTime, :txTime
     FROM unnest(:keys::text[], :fromZones::text[], :toZones::text[], :units::text[])
          AS n(key, from_zone, to_zone, unit)
    WHERE NOT EXISTS (SELECT 1 FROM jao.series s WHERE s.dataset = :dataset AND s.key = n.key)
    ORDER BY n.key
   ON CONFLICT (dataset, key) DO NOTHING`,
);

const SERIES_IDS = namedStatement<{ dataset: string; keys: string[] }, { key: string; series_id: number }>(
  'jao.writeDay.seriesIds',
  'SELECT key, series_id FROM jao.series WHERE dataset = :dataset AND key = ANY (:keys::text[])',
);

/** Registers keys not yet in the catalog (in key order, so concurrent writers lock in one order). */
export async function registerSeries(
  client: pg.PoolClient,
  dataset: Dataset,
  content: DayContent,
  txTime: Date,
  cache: Map<string, number>,
): Promise<SeriesIds> {
  const keys = content.series.map((s) => s.key);
  const cached = keys.map((key) => cache.get(key));
  if (cached.every((id) => id !== undefined)) return { ids: cached as number[], created: 0 };
  const inserted = await INSERT_NEW_SERIES.run(client, {
    dataset,
    keys,
    fromZones: content.series.map((s) => s.fromZone),
    toZones: content.series.map((s) => s.toZone),
    // The unit of each series from its dataset's declaration (MW, EUR/MWh, …): jao.series.unit, read by the views.
    units: content.series.map((s) => unitOfKey(declarationOf(dataset), s.key)),
    txTime,
  });
  // A new statement: sees the rows just inserted and those committed meanwhile by concurrent writers.
  const found = await SERIES_IDS.run(client, { dataset, keys });
  const byKey = new Map(found.rows.map((row) => [row.key, row.series_id]));
  const ids = keys.map((key) => {
    const id = byKey.get(key);
    if (id === undefined) throw new Error(`series ${dataset}/${key} could not be registered`);
    return id;
  });
  return { ids, created: inserted.rowCount ?? 0 };
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Dataset, DeliveryDay } from '../domain/types';
import { perPoolAndDataset } from './pool';

/** key_set_id by sha256 of the sorted keys, per pool and dataset: key sets are immutable and few. */
const keySetIdsOf = perPoolAndDataset(() => new Map<string, number>());

/**
 * Every key of the key sets of `dataset`'s days before `day`, or null when none of them has one: what "never seen
 * before" is judged against.
 */
export async function readEarlierKeys(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<Set<string> | null> {
  const result = await pool.query<{ keys: string[] }>(
    `SELECT ks.keys FROM jao.key_set ks
      WHERE ks.dataset = $1
        AND ks.key_set_id IN (SELECT d.key_set_id FROM jao.delivery_day d
                               WHERE d.dataset = $1 AND d.day < $2::date AND d.key_set_id IS NOT NULL)`,
    [dataset, day],
  );
  if (result.rows.length === 0) return null;
  return new Set(result.rows.flatMap((row) => row.keys));
}

/**
 * The id of a dataset's key set (keys sorted), registered on first sight. Outside the day's transaction, in
 * its own statements: a set is immutable, so one registered by a write that later rolls back is still right,
 * and no day write waits on another's uncommitted key set. Cached: a known set costs no round trip.
 */
export async function ensureKeySet(
  pool: pg.Pool,
  dataset: Dataset,
  sortedKeys: readonly string[],
): Promise<number> {
  const sha256 = createHash('sha256').update(sortedKeys.join('\n')).digest('hex');
  const cache = keySetIdsOf(pool, dataset);
  const cached = cache.get(sha256);
  if (cached !== undefined) return cached;
  await pool.query(
    `INSERT INTO jao.key_set (dataset, keys, keys_sha256) VALUES ($1, $2::text[], $3)
     ON CONFLICT (dataset, keys_sha256) DO NOTHING`,
    [dataset, sortedKeys, sha256],
  );
  const found = await pool.query<{ key_set_id: number }>(
    'SELECT key_set_id FROM jao.key_set WHERE dataset = $1 AND keys_sha256 = $2',
    [dataset, sha256],
  );
  const id = found.rows[0]?.key_set_id;
  if (id === undefined) throw new Error(`key set ${dataset}/${sha256} could not be registered`);
  cache.set(sha256, id);
  return id;
}

import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Dataset } from '../domain/types';

/** key_set_id by dataset and sha256 of the sorted keys, per pool: key sets are immutable and few. */
const keySetCaches = new WeakMap<pg.Pool, Map<string, number>>();

export function keySetSha256(sortedKeys: readonly string[]): string {
  return createHash('sha256').update(sortedKeys.join('\n')).digest('hex');
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
  const sha256 = keySetSha256(sortedKeys);
  let cache = keySetCaches.get(pool);
  if (!cache) {
    cache = new Map();
    keySetCaches.set(pool, cache);
  }
  const cacheKey = `${dataset}/${sha256}`;
  const cached = cache.get(cacheKey);
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
  cache.set(cacheKey, id);
  return id;
}

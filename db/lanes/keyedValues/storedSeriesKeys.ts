import type pg from 'pg';
import type { Dataset } from '../../../domain/types';

/** Every key of a dataset's series stored so far (jao.series). */
export async function readStoredSeriesKeys(pool: pg.Pool, dataset: Dataset): Promise<Set<string>> {
  const result = await pool.query<{ key: string }>('SELECT key FROM jao.series WHERE dataset = $1', [
    dataset,
  ]);
  return new Set(result.rows.map((row) => row.key));
}

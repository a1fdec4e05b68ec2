// bench:write's baseline for the flow-based domain: the same versions as COPY text (db/constraintCopy.ts) into a
// table with the columns, primary key and indexes of jao.constraint_value (LIKE … INCLUDING ALL): the limit for a
// stored version.
import type pg from 'pg';
import type { ConstraintRecord } from '../db/constraintContent';
import { copyConstraintVersions } from '../db/constraintCopy';
import type { DeliveryDay } from '../domain/types';

/** A table shaped as jao.constraint_value (columns, primary key, indexes, checks), empty. */
export async function createBaselineTable(pool: pg.Pool, table: string): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS public.${table}`);
  await pool.query(`CREATE TABLE public.${table} (LIKE jao.constraint_value INCLUDING ALL)`);
}

/** COPYs one day's versions into `table`; constraint ids from `idOf` (the baseline has no catalogue). */
export function copyConstraintDay(
  client: pg.ClientBase,
  table: string,
  input: {
    dataset: string;
    day: DeliveryDay;
    records: readonly ConstraintRecord[];
    idOf: (key: string) => number;
  },
): Promise<number> {
  return copyConstraintVersions(client, `public.${table}`, input.records, input.idOf, {
    dataset: input.dataset,
    day: input.day,
    revision: 1,
    at: new Date(),
    derivationId: 1,
  });
}

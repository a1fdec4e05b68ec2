// bench:write's baseline for the flow-based domain: the day's rows as COPY text (the text the write path sends,
// db/lanes/constraints/constraintCopy.ts) into a table with the columns, primary key and indexes of jao.constraint_value (LIKE …
// INCLUDING ALL): the limit for a stored version. It starts from the same validated rows as the write path, and
// leaves out what only the write does: hashing each version, registering the constraints, pairing with what is
// stored, the day's row, journal and event.
import type pg from 'pg';
import { type ConstraintVersion, versionContentText } from '../db/lanes/constraints/constraintContent';
import { copyConstraintVersions } from '../db/lanes/constraints/constraintCopy';
import type { KeyedConstraintRow } from '../domain/flowBased/rows';
import type { DeliveryDay } from '../domain/types';

/** The column's text where the write path puts each version's sha256: as many bytes, not computed. */
const NO_HASH = '0'.repeat(64);

/** A table shaped as jao.constraint_value (columns, primary key, indexes, checks), empty. */
export async function createBaselineTable(pool: pg.Pool, table: string): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS public.${table}`);
  await pool.query(`CREATE TABLE public.${table} (LIKE jao.constraint_value INCLUDING ALL)`);
}

/** COPYs one day's rows into `table`; constraint ids from `idOf` (the baseline has no catalogue). */
export function copyConstraintDay(
  client: pg.ClientBase,
  table: string,
  input: {
    dataset: string;
    day: DeliveryDay;
    rows: readonly KeyedConstraintRow[];
    idOf: (key: string) => number;
  },
): Promise<number> {
  const versions: ConstraintVersion[] = input.rows.map(({ key, row }) => ({
    key,
    mtu: new Date(Date.parse(row.mtu)).toISOString(),
    jaoId: row.jaoId,
    text: versionContentText(row),
    sha256: NO_HASH,
  }));
  return copyConstraintVersions(client, `public.${table}`, versions, input.idOf, {
    dataset: input.dataset,
    day: input.day,
    revision: 1,
    at: new Date(),
    derivationId: 1,
  });
}

// The catalogue of the domain's constraints (jao.flow_constraint) as a day's write sees it. New constraints are
// inserted before the write's transaction, in a short one of their own: two writes of different days that meet
// the same new constraint (a restore writes days side by side) then wait for each other's insert, not for each
// other's whole write. They are inserted as never stored (first_seen_at 'infinity', last_seen_at '-infinity'); the
// write that stores them sets both to its transaction time, so the times are those of committed writes only, in
// whatever order the writes commit.
import type pg from 'pg';
import type { Dataset } from '../../../domain/types';
import { perPoolAndDataset } from '../../pool';
import type { ConstraintDayContent } from './constraintContent';

/**
 * Keys each pool has seen in the catalogue, per dataset: a day whose constraints are all there asks nothing before
 * its write. Only a hint: the write reads the ids in its transaction, and inserts there what is missing after all
 * (a database replaced under a running process).
 */
const seenKeysOf = perPoolAndDataset(() => new Set<string>());

/** Before the write, on `pool` (committed at once): inserts the day's constraints the catalogue lacks. */
export async function registerNewConstraints(
  pool: pg.Pool,
  dataset: Dataset,
  content: ConstraintDayContent,
): Promise<void> {
  const seen = seenKeysOf(pool, dataset);
  if (content.identities.every((identity) => seen.has(identity.key))) return;
  await insertNewConstraints(pool, dataset, content);
  if (seen.size > 1_000_000) seen.clear();
  for (const identity of content.identities) seen.add(identity.key);
}

/**
 * Inserts the day's constraints the catalogue lacks, in key order: before the write (registerNewConstraints), or in
 * the write's transaction for what is still missing there (a dry run of a reprocessing inserts nothing before it).
 */
async function insertNewConstraints(
  pool: pg.Pool | pg.PoolClient,
  dataset: Dataset,
  content: ConstraintDayContent,
): Promise<void> {
  if (content.identities.length === 0) return;
  await pool.query(
    `INSERT INTO jao.flow_constraint
            (dataset, constraint_key, tso, cne_eic, cne_name, direction, contingency_eics, first_seen_at, last_seen_at)
     SELECT $1, r.key, r.tso, r."cneEic", r."cneName", r.direction, r."contingencyEics", 'infinity', '-infinity'
       FROM jsonb_to_recordset($2::jsonb)
            AS r(key text, tso text, "cneEic" text, "cneName" text, direction text, "contingencyEics" text[])
      WHERE NOT EXISTS (SELECT 1 FROM jao.flow_constraint c
                         WHERE c.dataset = $1 AND c.constraint_key = r.key)
      ORDER BY r.key
     ON CONFLICT (dataset, constraint_key) DO NOTHING`,
    [dataset, JSON.stringify(content.identities)],
  );
}

/**
 * The id of each of the day's constraints, in the write's transaction (inserting those still missing there).
 */
export async function constraintIdsOf(
  client: pg.PoolClient,
  dataset: Dataset,
  content: ConstraintDayContent,
): Promise<Map<string, number>> {
  const readIds = async () => {
    const known = await client.query<[string, string]>({
      text: `SELECT constraint_id::text, constraint_key FROM jao.flow_constraint
              WHERE dataset = $1 AND constraint_key = ANY ($2::text[])`,
      values: [dataset, content.identities.map((identity) => identity.key)],
      rowMode: 'array',
    });
    return new Map(known.rows.map(([id, key]) => [key, Number(id)]));
  };
  let ids = await readIds();
  if (ids.size < content.identities.length) {
    await insertNewConstraints(client, dataset, content);
    ids = await readIds();
  }
  return ids;
}

/**
 * Moves the catalogue times of the constraints `ids`, as the write's last statement on them, so that the rows it
 * locks stay locked for the commit alone (two writes of days side by side meet on them): first_seen_at back to the
 * earliest write, last_seen_at to the earliest write of the latest UTC hour (as jao.touch_series moves a series':
 * the same whatever order writes commit in, and a poll does not lock every row on each write), rows locked in id
 * order. Returns how many no committed write had stored before this one.
 */
export async function touchConstraints(
  client: pg.PoolClient,
  ids: ReadonlyMap<string, number>,
  txTime: Date,
): Promise<number> {
  const touched = await client.query<{ created: string }>(
    `WITH stale AS (
       SELECT constraint_id, first_seen_at = 'infinity' AS never_stored FROM jao.flow_constraint
        WHERE constraint_id = ANY ($1::bigint[])
          AND (first_seen_at > $2
               OR date_trunc('hour', last_seen_at, 'UTC') < date_trunc('hour', $2, 'UTC')
               OR (date_trunc('hour', last_seen_at, 'UTC') = date_trunc('hour', $2, 'UTC') AND last_seen_at > $2))
        ORDER BY constraint_id
          FOR NO KEY UPDATE
     ),
     moved AS (
       UPDATE jao.flow_constraint c
          SET first_seen_at = LEAST(c.first_seen_at, $2),
              last_seen_at = CASE
                WHEN date_trunc('hour', c.last_seen_at, 'UTC') < date_trunc('hour', $2, 'UTC')
                  OR (date_trunc('hour', c.last_seen_at, 'UTC') = date_trunc('hour', $2, 'UTC') AND c.last_seen_at > $2)
                THEN $2 ELSE c.last_seen_at END
         FROM stale WHERE c.constraint_id = stale.constraint_id
     )
     SELECT count(*) FILTER (WHERE never_stored)::text AS created FROM stale`,
    [[...ids.values()], txTime],
  );
  return Number(touched.rows[0]!.created);
}

// The flow-based domain's part of a day's write (db/writeDay.ts), in its transaction and under its lock: the
// constraints registered, then the day's versions merged with what is stored, set-based, every statement bounded by
// the day's window. A changed or vanished version moves to history with the interval it was current; a version
// that comes back continues its revisions.
import type pg from 'pg';
import type { Dataset, DeliveryDay } from '../../../domain/types';
import type { ContentOutcome, DayState } from '../../dayWriteTypes';
import { CONTENT_COLUMNS, type ConstraintDayContent } from './constraintContent';
import { COPY_COLUMNS, copyConstraintVersions, VERSION_COLUMNS } from './constraintCopy';
import { pairVersions, slotOf } from './constraintPairing';
import { constraintIdsOf, touchConstraints } from './constraintRegistry';

/** The day's incoming versions, COPYed in for the merge; a table of the session, emptied at each commit. */
const INCOMING = 'pg_temp.incoming_constraint_version';
const list = (prefix: string, columns: readonly string[]) => columns.map((c) => `${prefix}${c}`).join(', ');

interface MergeCounts {
  changed: string;
  added: string;
  returned: string;
}

/** slotOf(…) → content_sha256 of every version stored for the day. */
async function readStoredHashes(
  client: pg.PoolClient,
  dataset: Dataset,
  day: DeliveryDay,
  state: DayState,
): Promise<Map<string, string>> {
  const { rows } = await client.query<[string, string, string]>({
    text: `SELECT constraint_id::text, (extract(epoch FROM mtu) * 1000)::bigint::text, content_sha256
             FROM jao.constraint_value
            WHERE dataset = $1 AND delivery_day = $2::date AND mtu >= $3 AND mtu < $4`,
    values: [dataset, day, state.windowFrom, state.windowTo],
    rowMode: 'array',
  });
  return new Map(rows.map(([id, ms, sha]) => [`${id}@${ms}`, sha]));
}

/**
 * Takes the day's constraints' ids (db/lanes/constraints/constraintRegistry.ts), merges the day's versions with the stored ones, then
 * moves the constraints' catalogue times. Changed and vanished versions go to history (a vanished one deleted), new
 * and changed ones are upserted; slots a refusal protects are neither vanished nor replaced. `fresh`: the day has
 * nothing stored (its first write), its versions are COPYed into jao.constraint_value. Otherwise the stored
 * versions' hashes are read first, and only the incoming versions that may change something (every one on a
 * reprocessing, which compares column by column) are COPYed into a table of the session, then merged in one
 * statement (one DML on jao.constraint_value: an upsert; the vanished ones deleted in a second statement): a
 * revision touches what it changes, not the whole day.
 */
export async function mergeConstraintDay(
  client: pg.PoolClient,
  dataset: Dataset,
  day: DeliveryDay,
  content: ConstraintDayContent,
  state: DayState,
  mode: { fresh: boolean; compareAll: boolean },
): Promise<ContentOutcome> {
  const ids = await constraintIdsOf(client, dataset, content);
  const idOf = (key: string) => ids.get(key)!;
  const stamp = { dataset, day, revision: 1, at: state.txTime, derivationId: state.derivationId };
  // The catalogue times move last, whatever the merge did: newSeries counts the constraints never stored before.
  const touched = async (outcome: Omit<ContentOutcome, 'newSeries'>): Promise<ContentOutcome> => ({
    ...outcome,
    newSeries: await touchConstraints(client, ids, state.txTime),
  });
  if (mode.fresh) {
    const added = await copyConstraintVersions(client, 'jao.constraint_value', content.versions, idOf, stamp);
    return touched({ changed: 0, added, returned: 0, vanished: 0, pointsAfter: added });
  }
  const storedHashes = await readStoredHashes(client, dataset, day, state);
  const protectedIds = content.protectedSlots.flatMap((slot) => {
    const id = ids.get(slot.key);
    return id === undefined ? [] : [{ constraint_id: id, mtu: slot.mtu }];
  });
  const { candidates, vanished } = pairVersions({
    versions: content.versions,
    ids,
    storedHashes,
    protectedSlots: new Set(protectedIds.map((slot) => slotOf(slot.constraint_id, Date.parse(slot.mtu)))),
    protectAll: content.protectAll,
    compareAll: mode.compareAll,
  });
  const vanishedIds = vanished.map((slot) => slot.constraintId);
  const vanishedMs = vanished.map((slot) => slot.mtuMs);
  if (candidates.length === 0 && vanished.length === 0)
    return touched({ changed: 0, vanished: 0, added: 0, returned: 0, pointsAfter: storedHashes.size });
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS incoming_constraint_version (LIKE jao.constraint_value) ON COMMIT DELETE ROWS`,
  );
  await copyConstraintVersions(client, INCOMING, candidates, idOf, stamp);
  const result = await client.query<MergeCounts>(
    `WITH incoming AS (SELECT constraint_id, mtu, ${VERSION_COLUMNS.join(', ')} FROM ${INCOMING}),
     protected AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(constraint_id bigint, mtu timestamptz)
     ),
     pairs AS MATERIALIZED (
        SELECT s.constraint_id AS stored_id, s.content_sha256 AS stored_sha, s AS stored, i.*
          FROM incoming i
          LEFT JOIN (SELECT * FROM jao.constraint_value
                      WHERE dataset = $2 AND delivery_day = $3::date AND mtu >= $4 AND mtu < $5) AS s
            ON s.constraint_id = i.constraint_id AND s.mtu = i.mtu
     ),
     changed AS (
        SELECT p.* FROM pairs p
         WHERE p.stored_id IS NOT NULL
           AND (p.stored_sha <> p.content_sha256
                OR ($10::boolean AND ROW(${list('(p.stored).', CONTENT_COLUMNS)})
                                     IS DISTINCT FROM ROW(${list('p.', CONTENT_COLUMNS)})))
           AND NOT EXISTS (SELECT 1 FROM protected x WHERE x.constraint_id = p.constraint_id AND x.mtu = p.mtu)
     ),
     vanished AS (
        SELECT v.constraint_id, v.mtu, v AS stored
          FROM unnest($6::bigint[], $7::bigint[]) AS g(constraint_id, mtu_ms)
          JOIN jao.constraint_value v
            ON v.constraint_id = g.constraint_id AND v.mtu = to_timestamp(g.mtu_ms / 1000.0)
         WHERE v.mtu >= $4 AND v.mtu < $5
     ),
     to_history AS (
        INSERT INTO jao.constraint_value_history (${COPY_COLUMNS.join(', ')}, valid_from, valid_to)
        SELECT ${list('(stored).', COPY_COLUMNS)}, (stored).updated_at, $8::timestamptz FROM changed
        UNION ALL
        SELECT ${list('(stored).', COPY_COLUMNS)}, (stored).updated_at, $8::timestamptz FROM vanished
        RETURNING 1
     ),
     fresh AS (
        SELECT p.*, h.revision AS last_revision, h.first_seen_at AS first_seen_before
          FROM pairs p
          LEFT JOIN LATERAL (
            SELECT max(revision) AS revision, min(first_seen_at) AS first_seen_at
              FROM jao.constraint_value_history x
             WHERE x.constraint_id = p.constraint_id AND x.mtu = p.mtu AND x.mtu >= $4 AND x.mtu < $5
          ) h ON true
         WHERE p.stored_id IS NULL
     ),
     upserted AS (
        INSERT INTO jao.constraint_value AS v (${COPY_COLUMNS.join(', ')})
        SELECT constraint_id, mtu, $2, $3::date, ${VERSION_COLUMNS.join(', ')},
               COALESCE(last_revision, 0) + 1, COALESCE(first_seen_before, $8), $8, $9::bigint
          FROM fresh
        UNION ALL
        SELECT constraint_id, mtu, $2, $3::date, ${VERSION_COLUMNS.join(', ')},
               (stored).revision + 1, (stored).first_seen_at, $8, $9::bigint
          FROM changed
        ON CONFLICT (mtu, constraint_id) DO UPDATE
           SET ${VERSION_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
               revision = v.revision + 1, updated_at = $8, derivation_id = $9
     )
     SELECT (SELECT count(*) FROM changed)::text AS changed,
            (SELECT count(*) FROM fresh)::text AS added,
            (SELECT count(*) FROM fresh WHERE last_revision IS NOT NULL)::text AS returned,
            (SELECT count(*) FROM to_history)::text AS history`,
    [
      JSON.stringify(protectedIds),
      dataset,
      day,
      state.windowFrom,
      state.windowTo,
      vanishedIds,
      vanishedMs,
      state.txTime,
      state.derivationId,
      mode.compareAll,
    ],
  );
  const counts = result.rows[0]!;
  // The vanished versions (already in history) are deleted in a statement of their own, only when there are any:
  // on TimescaleDB a DELETE decompresses every batch of the day's window, and a second DML on the same batches in
  // the merge's statement would decompress them again (a duplicate key).
  let gone = 0;
  if (vanished.length > 0) {
    const deleted = await client.query(
      `DELETE FROM jao.constraint_value v
        USING unnest($1::bigint[], $2::bigint[]) AS g(constraint_id, mtu_ms)
        WHERE v.constraint_id = g.constraint_id AND v.mtu = to_timestamp(g.mtu_ms / 1000.0)
          AND v.mtu >= $3 AND v.mtu < $4`,
      [vanishedIds, vanishedMs, state.windowFrom, state.windowTo],
    );
    gone = deleted.rowCount ?? 0;
  }
  const added = Number(counts.added);
  return touched({
    changed: Number(counts.changed),
    vanished: gone,
    added,
    returned: Number(counts.returned),
    pointsAfter: storedHashes.size - gone + added,
  });
}

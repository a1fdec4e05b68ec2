// The flow-based domain's part of a day's write (db/writeDay.ts), in its transaction and under its lock: the
// constraints registered, then the day's versions merged with what is stored, set-based, every statement bounded by
// the day's window. A changed or vanished version moves to history with the interval it was current; a version
// that comes back continues its revisions.
import type pg from 'pg';
import type { Dataset, DeliveryDay } from '../domain/types';
import {
  type ConstraintDayContent,
  type ConstraintRecord,
  NUMERIC_COLUMNS,
  VERSION_TEXT_COLUMNS,
} from './constraintContent';
import { insertFreshConstraintDay } from './constraintCopy';
import type { ContentOutcome, DayState } from './dayWriteTypes';

/** The columns of a version, in jao.constraint_value's order, and their types for jsonb_to_recordset. */
const VERSION_COLUMNS: ReadonlyArray<[column: string, type: string]> = [
  ['constraint_id', 'bigint'],
  ['mtu', 'timestamptz'],
  ['jao_id', 'bigint'],
  ['presolved', 'boolean'],
  ...NUMERIC_COLUMNS.map((column): [string, string] => [column, 'double precision']),
  ...VERSION_TEXT_COLUMNS.map((column): [string, string] => [column, 'text']),
  ['contingencies', 'jsonb'],
  ['ptdf_hubs', 'text[]'],
  ['ptdf_values', 'double precision[]'],
  ['extra', 'jsonb'],
  ['identity_breaks', 'jsonb'],
  ['content_sha256', 'text'],
];

const names = VERSION_COLUMNS.map(([column]) => column);
const RECORD_TYPE = VERSION_COLUMNS.map(([column, type]) => `${column} ${type}`).join(', ');
const STORED_COLUMNS = [
  ...names.slice(0, 2),
  'dataset',
  'delivery_day',
  ...names.slice(2),
  'revision',
  'first_seen_at',
  'updated_at',
  'derivation_id',
];
const list = (prefix: string, columns: readonly string[]) => columns.map((c) => `${prefix}${c}`).join(', ');
const CONTENT_COLUMNS = names.filter((column) => column !== 'constraint_id' && column !== 'mtu');

/**
 * Registers the day's constraints (jao.flow_constraint), in key order so that two days written at once lock the rows
 * they share in the same order, and returns the id of each key. Three statements, each with its own snapshot: a
 * constraint another write of another day inserted at the same time (a restore writes days side by side) is seen
 * by the second once that write committed, as the first waited for it. first_seen_at moves back to the earliest
 * write that saw the constraint, last_seen_at forward (within the hour), whatever order the writes commit in.
 */
async function registerConstraints(
  client: pg.PoolClient,
  dataset: Dataset,
  content: ConstraintDayContent,
  txTime: Date,
): Promise<{ ids: Map<string, number>; created: number }> {
  const identities = [...content.identities].sort((a, b) =>
    a.constraint_key < b.constraint_key ? -1 : a.constraint_key > b.constraint_key ? 1 : 0,
  );
  const inserted = await client.query(
    `INSERT INTO jao.flow_constraint
            (dataset, constraint_key, tso, cne_eic, cne_name, direction, contingency_eics, first_seen_at, last_seen_at)
     SELECT $1, constraint_key, tso, cne_eic, cne_name, direction, contingency_eics, $3, $3
       FROM jsonb_to_recordset($2::jsonb)
            AS r(constraint_key text, tso text, cne_eic text, cne_name text, direction text, contingency_eics text[])
      ORDER BY constraint_key
     ON CONFLICT (dataset, constraint_key) DO NOTHING`,
    [dataset, JSON.stringify(identities), txTime],
  );
  const keys = identities.map((identity) => identity.constraint_key);
  const known = await client.query<{ constraint_id: string; constraint_key: string }>(
    `SELECT constraint_id::text, constraint_key FROM jao.flow_constraint
      WHERE dataset = $1 AND constraint_key = ANY ($2::text[])`,
    [dataset, keys],
  );
  const ids = new Map(known.rows.map((row) => [row.constraint_key, Number(row.constraint_id)]));
  await client.query(
    `WITH stale AS (
       SELECT constraint_id FROM jao.flow_constraint
        WHERE constraint_id = ANY ($1::bigint[])
          AND (first_seen_at > $2 OR last_seen_at < $2 - interval '1 hour')
        ORDER BY constraint_id
          FOR NO KEY UPDATE
     )
     UPDATE jao.flow_constraint c
        SET first_seen_at = LEAST(c.first_seen_at, $2), last_seen_at = GREATEST(c.last_seen_at, $2)
       FROM stale WHERE c.constraint_id = stale.constraint_id`,
    [[...ids.values()], txTime],
  );
  return { ids, created: inserted.rowCount ?? 0 };
}

interface MergeCounts {
  changed: string;
  vanished: string;
  added: string;
  returned: string;
  stored_before: string;
}

/**
 * Registers the day's constraints, then merges the day's versions with the stored ones in one statement: changed
 * and vanished versions to history (a vanished one deleted), new and changed ones upserted; slots a refusal protects
 * are neither vanished nor replaced. `fresh`: the day has nothing stored (its first write), its versions are COPYed.
 * Stored and incoming versions are paired once by a FULL JOIN, which no plan can run as a nested loop: the row
 * estimates of jsonb_to_recordset (100) and of a day's window are far off, and a nested anti join of two days'
 * versions took half a second.
 */
export async function mergeConstraintDay(
  client: pg.PoolClient,
  dataset: Dataset,
  day: DeliveryDay,
  content: ConstraintDayContent,
  state: DayState,
  fresh: boolean,
): Promise<ContentOutcome & { newConstraints: number }> {
  const { ids, created } = await registerConstraints(client, dataset, content, state.txTime);
  if (fresh) {
    const outcome = await insertFreshConstraintDay(client, dataset, day, content.records, ids, state);
    return { ...outcome, newSeries: created, newConstraints: created };
  }
  const rows: ConstraintRecord[] = content.records.map((record) => {
    const { constraint_key: key, ...rest } = record;
    return { ...rest, constraint_id: ids.get(key as string)! };
  });
  const protectedIds = content.protectedSlots.flatMap((slot) => {
    const id = ids.get(slot.key);
    return id === undefined ? [] : [{ constraint_id: id, mtu: slot.mtu }];
  });
  const result = await client.query<MergeCounts>(
    `WITH incoming AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD_TYPE})
     ),
     protected AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset($2::jsonb) AS p(constraint_id bigint, mtu timestamptz)
     ),
     pairs AS MATERIALIZED (
        SELECT s.constraint_id AS stored_id, s.content_sha256 AS stored_sha, s AS stored, i.*
          FROM (SELECT * FROM jao.constraint_value
                 WHERE dataset = $3 AND delivery_day = $4::date AND mtu >= $5 AND mtu < $6) AS s
          FULL JOIN incoming i ON i.constraint_id = s.constraint_id AND i.mtu = s.mtu
     ),
     changed AS (
        SELECT p.* FROM pairs p
         WHERE p.stored_id IS NOT NULL AND p.constraint_id IS NOT NULL AND p.stored_sha <> p.content_sha256
           AND NOT EXISTS (SELECT 1 FROM protected x WHERE x.constraint_id = p.constraint_id AND x.mtu = p.mtu)
     ),
     vanished AS (
        SELECT (p.stored).constraint_id, (p.stored).mtu, p.stored FROM pairs p
         WHERE NOT $7::boolean AND p.constraint_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM protected x
                            WHERE x.constraint_id = (p.stored).constraint_id AND x.mtu = (p.stored).mtu)
     ),
     to_history AS (
        INSERT INTO jao.constraint_value_history (${STORED_COLUMNS.join(', ')}, valid_from, valid_to)
        SELECT ${list('(stored).', STORED_COLUMNS)}, (stored).updated_at, $8::timestamptz FROM changed
        UNION ALL
        SELECT ${list('(stored).', STORED_COLUMNS)}, (stored).updated_at, $8::timestamptz FROM vanished
        RETURNING 1
     ),
     deleted AS (
        DELETE FROM jao.constraint_value v USING vanished x
         WHERE v.mtu = x.mtu AND v.constraint_id = x.constraint_id AND v.mtu >= $5 AND v.mtu < $6
        RETURNING 1
     ),
     fresh AS (
        SELECT p.*, h.revision AS last_revision, h.first_seen_at AS first_seen_before
          FROM pairs p
          LEFT JOIN LATERAL (
            SELECT max(revision) AS revision, min(first_seen_at) AS first_seen_at
              FROM jao.constraint_value_history x
             WHERE $10::boolean AND x.constraint_id = p.constraint_id AND x.mtu = p.mtu
               AND x.mtu >= $5 AND x.mtu < $6
          ) h ON true
         WHERE p.stored_id IS NULL
     ),
     inserted AS (
        INSERT INTO jao.constraint_value (${STORED_COLUMNS.join(', ')})
        SELECT ${list('', names.slice(0, 2))}, $3, $4::date, ${list('', names.slice(2))},
               COALESCE(last_revision, 0) + 1, COALESCE(first_seen_before, $8), $8, $9
          FROM fresh
        RETURNING 1
     ),
     updated AS (
        UPDATE jao.constraint_value v
           SET ${CONTENT_COLUMNS.map((c) => `${c} = c.${c}`).join(', ')},
               revision = v.revision + 1, updated_at = $8, derivation_id = $9
          FROM changed c
         WHERE v.mtu = c.mtu AND v.constraint_id = c.constraint_id AND v.mtu >= $5 AND v.mtu < $6
        RETURNING 1
     )
     SELECT (SELECT count(*) FROM updated)::text AS changed,
            (SELECT count(*) FROM deleted)::text AS vanished,
            (SELECT count(*) FROM inserted)::text AS added,
            (SELECT count(*) FROM fresh WHERE last_revision IS NOT NULL)::text AS returned,
            (SELECT count(*) FROM pairs WHERE stored_id IS NOT NULL)::text AS stored_before,
            (SELECT count(*) FROM to_history)::text AS history`,
    [
      JSON.stringify(rows),
      JSON.stringify(protectedIds),
      dataset,
      day,
      state.windowFrom,
      state.windowTo,
      content.protectAll,
      state.txTime,
      state.derivationId,
      state.revisionCount > 0,
    ],
  );
  const counts = result.rows[0]!;
  const changed = Number(counts.changed);
  const vanished = Number(counts.vanished);
  const added = Number(counts.added);
  return {
    changed,
    vanished,
    added,
    returned: Number(counts.returned),
    pointsAfter: Number(counts.stored_before) - vanished + added,
    newSeries: created,
    newConstraints: created,
  };
}

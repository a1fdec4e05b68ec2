// What two databases must agree on for one to be the other rebuilt, surrogate ids aside: per table, its row count and
// an order-independent sum of its rows' hashes, each row named by natural keys (a series by its key, a derivation by
// its time, kind, reason, build and answer's hash), so that a restore that matches holds the same rows.
import type pg from 'pg';
import { CONTENT_COLUMNS } from '../db/lanes/constraints/constraintContent';

const VERSION_CONTENT = CONTENT_COLUMNS.map((column) => `v.${column}`).join(', ');

const ROW_SETS = {
  values: `
    SELECT s.key, o.mtu, o.value, o.revision, o.first_seen_at, o.updated_at,
           d.kind, d.reason, d.build_id, d.workflow_id, d.derived_at, r.sha256
      FROM jao.observation o JOIN jao.series s USING (series_id)
      LEFT JOIN jao.derivation d USING (derivation_id)
      LEFT JOIN jao.raw_response r ON r.raw_response_id = d.raw_response_id`,
  history: `
    SELECT s.key, h.mtu, h.value, h.revision, h.first_seen_at, h.valid_from, h.valid_to,
           d.kind, d.reason, d.build_id, d.derived_at, r.sha256
      FROM jao.observation_history h JOIN jao.series s USING (series_id)
      LEFT JOIN jao.derivation d USING (derivation_id)
      LEFT JOIN jao.raw_response r ON r.raw_response_id = d.raw_response_id`,
  series: 'SELECT dataset, key, from_zone, to_zone, unit, first_seen_at, last_seen_at FROM jao.series',
  constraints: `
    SELECT c.dataset, c.constraint_key, v.mtu, ${VERSION_CONTENT}, v.content_sha256, v.jao_id, v.revision,
           v.first_seen_at, v.updated_at, d.kind, d.reason, d.build_id, d.derived_at, r.sha256
      FROM jao.constraint_value v JOIN jao.flow_constraint c USING (constraint_id)
      LEFT JOIN jao.derivation d USING (derivation_id)
      LEFT JOIN jao.raw_response r ON r.raw_response_id = d.raw_response_id`,
  constraintHistory: `
    SELECT c.dataset, c.constraint_key, v.mtu, ${VERSION_CONTENT}, v.content_sha256, v.jao_id, v.revision,
           v.first_seen_at, v.valid_from, v.valid_to, d.kind, d.reason, d.build_id, d.derived_at, r.sha256
      FROM jao.constraint_value_history v JOIN jao.flow_constraint c USING (constraint_id)
      LEFT JOIN jao.derivation d USING (derivation_id)
      LEFT JOIN jao.raw_response r ON r.raw_response_id = d.raw_response_id`,
  constraintCatalogue: `
    SELECT dataset, constraint_key, tso, cne_eic, cne_name, direction, contingency_eics, first_seen_at, last_seen_at
      FROM jao.flow_constraint`,
  days: `
    SELECT dataset, day, status, expected_mtus, received_mtus, points, content_hash, revision_count,
           first_complete_at, last_changed_at, last_checked_at, last_error, last_workflow_id, last_build_id,
           content_build_id, resolution_minutes, missing_mtus, null_values, duplicate_rows, conflicting_rows,
           rejected_values, unknown_fields, reason
      FROM jao.delivery_day`,
  quality: 'SELECT * FROM jao.day_quality',
  answers: `
    SELECT dataset, day, sha256, bytes, http_status, request_from, request_to, answer, fetched_at
      FROM jao.raw_response`,
} as const;

export type TableName = keyof typeof ROW_SETS;
export type Fingerprint = Record<TableName, { rows: number; hash: string }>;

export async function fingerprint(pool: pg.Pool): Promise<Fingerprint> {
  const entries = await Promise.all(
    Object.entries(ROW_SETS).map(async ([name, rows]) => {
      const result = await pool.query<{ rows: string; hash: string | null }>(
        `SELECT count(*) AS rows, sum(hashtextextended(t::text, 0)::numeric)::text AS hash FROM (${rows}) AS t`,
      );
      const row = result.rows[0]!;
      return [name, { rows: Number(row.rows), hash: row.hash ?? '0' }] as const;
    }),
  );
  return Object.fromEntries(entries) as Fingerprint;
}

/** The tables whose rows differ between the two, each with both counts; empty when they agree. */
export function differences(original: Fingerprint, restored: Fingerprint): string[] {
  return (Object.keys(ROW_SETS) as TableName[]).flatMap((name) =>
    original[name].rows === restored[name].rows && original[name].hash === restored[name].hash
      ? []
      : [`${name} (${original[name].rows} rows, restored ${restored[name].rows})`],
  );
}

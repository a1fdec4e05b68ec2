import type pg from 'pg';
import { MAX_STORED_REJECTIONS } from '../domain/limits';
import type { Dataset, DeliveryDay, Rejection } from '../domain/types';
import { pgText } from './text';

export interface RejectionBatch {
  dataset: Dataset;
  day: DeliveryDay;
  rawResponseId: number | null;
  workflowId: string | null;
  rejectedAt: Date;
  rejections: readonly Rejection[];
}

/**
 * Stores a validation run's rejections in one statement: the first MAX_STORED_REJECTIONS of them (the day's
 * record counts them all). A raw response's rejections are stored once: re-validating the same stored payload
 * (same raw_response_id) adds nothing.
 */
export async function insertRejections(client: pg.PoolClient, batch: RejectionBatch): Promise<number> {
  const rows = batch.rejections.slice(0, MAX_STORED_REJECTIONS);
  const result = await client.query(
    `INSERT INTO jao.rejection (dataset, day, raw_response_id, workflow_id, row_index, key, mtu, rule, raw, rejected_at)
     SELECT $1, $2::date, $3::bigint, $4, r.row_index, r.key, r.mtu, r.rule, r.raw, $10
       FROM unnest($5::int[], $6::text[], $7::timestamptz[], $8::text[], $9::text[])
            AS r(row_index, key, mtu, rule, raw)
      WHERE $3::bigint IS NULL
         OR NOT EXISTS (SELECT 1 FROM jao.rejection x
                         WHERE x.raw_response_id = $3::bigint AND x.dataset = $1 AND x.day = $2::date)`,
    [
      batch.dataset,
      batch.day,
      batch.rawResponseId,
      batch.workflowId,
      rows.map((r) => r.row),
      rows.map((r) => pgText(r.key)),
      rows.map((r) => (r.mtu !== null && !Number.isNaN(Date.parse(r.mtu)) ? r.mtu : null)),
      rows.map((r) => r.rule),
      rows.map((r) => pgText(r.raw)),
      batch.rejectedAt,
    ],
  );
  return result.rowCount ?? 0;
}

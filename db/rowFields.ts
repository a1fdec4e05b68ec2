// The declared extra row fields of a day's MTUs (Nordic's lastModifiedOn) in jao.mtu_field: a new version only when
// the published text differs from the field's latest one; nothing is ever updated or deleted.
import type pg from 'pg';
import type { Dataset, DeliveryDay, RowFieldValue } from '../domain/types';
import { namedStatement } from './namedStatement';

const STORE_ROW_FIELDS = namedStatement<ReturnType<typeof rowFieldValues>, { moved: number; added: number }>(
  'jao.rowFields.store',
  `WITH incoming AS (
       SELECT DISTINCT ON (i.field, i.mtu) i.mtu, i.field, i.value
         FROM unnest(:mtus::timestamptz[], :fields::text[], :values::text[]) AS i(mtu, field, value)
        ORDER BY i.field, i.mtu
     ),
     latest AS (
       SELECT DISTINCT ON (f.field, f.mtu) f.field, f.mtu, f.value
         FROM jao.mtu_field f
        WHERE f.dataset = :dataset AND f.day = :day::date
        ORDER BY f.field, f.mtu, f.first_seen_at DESC
     ),
     different AS (
       SELECT i.mtu, i.field, i.value, l.mtu IS NOT NULL AS existed
         FROM incoming i
         LEFT JOIN latest l ON l.field = i.field AND l.mtu = i.mtu
        WHERE l.mtu IS NULL OR l.value IS DISTINCT FROM i.value
     ),
     added AS (
       INSERT INTO jao.mtu_field (dataset, day, mtu, field, value, first_seen_at, raw_response_id)
       SELECT :dataset::text, :day::date, d.mtu, d.field, d.value, :seenAt::timestamptz, :rawResponseId::bigint
         FROM different d
       ON CONFLICT ON CONSTRAINT mtu_field_pkey DO NOTHING
       RETURNING 1
     )
   SELECT (SELECT count(*) FROM different WHERE existed)::int AS moved, (SELECT count(*) FROM added)::int AS added`,
);

interface RowFieldsInput {
  dataset: Dataset;
  day: DeliveryDay;
  rowFields: readonly RowFieldValue[];
  seenAt: Date;
  rawResponseId: number | null;
}

const rowFieldValues = ({ dataset, day, rowFields, seenAt, rawResponseId }: RowFieldsInput) => ({
  dataset,
  day,
  mtus: rowFields.map((row) => row.mtu),
  fields: rowFields.map((row) => row.field),
  values: rowFields.map((row) => row.value),
  seenAt,
  rawResponseId,
});

/**
 * Stores the answer's extra row fields of the day; returns how many fields of already stored MTUs it moved (their
 * text differs from the latest version), the input of the re-publication decision (domain/republication.ts).
 */
export async function storeRowFields(client: pg.PoolClient, input: RowFieldsInput): Promise<number> {
  if (input.rowFields.length === 0) return 0;
  const result = await STORE_ROW_FIELDS.run(client, rowFieldValues(input));
  return result.rows[0]!.moved;
}

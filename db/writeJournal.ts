// The journal of committed writes (jao.day_write, migration 003): one row per write of a day, inserted in the write's
// own transaction, so that the archive (docs/archive.md) can carry what a restore needs to repeat that write.
import type pg from 'pg';
import type { DayState, DerivedWrite, WriteDayInput } from './dayWriteTypes';
import { namedStatement } from './namedStatement';
import { pgText } from './text';

export type WriteKind = 'fetch' | 'reprocess' | 'failure';

const INSERT_DAY_WRITE = namedStatement<
  {
    dataset: string;
    day: string;
    writtenAt: Date;
    kind: WriteKind;
    rawResponseId: number | null;
    status: string;
    expectedMtus: number;
    workflowId: string | null;
    buildId: string | null;
    error: string | null;
    reason: string | null;
    derivationKind: string;
    derivationReason: string;
    archiveKey: string | null;
  },
  Record<string, never>
>(
  'jao.writeDay.journal',
  `INSERT INTO jao.day_write
          (dataset, day, written_at, kind, raw_response_id, raw_fetched_at, status, expected_mtus, workflow_id,
           build_id, error, reason, derivation_kind, derivation_reason, archive_key, archived_at)
   SELECT :dataset, :day::date, :writtenAt::timestamptz, :kind, :rawResponseId::bigint,
          (SELECT r.last_fetched_at FROM jao.raw_response r WHERE r.raw_response_id = :rawResponseId::bigint),
          :status, :expectedMtus::int, :workflowId, :buildId, :error, :reason, :derivationKind, :derivationReason,
          :archiveKey::text, CASE WHEN :archiveKey::text IS NOT NULL THEN now() END`,
);

/** What kind of write this is, as the journal names it. */
export function writeKindOf(input: WriteDayInput): WriteKind {
  if (input.reprocess) return 'reprocess';
  return input.rawResponseId === null && input.status === 'failed' ? 'failure' : 'fetch';
}

/**
 * Journals the write (the caller's transaction). A write restored from the archive names its journal object
 * (`restoredFrom`) and is archived already.
 */
export async function journalWrite(
  client: pg.PoolClient,
  input: DerivedWrite,
  state: DayState,
): Promise<void> {
  const { derivation } = input;
  const kind = writeKindOf(input);
  await INSERT_DAY_WRITE.run(client, {
    dataset: input.dataset,
    day: input.day,
    writtenAt: state.txTime,
    kind,
    rawResponseId: input.rawResponseId,
    status: input.status,
    expectedMtus: input.expectedMtus,
    workflowId: input.workflowId,
    buildId: input.buildId ?? null,
    error: pgText(input.error ?? null),
    reason: input.reason === undefined ? null : pgText(input.reason),
    derivationKind: derivation.kind,
    derivationReason: pgText(derivation.reason) ?? '',
    archiveKey: input.restoredFrom ?? null,
  });
}

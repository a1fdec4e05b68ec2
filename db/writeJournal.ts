// The journal of committed writes (jao.day_write, migration 003): one row per write of a day, inserted in the write's
// own transaction, so that the archive (docs/archive.md) can carry what a restore needs to repeat that write.
import type pg from 'pg';
import type { DayState, DerivedWrite, WriteDayInput } from './dayWriteTypes';
import { namedStatement } from './namedStatement';
import { pgText } from './text';

export type WriteKind = 'fetch' | 'reprocess' | 'failure';

const INSERT_DAY_WRITE = namedStatement<ReturnType<typeof journalValues>, Record<string, never>>(
  'jao.writeDay.journal',
  `INSERT INTO jao.day_write
          (dataset, day, written_at, kind, raw_response_id, raw_fetched_at, status, expected_mtus, workflow_id,
           build_id, error, reason, derivation_kind, derivation_reason, archive_key, archived_at)
   SELECT :dataset, :day::date, :writtenAt::timestamptz, :kind, :rawResponseId::bigint,
          (SELECT r.last_fetched_at FROM jao.raw_response r WHERE r.raw_response_id = :rawResponseId::bigint),
          :status, :expectedMtus::int, :workflowId, :buildId, :error, :reason, :derivationKind, :derivationReason,
          :archiveKey::text, CASE WHEN :archiveKey::text IS NOT NULL THEN now() END`,
);

export function writeKindOf(input: WriteDayInput): WriteKind {
  if (input.reprocess) return 'reprocess';
  return input.rawResponseId === null && input.status === 'failed' ? 'failure' : 'fetch';
}

/** The journal row of the write: a write restored from the archive names its journal object and is archived already. */
function journalValues(input: DerivedWrite, state: DayState) {
  return {
    dataset: input.dataset,
    day: input.day,
    writtenAt: state.txTime,
    kind: writeKindOf(input),
    rawResponseId: input.rawResponseId,
    status: input.status,
    expectedMtus: input.expectedMtus,
    workflowId: input.workflowId,
    buildId: input.buildId ?? null,
    error: pgText(input.error ?? null),
    reason: input.reason === undefined ? null : pgText(input.reason),
    derivationKind: input.derivation.kind,
    derivationReason: pgText(input.derivation.reason) ?? '',
    archiveKey: input.restoredFrom ?? null,
  };
}

/** Journals the write (the caller's transaction). */
export async function journalWrite(
  client: pg.PoolClient,
  input: DerivedWrite,
  state: DayState,
): Promise<void> {
  await INSERT_DAY_WRITE.run(client, journalValues(input, state));
}

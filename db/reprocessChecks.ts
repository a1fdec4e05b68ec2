// What a reprocessing write checks beyond an ordinary one: that no newer answer was stored since its source was
// chosen, and whether the day's judged record changes at all.
import type pg from 'pg';
import type { DayStatus } from '../domain/types';
import type { ReprocessWrite, WriteDayInput } from './dayWriteTypes';
import { namedStatement, runNamed } from './namedStatement';

/** A fetch stored a newer answer of the day after a reprocessing chose its source: retried, it chooses again. */
export class NewerAnswerStored extends Error {
  override name = 'NewerAnswerStored';
}

/**
 * The columns of a day's record that judging an answer decides, as one text (jsonb keeps its keys in one order):
 * a reprocessing that leaves them and the values as they are writes nothing.
 */
export const JUDGED_RECORD = `jsonb_build_object(
  'status', d.status, 'expected_mtus', d.expected_mtus, 'received_mtus', d.received_mtus, 'points', d.points,
  'content_hash', d.content_hash, 'revision_count', d.revision_count, 'resolution_minutes', d.resolution_minutes,
  'missing_mtus', d.missing_mtus, 'key_set_id', d.key_set_id, 'null_values', d.null_values,
  'duplicate_rows', d.duplicate_rows, 'conflicting_rows', d.conflicting_rows, 'rejected_values', d.rejected_values,
  'unknown_fields', d.unknown_fields, 'reason', d.reason, 'last_error', d.last_error)::text`;

const NEWEST_ANSWER = namedStatement<{ dataset: string; day: string }, { newest: string | null }>(
  'jao.writeDay.newestAnswer',
  `SELECT max(raw_response_id) AS newest FROM jao.raw_response
    WHERE dataset = :dataset AND day = :day::date AND answer IS DISTINCT FROM 'rejected'`,
);

export async function checkNewestAnswer(
  client: pg.PoolClient,
  input: WriteDayInput,
  reprocess: ReprocessWrite,
): Promise<void> {
  const result = await runNamed(client, NEWEST_ANSWER, { dataset: input.dataset, day: input.day });
  const newest = Number(result.rows[0]?.newest ?? 0);
  if (newest > reprocess.newestAnswerId) {
    throw new NewerAnswerStored(
      `${input.day}: a newer answer (raw response ${newest}) was stored while it was reprocessed; reprocessing it again`,
    );
  }
}

const JUDGED_BEFORE = namedStatement<{ dataset: string; day: string }, { status: DayStatus; judged: string }>(
  'jao.writeDay.readJudgedRecord',
  `SELECT d.status, ${JUDGED_RECORD} AS judged FROM jao.delivery_day d
    WHERE d.dataset = :dataset AND d.day = :day::date`,
);

/** The day's judged record before a reprocessing writes it; null for a day never written. */
export async function readJudgedRecord(
  client: pg.PoolClient,
  input: WriteDayInput,
): Promise<{ status: DayStatus; judged: string } | null> {
  const result = await runNamed(client, JUDGED_BEFORE, { dataset: input.dataset, day: input.day });
  return result.rows[0] ?? null;
}

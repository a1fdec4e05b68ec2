// The first step of a day's write under its lock: the day's window and stored record, and what a reprocessing checks
// beyond an ordinary write (whether a newer answer was stored since its source was chosen, and the day's judged
// record before it), read together in one statement.
import type pg from 'pg';
import type { TransactionTimeouts } from '../domain/timeBudget';
import type { DayState, WriteDayInput } from './dayWriteTypes';
import type { LaneContent } from './lanes/lane';
import { DECOMPRESSION_LIMIT_LIFTED, lockDay } from './locks';
import { namedStatement } from './namedStatement';

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

const READ_DAY_STATE = namedStatement<
  { dataset: string; day: string; observedAt: Date | null; withContent: boolean; reprocess: boolean },
  Omit<DayState, 'derivationId' | 'newestAnswerId' | 'judgedBefore'> & {
    derivation_id: string | null;
    newest_answer: string | null;
    judged: string | null;
  }
>(
  'jao.writeDay.readDayState',
  `SELECT date_trunc('milliseconds',
              COALESCE(:observedAt::timestamptz, GREATEST(clock_timestamp(), d.last_changed_at))) AS "txTime",
            (:day::date)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS "windowFrom",
            (:day::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam' AS "windowTo",
            COALESCE(d.revision_count, 0) AS "revisionCount", d.content_hash AS "contentHash",
            d.last_changed_at AS "lastChangedAt", d.status,
            COALESCE(d.last_error IS NOT NULL, false) AS "hasLastError",
            CASE WHEN :withContent::boolean THEN nextval('jao.derivation_id_seq') END AS derivation_id,
            CASE WHEN :reprocess::boolean THEN
              (SELECT max(r.raw_response_id) FROM jao.raw_response r
                WHERE r.dataset = :dataset AND r.day = :day::date AND r.answer IS DISTINCT FROM 'rejected')
            END AS newest_answer,
            CASE WHEN :reprocess::boolean AND d.day IS NOT NULL THEN ${JUDGED_RECORD} END AS judged
       FROM (SELECT 1) AS one
       LEFT JOIN jao.delivery_day d ON d.dataset = :dataset AND d.day = :day::date`,
);

/**
 * The day locked for its write, then its window and row (readDayState), read after the lock so a write that committed
 * meanwhile is seen: two writes of the same day serialize on the day's row in jao.day_lock, within lock and statement
 * timeouts (`timeouts`).
 */
export async function lockedDayState(
  client: pg.PoolClient,
  input: WriteDayInput,
  content: Pick<LaneContent, 'minMtuMs' | 'maxMtuMs'> | null,
  timeouts: TransactionTimeouts,
): Promise<DayState> {
  await lockDay(client, input.dataset, input.day, 'write', timeouts, DECOMPRESSION_LIMIT_LIFTED);
  return readDayState(client, input, content);
}

/**
 * The day's window and row, under its write lock (lockedDayState, or db/writeDay.ts: restoreCheckedWrites). The
 * transaction time defaults to the clock after the lock (a write that waited must not look older than the one it waited
 * for), never before the day's last change. A write with content takes its derivation id here, and its points outside
 * the day's window are a caller's error. A reprocessing reads the newest answer and the judged record with it.
 */
export async function readDayState(
  client: pg.PoolClient,
  input: WriteDayInput,
  content: Pick<LaneContent, 'minMtuMs' | 'maxMtuMs'> | null,
): Promise<DayState> {
  const result = await READ_DAY_STATE.run(client, {
    dataset: input.dataset,
    day: input.day,
    observedAt: input.observedAt ?? null,
    withContent: content !== null,
    reprocess: input.reprocess !== undefined,
  });
  const { derivation_id, newest_answer, judged, ...state } = result.rows[0]!;
  if (
    content?.minMtuMs != null &&
    content.maxMtuMs !== null &&
    (content.minMtuMs < state.windowFrom.getTime() || content.maxMtuMs >= state.windowTo.getTime())
  )
    throw new Error(
      `writeDay ${input.dataset} ${input.day}: points outside the day's window ` +
        `[${state.windowFrom.toISOString()}, ${state.windowTo.toISOString()})`,
    );
  return {
    ...state,
    derivationId: derivation_id === null ? null : Number(derivation_id),
    newestAnswerId: newest_answer === null ? null : Number(newest_answer),
    judgedBefore: judged === null || state.status === null ? null : { status: state.status, judged },
  };
}

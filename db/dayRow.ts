// The day's record in jao.delivery_day (status, counts, quality record, last check, re-publication), the lineage row
// of the values the write changed, and last_seen_at of their series: one statement, after the values are merged and
// the row fields stored.
import type pg from 'pg';
import { EMPTY_RECHECK_ERROR, worseRecheckError } from '../domain/dayStatus';
import { isRepublication } from '../domain/republication';
import type { DayStatus } from '../domain/types';
import { binaryInt4Array } from './copy';
import { JUDGED_RECORD } from './dayState';
import type { ContentOutcome, DayState, DerivedWrite, SeriesIds, WriteDayInput } from './dayWriteTypes';
import type { LaneContent } from './lanes/lane';
import { namedStatement } from './namedStatement';
import { pgText } from './text';

/** The run decides the day's status and quality record: it brought content, or the day has none stored. */
const RUN_DESCRIBES_DAY =
  "(NOT :keepStored::boolean AND (EXCLUDED.status IN ('complete', 'partial') OR d.revision_count = 0))";
/** The day's quality record (migration 010), written together with its status. */
const QUALITY_COLUMNS = [
  'resolution_minutes',
  'missing_mtus',
  'key_set_id',
  'null_values',
  'duplicate_rows',
  'conflicting_rows',
  'rejected_values',
  'unknown_fields',
  'reason',
  'published_empty_keys',
  'empty_keys_with_values',
] as const;

/** An empty answer for a day with stored values: the values stay, last_error keeps the evidence. */
function emptyRecheck(input: WriteDayInput, state: DayState): boolean {
  return input.status === 'not_published' && state.revisionCount > 0;
}

/**
 * A re-check worse than what is stored (domain/dayStatus.ts): a complete day answered partial (conflicting
 * duplicates, say) while every stored value stays stored. The day keeps its status and quality record.
 */
function worseRecheck(input: WriteDayInput, state: DayState, outcome: ContentOutcome | null): boolean {
  return (
    input.reprocess === undefined &&
    state.status === 'complete' &&
    input.status === 'partial' &&
    (outcome?.vanished ?? 0) === 0
  );
}

/**
 * What a failed re-check met: the last_error a check of JAO records for a day with stored values (a failed fetch,
 * an empty or invalid answer, one worse than what is stored), whose values stay; null for any other write.
 */
function recheckErrorOf(input: WriteDayInput, state: DayState, error: string | null): string | null {
  return input.reprocess === undefined && state.revisionCount > 0 ? error : null;
}

/** A revision changes or removes stored values; a day's first content counts as its first version. */
function revises(state: DayState, outcome: ContentOutcome | null): boolean {
  if (outcome === null) return false;
  if (state.revisionCount === 0) return outcome.added > 0;
  return outcome.changed + outcome.vanished + outcome.returned > 0;
}

// The first CTE moves the catalogue times of the series whose values this write changed (:touchedSeriesIds), through
// jao.touch_series (migration 018): first_seen_at back to the earliest such write, last_seen_at to the earliest such
// write of the latest clock hour (UTC) — one hour of granularity, so a backfill or a poll does not rewrite (and lock)
// every series row on every day it writes. Both are the same whatever order the writes of different days commit in
// (a restore applies days in parallel, archive/restore.ts). Rows are locked in id order, so concurrent writers of
// other days cannot deadlock on them (the delivery_day row is only ever written under the day's lock (jao.day_lock)).
const UPSERT_DAY_ROW = namedStatement<
  ReturnType<typeof dayRowValues>,
  { revision_count: number; status: DayStatus; judged: string; has_last_error: boolean }
>(
  'jao.writeDay.upsertDayRow',
  `WITH touched AS (
       SELECT jao.touch_series(:touchedSeriesIds::int[], :txTime::timestamptz) AS series
     ),
     -- the lineage of the values this write changed (they carry its id, :derivationId)
     derived AS (
       INSERT INTO jao.derivation
              (derivation_id, dataset, day, kind, raw_response_id, build_id, workflow_id, reason, derived_at)
       SELECT :derivationId::bigint, :dataset, :day::date, :derivationKind, :rawResponseId, :buildId, :workflowId, :derivationReason, :txTime::timestamptz
        WHERE :contentChanged::boolean
     )
     INSERT INTO jao.delivery_day AS d (
        dataset, day, status, expected_mtus, received_mtus, points, content_hash, revision_count,
        first_complete_at, last_changed_at, last_checked_at, attempts, last_error, last_workflow_id,
        last_raw_response_id, last_build_id, content_build_id,
        resolution_minutes, missing_mtus, key_set_id, null_values, duplicate_rows, conflicting_rows,
        rejected_values, unknown_fields, reason, published_empty_keys, empty_keys_with_values)
     SELECT :dataset, :day::date, :status, :expectedMtus, COALESCE(:receivedMtus::int, 0), COALESCE(:points::int, 0), :contentHash::text,
             CASE WHEN :contentChanged::boolean THEN 1 ELSE 0 END,
             CASE WHEN :status = 'complete' THEN :txTime::timestamptz END,
             CASE WHEN :contentChanged::boolean THEN :txTime::timestamptz END,
             CASE WHEN :checksJao::boolean THEN :txTime::timestamptz END, 1,
             :error, :workflowId, :rawResponseId, :buildId, CASE WHEN :contentChanged::boolean THEN :buildId END,
             :resolutionMinutes::int, :missingMtus::timestamptz[], :keySetId::int, :nullValues::int, :duplicateRows::int, :conflictingRows::int, :rejectedValues::int, :unknownFields::text[], :reason,
             :publishedEmptyKeys::text[], :emptyKeysWithValues::text[]
       FROM touched
     ON CONFLICT (dataset, day) DO UPDATE SET
        -- a day with stored content keeps it when a re-check brings none (empty answer, invalid payload,
        -- failed fetch): its status and quality record describe what is stored (a stored partial day stays
        -- partial), and last_error tells what the re-check met
        status = CASE WHEN ${RUN_DESCRIBES_DAY} THEN EXCLUDED.status ELSE d.status END,
        expected_mtus = CASE WHEN ${RUN_DESCRIBES_DAY} THEN EXCLUDED.expected_mtus ELSE d.expected_mtus END,
        ${QUALITY_COLUMNS.map((c) => `${c} = CASE WHEN ${RUN_DESCRIBES_DAY} THEN EXCLUDED.${c} ELSE d.${c} END`).join(',\n')},
        received_mtus = CASE WHEN :keepStored::boolean THEN d.received_mtus ELSE COALESCE(:receivedMtus::int, d.received_mtus) END,
        points = COALESCE(:points::int, d.points),
        content_hash = COALESCE(:contentHash::text, d.content_hash),
        revision_count = d.revision_count + CASE WHEN :revises::boolean THEN 1 ELSE 0 END,
        first_complete_at = COALESCE(d.first_complete_at, EXCLUDED.first_complete_at),
        last_changed_at = COALESCE(EXCLUDED.last_changed_at, d.last_changed_at),
        -- a reprocessing (:checksJao false) is no check of JAO: the last check's time and answer stay; so does what it
        -- met, unless that check judged the answer reprocessed (:rawResponseId) and did not fail. Like every write that
        -- commits, it counts an attempt (the API's data version moves with attempts: api/snapshot.ts).
        last_checked_at = CASE WHEN :checksJao::boolean THEN EXCLUDED.last_checked_at ELSE d.last_checked_at END,
        attempts = d.attempts + 1,
        last_error = CASE WHEN NOT :checksJao::boolean
                               AND (d.last_raw_response_id IS DISTINCT FROM :rawResponseId OR d.status = 'failed')
                          THEN d.last_error ELSE EXCLUDED.last_error END,
        last_workflow_id = COALESCE(EXCLUDED.last_workflow_id, d.last_workflow_id),
        last_raw_response_id = CASE WHEN :checksJao::boolean
                                    THEN COALESCE(EXCLUDED.last_raw_response_id, d.last_raw_response_id)
                                    ELSE d.last_raw_response_id END,
        last_build_id = EXCLUDED.last_build_id,
        content_build_id = CASE WHEN :contentChanged::boolean THEN EXCLUDED.last_build_id ELSE d.content_build_id END,
        republished_count = d.republished_count + CASE WHEN :republished::boolean THEN 1 ELSE 0 END,
        last_republished_at = CASE WHEN :republished::boolean THEN :txTime::timestamptz ELSE d.last_republished_at END
     RETURNING d.revision_count, d.status, CASE WHEN NOT :checksJao::boolean THEN ${JUDGED_RECORD} END AS judged,
               d.last_error IS NOT NULL AS has_last_error`,
);

/** The statement's values: the write's record, a re-check worse than what is stored keeping the stored one. */
function dayRowValues(
  input: DerivedWrite,
  state: DayState,
  content: Pick<LaneContent, 'contentHash'> | null,
  outcome: ContentOutcome | null,
  contentChanged: boolean,
  touched: SeriesIds | null,
  keySetId: number | null,
  movedFields: number,
) {
  const validated = input.validated;
  const keepStored = worseRecheck(input, state, outcome);
  const error = pgText(
    input.error ??
      (emptyRecheck(input, state)
        ? EMPTY_RECHECK_ERROR
        : keepStored
          ? worseRecheckError(input.status, input.reason ?? null)
          : null),
  );
  return {
    dataset: input.dataset,
    day: input.day,
    status: input.status,
    expectedMtus: input.expectedMtus,
    // null: no content in this write (the stored count stays)
    receivedMtus: content ? (validated?.receivedMtus ?? 0) : null,
    points: outcome ? outcome.pointsAfter : null,
    contentHash: content ? content.contentHash : null,
    contentChanged,
    // the answer re-published the stored day (domain/republication.ts): counted on the day's record
    republished: isRepublication({
      reprocess: input.reprocess !== undefined,
      storedBefore: state.revisionCount > 0,
      contentChanged,
      movedFields,
      recheckError: recheckErrorOf(input, state, error),
    }),
    txTime: state.txTime,
    error,
    workflowId: input.workflowId,
    rawResponseId: input.rawResponseId,
    // series whose values this write changed (binary int4[]), null when none
    touchedSeriesIds: touched ? binaryInt4Array(touched.ids) : null,
    buildId: input.buildId ?? null,
    resolutionMinutes: validated?.resolutionMinutes ?? null,
    missingMtus: validated?.missingMtus ?? [],
    keySetId,
    nullValues: validated?.nullValues ?? 0,
    duplicateRows: validated?.duplicateRows ?? 0,
    conflictingRows: validated?.conflictingRows ?? 0,
    rejectedValues: (input.rejections ?? validated?.rejections ?? []).length,
    unknownFields: validated?.unknownFields ?? [],
    reason: input.reason === undefined ? error : pgText(input.reason),
    publishedEmptyKeys: validated?.publishedEmptyKeys ?? [],
    emptyKeysWithValues: validated?.emptyKeysWithValues ?? [],
    // a revision of the stored values: revision_count moves
    revises: revises(state, outcome),
    // a re-check worse than what is stored: the stored status, quality record and received MTUs stay
    keepStored,
    // a check of JAO (any write but a reprocessing): last_checked_at and last_raw_response_id move
    checksJao: input.reprocess === undefined,
    derivationId: state.derivationId,
    derivationKind: input.derivation.kind,
    derivationReason: pgText(input.derivation.reason),
  };
}

/**
 * Writes the day's record; `judged` (reprocessing writes only) is its judged record after the write, `recheckError`
 * what a re-check of the day's stored values met (recheckErrorOf), `republished` whether the answer re-published the
 * day (`movedFields`: the row fields of stored MTUs it moved), `hasLastError` whether its last_error is set now.
 */
export async function upsertDayRow(client: pg.PoolClient, ...write: Parameters<typeof dayRowValues>) {
  const values = dayRowValues(...write);
  const [input, state] = write;
  const row = (await UPSERT_DAY_ROW.run(client, values)).rows[0]!;
  return {
    revision: row.revision_count,
    status: row.status,
    judged: row.judged,
    recheckError: recheckErrorOf(input, state, values.error),
    republished: values.republished,
    hasLastError: row.has_last_error,
  };
}

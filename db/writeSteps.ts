// The steps of a day's write under its lock, shared by every mode of db/writeDay.ts, given the day's state as
// db/dayState.ts read it: the lane merges the content and stores its row fields (db/lanes), then the day's record
// with its re-publication (db/dayRow.ts), the journal (db/writeJournal.ts), the live feed's event (db/dayEvents.ts)
// and the rejections (db/rejections.ts), each in a module of its own.
import type pg from 'pg';
import { outcomeChanged } from '../domain/badDays';
import type { Rejection } from '../domain/types';
import type { PendingCopies } from './copy';
import { dayEventTypeOf, raiseDayEvent } from './dayEvents';
import { upsertDayRow } from './dayRow';
import type { ContentOutcome, DayState, DerivedWrite, WriteDayResult } from './dayWriteTypes';
import type { LaneContent, MergedDay } from './lanes/lane';
import { insertRejections } from './rejections';
import { journalWrite } from './writeJournal';

/** The day's content and key set, made ready before the transaction (db/writeDay.ts): normalizing and hashing need no lock. */
export interface PreparedWrite {
  input: DerivedWrite;
  content: LaneContent | null;
  rejections: Rejection[];
  keySetId: number | null;
}

/** What the steps did inside the transaction, before it is committed or rolled back. */
export interface WrittenSteps {
  result: WriteDayResult;
  merged: MergedDay | null;
  /** The day's judged record after the write (reprocessing writes only: db/dayState.ts reads it before). */
  judged: string;
}

/**
 * The write's steps under the day's lock, in one transaction (docs/design.md §6): the lane's content merged into
 * the revision history, its row fields, the day's record with its re-publication, the journal, the live feed's
 * event (db/dayEvents.ts) with its NOTIFY, rejections. Content is stored only for `complete` and `partial`; other
 * statuses record the run in jao.delivery_day (and rejections) only.
 */
export async function writeSteps(
  client: pg.PoolClient,
  pool: pg.Pool,
  { input, content, rejections, keySetId }: PreparedWrite,
  state: DayState,
  pendingCopies?: PendingCopies,
): Promise<WrittenSteps> {
  const reprocess = input.reprocess ?? null;
  // A reprocessing compares with the stored values themselves: a faulty build may have stored others under the
  // right hash.
  const unchanged =
    reprocess === null &&
    content !== null &&
    state.revisionCount > 0 &&
    state.contentHash === content.contentHash;
  const merged =
    content && !unchanged
      ? await content.merge(client, { pool, dataset: input.dataset, day: input.day }, state, {
          fresh: state.revisionCount === 0 && reprocess === null,
          compareAll: reprocess !== null,
          pendingCopies,
        })
      : null;
  const outcome: ContentOutcome | null = merged?.outcome ?? null;
  const contentChanged = outcome !== null && outcome.changed + outcome.added + outcome.vanished > 0;
  // A reprocessing re-derives a stored answer: its row fields are no news from JAO.
  const movedFields =
    content && reprocess === null
      ? await content.storeRowFields(client, {
          dataset: input.dataset,
          day: input.day,
          seenAt: state.txTime,
          rawResponseId: input.rawResponseId,
        })
      : 0;
  const { revision, status, judged, recheckError, republished, hasLastError } = await upsertDayRow(
    client,
    input,
    state,
    content,
    outcome,
    contentChanged,
    contentChanged ? (merged?.touchedSeries ?? null) : null,
    keySetId,
    movedFields,
  );
  await journalWrite(client, input, state);
  const eventType = dayEventTypeOf({ contentChanged, revision, status, recheckError, republished });
  if (eventType) {
    await raiseDayEvent(client, {
      type: eventType,
      dataset: input.dataset,
      day: input.day,
      status,
      revision,
      buildId: input.buildId ?? null,
      raisedAt: state.txTime,
      error: eventType === 'day.recheck_failed' ? recheckError : null,
    });
  }
  // Rejections belong to their raw response, whether or not its content changed the day: insertRejections
  // stores them once per raw_response_id. Without a raw response, only a write that changed content adds them.
  if (rejections.length > 0 && (input.rawResponseId !== null || !unchanged)) {
    await insertRejections(client, {
      dataset: input.dataset,
      day: input.day,
      rawResponseId: input.rawResponseId,
      workflowId: input.workflowId,
      rejectedAt: state.txTime,
      rejections,
    });
  }
  const result: WriteDayResult = {
    status,
    mtus: content ? (input.validated?.receivedMtus ?? 0) : 0,
    points: content ? content.size : 0,
    changedPoints: outcome?.changed ?? 0,
    newPoints: outcome?.added ?? 0,
    vanishedPoints: outcome?.vanished ?? 0,
    newSeries: outcome?.newSeries ?? 0,
    revision,
    contentChanged,
    republished,
    outcomeChanged: outcomeChanged(
      state.status === null ? null : { status: state.status, lastError: state.hasLastError },
      { status, lastError: hasLastError },
    ),
  };
  return { result, merged, judged };
}

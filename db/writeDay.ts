// One delivery day's write in one transaction: the steps in order, each in a module of its own (db/dayState.ts,
// db/seriesRegistry.ts, db/valuesMerge.ts, db/dayRow.ts, db/reprocessChecks.ts, db/writtenDayFacts.ts).
import type pg from 'pg';
import { outcomeChanged } from '../domain/badDays';
import { isRepublication } from '../domain/republication';
import { type TransactionTimeouts, WRITE_TIMEOUTS } from '../domain/timeBudget';
import { dayEventTypeOf, raiseDayEvent } from './dayEvents';
import { upsertDayRow } from './dayRow';
import { checkWindow, readDayState } from './dayState';
import type { ContentOutcome, WriteDayInput, WriteDayResult } from './dayWriteTypes';
import { ensureKeySet } from './keySets';
import { contentOf, type LaneContent, type MergedDay } from './lanes';
import { lockDay } from './locks';
import { withTransaction } from './pool';
import { insertRejections } from './rejections';
import { checkNewestAnswer, readJudgedRecord } from './reprocessChecks';
import { recordRepublication } from './rowFields';
import { DECOMPRESSION_LIMIT_LIFTED } from './valuesMerge';
import { journalWrite } from './writeJournal';
import { readWrittenDayFacts } from './writtenDayFacts';

export type {
  Derivation,
  ReprocessWrite,
  WriteDayInput,
  WriteDayResult,
  WrittenDayFacts,
} from './dayWriteTypes';
export { NewerAnswerStored } from './reprocessChecks';

/**
 * Writes one delivery day in one transaction (docs/design.md §6): series catalog, current values, revision
 * history, day status, rejections, and the live feed's event (db/dayEvents.ts) with its NOTIFY. Set-based: a day's
 * first content is one binary COPY, later content travels as binary arrays expanded with unnest.
 * Two writes of the same day serialize on the day's row in jao.day_lock, within lock and statement timeouts
 * (`timeouts`). Content is stored only for `complete` and `partial`; other statuses record the run in
 * jao.delivery_day (and rejections) only.
 */
export async function writeDay(
  pool: pg.Pool,
  input: WriteDayInput,
  timeouts: TransactionTimeouts = WRITE_TIMEOUTS,
): Promise<WriteDayResult> {
  const storesContent =
    input.validated !== null && (input.status === 'complete' || input.status === 'partial');
  const rejections = input.rejections ?? input.validated?.rejections ?? [];
  // Outside the transaction: normalizing and hashing the content needs no lock.
  const content: LaneContent | null =
    storesContent && input.validated ? contentOf(input.validated, rejections) : null;

  const keySetId =
    input.validated && input.validated.keys.length > 0
      ? await ensureKeySet(pool, input.dataset, input.validated.keys)
      : null;
  if (content) await content.prepare(pool, input.dataset, { dryRun: input.reprocess?.dryRun ?? false });
  let merged: MergedDay | null = null;
  const reprocess = input.reprocess ?? null;
  const transaction = withTransaction(pool, async (client) => {
    if (input.commitAsync) await client.query('SET LOCAL synchronous_commit = off');
    await lockDay(client, input.dataset, input.day, 'write', timeouts, DECOMPRESSION_LIMIT_LIFTED);
    const state = await readDayState(client, input, content !== null);
    if (content) checkWindow(input, content, state);
    // A reprocessing compares with the stored values themselves: a faulty build may have stored others under the
    // right hash.
    const unchanged =
      reprocess === null &&
      content !== null &&
      state.revisionCount > 0 &&
      state.contentHash === content.contentHash;
    if (reprocess) await checkNewestAnswer(client, input, reprocess);
    const judgedBefore = reprocess ? await readJudgedRecord(client, input) : null;
    if (content && !unchanged) {
      merged = await content.merge(client, { pool, dataset: input.dataset, day: input.day }, state, {
        fresh: state.revisionCount === 0 && reprocess === null,
        compareAll: reprocess !== null,
      });
    }
    const outcome: ContentOutcome | null = merged?.outcome ?? null;
    const contentChanged = outcome !== null && outcome.changed + outcome.added + outcome.vanished > 0;
    const { revision, status, judged, recheckError, hasLastError } = await upsertDayRow(
      client,
      input,
      state,
      content,
      outcome,
      contentChanged,
      contentChanged ? (merged?.touchedSeries ?? null) : null,
      keySetId,
    );
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
    const republished = isRepublication({
      reprocess: reprocess !== null,
      storedBefore: state.revisionCount > 0,
      contentChanged,
      movedFields,
      recheckError,
    });
    if (republished)
      await recordRepublication(client, { dataset: input.dataset, day: input.day, at: state.txTime });
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
    if (input.withFacts) result.facts = await readWrittenDayFacts(client, input, result);
    if (!reprocess) return result;
    const dayChanged = judgedBefore?.judged !== judged;
    const committed = !reprocess.dryRun && (contentChanged || dayChanged);
    result.reprocessed = { statusBefore: judgedBefore?.status ?? null, dayChanged, committed };
    if (!committed) throw new RolledBack(result);
    return result;
  });
  let result: WriteDayResult;
  try {
    result = await transaction;
  } catch (error) {
    if (error instanceof RolledBack) return { ...error.result, outcomeChanged: false };
    throw error;
  }
  (merged as MergedDay | null)?.afterCommit();
  return result;
}

/** Ends a reprocessing write that changes nothing (or a dry run): its transaction rolls back with this result. */
class RolledBack extends Error {
  constructor(readonly result: WriteDayResult) {
    super('rolled back: nothing to change');
  }
}

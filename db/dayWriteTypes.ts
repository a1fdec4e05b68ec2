// What a day's write takes and gives back (db/writeDay.ts), and the state its steps pass one another.

import type { Assessment } from '../domain/assess';
import type { DayDrift } from '../domain/drift';
import type { PublicationTimes } from '../domain/freshness';
import type { Dataset, DayStatus, DeliveryDay, Rejection, ValidatedDay } from '../domain/types';

/** One day's write as its caller derives it, whichever entry point of db/writeDay.ts takes it. */
export interface DayWrite {
  dataset: Dataset;
  day: DeliveryDay;
  /** Decided by the caller ('complete' | 'partial' | 'not_published' | 'invalid' | 'failed'). */
  status: DayStatus;
  /** What validation read (its counts become the day's quality record); null for failed runs and broken bodies. */
  validated: ValidatedDay | null;
  /** Used when validated is null (invalid payload); otherwise validated.rejections are stored. */
  rejections?: Rejection[];
  /** For the delivery_day row even when validated is null. */
  expectedMtus: number;
  rawResponseId: number | null;
  workflowId: string | null;
  /** The worker build running this write (jao.delivery_day.last_build_id; content_build_id when it changes). */
  buildId?: string | null;
  /**
   * Stored as last_error; null clears it, except on an empty answer for a day with stored values, which
   * records EMPTY_RECHECK_ERROR.
   */
  error?: string | null;
  /** Why the day is not complete (domain/dayStatus.ts), stored as reason; default: `error`. */
  reason?: string | null;
  /** Transaction time of the write (tests control instants with it); default: the database clock. */
  observedAt?: Date;
  /**
   * Why the values this write changes were derived, recorded in jao.derivation and on each of them (migration 016).
   * Default: a fetch, derived from `rawResponseId`.
   */
  derivation?: Derivation;
}

/** Who derives the day from its stored answer, and how texts are masked before they are stored. */
export interface DerivationContext {
  workflowId: string | null;
  buildId: string | null;
  redact: (text: string | null) => string | null;
}

/**
 * The day's write derived from a judged stored answer (db/storedAnswer.ts): the same for the day workflow's write and
 * for reprocessing (which adds its derivation and checks).
 */
export function dayWriteOf(
  ref: { dataset: Dataset; day: DeliveryDay; rawResponseId: number },
  assessment: Assessment,
  context: DerivationContext,
): DayWrite {
  return {
    dataset: ref.dataset,
    day: ref.day,
    status: assessment.status,
    validated: assessment.validated,
    rejections: assessment.rejections,
    expectedMtus: assessment.expectedMtus,
    rawResponseId: ref.rawResponseId,
    workflowId: context.workflowId,
    buildId: context.buildId,
    error: context.redact(assessment.error),
    reason: context.redact(assessment.reason),
  };
}

/** A day's run that failed before judging any answer (db/writeDay.ts: recordFailedDay). */
export type FailedRun = Pick<
  DayWrite,
  'dataset' | 'day' | 'expectedMtus' | 'workflowId' | 'buildId' | 'observedAt' | 'derivation'
> & { error: string | null };

/** A day's write with its mode, as the shared steps of db/writeDay.ts read it. */
export interface WriteDayInput extends DayWrite {
  /** Set when the write re-derives a stored answer (activities/reprocess.ts) instead of recording a check of JAO. */
  reprocess?: ReprocessWrite;
  /**
   * The archive's journal object this write repeats (a restore, archive/restore.ts): its journal row
   * (jao.day_write) names it and counts as archived. Default: a write of its own, to be archived.
   */
  restoredFrom?: string;
}

/** A write whose derivation is decided (db/writeDay.ts: a fetch's, from its raw answer, unless the caller gave one). */
export type DerivedWrite = WriteDayInput & { derivation: Derivation };

export interface Derivation {
  kind: 'fetch' | 'reprocess';
  /** One sentence; a reprocessing names its build. */
  reason: string;
}

/**
 * A reprocessing write of the answer `rawResponseId`: the stored values are compared with it whatever the day's
 * content hash says; the day's last check (last_checked_at, last_raw_response_id) is left as it is, and so is
 * last_error unless that check judged this very answer; a re-judged status is taken as it is (no "worse
 * re-check" rule: it is the same answer). Nothing is committed when neither the values nor the day's record change,
 * nor ever on `dryRun`.
 */
export interface ReprocessWrite {
  /** The newest of the day's answers when the source was chosen: a newer one stored since ends it with NewerAnswer. */
  newestAnswerId: number;
  dryRun: boolean;
}

/** What a write read back inside its transaction for the caller's metrics and log (writeDayWithFacts). */
export interface WrittenDayFacts {
  /** The day's drift against the previous stored day, when this write changed its content (and there is any). */
  drift: DayDrift | null;
  /** The dataset's latest complete day, when this write left the day complete. */
  latestCompleteDay: DeliveryDay | null;
  /** The day's publication facts, when this write is the one that first made the day complete. */
  firstCompletion: PublicationTimes | null;
}

/** A write that read its facts (db/writeDay.ts: writeDayWithFacts). */
export type WriteDayResultWithFacts = WriteDayResult & { facts: WrittenDayFacts };

/**
 * A reprocessing that met an answer of the day stored after its source was chosen (a fetch running beside it):
 * nothing is written, instead of older values over newer ones; the source is chosen again (activities/reprocess.ts).
 */
export interface NewerAnswer {
  newerAnswerId: number;
}

/** A reprocessing's write (or its dry run): what it found, whether it committed. */
export type ReprocessedDayResult = WriteDayResult & {
  /** The stored status before, whether the day's record changed, whether it committed. */
  reprocessed: { statusBefore: DayStatus | null; dayChanged: boolean; committed: boolean };
};

export interface WriteDayResult {
  status: DayStatus;
  /** Distinct MTUs received (validated.receivedMtus), 0 without content. */
  mtus: number;
  /** Non-null values received. */
  points: number;
  /** Values whose current value changed. */
  changedPoints: number;
  /** Values that had no current value (first seen, or back after vanishing). */
  newPoints: number;
  /** Current values absent from the payload (or null in it), moved to history. */
  vanishedPoints: number;
  newSeries: number;
  /** The day's revision_count after the write: versions of its stored values (filling a gap is no revision). */
  revision: number;
  contentChanged: boolean;
  /** The answer re-published the stored day: same values, moved extra row fields (domain/republication.ts). */
  republished: boolean;
  /**
   * The committed write moved the day from one outcome its bad-day marker tells apart to another (domain/badDays.ts,
   * outcomeChanged): the keeper of the markers should sync.
   */
  outcomeChanged: boolean;
}

/** The day's window and stored record, read under its lock (db/dayState.ts). */
export interface DayState {
  txTime: Date;
  windowFrom: Date;
  windowTo: Date;
  revisionCount: number;
  contentHash: string | null;
  lastChangedAt: Date | null;
  /** The stored status; null for a day never written. */
  status: DayStatus | null;
  /** Whether the stored last_error is set (false for a day never written). */
  hasLastError: boolean;
  /** Taken for writes with content: the derivation their changed values will point to (jao.derivation). */
  derivationId: number | null;
  /** A reprocessing's only (null otherwise): the newest of the day's answers now (null: none). */
  newestAnswerId: number | null;
  /** A reprocessing's only (null otherwise, and for a day never written): the day's judged record before it. */
  judgedBefore: { status: DayStatus; judged: string } | null;
}

/** What merging the incoming values did to the day's stored values (db/lanes/keyedValues/valuesMerge.ts). */
export interface ContentOutcome {
  changed: number;
  added: number;
  /** Of `added`: values back after vanishing (stored before, so a revision). */
  returned: number;
  vanished: number;
  pointsAfter: number;
  newSeries: number;
}

/** series_id per entry of the day content's series (db/lanes/keyedValues/seriesRegistry.ts). */
export interface SeriesIds {
  ids: number[];
  created: number;
}

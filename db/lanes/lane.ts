// A lane: everything the pipeline does with one row shape, from the answer to the views. A new shape is a new lane
// (an implementation of this interface, registered in db/lanes/index.ts), not new branches along the write.
import type pg from 'pg';
import type { Assessment } from '../../domain/assess';
import type { AnswerReading } from '../../domain/lanes';
import type { Dataset, DeliveryDay, Rejection, ValidatedDay } from '../../domain/types';
import type { PendingCopies } from '../copy';
import type { ContentOutcome, DayState, SeriesIds } from '../dayWriteTypes';

/** The day a lane judges an answer for. */
export interface JudgedAnswerRef {
  dataset: Dataset;
  day: DeliveryDay;
}

/** A JSON value, as a verdict's row holds it (jao.answer_verdict.verdict). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [field: string]: JsonValue };

/**
 * What a judgement read beyond the body (the dataset's catalogue: known keys or hubs), in the lane's own fields:
 * recorded with its verdict (db/answerVerdict.ts), so that the body is read again as the judgement read it, without
 * the database. Opaque outside its lane.
 */
export type JudgementInputs = { [field: string]: JsonValue };

/** What judging a body gave, and what it read beyond the body to give it. */
export interface LaneVerdict<Day extends ValidatedDay = ValidatedDay> {
  assessment: Assessment<Day>;
  inputs: JudgementInputs;
}

/** A body read into its lane's day as a judgement with the same inputs read it, deciding nothing of its status. */
export interface LaneReading<Day extends ValidatedDay = ValidatedDay> {
  /** The day's rows and quality record; null when the body cannot be read (the judgement found it invalid). */
  validated: Day | null;
  rejections: Rejection[];
}

/** How the write treats the day's content against what is stored. */
export interface MergeMode {
  /** Nothing of the day is stored and this is no reprocessing: the content is copied in as it is. */
  fresh: boolean;
  /** Compare every incoming value with the stored one, whatever their hashes say (a reprocessing). */
  compareAll: boolean;
  /** A restore's group of days: rows to COPY wait here for one COPY of the group's, before it commits. */
  pendingCopies?: PendingCopies;
}

/** What merging did: the counts, the catalogue entries it touched, and what to remember once committed. */
export interface MergedDay {
  outcome: ContentOutcome;
  /** Catalogue rows whose times move with this write (jao.series; null when the lane keeps its own catalogue). */
  touchedSeries: SeriesIds | null;
  /** Called after the transaction committed (never after a rollback): the lane's caches learn the write. */
  afterCommit(): void;
}

/**
 * One judged day made ready for its write: built outside the transaction (normalizing and hashing need no lock),
 * merged inside it under the day's lock.
 */
export interface LaneContent {
  /** Equal for equal content: an unchanged re-fetch writes no values. */
  contentHash: string;
  /** Epoch ms of the earliest and latest MTU carried, null when none: the write checks them against the day. */
  minMtuMs: number | null;
  maxMtuMs: number | null;
  /** Values (or versions) the content carries: WriteDayResult.points. */
  size: number;
  /** Keys of the content that none of the dataset's earlier days carried: drift (domain/drift.ts). */
  firstSeenKeys: readonly string[];
  /** Before the transaction, committed at once: catalogue entries a rolled-back write may leave behind. */
  prepare(pool: pg.Pool, dataset: Dataset, options: { dryRun: boolean }): Promise<void>;
  /** Merges the content into the day's revision history, under the day's lock. */
  merge(
    client: pg.PoolClient,
    target: { pool: pg.Pool; dataset: Dataset; day: DeliveryDay },
    state: DayState,
    mode: MergeMode,
  ): Promise<MergedDay>;
  /**
   * Stores the row fields the content carries beside its values (Nordic's `lastModifiedOn`), on a check of JAO
   * only; returns how many moved (domain/republication.ts).
   */
  storeRowFields(
    client: pg.PoolClient,
    at: { dataset: Dataset; day: DeliveryDay; seenAt: Date; rawResponseId: number | null },
  ): Promise<number>;
}

export interface Lane<Day extends ValidatedDay = ValidatedDay> {
  name: Day['lane'];
  /** How the answer is read from JAO (domain/lanes.ts). */
  reading: AnswerReading;
  /**
   * Whether a restore may repeat several days' checks of this lane in one transaction (db/writeDay.ts:
   * restoreCheckedWrites): its writes lock no shared row outside the transaction's days but jao.series, in id order.
   */
  restoresInGroups: boolean;
  /** Judges a stored answer's body for its day: the day's status, its quality record and its rows. */
  judge(pool: pg.Pool, ref: JudgedAnswerRef, body: string): Promise<LaneVerdict<Day>>;
  /**
   * Reads a body judged before into its rows, with the inputs that judgement recorded: no database read, no status
   * decided. Null when `inputs` are not this lane's (a verdict of another lane or format): the body is judged again.
   */
  read(ref: JudgedAnswerRef, body: string, inputs: JudgementInputs): Promise<LaneReading<Day> | null>;
  /** The judged day as content for the write; `rejections` protect stored values from being taken as vanished. */
  contentOf(validated: Day, rejections: readonly Rejection[]): Promise<LaneContent>;
  /** The rows (values, versions) of the judged day its write would store. */
  storedRows(validated: Day): number;
  /**
   * After the day's write committed, whatever it judged: drops what the lane kept of the fetch only until the day was
   * written (a paged day's pages, now in its stored answer).
   */
  afterDayWritten(pool: pg.Pool, ref: JudgedAnswerRef & { rawResponseId: number }): Promise<void>;
}

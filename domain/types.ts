// Shared vocabulary of the pipeline. Pure types only: no I/O, safe to import from workflows.
import type { KeyedConstraintRow } from './flowBased/rows';
import type { SeriesName } from './seriesKeys';

/** Datasets the pipeline knows, one declaration each (domain/datasets/); the id is part of workflow ids and keys. */
export { DATASETS, type Dataset } from './datasets';
export type { DeliveryDay, UtcWindow } from './deliveryDay';

/** Outcome of one run for one delivery day (docs/design.md §5). */
export const DAY_STATUSES = ['not_published', 'complete', 'partial', 'invalid', 'failed'] as const;
export type DayStatus = (typeof DAY_STATUSES)[number];

/**
 * One published value: a key, named as its series (domain/seriesKeys.ts), at one market time unit. `value` null
 * means "no value published".
 */
export interface Point extends SeriesName {
  /** MTU start, ISO-8601 UTC with `Z`, e.g. `2026-04-20T00:00:00.000Z`. */
  mtu: string;
  value: number | null;
}

/** A value or row refused by validation; the rest of the payload is kept. */
export interface Rejection {
  /** Index of the row in `data`, or null when the whole payload is concerned. */
  row: number | null;
  key: string | null;
  /** ISO MTU of the row when it could be read. */
  mtu: string | null;
  rule: string;
  /** Offending raw text (JSON of the value or row), truncated to a reasonable length. */
  raw: string;
}

/**
 * Result of validating one day's payload against that day's window (docs/design.md §5; domain/dayStatus.ts judges
 * it): the day's quality record, with the rows of its lane (domain/lanes.ts).
 */
export type ValidatedDay = KeyedValuesDay | ConstraintsDay;

/** A day of keyed values: one value per key and MTU. */
export interface KeyedValuesDay extends DayQualityRecord {
  lane: 'keyedValues';
  /** Accepted values, one per (key, MTU); validation never emits a null value (a null is a rejection). */
  points: Point[];
  /**
   * The dataset's declared extra row fields (Nordic's `lastModifiedOn`) per MTU with an accepted value, as published
   * (text, or null when absent or not a string); absent when the dataset declares none.
   */
  rowFields?: RowFieldValue[];
}

/**
 * A day of constraints (domain/flowBased): its accepted rows, one per (constraint, MTU); `keys` names the hubs whose
 * PTDFs the day carries (`hub_<hub>`), so a hub missing from one day to the next is drift as a key is.
 */
export interface ConstraintsDay extends DayQualityRecord {
  lane: 'constraints';
  constraintRows: KeyedConstraintRow[];
  /** Hubs none of the dataset's earlier days carried, sorted: stored, and drift (never seen before). */
  newHubs: string[];
}

/** What validation counted of a day, whatever its lane: the day's quality record (jao.delivery_day). */
export interface DayQualityRecord {
  /** MTU length in minutes (60 for Core, 15 for Nordic); null when no row could be placed in the day. */
  resolutionMinutes: number | null;
  expectedMtus: number;
  /** Rows in the answer's `data`, whatever became of them. */
  rows: number;
  /** MTUs of the day with at least one accepted value. */
  receivedMtus: number;
  /** ISO starts of the MTUs of the day without any accepted value (no row, or every value refused). */
  missingMtus: string[];
  rejections: Rejection[];
  /** Accepted keys of the day, sorted. */
  keys: string[];
  /** Keys published in the day's rows but refused (malformed, too long, too many new ones). */
  refusedKeys: number;
  /** Values published as null (each also a `null_value` rejection), the declared-empty keys' aside. */
  nullValues: number;
  /**
   * Keys the dataset declares published empty (domain/datasets: publishedEmpty) that the answer published null at
   * every MTU, sorted: not among `keys`, no value expected of them. Absent in days validated before they existed.
   */
  publishedEmptyKeys?: string[];
  /** Keys declared published empty that carried values in the answer, sorted: kept among `keys`, and drift. */
  emptyKeysWithValues?: string[];
  /** Nulls of the keys in `emptyKeysWithValues`: published empty on purpose, so not missing values. */
  declaredEmptyNulls?: number;
  /** Rows that repeated another row of their MTU exactly; collapsed into it. */
  duplicateRows: number;
  /** Rows of MTUs published twice with different values; all refused. */
  conflictingRows: number;
  /** Values of accepted keys that a row of the day did not carry at all. */
  absentValues: number;
  /** Row fields that are neither `id`/`dateTimeUtc` nor keys of the dataset's pattern nor declared by it, sorted, printable. */
  unknownFields: string[];
}

/** One declared extra field of the row of one MTU. */
export interface RowFieldValue {
  mtu: string;
  field: string;
  value: string | null;
}

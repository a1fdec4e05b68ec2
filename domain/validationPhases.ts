// The passes of validating one JAO answer (domain/validate.ts validateWindow), in the order they run: each reads
// what the one before produced and adds its refusals to the answer's list, so refusals keep the order of the passes.
import type { ValueSign } from './datasets';
import { type JaoEnvelope, messagesOf, parseEnvelope, truncateText } from './jaoEnvelope';
import { MAX_KEY_LENGTH, MAX_NEW_KEYS_PER_DAY } from './limits';
import { DEFAULT_KEY_PATTERN, type KeyReader, keyReaderOf, type SeriesKeyCheck } from './seriesKeys';
import { printableText } from './text';
import type { KeyedValuesDay, Point, Rejection, RowFieldValue } from './types';

export type RejectionRule =
  // the whole answer
  | 'envelope'
  | 'rejected'
  // a row
  | 'row_not_object'
  | 'datetime_missing'
  | 'datetime_format'
  | 'outside_window'
  | 'mtu_not_aligned'
  | 'conflicting_duplicate'
  // a key (once per key and answer)
  | 'key_too_long'
  | 'key_format'
  | 'key_same_zone'
  | 'too_many_keys'
  // a value
  | 'null_value'
  | 'value_not_number'
  | 'value_not_finite'
  | 'value_negative'
  | 'value_too_large';

export type ValidationOutcome =
  | { ok: true; result: KeyedValuesDay }
  | { ok: false; reason: string; rejections: Rejection[] };

/** Values at or above this many MW (in size, for a signed dataset) are refused as implausible (per unit: domain/datasets MAX_PLAUSIBLE_VALUE). */
export const MAX_PLAUSIBLE_MW = 100_000;

/** Resolution assumed for a day without rows (Core maxExchanges is hourly). */
export const DEFAULT_RESOLUTION_MINUTES = 60;

/** Resolutions the detector chooses from, coarsest first. */
const CANDIDATE_RESOLUTIONS = [60, 30, 15] as const;

/** Share of rows allowed off the grid of a resolution for it still to be chosen; those rows are refused. */
const MISALIGNED_TOLERANCE = 0.1;

export const MINUTE_MS = 60_000;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const ROW_FIELDS_NOT_VALUES = new Set(['id', 'dateTimeUtc']);
const NO_FIELDS: ReadonlySet<string> = new Set();
/** Longest text of a kept row field (an instant is 23 characters). */
const MAX_ROW_FIELD_LENGTH = 64;
const DEFAULT_KEY_READER = keyReaderOf(DEFAULT_KEY_PATTERN);

/** The fields of rows that share one key list, classified once. */
interface RowShape {
  fields: string[];
  /** Per field: the key check of a field with the dataset's key prefix, null for any other field. */
  checks: (SeriesKeyCheck | null)[];
  keyFields: string[];
  /** Per field, once keys are admitted: whether its values are read. */
  accepted?: boolean[];
  acceptedCount?: number;
}

/** A row inside the window, with its MTU start. */
export interface CandidateRow {
  index: number;
  row: Record<string, unknown>;
  startMs: number;
  shape?: RowShape;
}

function rawOf(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return truncateText(text ?? String(value));
}

export function rejection(
  rule: RejectionRule,
  row: number | null,
  raw: unknown,
  mtu: string | null = null,
  key: string | null = null,
): Rejection {
  return { row, key, mtu, rule, raw: rawOf(raw) };
}

/** Phase 1: the envelope, whole or refused (a refusal by JAO included). */
export function readEnvelope(
  payload: unknown,
): { ok: true; envelope: JaoEnvelope } | Extract<ValidationOutcome, { ok: false }> {
  const envelopeCheck = parseEnvelope(payload);
  if (!envelopeCheck.ok) {
    return { ok: false, reason: envelopeCheck.reason, rejections: [rejection('envelope', null, payload)] };
  }
  const envelope = envelopeCheck.envelope;
  if (envelope.rejected) {
    const reason = `rejected by JAO: ${messagesOf(envelope).join('; ') || '(no message)'}`;
    return { ok: false, reason, rejections: [rejection('rejected', null, envelope.messages ?? null)] };
  }
  return { ok: true, envelope };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Phase 2: the rows that are objects with a readable MTU inside [fromMs, toMs); the others refused. */
export function rowsInWindow(
  data: readonly unknown[],
  fromMs: number,
  toMs: number,
  rejections: Rejection[],
): CandidateRow[] {
  const inWindow: CandidateRow[] = [];
  for (let index = 0; index < data.length; index++) {
    const row = data[index];
    if (!isPlainObject(row)) {
      rejections.push(rejection('row_not_object', index, row));
      continue;
    }
    const dateTime = row.dateTimeUtc;
    if (typeof dateTime !== 'string') {
      rejections.push(rejection('datetime_missing', index, row));
      continue;
    }
    const startMs = DATETIME_PATTERN.test(dateTime) ? Date.parse(dateTime) : Number.NaN;
    if (Number.isNaN(startMs)) {
      rejections.push(rejection('datetime_format', index, dateTime));
      continue;
    }
    if (startMs < fromMs || startMs >= toMs) {
      rejections.push(rejection('outside_window', index, dateTime, new Date(startMs).toISOString()));
      continue;
    }
    inWindow.push({ index, row, startMs });
  }
  return inWindow;
}

/** Phase 3: the coarsest resolution nearly every row sits on; null when no row sits on a 15-minute grid. */
export function detectResolution(rows: readonly CandidateRow[], fromMs: number): number | null {
  if (rows.length === 0) return null;
  for (const minutes of CANDIDATE_RESOLUTIONS) {
    const stepMs = minutes * MINUTE_MS;
    let misaligned = 0;
    for (const row of rows) if ((row.startMs - fromMs) % stepMs !== 0) misaligned++;
    if (misaligned < rows.length && misaligned <= rows.length * MISALIGNED_TOLERANCE) return minutes;
  }
  return null;
}

/** Rows of one answer usually share their key list; comparing it is cheaper than classifying every field again. */
function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface GroupedRows {
  rowsByMtu: Map<number, CandidateRow[]>;
  /** Well-formed keys → the first row carrying them. */
  validKeys: Map<string, number>;
  refusedKeys: Map<string, { rule: RejectionRule; row: number }>;
  unknownFields: Set<string>;
}

/**
 * Phase 4: rows off the resolution's grid refused, the others grouped by MTU, and every field of them classified:
 * keys checked, unknown fields collected.
 */
export function groupRowsByMtu(
  inWindow: readonly CandidateRow[],
  fromMs: number,
  stepMs: number,
  rejections: Rejection[],
  keptFields: ReadonlySet<string> = NO_FIELDS,
  keys: KeyReader = DEFAULT_KEY_READER,
): GroupedRows {
  const rowsByMtu = new Map<number, CandidateRow[]>();
  const validKeys = new Map<string, number>();
  const refusedKeys = new Map<string, { rule: RejectionRule; row: number }>();
  const unknownFields = new Set<string>();
  let shape: RowShape = { fields: [], checks: [], keyFields: [] };
  for (const candidate of inWindow) {
    if ((candidate.startMs - fromMs) % stepMs !== 0) {
      const mtu = new Date(candidate.startMs).toISOString();
      rejections.push(rejection('mtu_not_aligned', candidate.index, candidate.row.dateTimeUtc, mtu));
      continue;
    }
    const sameMtu = rowsByMtu.get(candidate.startMs);
    if (sameMtu) sameMtu.push(candidate);
    else rowsByMtu.set(candidate.startMs, [candidate]);
    const fields = Object.keys(candidate.row);
    if (!sameKeys(fields, shape.fields)) {
      shape = { fields, checks: [], keyFields: [] };
      for (const field of fields) {
        if (ROW_FIELDS_NOT_VALUES.has(field) || !keys.isKey(field)) {
          shape.checks.push(null);
          if (!ROW_FIELDS_NOT_VALUES.has(field) && !keptFields.has(field)) unknownFields.add(field);
          continue;
        }
        const check = keys.read(field);
        shape.checks.push(check);
        shape.keyFields.push(field);
        if (check.ok) {
          if (!validKeys.has(field)) validKeys.set(field, candidate.index);
        } else if (!refusedKeys.has(field)) {
          refusedKeys.set(field, { rule: check.rule, row: candidate.index });
        }
      }
    }
    candidate.shape = shape;
  }
  return { rowsByMtu, validKeys, refusedKeys, unknownFields };
}

export interface AdmittedKeys {
  /** New keys refused as a flood (`too_many_keys`). */
  flooded: Set<string>;
  /** The answer's keys whose values are read, sorted. */
  accepted: string[];
}

/**
 * Phase 5: admission of new keys (a flood of them is a broken answer, not a new key set: domain/limits.ts), then
 * every refused key refused once.
 */
export function admitKeys(
  grouped: GroupedRows,
  knownKeys: ReadonlySet<string> | undefined,
  rejections: Rejection[],
): AdmittedKeys {
  const { validKeys, refusedKeys } = grouped;
  const newKeys = knownKeys
    ? [...validKeys.keys()].filter((key) => !knownKeys.has(key))
    : [...validKeys.keys()];
  const flooded = new Set(newKeys.length > MAX_NEW_KEYS_PER_DAY ? newKeys : []);
  for (const key of flooded) refusedKeys.set(key, { rule: 'too_many_keys', row: validKeys.get(key)! });
  for (const [key, { rule, row }] of refusedKeys) {
    rejections.push(rejection(rule, row, key, null, printableText(key, MAX_KEY_LENGTH)));
  }
  return { flooded, accepted: [...validKeys.keys()].filter((key) => !flooded.has(key)).sort() };
}

function checkValue(value: unknown, sign: ValueSign, maxPlausible: number): RejectionRule | null {
  if (value === null) return 'null_value';
  if (typeof value !== 'number') return 'value_not_number';
  if (!Number.isFinite(value)) return 'value_not_finite';
  if (value < 0 && sign === 'nonNegative') return 'value_negative';
  if (Math.abs(value) >= maxPlausible) return 'value_too_large';
  return null;
}

/** How a dataset's values are read beyond their keys (domain/datasets: valueSign, unit, publishedNull). */
export interface ValueRules {
  valueSign: ValueSign;
  /** Values at or above this size are refused as implausible. */
  maxPlausible: number;
  /** A null is JAO publishing no value on purpose (counted as published, not missing). */
  nullsPublished: boolean;
}

const DEFAULT_VALUE_RULES: ValueRules = {
  valueSign: 'nonNegative',
  maxPlausible: MAX_PLAUSIBLE_MW,
  nullsPublished: false,
};

/** Two rows of one MTU publish the same values: the same key fields with identical values. */
function sameKeyValues(a: CandidateRow, b: CandidateRow): boolean {
  const fieldsA = a.shape!.keyFields;
  if (fieldsA.length !== b.shape!.keyFields.length) return false;
  for (const field of fieldsA) {
    if (!Object.hasOwn(b.row, field) || !Object.is(a.row[field], b.row[field])) return false;
  }
  return true;
}

export interface ReadValues {
  points: Point[];
  /** The kept fields of each MTU's row that had a value read. */
  rowFields: RowFieldValue[];
  /** MTU starts with at least one value read. */
  received: Set<number>;
  nullValues: number;
  /** Nulls of the keys declared published empty, per key (not rejections: JAO publishes them so on purpose). */
  declaredEmptyNulls: Map<string, number>;
  /** Nulls of a dataset whose nulls are published on purpose (publishedNull): no value, and none missing. */
  publishedNulls: number;
  /** MTUs whose accepted cells were all published nulls: answered, with nothing to store. */
  answeredEmpty: Set<number>;
  duplicateRows: number;
  conflictingRows: number;
  absentValues: number;
}

/**
 * Phase 6: the values of each MTU's row (identical duplicates read once, conflicting ones refused all), every value
 * of an admitted key checked.
 */
export function readValues(
  rowsByMtu: ReadonlyMap<number, CandidateRow[]>,
  keys: AdmittedKeys,
  rejections: Rejection[],
  keptFields: readonly string[] = [],
  publishedEmpty: ReadonlySet<string> = new Set(),
  rules: ValueRules = DEFAULT_VALUE_RULES,
): ReadValues {
  const acceptedKeyCount = keys.accepted.length;
  const read: ReadValues = {
    points: [],
    rowFields: [],
    received: new Set(),
    nullValues: 0,
    declaredEmptyNulls: new Map(),
    publishedNulls: 0,
    answeredEmpty: new Set(),
    duplicateRows: 0,
    conflictingRows: 0,
    absentValues: 0,
  };
  for (const [startMs, rows] of rowsByMtu) {
    const mtu = new Date(startMs).toISOString();
    const first = rows[0]!;
    if (rows.length > 1) {
      if (rows.every((other) => other === first || sameKeyValues(first, other))) {
        read.duplicateRows += rows.length - 1;
      } else {
        read.conflictingRows += rows.length;
        for (const conflicting of rows)
          rejections.push(rejection('conflicting_duplicate', conflicting.index, conflicting.row, mtu));
        continue;
      }
    }
    const { index, row } = first;
    const rowShape = first.shape!;
    if (rowShape.accepted === undefined) {
      rowShape.accepted = rowShape.checks.map(
        (check, k) => check?.ok === true && !keys.flooded.has(rowShape.fields[k]!),
      );
      rowShape.acceptedCount = rowShape.accepted.filter(Boolean).length;
    }
    const { fields, checks, accepted } = rowShape;
    read.absentValues += acceptedKeyCount - rowShape.acceptedCount!;
    let acceptedHere = 0;
    let nullsHere = 0;
    for (let k = 0; k < fields.length; k++) {
      if (!accepted[k]) continue;
      const key = fields[k]!;
      const value = row[key];
      if (value === null && publishedEmpty.has(key)) {
        read.declaredEmptyNulls.set(key, (read.declaredEmptyNulls.get(key) ?? 0) + 1);
        continue;
      }
      if (value === null && rules.nullsPublished) {
        read.publishedNulls++;
        nullsHere++;
        continue;
      }
      const valueRule = checkValue(value, rules.valueSign, rules.maxPlausible);
      if (valueRule !== null) {
        if (valueRule === 'null_value') read.nullValues++;
        rejections.push(rejection(valueRule, index, value, mtu, key));
        continue;
      }
      const { fromZone, toZone } = (checks[k] as Extract<SeriesKeyCheck, { ok: true }>).series;
      read.points.push({ key, fromZone, toZone, mtu, value: value as number });
      acceptedHere++;
    }
    if (acceptedHere === 0 && nullsHere > 0 && nullsHere === rowShape.acceptedCount)
      read.answeredEmpty.add(startMs);
    if (acceptedHere > 0) {
      read.received.add(startMs);
      for (const field of keptFields) {
        const value = row[field];
        read.rowFields.push({
          mtu,
          field,
          value: typeof value === 'string' ? printableText(value, MAX_ROW_FIELD_LENGTH) : null,
        });
      }
    }
  }
  return read;
}

/**
 * Phase 7: the window's MTUs at the detected step, and those without any value read (nor, where nulls are published
 * on purpose, answered with nulls only). A sparse dataset (domain/datasets: sparse) expects only the MTUs it has rows
 * for: an MTU without a row has nothing to publish.
 */
export function missingMtusOf(
  fromMs: number,
  toMs: number,
  stepMs: number,
  received: ReadonlySet<number>,
  answeredEmpty: ReadonlySet<number> = new Set(),
  sparseRows: ReadonlyMap<number, unknown> | null = null,
): { expectedMtus: number; missingMtus: string[] } {
  const missingMtus: string[] = [];
  let expectedMtus = 0;
  for (let startMs = fromMs; startMs < toMs; startMs += stepMs) {
    if (sparseRows !== null && !sparseRows.has(startMs)) continue;
    expectedMtus++;
    if (!received.has(startMs) && !answeredEmpty.has(startMs))
      missingMtus.push(new Date(startMs).toISOString());
  }
  return { expectedMtus, missingMtus };
}

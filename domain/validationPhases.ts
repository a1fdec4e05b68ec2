// Validation of one JAO answer against the window it was asked for (validateWindow), pass by pass in the order they
// run: each reads what the one before produced and adds its refusals to the answer's list, so refusals keep the order
// of the passes. A broken envelope invalidates the whole payload; a bad row, key or value is refused alone.
import type { ValueSign } from './datasets';
import { type JaoEnvelope, messagesOf, parseEnvelope, truncateText } from './jaoEnvelope';
import { MAX_KEY_LENGTH, MAX_NEW_KEYS_PER_DAY, MAX_UNKNOWN_FIELDS } from './limits';
import { DEFAULT_KEY_PATTERN, type KeyPatterns, keyReaderOf, type SeriesKeyCheck } from './seriesKeys';
import { printableText } from './text';
import type { KeyedValuesDay, Point, Rejection, RowFieldValue, UtcWindow } from './types';

/** The rules that refuse a row on its own (domain/dayStatus.ts counts them as refused rows). */
export const ROW_RULES = [
  'row_not_object',
  'datetime_missing',
  'datetime_format',
  'outside_window',
  'mtu_not_aligned',
] as const;
/** The rules that refuse a key. */
export const KEY_RULES = ['key_too_long', 'key_format', 'key_same_zone', 'too_many_keys'] as const;

export type RejectionRule =
  // the whole answer
  | 'envelope'
  | 'rejected'
  // a row
  | (typeof ROW_RULES)[number]
  | 'conflicting_duplicate'
  // a key (once per key and answer)
  | (typeof KEY_RULES)[number]
  // a value
  | 'null_value'
  | 'value_not_number'
  | 'value_not_finite'
  | 'value_negative'
  | 'value_too_large';

export type ValidationOutcome =
  | { ok: true; result: KeyedValuesDay }
  | { ok: false; reason: string; rejections: Rejection[] };

export interface ValidationOptions {
  /** Keys already in the dataset's catalog (jao.series): never new, so never refused as `too_many_keys`. */
  knownKeys?: ReadonlySet<string>;
  /** The dataset's declared row fields kept per MTU (domain/datasets: extraRowFields); not unknown fields. */
  keptFields?: readonly string[];
  /** The MTU length assumed when no row can be placed (the dataset's declared one; default 60). */
  declaredResolutionMinutes?: number;
  /** Keys the dataset declares published empty on purpose (domain/datasets: publishedEmpty). */
  publishedEmptyKeys?: readonly string[];
  /** How the dataset's keys read (domain/datasets: keyPattern; default `border_{FROM}_{TO}`). */
  keyPattern?: KeyPatterns;
  /** Whether negative values are the dataset's (domain/datasets: valueSign; default `nonNegative`). */
  valueSign?: ValueSign;
  /** Values at or above this size are refused as implausible (by the dataset's units; default MAX_PLAUSIBLE_MW). */
  maxPlausibleValue?: number;
  /** Nulls are published on purpose (domain/datasets: publishedNull): counted as published, never missing. */
  nullsPublished?: boolean;
  /** Rows only for MTUs with something to publish (domain/datasets: sparse): only those MTUs are expected. */
  sparseRows?: boolean;
}

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
/** Longest text of a kept row field (an instant is 23 characters). */
const MAX_ROW_FIELD_LENGTH = 64;

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

export function rejection(
  rule: RejectionRule,
  row: number | null,
  raw: unknown,
  mtu: string | null = null,
  key: string | null = null,
): Rejection {
  const text = raw === undefined ? 'undefined' : JSON.stringify(raw);
  return { row, key, mtu, rule, raw: truncateText(text ?? String(raw)) };
}

/**
 * Validates a parsed JAO answer against a UTC window (docs/design.md §5): rows outside it are refused, MTUs
 * missing in it listed. Only the envelope fails as a whole; everything else is refused alone and counted, and
 * domain/dayStatus.ts judges the result.
 */
export function validateWindow(
  window: UtcWindow,
  payload: unknown,
  options: ValidationOptions = {},
): ValidationOutcome {
  const envelope = readEnvelope(payload);
  if (!envelope.ok) return envelope;
  const data = envelope.envelope.data ?? [];
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const rejections: Rejection[] = [];
  const inWindow = rowsInWindow(data, fromMs, toMs, rejections);
  const resolutionMinutes = detectResolution(inWindow, fromMs);
  const stepMs = gridMinutes(resolutionMinutes, options.declaredResolutionMinutes) * MINUTE_MS;
  const grouped = groupRowsByMtu(inWindow, fromMs, stepMs, rejections, options);
  const keys = admitKeys(grouped, options.knownKeys, rejections);
  const read = readValues(grouped.rowsByMtu, keys, rejections, options);
  const empty = declaredEmptyOutcome(keys.accepted, read);
  const sparseRows = options.sparseRows ? grouped.rowsByMtu : null;
  const { expectedMtus, missingMtus } = missingMtusOf(fromMs, toMs, stepMs, read, sparseRows);
  const printableUnknown = [
    ...new Set([...grouped.unknownFields].map((field) => printableText(field, MAX_KEY_LENGTH))),
  ];
  return {
    ok: true,
    result: {
      lane: 'keyedValues',
      resolutionMinutes,
      expectedMtus,
      rows: data.length,
      receivedMtus: read.received.size,
      missingMtus,
      points: read.points,
      rejections,
      keys: empty.keys,
      refusedKeys: grouped.refusedKeys.size,
      nullValues: read.nullValues,
      publishedEmptyKeys: empty.publishedEmptyKeys,
      emptyKeysWithValues: empty.emptyKeysWithValues,
      // Nulls published on purpose (publishedNull) count as the declared-empty keys' do: published, not missing.
      declaredEmptyNulls: empty.declaredEmptyNulls + read.publishedNulls,
      duplicateRows: read.duplicateRows,
      conflictingRows: read.conflictingRows,
      absentValues: read.absentValues,
      unknownFields: printableUnknown.sort().slice(0, MAX_UNKNOWN_FIELDS),
      ...(options.keptFields?.length ? { rowFields: read.rowFields } : {}),
    },
  };
}

/** Pass 1: the envelope, whole or refused (a refusal by JAO included). */
function readEnvelope(
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

/** Pass 2: the rows that are objects with a readable MTU inside [fromMs, toMs); the others refused. */
function rowsInWindow(
  data: readonly unknown[],
  fromMs: number,
  toMs: number,
  rejections: Rejection[],
): CandidateRow[] {
  const inWindow: CandidateRow[] = [];
  for (const [index, row] of data.entries()) {
    const placed = placeRow(row, index, fromMs, toMs);
    if ('rule' in placed) rejections.push(placed);
    else inWindow.push(placed);
  }
  return inWindow;
}

/** A row with its MTU start, or why it is refused. */
function placeRow(row: unknown, index: number, fromMs: number, toMs: number): CandidateRow | Rejection {
  if (!isPlainObject(row)) return rejection('row_not_object', index, row);
  const dateTime = row.dateTimeUtc;
  if (typeof dateTime !== 'string') return rejection('datetime_missing', index, row);
  const startMs = DATETIME_PATTERN.test(dateTime) ? Date.parse(dateTime) : Number.NaN;
  if (Number.isNaN(startMs)) return rejection('datetime_format', index, dateTime);
  if (startMs < fromMs || startMs >= toMs)
    return rejection('outside_window', index, dateTime, new Date(startMs).toISOString());
  return { index, row, startMs };
}

/** Pass 3: the coarsest resolution nearly every row sits on; null when no row sits on a 15-minute grid. */
function detectResolution(rows: readonly CandidateRow[], fromMs: number): number | null {
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
 * Pass 4: rows off the resolution's grid refused, the others grouped by MTU, and every field of them classified:
 * keys checked, unknown fields collected.
 */
function groupRowsByMtu(
  inWindow: readonly CandidateRow[],
  fromMs: number,
  stepMs: number,
  rejections: Rejection[],
  options: ValidationOptions,
): GroupedRows {
  const keptFields = new Set(options.keptFields ?? []);
  const keys = keyReaderOf(options.keyPattern ?? DEFAULT_KEY_PATTERN);
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
 * Pass 5: admission of new keys (a flood of them is a broken answer, not a new key set: domain/limits.ts), then
 * every refused key refused once.
 */
function admitKeys(
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
 * Pass 6: the values of each MTU's row (identical duplicates read once, conflicting ones refused all), every value
 * of an admitted key checked.
 */
function readValues(
  rowsByMtu: ReadonlyMap<number, CandidateRow[]>,
  keys: AdmittedKeys,
  rejections: Rejection[],
  options: ValidationOptions,
): ReadValues {
  const keptFields = options.keptFields ?? [];
  const publishedEmpty = new Set(options.publishedEmptyKeys ?? []);
  const valueSign = options.valueSign ?? 'nonNegative';
  const maxPlausible = options.maxPlausibleValue ?? MAX_PLAUSIBLE_MW;
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
      if (value === null && options.nullsPublished) {
        read.publishedNulls++;
        nullsHere++;
        continue;
      }
      const valueRule = checkValue(value, valueSign, maxPlausible);
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
 * Pass 7: the window's MTUs at the detected step, and those without any value read (nor, where nulls are published
 * on purpose, answered with nulls only). A sparse dataset (domain/datasets: sparse) expects only the MTUs it has rows
 * for: an MTU without a row has nothing to publish.
 */
function missingMtusOf(
  fromMs: number,
  toMs: number,
  stepMs: number,
  { received, answeredEmpty }: ReadValues,
  sparseRows: ReadonlyMap<number, unknown> | null,
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

/**
 * The MTU grid a day is judged on: the finer of the answer's and the declared resolution. An answer coarser than
 * its day's declared MTU (hourly on a quarter-hour day) is short of values, never complete; a finer one is kept
 * whole (no row refused as misaligned) and named as drift by domain/drift.ts.
 */
function gridMinutes(answerMinutes: number | null, declaredMinutes: number | undefined): number {
  const declared = declaredMinutes ?? DEFAULT_RESOLUTION_MINUTES;
  return answerMinutes === null ? declared : Math.min(answerMinutes, declared);
}

/**
 * The keys declared published empty, as the answer has them: those null at every MTU are no series of the day (no
 * value is expected of them), those carrying a value are kept as keys and named (drift), and their nulls are
 * counted apart, never as missing values.
 */
function declaredEmptyOutcome(acceptedKeys: readonly string[], read: ReadValues) {
  const withValues = new Set<string>();
  // Most datasets declare no key published empty: their points need no look.
  if (read.declaredEmptyNulls.size > 0)
    for (const point of read.points) if (read.declaredEmptyNulls.has(point.key)) withValues.add(point.key);
  const publishedEmptyKeys = [...read.declaredEmptyNulls.keys()].filter((key) => !withValues.has(key)).sort();
  const emptyKeys = new Set(publishedEmptyKeys);
  let declaredEmptyNulls = 0;
  for (const key of withValues) declaredEmptyNulls += read.declaredEmptyNulls.get(key) ?? 0;
  return {
    keys: acceptedKeys.filter((key) => !emptyKeys.has(key)),
    publishedEmptyKeys,
    emptyKeysWithValues: [...withValues].sort(),
    declaredEmptyNulls,
  };
}

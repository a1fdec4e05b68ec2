// Validation of one JAO answer against the window it was asked for: envelope (zod) plus the day rules.
// A broken envelope invalidates the whole payload; a bad row, key or value is refused alone and the rest is kept.
import { type BorderKeyCheck, parseBorderKey } from './borders';
import { dayWindow } from './calendar';
import { messagesOf, parseEnvelope, truncateText } from './jaoEnvelope';
import { MAX_KEY_LENGTH, MAX_NEW_KEYS_PER_DAY, MAX_UNKNOWN_FIELDS } from './limits';
import { printableText } from './text';
import type { DeliveryDay, Point, Rejection, UtcWindow, ValidatedDay } from './types';

/** Values at or above this many MW are refused as implausible. */
export const MAX_PLAUSIBLE_MW = 100_000;

/** Resolution assumed for a day without rows (Core maxExchanges is hourly). */
export const DEFAULT_RESOLUTION_MINUTES = 60;

/** Resolutions the detector chooses from, coarsest first. */
const CANDIDATE_RESOLUTIONS = [60, 30, 15] as const;

/** Share of rows allowed off the grid of a resolution for it still to be chosen; those rows are refused. */
const MISALIGNED_TOLERANCE = 0.1;

const MINUTE_MS = 60_000;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const ROW_FIELDS_NOT_VALUES = new Set(['id', 'dateTimeUtc']);
const BORDER_PREFIX = 'border_';

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

export const KEY_RULES: readonly RejectionRule[] = [
  'key_too_long',
  'key_format',
  'key_same_zone',
  'too_many_keys',
];
export const ROW_RULES: readonly RejectionRule[] = [
  'row_not_object',
  'datetime_missing',
  'datetime_format',
  'outside_window',
  'mtu_not_aligned',
];

/**
 * Which stored values of the day a refusal keeps (the write path treats a stored value the answer no longer
 * carries as vanished, unless a refusal covers it): a refused value keeps the stored value of its cell, a refused
 * row every value at its MTU, a row whose MTU cannot be read the whole day. A null keeps nothing (JAO says it
 * publishes no value there), nor does a refused key (it was never stored: refused keys are malformed or new).
 */
export function storedValuesKeptBy(rejection: Rejection): 'none' | 'cell' | 'mtu' | 'day' {
  if (rejection.rule === 'null_value' || (KEY_RULES as readonly string[]).includes(rejection.rule))
    return 'none';
  const mtuKnown = rejection.mtu !== null && !Number.isNaN(Date.parse(rejection.mtu));
  if (!mtuKnown) return 'day';
  return rejection.key !== null ? 'cell' : 'mtu';
}

export type ValidationOutcome =
  | { ok: true; result: ValidatedDay }
  | { ok: false; reason: string; rejections: Rejection[] };

export interface ValidationOptions {
  /** Keys already in the dataset's catalog (jao.series): never new, so never refused as `too_many_keys`. */
  knownKeys?: ReadonlySet<string>;
}

/** The fields of rows that share one key list, classified once. */
interface RowShape {
  fields: string[];
  /** Per field: the key check of a `border_*` field, null for any other field. */
  checks: (BorderKeyCheck | null)[];
  borderFields: string[];
  /** Per field, once keys are admitted: whether its values are read. */
  accepted?: boolean[];
  acceptedCount?: number;
}

interface CandidateRow {
  index: number;
  row: Record<string, unknown>;
  startMs: number;
  shape?: RowShape;
}

const keyChecks = new Map<string, BorderKeyCheck>();

function checkKey(key: string): BorderKeyCheck {
  let check = keyChecks.get(key);
  if (check === undefined) {
    check = parseBorderKey(key);
    if (keyChecks.size > 10_000) keyChecks.clear();
    keyChecks.set(key, check);
  }
  return check;
}

/** Rows of one answer usually share their key list; comparing it is cheaper than classifying every field again. */
function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function rawOf(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return truncateText(text ?? String(value));
}

function rejection(
  rule: RejectionRule,
  row: number | null,
  raw: unknown,
  mtu: string | null = null,
  key: string | null = null,
): Rejection {
  return { row, key, mtu, rule, raw: rawOf(raw) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The coarsest resolution nearly every row sits on; null when no row sits on a 15-minute grid. */
function detectResolution(offsetsMs: number[]): number | null {
  for (const minutes of CANDIDATE_RESOLUTIONS) {
    const stepMs = minutes * MINUTE_MS;
    let misaligned = 0;
    for (const offset of offsetsMs) if (offset % stepMs !== 0) misaligned++;
    if (misaligned < offsetsMs.length && misaligned <= offsetsMs.length * MISALIGNED_TOLERANCE)
      return minutes;
  }
  return null;
}

function checkValue(value: unknown): RejectionRule | null {
  if (value === null) return 'null_value';
  if (typeof value !== 'number') return 'value_not_number';
  if (!Number.isFinite(value)) return 'value_not_finite';
  if (value < 0) return 'value_negative';
  if (value >= MAX_PLAUSIBLE_MW) return 'value_too_large';
  return null;
}

/** Two rows of one MTU publish the same values: the same `border_*` fields with identical values. */
function sameBorderValues(a: CandidateRow, b: CandidateRow): boolean {
  const fieldsA = a.shape!.borderFields;
  if (fieldsA.length !== b.shape!.borderFields.length) return false;
  for (const field of fieldsA) {
    if (!Object.hasOwn(b.row, field) || !Object.is(a.row[field], b.row[field])) return false;
  }
  return true;
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
  const envelopeCheck = parseEnvelope(payload);
  if (!envelopeCheck.ok) {
    return { ok: false, reason: envelopeCheck.reason, rejections: [rejection('envelope', null, payload)] };
  }
  const envelope = envelopeCheck.envelope;
  if (envelope.rejected) {
    const reason = `rejected by JAO: ${messagesOf(envelope).join('; ') || '(no message)'}`;
    return { ok: false, reason, rejections: [rejection('rejected', null, envelope.messages ?? null)] };
  }
  const data = envelope.data ?? [];
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const rejections: Rejection[] = [];

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

  const resolutionMinutes =
    inWindow.length > 0 ? detectResolution(inWindow.map((c) => c.startMs - fromMs)) : null;
  const stepMs = (resolutionMinutes ?? DEFAULT_RESOLUTION_MINUTES) * MINUTE_MS;

  // Rows by MTU, and every field of them classified: keys checked, unknown fields collected.
  const rowsByMtu = new Map<number, CandidateRow[]>();
  const validKeys = new Map<string, number>(); // key → first row
  const refusedKeys = new Map<string, { rule: RejectionRule; row: number }>();
  const unknownFields = new Set<string>();
  let shape: RowShape = { fields: [], checks: [], borderFields: [] };
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
      shape = { fields, checks: [], borderFields: [] };
      for (const field of fields) {
        if (ROW_FIELDS_NOT_VALUES.has(field) || !field.startsWith(BORDER_PREFIX)) {
          shape.checks.push(null);
          if (!ROW_FIELDS_NOT_VALUES.has(field)) unknownFields.add(field);
          continue;
        }
        const check = checkKey(field);
        shape.checks.push(check);
        shape.borderFields.push(field);
        if (check.ok) {
          if (!validKeys.has(field)) validKeys.set(field, candidate.index);
        } else if (!refusedKeys.has(field)) {
          refusedKeys.set(field, { rule: check.rule, row: candidate.index });
        }
      }
    }
    candidate.shape = shape;
  }

  // Admission of new keys: a flood of them is a broken answer, not a new key set (domain/limits.ts).
  const knownKeys = options.knownKeys;
  const newKeys = knownKeys
    ? [...validKeys.keys()].filter((key) => !knownKeys.has(key))
    : [...validKeys.keys()];
  const floodedKeys = new Set(newKeys.length > MAX_NEW_KEYS_PER_DAY ? newKeys : []);
  for (const key of floodedKeys) refusedKeys.set(key, { rule: 'too_many_keys', row: validKeys.get(key)! });
  const acceptedKeyCount = validKeys.size - floodedKeys.size;
  for (const [key, { rule, row }] of refusedKeys) {
    rejections.push(rejection(rule, row, key, null, printableText(key, MAX_KEY_LENGTH)));
  }

  const points: Point[] = [];
  const received = new Set<number>();
  let nullValues = 0;
  let duplicateRows = 0;
  let conflictingRows = 0;
  let absentValues = 0;
  for (const [startMs, rows] of rowsByMtu) {
    const mtu = new Date(startMs).toISOString();
    const first = rows[0]!;
    if (rows.length > 1) {
      if (rows.every((other) => other === first || sameBorderValues(first, other))) {
        duplicateRows += rows.length - 1;
      } else {
        conflictingRows += rows.length;
        for (const conflicting of rows)
          rejections.push(rejection('conflicting_duplicate', conflicting.index, conflicting.row, mtu));
        continue;
      }
    }
    const { index, row } = first;
    const rowShape = first.shape!;
    if (rowShape.accepted === undefined) {
      rowShape.accepted = rowShape.checks.map(
        (check, k) => check?.ok === true && !floodedKeys.has(rowShape.fields[k]!),
      );
      rowShape.acceptedCount = rowShape.accepted.filter(Boolean).length;
    }
    const { fields, checks, accepted } = rowShape;
    absentValues += acceptedKeyCount - rowShape.acceptedCount!;
    let acceptedHere = 0;
    for (let k = 0; k < fields.length; k++) {
      if (!accepted[k]) continue;
      const key = fields[k]!;
      const value = row[key];
      const valueRule = checkValue(value);
      if (valueRule !== null) {
        if (valueRule === 'null_value') nullValues++;
        rejections.push(rejection(valueRule, index, value, mtu, key));
        continue;
      }
      const { fromZone, toZone } = (checks[k] as Extract<BorderKeyCheck, { ok: true }>).border;
      points.push({ key, fromZone, toZone, mtu, value: value as number });
      acceptedHere++;
    }
    if (acceptedHere > 0) received.add(startMs);
  }

  const missingMtus: string[] = [];
  let expectedMtus = 0;
  for (let startMs = fromMs; startMs < toMs; startMs += stepMs) {
    expectedMtus++;
    if (!received.has(startMs)) missingMtus.push(new Date(startMs).toISOString());
  }

  const printableUnknown = [
    ...new Set([...unknownFields].map((field) => printableText(field, MAX_KEY_LENGTH))),
  ];
  return {
    ok: true,
    result: {
      resolutionMinutes,
      expectedMtus,
      rows: data.length,
      receivedMtus: received.size,
      missingMtus,
      points,
      rejections,
      keys: [...validKeys.keys()].filter((key) => !floodedKeys.has(key)).sort(),
      refusedKeys: refusedKeys.size,
      nullValues,
      duplicateRows,
      conflictingRows,
      absentValues,
      unknownFields: printableUnknown.sort().slice(0, MAX_UNKNOWN_FIELDS),
    },
  };
}

/** Validates a parsed answer for a delivery day (its Europe/Amsterdam window). */
export function validateDay(
  day: DeliveryDay,
  payload: unknown,
  options: ValidationOptions = {},
): ValidationOutcome {
  return validateWindow(dayWindow(day), payload, options);
}

/** Same as validateDay, from the raw body text as received. */
export function validateDayBody(
  day: DeliveryDay,
  body: string,
  options: ValidationOptions = {},
): ValidationOutcome {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    const reason = `body is not JSON: ${printableText(error instanceof Error ? error.message : String(error), 200)}`;
    return { ok: false, reason, rejections: [rejection('envelope', null, truncateText(body))] };
  }
  return validateDay(day, payload, options);
}

// Validation of one JAO answer against the window it was asked for: envelope (zod) plus the day rules.
// A broken envelope invalidates the whole payload; a bad row, key or value is refused alone and the rest is kept.
// The passes themselves are in domain/validationPhases.ts.
import { dayWindow } from './calendar';
import {
  type DatasetDeclaration,
  declaredResolutionOn,
  MAX_PLAUSIBLE_VALUE,
  publishedEmptyKeysOf,
  unitsOf,
  type ValueSign,
} from './datasets';
import { truncateText } from './jaoEnvelope';
import { MAX_KEY_LENGTH, MAX_UNKNOWN_FIELDS } from './limits';
import { DEFAULT_KEY_PATTERN, type KeyPatterns, keyReaderOf } from './seriesKeys';
import { printableText } from './text';
import type { DeliveryDay, Rejection, UtcWindow } from './types';
import {
  admitKeys,
  DEFAULT_RESOLUTION_MINUTES,
  detectResolution,
  groupRowsByMtu,
  MAX_PLAUSIBLE_MW,
  MINUTE_MS,
  missingMtusOf,
  type ReadValues,
  type RejectionRule,
  readEnvelope,
  readValues,
  rejection,
  rowsInWindow,
  type ValidationOutcome,
} from './validationPhases';

export type { RejectionRule, ValidationOutcome } from './validationPhases';
export { DEFAULT_RESOLUTION_MINUTES, MAX_PLAUSIBLE_MW } from './validationPhases';

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

/** The validation options a dataset's declaration implies for a day. */
export function optionsFor(declaration: DatasetDeclaration, day: DeliveryDay): ValidationOptions {
  return {
    keptFields: declaration.extraRowFields.map((field) => field.name),
    declaredResolutionMinutes: declaredResolutionOn(declaration, day),
    publishedEmptyKeys: publishedEmptyKeysOf(declaration),
    keyPattern: declaration.keyPattern,
    valueSign: declaration.valueSign,
    maxPlausibleValue: Math.max(...unitsOf(declaration).map((unit) => MAX_PLAUSIBLE_VALUE[unit])),
    ...(declaration.publishedNull ? { nullsPublished: true } : {}),
    ...(declaration.sparse ? { sparseRows: true } : {}),
  };
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
  const keptFields = options.keptFields ?? [];
  const keyReader = keyReaderOf(options.keyPattern ?? DEFAULT_KEY_PATTERN);
  const grouped = groupRowsByMtu(inWindow, fromMs, stepMs, rejections, new Set(keptFields), keyReader);
  const keys = admitKeys(grouped, options.knownKeys, rejections);
  const read = readValues(
    grouped.rowsByMtu,
    keys,
    rejections,
    keptFields,
    new Set(options.publishedEmptyKeys ?? []),
    {
      valueSign: options.valueSign ?? 'nonNegative',
      maxPlausible: options.maxPlausibleValue ?? MAX_PLAUSIBLE_MW,
      nullsPublished: options.nullsPublished ?? false,
    },
  );
  const empty = declaredEmptyOutcome(keys.accepted, read);
  const { expectedMtus, missingMtus } = missingMtusOf(
    fromMs,
    toMs,
    stepMs,
    read.received,
    read.answeredEmpty,
    options.sparseRows ? grouped.rowsByMtu : null,
  );
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
      ...(keptFields.length > 0 ? { rowFields: read.rowFields } : {}),
    },
  };
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
function declaredEmptyOutcome(
  acceptedKeys: readonly string[],
  read: ReadValues,
): {
  keys: string[];
  publishedEmptyKeys: string[];
  emptyKeysWithValues: string[];
  declaredEmptyNulls: number;
} {
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

// Validation of one JAO answer against the window it was asked for: envelope (zod) plus the day rules.
// A broken envelope invalidates the whole payload; a bad row or value is refused alone and the rest is kept.
import { type BorderKeyCheck, parseBorderKey } from './borders';
import { dayWindow } from './calendar';
import { messagesOf, parseEnvelope, truncateText } from './jaoEnvelope';
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
  | 'envelope'
  | 'rejected'
  | 'no_valid_row'
  | 'row_not_object'
  | 'datetime_missing'
  | 'datetime_format'
  | 'outside_window'
  | 'mtu_not_aligned'
  | 'duplicate_mtu'
  | 'key_format'
  | 'key_same_zone'
  | 'value_not_number'
  | 'value_not_finite'
  | 'value_negative'
  | 'value_too_large';

export type ValidationOutcome =
  | { ok: true; result: ValidatedDay }
  | { ok: false; reason: string; rejections: Rejection[] };

interface CandidateRow {
  index: number;
  row: Record<string, unknown>;
  startMs: number;
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

/** The check of a row field holding a value, or null for fields that hold none (id, dateTimeUtc, metadata). */
function valueKeyCheck(key: string): BorderKeyCheck | null {
  if (ROW_FIELDS_NOT_VALUES.has(key) || !key.startsWith(BORDER_PREFIX)) return null;
  return checkKey(key);
}

/** Rows of one answer usually share their key list; comparing it is cheaper than checking every key again. */
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
  if (value === null) return null;
  if (typeof value !== 'number') return 'value_not_number';
  if (!Number.isFinite(value)) return 'value_not_finite';
  if (value < 0) return 'value_negative';
  if (value >= MAX_PLAUSIBLE_MW) return 'value_too_large';
  return null;
}

/** Validates a parsed JAO answer against a UTC window: rows outside it are refused, MTUs missing in it listed. */
export function validateWindow(window: UtcWindow, payload: unknown): ValidationOutcome {
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

  const rowsByMtu = new Map<number, CandidateRow[]>();
  for (const candidate of inWindow) {
    if ((candidate.startMs - fromMs) % stepMs !== 0) {
      const mtu = new Date(candidate.startMs).toISOString();
      rejections.push(rejection('mtu_not_aligned', candidate.index, candidate.row.dateTimeUtc, mtu));
      continue;
    }
    const sameMtu = rowsByMtu.get(candidate.startMs);
    if (sameMtu) sameMtu.push(candidate);
    else rowsByMtu.set(candidate.startMs, [candidate]);
  }

  const points: Point[] = [];
  const keys = new Set<string>();
  let shapeKeys: string[] = [];
  let shapeChecks: (BorderKeyCheck | null)[] = [];
  const accepted = new Set<number>();
  for (const [startMs, rows] of rowsByMtu) {
    const mtu = new Date(startMs).toISOString();
    if (rows.length > 1) {
      for (const duplicate of rows)
        rejections.push(rejection('duplicate_mtu', duplicate.index, duplicate.row, mtu));
      continue;
    }
    const { index, row } = rows[0]!;
    accepted.add(startMs);
    const rowKeys = Object.keys(row);
    if (!sameKeys(rowKeys, shapeKeys)) {
      shapeKeys = rowKeys;
      shapeChecks = rowKeys.map(valueKeyCheck);
      for (const check of shapeChecks) if (check?.ok) keys.add(check.border.key);
    }
    for (let k = 0; k < rowKeys.length; k++) {
      const keyCheck = shapeChecks[k];
      if (keyCheck === null || keyCheck === undefined) continue;
      const key = rowKeys[k]!;
      const value = row[key];
      if (!keyCheck.ok) {
        rejections.push(rejection(keyCheck.rule, index, value, mtu, key));
        continue;
      }
      const valueRule = checkValue(value);
      if (valueRule !== null) {
        rejections.push(rejection(valueRule, index, value, mtu, key));
        continue;
      }
      const { fromZone, toZone } = keyCheck.border;
      points.push({ key, fromZone, toZone, mtu, value: value as number | null });
    }
  }

  if (data.length > 0 && accepted.size === 0) {
    const reason = `no valid row among ${data.length} (${[...new Set(rejections.map((r) => r.rule))].join(', ')})`;
    return { ok: false, reason, rejections: [...rejections, rejection('no_valid_row', null, null)] };
  }

  const missingMtus: string[] = [];
  let expectedMtus = 0;
  for (let startMs = fromMs; startMs < toMs; startMs += stepMs) {
    expectedMtus++;
    if (!accepted.has(startMs)) missingMtus.push(new Date(startMs).toISOString());
  }

  return {
    ok: true,
    result: {
      resolutionMinutes,
      expectedMtus,
      receivedMtus: accepted.size,
      missingMtus,
      points,
      rejections,
      keys: [...keys],
    },
  };
}

/** Validates a parsed answer for a delivery day (its Europe/Amsterdam window). */
export function validateDay(day: DeliveryDay, payload: unknown): ValidationOutcome {
  return validateWindow(dayWindow(day), payload);
}

/** Same as validateDay, from the raw body text as received. */
export function validateDayBody(day: DeliveryDay, body: string): ValidationOutcome {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    const reason = `body is not JSON: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, reason, rejections: [rejection('envelope', null, truncateText(body))] };
  }
  return validateDay(day, payload);
}

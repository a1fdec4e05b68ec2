// The answer of the data path for one request: rate limit, 5xx share, window checks, and the published rows
// with the faults of their days, as the exact bytes JAO would send.
import { addDays, dayOfInstant, dayStartMs, daysInRange, isDstChangeDay } from '../domain/calendar';
import {
  DEFAULT_DATASET,
  declarationOf,
  declaredResolutionOn,
  type KeyedValueDataset,
} from '../domain/datasets';
import type { Dataset, DeliveryDay } from '../domain/types';
import type { SimulatorFaults } from './faults';
import { type GeneratedProfile, generatedProfileOf } from './profiles';
import type { SimulatorState } from './state';
import {
  anomalousRowJson,
  badKeyMembers,
  type KeySet,
  manyKeyMembers,
  type RowAnomalies,
  rowAbsent,
  rowJson,
} from './values';

/** The longest window maxExchanges answers (a profile may allow more). */
export const MAX_WINDOW_MS = 2 * 86_400_000;
/** Index, within its day, of the row left out on a missing-MTU day. */
export const MISSING_MTU_INDEX = 2;
/** Index, within its day, of the row sent twice on a duplicate-row or conflicting-duplicate day. */
export const DUPLICATE_ROW_INDEX = 3;
/** Unknown fields of the rows on an extra-field day, and what they hold. */
export const EXTRA_FIELDS_JSON = ',"lastModifiedOn":"2025-01-01T07:57:32.853","comment":null';

const QUARTER_HOUR_MS = 900_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const SERVER_ERROR_STATUSES = [500, 502, 503] as const;
const JSON_TYPE = 'application/json; charset=utf-8';

const MALFORMED_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable</title></head>' +
  '<body><h1>Service temporarily unavailable</h1><p>The publication tool is under maintenance.</p></body></html>\n';

/** A request's query parameters by lower-cased name. */
export type QueryParams = Readonly<Record<string, string | undefined>>;

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export function jsonAnswer(status: number, value: unknown): Answer {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/** An RFC 9457 problem, as JAO's errors look. */
export function problem(status: number, title: string, detail: string): Answer {
  return jsonAnswer(status, { type: 'about:blank', title, status, detail });
}

function parseInstant(text: string | undefined): number | null {
  if (text === undefined || !INSTANT_PATTERN.test(text)) return null;
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? null : epochMs;
}

/**
 * A 429 or 5xx for a request at `atMs` (counted towards the rate limit every data path shares), or null to answer
 * it: what comes before a request is read, on every data path.
 */
export function transportFault(state: SimulatorState, atMs: number): Answer | null {
  const { faults } = state;
  if (state.isRateLimited(atMs)) {
    const answer = problem(429, 'Too Many Requests', 'Rate limit exceeded, try again later.');
    if (faults.retryAfterSeconds !== null)
      answer.headers = { 'Retry-After': String(faults.retryAfterSeconds) };
    return answer;
  }
  if (faults.errorRate > 0 && state.random() < faults.errorRate) {
    const status = SERVER_ERROR_STATUSES[Math.floor(state.random() * SERVER_ERROR_STATUSES.length)]!;
    return problem(status, 'Server Error', 'An unexpected error occurred (simulated).');
  }
  return null;
}

/**
 * The answer to a data request received at `atMs`, its parameters under lower-cased names (JAO reads them
 * case-insensitively). Counts the request towards the rate limit.
 */
export function answerDataRequest(
  state: SimulatorState,
  params: QueryParams,
  atMs: number,
  dataset: KeyedValueDataset = DEFAULT_DATASET,
): Answer {
  const profile = generatedProfileOf(dataset);
  if (profile === null) return problem(404, 'Not Found', `${dataset} is answered by a flow-based path`);
  const fault = transportFault(state, atMs);
  if (fault) return fault;
  const { faults } = state;
  const fromMs = parseInstant(params.fromutc);
  const toMs = parseInstant(params.toutc);
  if (fromMs === null || toMs === null) {
    return problem(400, 'Bad Request', 'FromUtc and ToUtc are required, formatted YYYY-MM-DDTHH:MM:SS.000Z.');
  }
  if (toMs <= fromMs) return problem(400, 'Bad Request', 'ToUtc must be after FromUtc.');
  const maxWindowDays = profile.maxWindowDays ?? 2;
  if (toMs - fromMs > maxWindowDays * 86_400_000) {
    return problem(400, 'Bad Request', `The requested range must not exceed ${maxWindowDays} days.`);
  }
  const days = daysInRange(dayOfInstant(new Date(fromMs)), dayOfInstant(new Date(toMs - 1)));
  const wholeDstDay = days.find(
    (day) => isDstChangeDay(day) && fromMs <= dayStartMs(day) && toMs >= dayStartMs(addDays(day, 1)),
  );
  if (faults.dstSplitRefusal && wholeDstDay !== undefined) {
    return problem(400, 'Bad Request', `Invalid date range around ${wholeDstDay} (simulated DST quirk).`);
  }
  const rejectedDay = days.find((day) => faults.rejectedDays.includes(day));
  if (rejectedDay !== undefined) {
    return jsonAnswer(200, {
      data: [],
      rejected: true,
      messages: [`The request for delivery day ${rejectedDay} was rejected (simulated).`],
    });
  }
  if (days.some((day) => faults.malformedDays.includes(day))) {
    return { status: 200, contentType: 'text/html; charset=utf-8', body: MALFORMED_PAGE };
  }
  const body = dataBody(state, profile, fromMs, toMs, days);
  const truncated = days.some((day) => faults.truncatedDays.includes(day));
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: truncated ? body.slice(0, Math.floor(body.length / 2)) : body,
  };
}

/**
 * The MTU length served on a day: the declared one, except on the days of `quarterHourDays` (an hourly dataset
 * served every 15 minutes) and `hourlyDays` (a 15-minute dataset served hourly).
 */
function servedStepMs(faults: SimulatorFaults, dataset: Dataset, day: DeliveryDay): number {
  const declaredMs = declaredResolutionOn(declarationOf(dataset), day) * MINUTE_MS;
  if (declaredMs === HOUR_MS && faults.quarterHourDays.includes(day)) return QUARTER_HOUR_MS;
  if (declaredMs < HOUR_MS && faults.hourlyDays.includes(day)) return HOUR_MS;
  return declaredMs;
}

function dataBody(
  state: SimulatorState,
  profile: GeneratedProfile,
  fromMs: number,
  toMs: number,
  days: DeliveryDay[],
): string {
  const { faults } = state;
  const { dataset, format } = profile;
  const at = state.now();
  const rows: string[] = [];
  for (const day of days) {
    if (!state.isPublished(day, at, dataset)) continue;
    const startMs = dayStartMs(day);
    const endMs = dayStartMs(addDays(day, 1));
    const keySet = profile.keySetForDay(day, state.keySetChangeDay);
    const revision = state.revisionOf(day, dataset);
    const lastModifiedMs = state.lastModifiedOf(day, dataset);
    const skipIndex = faults.missingMtuDays.includes(day) ? MISSING_MTU_INDEX : -1;
    const anomalous = hasContentAnomaly(faults, day);
    const stepMs = servedStepMs(faults, dataset, day);
    const firstMs = Math.max(startMs, Math.ceil(fromMs / stepMs) * stepMs);
    const lastMs = Math.min(endMs, toMs);
    let nullCellsLeft = faults.nullValueDays.includes(day) ? faults.nullValueCells : 0;
    for (let mtuMs = firstMs; mtuMs < lastMs; mtuMs += stepMs) {
      const index = (mtuMs - startMs) / stepMs;
      if (index === skipIndex || rowAbsent(profile.rowGaps, mtuMs)) continue;
      const leading = profile.leadingMembers?.({ day, mtuMs, lastModifiedMs }) ?? '';
      if (!anomalous) {
        rows.push(rowJson(keySet, mtuMs, revision, format, leading));
        continue;
      }
      const anomalies = rowAnomalies(faults, day, mtuMs, stepMs, nullCellsLeft, format.rowIdAt);
      nullCellsLeft = Math.max(0, nullCellsLeft - keySet.keys.length);
      rows.push(anomalousRowJson(keySet, mtuMs, revision, anomalies, format, leading));
      if (index === DUPLICATE_ROW_INDEX)
        rows.push(...duplicatesOf(faults, day, keySet, mtuMs, revision, anomalies, format, leading));
    }
  }
  const tail = profile.envelopeTail?.(rows.length) ?? '';
  const compact = `{"data":[${rows.join(',')}],"rejected":false,"messages":null${tail}}`;
  return profile.layout === 'indented' ? indented(compact) : compact;
}

/** The answer re-written with two-space indentation, as JAO sends atc (its integer values survive the parse). */
function indented(compact: string): string {
  return JSON.stringify(JSON.parse(compact), null, 2);
}

function hasContentAnomaly(faults: SimulatorFaults, day: DeliveryDay): boolean {
  return [
    faults.nullValueDays,
    faults.duplicateRowDays,
    faults.conflictingDuplicateDays,
    faults.stringValueDays,
    faults.extraFieldDays,
    faults.quarterHourDays,
    faults.hourlyDays,
    faults.badKeyDays,
    faults.manyKeysDays,
  ].some((days) => days.includes(day));
}

function rowAnomalies(
  faults: SimulatorFaults,
  day: DeliveryDay,
  mtuMs: number,
  stepMs: number,
  nullCells: number,
  rowIdAt: (mtuMs: number) => number,
): RowAnomalies {
  let extraMembers = '';
  if (faults.extraFieldDays.includes(day)) extraMembers += EXTRA_FIELDS_JSON;
  if (faults.badKeyDays.includes(day)) extraMembers += badKeyMembers;
  if (faults.manyKeysDays.includes(day)) extraMembers += manyKeyMembers(faults.manyKeysCount);
  return {
    // Quarter-hour rows of an hourly dataset get ids of their own (four per hour), like a 15-minute dataset's.
    ...(stepMs === QUARTER_HOUR_MS && faults.quarterHourDays.includes(day)
      ? { id: 4 * rowIdAt(mtuMs) + Math.floor((mtuMs % HOUR_MS) / stepMs) }
      : {}),
    stringValues: faults.stringValueDays.includes(day),
    nullCells,
    extraMembers,
  };
}

function duplicatesOf(
  faults: SimulatorFaults,
  day: DeliveryDay,
  keySet: KeySet,
  mtuMs: number,
  revision: number,
  anomalies: RowAnomalies,
  format: GeneratedProfile['format'],
  leading: string,
): string[] {
  const copies: string[] = [];
  if (faults.duplicateRowDays.includes(day))
    copies.push(anomalousRowJson(keySet, mtuMs, revision, anomalies, format, leading));
  if (faults.conflictingDuplicateDays.includes(day)) {
    copies.push(
      anomalousRowJson(keySet, mtuMs, revision, { ...anomalies, firstValueOffset: 1 }, format, leading),
    );
  }
  return copies;
}

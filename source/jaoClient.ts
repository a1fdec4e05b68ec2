// HTTP client of the JAO Publication Tool data endpoints (one dataset's path per client options). It classifies every answer and never retries,
// except once with smaller windows when JAO answers 400 to a legal one-day window on a DST-change day:
// retry policy belongs to Temporal.
import { createHash } from 'node:crypto';
import { DEFAULT_MAX_BODY_BYTES, describeBytes, KEPT_PREFIX_BYTES } from '../domain/bodyLimit';
import { dayWindow, isDstChangeDay } from '../domain/calendar';
import { MAX_EXCHANGES_PATH } from '../domain/datasets/compat';
import { type JaoEnvelope, messagesOf, parseEnvelope, truncateText } from '../domain/jaoEnvelope';
import type { DeliveryDay, UtcWindow } from '../domain/types';
import { jaoUserAgent } from './userAgent';

export type FetchOutcome =
  | { kind: 'data'; body: string; httpStatus: number; rows: number; requests: number }
  | { kind: 'not_published'; body: string; httpStatus: number; requests: number }
  | { kind: 'rejected'; body: string; messages: string[]; httpStatus: number }
  | { kind: 'retryable'; reason: string; httpStatus: number | null; retryAfterMs: number | null }
  | { kind: 'permanent'; reason: string; httpStatus: number; body: string }
  | { kind: 'malformed'; reason: string; body: string; httpStatus: number }
  | ({ kind: 'oversized'; reason: string; httpStatus: number } & OversizedBody);

/** What is kept of an answer larger than the limit: its beginning, how much was read, and the hash of that. */
export interface OversizedBody {
  prefix: Buffer;
  /** Bytes read before reading stopped (a lower bound of the answer's size). */
  receivedBytes: number;
  /** Content-Length as announced, when it was. */
  declaredBytes: number | null;
  /** sha256 (hex) of the bytes read. */
  sha256: string;
}

export interface JaoClientOptions {
  /** An origin such as `https://publicationtool.jao.eu`; the client appends the dataset path. */
  baseUrl: string;
  /** The dataset's data path (domain/datasets: dataPathOf); default Core maxExchanges'. */
  path?: string;
  apiKey?: string;
  timeoutMs: number;
  /** Sent as User-Agent; default `jao-scraper/<version>` (source/userAgent.ts). */
  userAgent?: string;
  /** Query parameters sent after the window, in order (a paged dataset's Skip, Take and Filter). */
  query?: ReadonlyArray<[name: string, value: string]>;
  /** Largest answer read (JAO_MAX_BODY_BYTES); reading stops beyond it. */
  maxBodyBytes?: number;
  fetchImpl?: typeof fetch;
  /** Told of every request's HTTP status as it arrives, or null when none came (timeout, network error). */
  onAnswer?: (httpStatus: number | null) => void;
  /**
   * Ends the request in flight when aborted (the fetch activity cancelled, as when its worker stops): the fetch then
   * throws the signal's reason instead of classifying an answer that never came.
   */
  signal?: AbortSignal;
}

const DAY_MS = 86_400_000;
const REASON_BODY_LENGTH = 200;

/** `YYYY-MM-DDTHH:MM:SS.000Z`, the instant format JAO's clients send. */
function formatJaoInstant(instant: string): string {
  const epochMs = Date.parse(instant);
  if (Number.isNaN(epochMs)) throw new RangeError(`not an instant: ${JSON.stringify(instant)}`);
  return new Date(epochMs).toISOString();
}

export function maxExchangesUrl(
  baseUrl: string,
  window: UtcWindow,
  path = MAX_EXCHANGES_PATH,
  query: ReadonlyArray<[string, string]> = [],
): string {
  const origin = baseUrl.replace(/\/+$/, '');
  const extra = query.map(([name, value]) => `&${name}=${encodeURIComponent(value)}`).join('');
  return `${origin}${path}?FromUtc=${formatJaoInstant(window.from)}&ToUtc=${formatJaoInstant(window.to)}${extra}`;
}

/** One answer plus its rows when it carried data, so split answers can be merged. */
interface SingleAnswer {
  outcome: FetchOutcome;
  rows: unknown[] | null;
}

/** An answer that carried no rows. */
const withoutRows = (outcome: FetchOutcome): SingleAnswer => ({ outcome, rows: null });

const DELAY_SECONDS_PATTERN = /^\d+$/;
const HTTP_DATE_PATTERN = /GMT$/;

/** `Retry-After` as sent with 429/503 (delay seconds or an HTTP date): milliseconds to wait, or null when the header is
 * absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const text = header.trim();
  if (DELAY_SECONDS_PATTERN.test(text)) return Number(text) * 1000;
  const dateMs = HTTP_DATE_PATTERN.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(dateMs)) return null;
  return Math.max(0, dateMs - nowMs);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return `network error: ${String(error)}`;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const cause = error.cause;
  const causeText =
    cause instanceof Error
      ? `: ${'code' in cause && cause.code ? `${String(cause.code)} ` : ''}${cause.message}`
      : '';
  return `network error: ${error.message}${causeText}`;
}

function classifyEnvelope(httpStatus: number, body: string, envelope: JaoEnvelope): SingleAnswer {
  if (envelope.rejected) {
    return withoutRows({ kind: 'rejected', body, messages: messagesOf(envelope), httpStatus });
  }
  const rows = envelope.data ?? [];
  if (rows.length === 0) {
    return { outcome: { kind: 'not_published', body, httpStatus, requests: 1 }, rows };
  }
  return { outcome: { kind: 'data', body, httpStatus, rows: rows.length, requests: 1 }, rows };
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

type BodyRead = { complete: true; text: string } | { complete: false; oversized: OversizedBody };

/**
 * Reads a body as it streams in, never more than `maxBytes` of it. Beyond that reading stops (and only the
 * beginning is kept); when Content-Length announces more, reading stops once that beginning is in.
 */
async function readBounded(response: Response, maxBytes: number): Promise<BodyRead> {
  const declaredHeader = response.headers.get('content-length');
  const declared = declaredHeader !== null && /^\d+$/.test(declaredHeader) ? Number(declaredHeader) : null;
  const reader = response.body?.getReader();
  if (!reader) return { complete: true, text: '' };
  const enough = declared !== null && declared > maxBytes ? KEPT_PREFIX_BYTES : maxBytes + 1;
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    hash.update(value);
    chunks.push(value);
    if (received >= enough) {
      await reader.cancel().catch(() => {});
      const prefix = Buffer.from(Buffer.concat(chunks).subarray(0, KEPT_PREFIX_BYTES));
      return {
        complete: false,
        oversized: { prefix, receivedBytes: received, declaredBytes: declared, sha256: hash.digest('hex') },
      };
    }
  }
  return { complete: true, text: Buffer.concat(chunks, received).toString('utf8') };
}

function oversizedReason(body: OversizedBody, maxBytes: number): string {
  const announced = body.declaredBytes !== null ? `, ${describeBytes(body.declaredBytes)} announced` : '';
  return (
    `answer larger than JAO_MAX_BODY_BYTES (${describeBytes(maxBytes)})${announced}: ` +
    `reading stopped after ${describeBytes(body.receivedBytes)}`
  );
}

async function requestOnce(opts: JaoClientOptions, window: UtcWindow): Promise<SingleAnswer> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': opts.userAgent ?? jaoUserAgent(),
  };
  if (opts.apiKey) headers.Authorization = `Bearer ${opts.apiKey}`;
  let httpStatus: number | null = null;
  let retryAfterHeader: string | null = null;
  let read: BodyRead;
  opts.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  try {
    const response = await fetchImpl(maxExchangesUrl(opts.baseUrl, window, opts.path, opts.query), {
      headers,
      signal: opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout,
    });
    httpStatus = response.status;
    opts.onAnswer?.(httpStatus);
    retryAfterHeader = response.headers.get('retry-after');
    read = await readBounded(response, maxBytes);
  } catch (error) {
    opts.signal?.throwIfAborted();
    if (httpStatus === null) opts.onAnswer?.(null);
    const reason = describeFetchError(error, opts.timeoutMs);
    return withoutRows({
      kind: 'retryable',
      reason: httpStatus === null ? reason : `HTTP ${httpStatus}, body not read: ${reason}`,
      httpStatus,
      retryAfterMs: null,
    });
  }
  let body: string;
  if (read.complete) body = read.text;
  else if (httpStatus >= 200 && httpStatus < 300) {
    const reason = oversizedReason(read.oversized, maxBytes);
    return withoutRows({ kind: 'oversized', reason, httpStatus, ...read.oversized });
  } else body = read.oversized.prefix.toString('utf8');

  if (httpStatus === 429 || httpStatus >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfterHeader, Date.now());
    const reason = `HTTP ${httpStatus}${httpStatus === 429 ? ' (rate limited)' : ''}: ${truncateText(body, REASON_BODY_LENGTH)}`;
    return withoutRows({ kind: 'retryable', reason, httpStatus, retryAfterMs });
  }

  const json = parseJson(body);
  if (httpStatus < 200 || httpStatus >= 300) {
    if (json.ok) {
      const envelope = parseEnvelope(json.value);
      if (envelope.ok && envelope.envelope.rejected)
        return classifyEnvelope(httpStatus, body, envelope.envelope);
    }
    const reason = `HTTP ${httpStatus}: ${truncateText(body, REASON_BODY_LENGTH)}`;
    return withoutRows({ kind: 'permanent', reason, httpStatus, body });
  }

  if (!json.ok) {
    return withoutRows({ kind: 'malformed', reason: `body is not JSON: ${json.message}`, body, httpStatus });
  }
  const envelope = parseEnvelope(json.value);
  if (!envelope.ok) return withoutRows({ kind: 'malformed', reason: envelope.reason, body, httpStatus });
  return classifyEnvelope(httpStatus, body, envelope.envelope);
}

/** The window cut at each UTC midnight inside it: the pieces JAO accepts when it refuses a DST day whole. */
export function splitAtUtcMidnights(window: UtcWindow): UtcWindow[] {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const pieces: UtcWindow[] = [];
  let start = fromMs;
  let cut = Math.floor(fromMs / DAY_MS) * DAY_MS + DAY_MS;
  while (cut < toMs) {
    pieces.push({ from: new Date(start).toISOString(), to: new Date(cut).toISOString() });
    start = cut;
    cut += DAY_MS;
  }
  pieces.push({ from: new Date(start).toISOString(), to: new Date(toMs).toISOString() });
  return pieces;
}

function isWholeDstDay(window: UtcWindow, day: DeliveryDay): boolean {
  const own = dayWindow(day);
  return (
    Date.parse(own.from) === Date.parse(window.from) &&
    Date.parse(own.to) === Date.parse(window.to) &&
    isDstChangeDay(day)
  );
}

async function fetchInPieces(opts: JaoClientOptions, window: UtcWindow): Promise<FetchOutcome> {
  const rows: unknown[] = [];
  let requests = 1;
  let httpStatus = 200;
  for (const piece of splitAtUtcMidnights(window)) {
    const answer = await requestOnce(opts, piece);
    requests++;
    const outcome = answer.outcome;
    if (outcome.kind === 'permanent')
      return {
        ...outcome,
        reason: `JAO refused the DST day whole (HTTP 400) and the piece ${piece.from}..${piece.to}: ${outcome.reason}`,
      };
    if (outcome.kind !== 'data' && outcome.kind !== 'not_published') return outcome;
    httpStatus = outcome.httpStatus;
    rows.push(...(answer.rows ?? []));
  }
  const body = JSON.stringify({ data: rows, rejected: false, messages: null });
  if (rows.length === 0) return { kind: 'not_published', body, httpStatus, requests };
  return { kind: 'data', body, httpStatus, rows: rows.length, requests };
}

/**
 * Fetches a window (`from` inclusive, `to` exclusive). With `day` given and the window being that whole
 * DST-change day, a 400 is retried once as smaller windows whose answers are merged.
 */
export async function fetchWindow(
  opts: JaoClientOptions,
  window: UtcWindow,
  day?: DeliveryDay,
): Promise<FetchOutcome> {
  if (!(Date.parse(window.to) > Date.parse(window.from))) {
    throw new RangeError(`not a window (from must be before to): ${window.from}..${window.to}`);
  }
  const { outcome } = await requestOnce(opts, window);
  if (
    outcome.kind === 'permanent' &&
    outcome.httpStatus === 400 &&
    day !== undefined &&
    isWholeDstDay(window, day)
  ) {
    return fetchInPieces(opts, window);
  }
  return outcome;
}

/** Fetches one delivery day's window, with the DST fallback. */
export function fetchDay(opts: JaoClientOptions, day: DeliveryDay): Promise<FetchOutcome> {
  return fetchWindow(opts, dayWindow(day), day);
}

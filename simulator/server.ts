// The JAO simulator (docs/design.md §7): answers `GET /core/api/data/maxExchanges` like the real Publication Tool,
// with faults that can be set at start-up and changed while it runs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  addDays,
  dayOfInstant,
  dayStartMs,
  daysInRange,
  GO_LIVE_DAY,
  isDeliveryDay,
  isDstChangeDay,
  localTimeOnDay,
  marketToday,
} from '../domain/calendar';
import type { DeliveryDay } from '../domain/types';
import { MAX_EXCHANGES_PATH } from '../source/jaoClient';
import { mergeFaults, NO_FAULTS, type SimulatorFaults, SimulatorInputError } from './faults';
import { seededRandom } from './random';
import {
  anomalousRowJson,
  badKeyMembers,
  DEFAULT_KEY_SET_CHANGE_DAY,
  type KeySet,
  keyHash,
  keySetForDay,
  manyKeyMembers,
  type RowAnomalies,
  rowIdAt,
  rowJson,
  valueAt,
} from './values';

export type { SimulatorFaults } from './faults';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Clock deciding what is published. */
  now?: () => Date;
  /** `HH:MM` Europe/Amsterdam on D-1 when D becomes visible, default `08:00`. */
  publicationTime?: string;
  /** From this delivery day on, the extra zone's keys appear (default 2026-06-01). */
  keySetChangeDay?: DeliveryDay;
  faults?: Partial<SimulatorFaults>;
  seed?: number;
}

export interface RequestLogEntry {
  at: number;
  fromUtc: string | null;
  toUtc: string | null;
  status: number;
}

export interface SimulatorHandle {
  origin: string;
  requests: RequestLogEntry[];
  setFaults(faults: Partial<SimulatorFaults>): void;
  reviseDay(day: DeliveryDay): number;
  revisionOf(day: DeliveryDay): number;
  /** The day is visible from `at` (default: now, on the simulator's clock) instead of its publication time. */
  publishDay(day: DeliveryDay, at?: Date): void;
  /** The day is not visible (an empty answer) until publishDay. */
  unpublishDay(day: DeliveryDay): void;
  expectedValue(day: DeliveryDay, key: string, mtuIso: string): number;
  close(): Promise<void>;
}

export const CONTROL_PREFIX = '/_simulator';
export const MAX_WINDOW_MS = 2 * 86_400_000;
/** Index, within its day, of the row left out on a missing-MTU day. */
export const MISSING_MTU_INDEX = 2;
/** Index, within its day, of the row sent twice on a duplicate-row or conflicting-duplicate day. */
export const DUPLICATE_ROW_INDEX = 3;
/** Unknown fields of the rows on an extra-field day, and what they hold. */
export const EXTRA_FIELDS_JSON = ',"lastModifiedOn":"2025-01-01T07:57:32.853","comment":null';
const QUARTER_HOUR_MS = 900_000;

const HOUR_MS = 3_600_000;
const RATE_WINDOW_MS = 60_000;
const REQUEST_LOG_LIMIT = 100_000;
const CONTROL_BODY_LIMIT = 64 * 1024;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const SERVER_ERROR_STATUSES = [500, 502, 503] as const;

const optionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  publicationTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('08:00'),
  keySetChangeDay: z
    .string()
    .refine(isDeliveryDay, { message: 'expected YYYY-MM-DD' })
    .default(DEFAULT_KEY_SET_CHANGE_DAY),
  seed: z.number().int().default(1),
});

const reviseQuerySchema = z.object({
  day: z.string().refine(isDeliveryDay, { message: 'expected day=YYYY-MM-DD' }),
});

const publishQuerySchema = reviseQuerySchema.extend({
  at: z.iso.datetime({ message: 'expected at=<UTC instant>' }).optional(),
});

interface Answer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

function json(status: number, value: unknown): Answer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function problem(status: number, title: string, detail: string): Answer {
  return json(status, { type: 'about:blank', title, status, detail });
}

const MALFORMED_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable</title></head>' +
  '<body><h1>Service temporarily unavailable</h1><p>The publication tool is under maintenance.</p></body></html>\n';

/** Query parameters with lower-cased names, as JAO reads them case-insensitively. */
function lowerCaseParams(url: URL): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) params.set(name.toLowerCase(), value);
  return params;
}

function parseInstant(text: string | undefined): number | null {
  if (text === undefined || !INSTANT_PATTERN.test(text)) return null;
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? null : epochMs;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > CONTROL_BODY_LIMIT) {
        reject(new SimulatorInputError('body too large'));
        request.destroy();
      }
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const settings = optionsSchema.parse({
    host: options.host,
    port: options.port,
    publicationTime: options.publicationTime,
    keySetChangeDay: options.keySetChangeDay,
    seed: options.seed,
  });
  const now = options.now ?? (() => new Date());
  let faults = mergeFaults(NO_FAULTS, options.faults ?? {});
  const random = seededRandom(settings.seed);
  const revisions = new Map<DeliveryDay, number>();
  /** Days published from an instant set through the control API (null: not published). */
  const publications = new Map<DeliveryDay, number | null>();
  const requests: RequestLogEntry[] = [];
  const answeredAt: number[] = [];

  const revisionOf = (day: DeliveryDay): number => revisions.get(day) ?? 0;

  function isPublished(day: DeliveryDay, at: Date): boolean {
    if (day < GO_LIVE_DAY) return false;
    const publishedFrom = publications.get(day);
    if (publishedFrom !== undefined) return publishedFrom !== null && at.getTime() >= publishedFrom;
    const today = marketToday(at);
    if (day <= today) return true;
    return (
      day === addDays(today, 1) && at.getTime() >= localTimeOnDay(today, settings.publicationTime).getTime()
    );
  }

  function isRateLimited(atMs: number): boolean {
    while (answeredAt.length > 0 && answeredAt[0]! <= atMs - RATE_WINDOW_MS) answeredAt.shift();
    const limit = faults.maxRequestsPerMinute;
    if (limit !== null && answeredAt.length >= limit) return true;
    answeredAt.push(atMs);
    return false;
  }

  function dataBody(fromMs: number, toMs: number, days: DeliveryDay[]): string {
    const at = now();
    const rows: string[] = [];
    for (const day of days) {
      if (!isPublished(day, at)) continue;
      const startMs = dayStartMs(day);
      const endMs = dayStartMs(addDays(day, 1));
      const keySet = keySetForDay(day, settings.keySetChangeDay);
      const revision = revisionOf(day);
      const skipIndex = faults.missingMtuDays.includes(day) ? MISSING_MTU_INDEX : -1;
      const anomalous = hasContentAnomaly(day);
      const stepMs = faults.quarterHourDays.includes(day) ? QUARTER_HOUR_MS : HOUR_MS;
      const firstMs = Math.max(startMs, Math.ceil(fromMs / stepMs) * stepMs);
      const lastMs = Math.min(endMs, toMs);
      let nullCellsLeft = faults.nullValueDays.includes(day) ? faults.nullValueCells : 0;
      for (let mtuMs = firstMs; mtuMs < lastMs; mtuMs += stepMs) {
        const index = (mtuMs - startMs) / stepMs;
        if (index === skipIndex) continue;
        if (!anomalous) {
          rows.push(rowJson(keySet, mtuMs, revision));
          continue;
        }
        const anomalies = rowAnomalies(day, mtuMs, stepMs, nullCellsLeft);
        nullCellsLeft = Math.max(0, nullCellsLeft - keySet.keys.length);
        rows.push(anomalousRowJson(keySet, mtuMs, revision, anomalies));
        if (index === DUPLICATE_ROW_INDEX)
          rows.push(...duplicatesOf(day, keySet, mtuMs, revision, anomalies));
      }
    }
    return `{"data":[${rows.join(',')}],"rejected":false,"messages":null}`;
  }

  function hasContentAnomaly(day: DeliveryDay): boolean {
    return [
      faults.nullValueDays,
      faults.duplicateRowDays,
      faults.conflictingDuplicateDays,
      faults.stringValueDays,
      faults.extraFieldDays,
      faults.quarterHourDays,
      faults.badKeyDays,
      faults.manyKeysDays,
    ].some((days) => days.includes(day));
  }

  function rowAnomalies(day: DeliveryDay, mtuMs: number, stepMs: number, nullCells: number): RowAnomalies {
    let extraMembers = '';
    if (faults.extraFieldDays.includes(day)) extraMembers += EXTRA_FIELDS_JSON;
    if (faults.badKeyDays.includes(day)) extraMembers += badKeyMembers;
    if (faults.manyKeysDays.includes(day)) extraMembers += manyKeyMembers(faults.manyKeysCount);
    return {
      // Quarter-hour rows get ids of their own (four per hour), like a 15-minute dataset's.
      ...(stepMs === QUARTER_HOUR_MS
        ? { id: 4 * rowIdAt(mtuMs) + Math.floor((mtuMs % HOUR_MS) / stepMs) }
        : {}),
      stringValues: faults.stringValueDays.includes(day),
      nullCells,
      extraMembers,
    };
  }

  function duplicatesOf(
    day: DeliveryDay,
    keySet: KeySet,
    mtuMs: number,
    revision: number,
    anomalies: RowAnomalies,
  ): string[] {
    const copies: string[] = [];
    if (faults.duplicateRowDays.includes(day))
      copies.push(anomalousRowJson(keySet, mtuMs, revision, anomalies));
    if (faults.conflictingDuplicateDays.includes(day)) {
      copies.push(anomalousRowJson(keySet, mtuMs, revision, { ...anomalies, firstValueOffset: 1 }));
    }
    return copies;
  }

  function answerData(params: Map<string, string>, atMs: number): Answer {
    if (isRateLimited(atMs)) {
      const answer = problem(429, 'Too Many Requests', 'Rate limit exceeded, try again later.');
      if (faults.retryAfterSeconds !== null)
        answer.headers = { 'Retry-After': String(faults.retryAfterSeconds) };
      return answer;
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      const status = SERVER_ERROR_STATUSES[Math.floor(random() * SERVER_ERROR_STATUSES.length)]!;
      return problem(status, 'Server Error', 'An unexpected error occurred (simulated).');
    }
    const fromMs = parseInstant(params.get('fromutc'));
    const toMs = parseInstant(params.get('toutc'));
    if (fromMs === null || toMs === null) {
      return problem(
        400,
        'Bad Request',
        'FromUtc and ToUtc are required, formatted YYYY-MM-DDTHH:MM:SS.000Z.',
      );
    }
    if (toMs <= fromMs) return problem(400, 'Bad Request', 'ToUtc must be after FromUtc.');
    if (toMs - fromMs > MAX_WINDOW_MS) {
      return problem(400, 'Bad Request', 'The requested range must not exceed 2 days.');
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
      return json(200, {
        data: [],
        rejected: true,
        messages: [`The request for delivery day ${rejectedDay} was rejected (simulated).`],
      });
    }
    if (days.some((day) => faults.malformedDays.includes(day))) {
      return { status: 200, contentType: 'text/html; charset=utf-8', body: MALFORMED_PAGE };
    }
    const body = dataBody(fromMs, toMs, days);
    const truncated = days.some((day) => faults.truncatedDays.includes(day));
    return {
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: truncated ? body.slice(0, Math.floor(body.length / 2)) : body,
    };
  }

  function logRequest(entry: RequestLogEntry): void {
    if (requests.length >= REQUEST_LOG_LIMIT) requests.splice(0, REQUEST_LOG_LIMIT / 10);
    requests.push(entry);
  }

  async function answerControl(request: IncomingMessage, url: URL): Promise<Answer> {
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case `GET ${CONTROL_PREFIX}/faults`:
        return json(200, faults);
      case `POST ${CONTROL_PREFIX}/faults`: {
        const text = await readBody(request);
        let changes: unknown;
        try {
          changes = JSON.parse(text || '{}');
        } catch {
          return problem(400, 'Bad Request', 'body is not JSON');
        }
        faults = mergeFaults(faults, changes);
        return json(200, faults);
      }
      case `POST ${CONTROL_PREFIX}/revise`: {
        const query = reviseQuerySchema.safeParse({ day: url.searchParams.get('day') ?? undefined });
        if (!query.success) return problem(400, 'Bad Request', 'expected ?day=YYYY-MM-DD');
        return json(200, { day: query.data.day, revision: reviseDay(query.data.day) });
      }
      case `POST ${CONTROL_PREFIX}/publish`:
      case `POST ${CONTROL_PREFIX}/unpublish`: {
        const query = publishQuerySchema.safeParse({
          day: url.searchParams.get('day') ?? undefined,
          at: url.searchParams.get('at') ?? undefined,
        });
        if (!query.success) return problem(400, 'Bad Request', 'expected ?day=YYYY-MM-DD[&at=<UTC instant>]');
        const { day, at } = query.data;
        if (url.pathname.endsWith('/unpublish')) unpublishDay(day);
        else publishDay(day, at === undefined ? undefined : new Date(at));
        const from = publications.get(day);
        return json(200, { day, publishedFrom: from ? new Date(from).toISOString() : null });
      }
      case `GET ${CONTROL_PREFIX}/requests`:
        return json(200, requests);
      case `DELETE ${CONTROL_PREFIX}/requests`:
        requests.length = 0;
        return json(200, { cleared: true });
      default:
        return problem(404, 'Not Found', `no control route ${route}`);
    }
  }

  async function answer(request: IncomingMessage): Promise<Answer> {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    if (url.pathname === MAX_EXCHANGES_PATH) {
      const atMs = Date.now();
      const params = lowerCaseParams(url);
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const result =
        request.method === 'GET' || request.method === 'HEAD'
          ? answerData(params, atMs)
          : problem(405, 'Method Not Allowed', 'only GET');
      logRequest({
        at: atMs,
        fromUtc: params.get('fromutc') ?? null,
        toUtc: params.get('toutc') ?? null,
        status: result.status,
      });
      return result;
    }
    if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      try {
        return await answerControl(request, url);
      } catch (error) {
        if (error instanceof SimulatorInputError) return problem(400, 'Bad Request', error.message);
        throw error;
      }
    }
    return problem(404, 'Not Found', `no route ${url.pathname}`);
  }

  function send(response: ServerResponse, result: Answer, headOnly: boolean): void {
    response.writeHead(result.status, {
      'Content-Type': result.contentType,
      'Content-Length': Buffer.byteLength(result.body),
      ...result.headers,
    });
    response.end(headOnly ? undefined : result.body);
  }

  const server = createServer((request, response) => {
    answer(request).then(
      (result) => send(response, result, request.method === 'HEAD'),
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        if (!response.headersSent) send(response, problem(500, 'Internal Server Error', detail), false);
        else response.destroy();
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  function reviseDay(day: DeliveryDay): number {
    if (!isDeliveryDay(day)) throw new SimulatorInputError(`not a delivery day: ${JSON.stringify(day)}`);
    const revision = revisionOf(day) + 1;
    revisions.set(day, revision);
    return revision;
  }

  function publishDay(day: DeliveryDay, at?: Date): void {
    if (!isDeliveryDay(day)) throw new SimulatorInputError(`not a delivery day: ${JSON.stringify(day)}`);
    publications.set(day, (at ?? now()).getTime());
  }

  function unpublishDay(day: DeliveryDay): void {
    if (!isDeliveryDay(day)) throw new SimulatorInputError(`not a delivery day: ${JSON.stringify(day)}`);
    publications.set(day, null);
  }

  return {
    origin: `http://${hostInUrl}:${address.port}`,
    requests,
    publishDay,
    unpublishDay,
    setFaults(changes) {
      faults = mergeFaults(faults, changes);
    },
    reviseDay,
    revisionOf,
    expectedValue(day, key, mtuIso) {
      return valueAt(keyHash(key), Date.parse(mtuIso), revisionOf(day));
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

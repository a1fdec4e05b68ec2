// The API against a test database, connected as jao_reader: in-process, driven through Fastify's app.inject() with no
// socket (injectTestApi), or a real server on an ephemeral port (startTestApi) for what needs one: the live feed,
// answers read as they stream, the connection itself.
import { Writable } from 'node:stream';
import type pg from 'pg';
import { type ApiSettings, readerDatabaseUrl } from '../../api/config';
import type { ApiApp } from '../../api/routing';
import { type RunningApi, startApi } from '../../api/server';
import { createApiKey } from '../../db/apiKeys';

/** The API in this process, asked through app.inject(): no port, no socket. */
export interface InjectedTestApi {
  app: ApiApp;
  /** Every log line the API wrote. */
  logs: string[];
  close(): Promise<void>;
  /** fetch(input, init) through app.inject(): `input` a path (or a URL, of which the path and query are sent). */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** A GET of `path` with the key, through app.inject() (getWith without a socket). */
  get(key: string | null, path: string, headers?: Record<string, string>): Promise<Response>;
}

/** The API on a real port: `url` for fetch; `request` and `get` still go through app.inject(). */
export interface TestApi extends RunningApi, InjectedTestApi {}

/** The API listening on 127.0.0.1, an ephemeral port: for what needs a socket (SSE, a body read as it streams). */
export function startTestApi(
  databaseUrl: string,
  settings: Partial<ApiSettings> = {},
  heartbeatMs?: number,
  keyRecheckMs?: number,
): Promise<TestApi> {
  return buildTestApi(databaseUrl, settings, { heartbeatMs, keyRecheckMs, listen: true });
}

/** The same API, listening nowhere: asked through `request` and `get` (app.inject()). */
export async function injectTestApi(
  databaseUrl: string,
  settings: Partial<ApiSettings> = {},
  heartbeatMs?: number,
  keyRecheckMs?: number,
): Promise<InjectedTestApi> {
  const { app, logs, close, request, get } = await buildTestApi(databaseUrl, settings, {
    heartbeatMs,
    keyRecheckMs,
    listen: false,
  });
  return { app, logs, close, request, get };
}

async function buildTestApi(
  databaseUrl: string,
  settings: Partial<ApiSettings>,
  options: { heartbeatMs?: number; keyRecheckMs?: number; listen: boolean },
): Promise<TestApi> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const api = await startApi(
    {
      host: '127.0.0.1',
      port: 0,
      databaseUrl: readerDatabaseUrl({ DATABASE_URL: databaseUrl }),
      maxRangeDays: 366,
      rateLimitPerMinute: 100_000,
      logLevel: 'info',
      temporal: null,
      temporalUiUrl: 'http://127.0.0.1:8233',
      taskQueue: 'jao-scraper',
      ...settings,
    },
    { ...options, logDestination },
  );
  const request = (input: string | URL | Request, init?: RequestInit) => injectFetch(api.app, input, init);
  return {
    ...api,
    logs,
    request,
    get: (key, path, headers = {}) => request(path, { headers: withKey(key, headers) }),
  };
}

/** Statuses whose answer has no body (a Response refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * What fetch(input, init) answers, asked through app.inject(): the request read as fetch reads it (URL parsed, headers
 * normalised), the answer a WHATWG Response of the whole body, redirects followed as fetch's default does. An event
 * stream never ends: it is refused at once (read it on a socket: startTestApi), not awaited.
 */
export async function injectFetch(
  app: ApiApp,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  let request = new Request(typeof input === 'string' ? new URL(input, 'http://localhost') : input, init);
  for (let redirects = 0; ; redirects++) {
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    // As a stream, to see an event stream's headers without waiting for its end.
    const answer = await app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      ...(body ? { payload: body } : {}),
      payloadAsStream: true,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
    }
    if (headers.get('content-type')?.startsWith('text/event-stream')) {
      answer.raw.res.destroy();
      throw new Error(`${request.method} ${url.pathname} answered an event stream: read it on a socket`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of answer.stream()) chunks.push(chunk as Buffer);
    const location = headers.get('location');
    if (REDIRECT_STATUSES.has(answer.statusCode) && location && request.redirect === 'follow') {
      if (redirects >= 20) throw new TypeError('fetch failed: too many redirects');
      const toGet = answer.statusCode === 303 || (answer.statusCode <= 302 && request.method === 'POST');
      request = new Request(new URL(location, url), {
        method: toGet ? 'GET' : request.method,
        headers: request.headers,
        ...(!toGet && body ? { body } : {}),
      });
      continue;
    }
    const empty = NULL_BODY_STATUSES.has(answer.statusCode) || request.method === 'HEAD';
    return new Response(empty ? null : Buffer.concat(chunks), {
      status: answer.statusCode,
      statusText: answer.statusMessage,
      headers,
    });
  }
}

const withKey = (key: string | null, headers: Record<string, string>) => ({
  ...(key ? { authorization: `Bearer ${key}` } : {}),
  ...headers,
});

export async function createTestKey(pool: pg.Pool, datasets: string[] = ['maxExchanges']): Promise<string> {
  return (await createApiKey(pool, { name: 'test', datasets })).token;
}

/** A GET of `url` with the key, over a socket (fetch); `api.get` asks the same through app.inject(). */
export function getWith(
  key: string | null,
  url: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, { headers: withKey(key, headers) });
}

export interface SseEvent {
  id: string | null;
  event: string | null;
  data: string;
}

/** Reads Server-Sent Events from a fetch answer; comments are counted, not returned. */
export class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  /** The server ended the stream (or it was aborted). */
  ended = false;
  private buffer = '';
  private readonly done: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(private readonly response: Response) {
    this.done = this.pump();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    const reader = this.response.body!.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.buffer += decoder.decode(value, { stream: true });
        let end = this.buffer.indexOf('\n\n');
        while (end >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
          end = this.buffer.indexOf('\n\n');
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // aborted
    } finally {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event: string | null = null;
    const data: string[] = [];
    let comment = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comment = true;
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ id, event, data: data.join('\n') });
    else if (comment) this.comments++;
  }

  /** Waits until `predicate` holds (checked after each chunk), at most `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`SSE: condition not met in ${timeoutMs} ms (${this.events.length} events)`);
      await Promise.race([
        new Promise<void>((resolve) => this.waiters.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, 100)),
        this.done,
      ]);
    }
  }
}

/** Opens /v1/events with `key`; the stream is aborted by `signal`. */
export async function openEvents(url: string, key: string, signal: AbortSignal): Promise<SseReader> {
  const response = await fetch(`${url}/v1/events`, { headers: { authorization: `Bearer ${key}` }, signal });
  if (response.status !== 200) throw new Error(`/v1/events answered ${response.status}`);
  const reader = new SseReader(response);
  await reader.until(() => reader.comments > 0);
  return reader;
}

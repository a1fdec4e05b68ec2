// The API against a test database: a real server on an ephemeral port, connected as jao_reader.
import { Writable } from 'node:stream';
import type pg from 'pg';
import { type ApiSettings, readerDatabaseUrl } from '../../api/config';
import { type RunningApi, startApi } from '../../api/server';
import { createApiKey } from '../../db/apiKeys';

export interface TestApi extends RunningApi {
  /** Every log line the API wrote. */
  logs: string[];
}

export async function startTestApi(
  databaseUrl: string,
  settings: Partial<ApiSettings> = {},
  heartbeatMs?: number,
  keyRecheckMs?: number,
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
    { heartbeatMs, keyRecheckMs, logDestination },
  );
  return { ...api, logs };
}

export async function createTestKey(pool: pg.Pool, datasets: string[] = ['maxExchanges']): Promise<string> {
  return (await createApiKey(pool, { name: 'test', datasets })).token;
}

/** A GET with the key. */
export function getWith(
  key: string | null,
  url: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
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

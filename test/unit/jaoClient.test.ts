import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config';
import { dayWindow } from '../../domain/calendar';
import { statusOf } from '../../domain/dayStatus';
import { validateDayBody } from '../../domain/validate';
import { version } from '../../package.json';
import {
  type FetchOutcome,
  fetchDay,
  fetchWindow,
  type JaoClientOptions,
  maxExchangesUrl,
  parseRetryAfter,
  splitAtUtcMidnights,
} from '../../source/jaoClient';
import { jaoUserAgent } from '../../source/userAgent';

const CORE_TEXT = readFileSync(
  join(__dirname, '..', 'fixtures', 'jao', 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json'),
  'utf8',
);
const ORIGIN = 'https://jao.test';
const EMPTY = '{"data":[],"rejected":false,"messages":null}';

interface SeenRequest {
  url: URL;
  headers: Headers;
}

type Responder = (url: URL) => Response | Promise<Response>;

/** A fetch that answers from a function and records what it was asked. */
function fakeFetch(respond: Responder): { fetchImpl: typeof fetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push({ url, headers: new Headers(init?.headers) });
    return respond(url);
  }) as typeof fetch;
  return { fetchImpl, seen };
}

function options(fetchImpl: typeof fetch, extra: Partial<JaoClientOptions> = {}): JaoClientOptions {
  return { baseUrl: ORIGIN, timeoutMs: 1000, fetchImpl, ...extra };
}

function text(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
}

function hourlyRows(fromIso: string, toIso: string): string {
  const rows: string[] = [];
  for (let t = Date.parse(fromIso); t < Date.parse(toIso); t += 3_600_000) {
    rows.push(
      `{"id":${t / 3_600_000},"dateTimeUtc":"${new Date(t).toISOString().slice(0, 19)}Z","border_AT_BE":1234.0}`,
    );
  }
  return `{"data":[${rows.join(',')}],"rejected":false,"messages":null}`;
}

const APRIL_20 = dayWindow('2026-04-20');

describe('JAO client requests', () => {
  it('builds the URL under the base origin with .000Z instants', () => {
    expect(maxExchangesUrl('https://publicationtool.jao.eu/', APRIL_20)).toBe(
      'https://publicationtool.jao.eu/core/api/data/maxExchanges?FromUtc=2026-04-19T22:00:00.000Z&ToUtc=2026-04-20T22:00:00.000Z',
    );
    expect(maxExchangesUrl(ORIGIN, { from: '2026-04-19T22:00:00Z', to: '2026-04-20T22:00:00Z' })).toBe(
      `${ORIGIN}/core/api/data/maxExchanges?FromUtc=2026-04-19T22:00:00.000Z&ToUtc=2026-04-20T22:00:00.000Z`,
    );
  });

  it('sends the API key as a bearer token only when configured', async () => {
    const withKey = fakeFetch(() => text(EMPTY));
    await fetchDay(options(withKey.fetchImpl, { apiKey: 'secret-key' }), '2026-04-20');
    expect(withKey.seen[0]?.headers.get('authorization')).toBe('Bearer secret-key');
    expect(withKey.seen[0]?.url.searchParams.get('FromUtc')).toBe('2026-04-19T22:00:00.000Z');
    expect(withKey.seen[0]?.url.searchParams.get('ToUtc')).toBe('2026-04-20T22:00:00.000Z');
    const withoutKey = fakeFetch(() => text(EMPTY));
    await fetchDay(options(withoutKey.fetchImpl), '2026-04-20');
    expect(withoutKey.seen[0]?.headers.has('authorization')).toBe(false);
  });

  it('names itself in the User-Agent, with the configured contact', async () => {
    const contact = loadConfig({ JAO_CONTACT: 'ops@example.com' }).JAO_CONTACT;
    const withContact = fakeFetch(() => text(EMPTY));
    await fetchDay(options(withContact.fetchImpl, { userAgent: jaoUserAgent(contact) }), '2026-04-20');
    expect(withContact.seen[0]?.headers.get('user-agent')).toBe(
      `jao-scraper/${version} (+mailto:ops@example.com)`,
    );
    const plain = fakeFetch(() => text(EMPTY));
    await fetchDay(options(plain.fetchImpl), '2026-04-20');
    expect(plain.seen[0]?.headers.get('user-agent')).toBe(`jao-scraper/${version}`);
    expect(jaoUserAgent(loadConfig({ JAO_CONTACT: 'https://github.com/acme/jao-scraper' }).JAO_CONTACT)).toBe(
      `jao-scraper/${version} (+https://github.com/acme/jao-scraper)`,
    );
    for (const bad of ['ftp://example.com', 'call me', 'https://example.com/a (b)']) {
      expect(() => loadConfig({ JAO_CONTACT: bad })).toThrow(/^invalid configuration: JAO_CONTACT: /);
    }
  });
});

describe('JAO client classification', () => {
  it('returns data with the raw body as received', async () => {
    const { fetchImpl, seen } = fakeFetch(() => text(CORE_TEXT));
    const outcome = await fetchWindow(options(fetchImpl), {
      from: '2026-04-20T00:00:00.000Z',
      to: '2026-04-22T00:00:00.000Z',
    });
    expect(outcome).toEqual({ kind: 'data', body: CORE_TEXT, httpStatus: 200, rows: 48, requests: 1 });
    expect(seen).toHaveLength(1);
  });

  it('reads 200 with empty data as not published', async () => {
    const { fetchImpl } = fakeFetch(() => text(EMPTY));
    expect(await fetchDay(options(fetchImpl), '2026-04-20')).toEqual({
      kind: 'not_published',
      body: EMPTY,
      httpStatus: 200,
      requests: 1,
    });
  });

  it('reads rejected:true as a refusal with its messages', async () => {
    const body = '{"data":[],"rejected":true,"messages":["Invalid period","Try later"]}';
    const { fetchImpl } = fakeFetch(() => text(body));
    expect(await fetchDay(options(fetchImpl), '2026-04-20')).toEqual({
      kind: 'rejected',
      body,
      messages: ['Invalid period', 'Try later'],
      httpStatus: 200,
    });
  });

  it('accepts a single message written as a string', async () => {
    const body = '{"data":null,"rejected":true,"messages":"Period not allowed"}';
    const { fetchImpl } = fakeFetch(() => text(body));
    expect(await fetchDay(options(fetchImpl), '2026-04-20')).toMatchObject({
      kind: 'rejected',
      messages: ['Period not allowed'],
    });
  });

  it('classifies 5xx and 429 as retryable, with Retry-After when sent', async () => {
    const cases: Array<[Response, number, number | null]> = [
      [text('oops', 500), 500, null],
      [text('down', 503, { 'Retry-After': '7' }), 503, 7000],
      [text('slow down', 429), 429, null],
      [text('slow down', 429, { 'Retry-After': '120' }), 429, 120_000],
    ];
    for (const [response, status, retryAfterMs] of cases) {
      const { fetchImpl, seen } = fakeFetch(() => response);
      const outcome = await fetchDay(options(fetchImpl), '2026-04-20');
      expect(outcome).toMatchObject({ kind: 'retryable', httpStatus: status, retryAfterMs });
      expect(seen).toHaveLength(1);
    }
  });

  it('classifies network errors and timeouts as retryable without status', async () => {
    const refused = fakeFetch(() => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    });
    const network = await fetchDay(options(refused.fetchImpl), '2026-04-20');
    expect(network).toEqual({
      kind: 'retryable',
      reason: 'network error: fetch failed: ECONNREFUSED connect ECONNREFUSED',
      httpStatus: null,
      retryAfterMs: null,
    });

    const hanging = (async (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const started = Date.now();
    const timedOut = await fetchDay({ baseUrl: ORIGIN, timeoutMs: 50, fetchImpl: hanging }, '2026-04-20');
    expect(timedOut).toEqual({
      kind: 'retryable',
      reason: 'timeout after 50 ms',
      httpStatus: null,
      retryAfterMs: null,
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('classifies other 4xx as permanent, and does not retry a 400 on an ordinary day', async () => {
    for (const status of [400, 401, 403, 404]) {
      const { fetchImpl, seen } = fakeFetch(() => text('{"title":"nope"}', status));
      const outcome = await fetchDay(options(fetchImpl), '2026-04-20');
      expect(outcome).toEqual({
        kind: 'permanent',
        reason: `HTTP ${status}: {"title":"nope"}`,
        httpStatus: status,
        body: '{"title":"nope"}',
      });
      expect(seen).toHaveLength(1);
    }
  });

  it('classifies bodies that are not JSON or not the envelope as malformed', async () => {
    const bodies = [
      ['<!DOCTYPE html><html><body>Maintenance</body></html>', /^body is not JSON/],
      [CORE_TEXT.slice(0, 5000), /^body is not JSON/],
      ['[]', /^not a JAO envelope/],
      ['{"items":[]}', /^not a JAO envelope/],
      ['{"data":"none","rejected":false}', /^not a JAO envelope: data:/],
    ] as const;
    for (const [body, reason] of bodies) {
      const { fetchImpl } = fakeFetch(() => text(body));
      const outcome = await fetchDay(options(fetchImpl), '2026-04-20');
      expect(outcome.kind).toBe('malformed');
      if (outcome.kind !== 'malformed') continue;
      expect(outcome.reason).toMatch(reason);
      expect(outcome.body).toBe(body);
      expect(outcome.httpStatus).toBe(200);
    }
  });
});

describe('JAO client DST fallback', () => {
  const dstDay = '2022-10-30';
  const whole = dayWindow(dstDay);

  function refusingWholeDay(
    pieceAnswer: (url: URL) => Response = (url) =>
      text(hourlyRows(url.searchParams.get('FromUtc')!, url.searchParams.get('ToUtc')!)),
  ) {
    return fakeFetch((url) =>
      url.searchParams.get('FromUtc') === whole.from && url.searchParams.get('ToUtc') === whole.to
        ? text('{"title":"Bad Request"}', 400)
        : pieceAnswer(url),
    );
  }

  it('splits the window at UTC midnight', () => {
    expect(splitAtUtcMidnights(whole)).toEqual([
      { from: '2022-10-29T22:00:00.000Z', to: '2022-10-30T00:00:00.000Z' },
      { from: '2022-10-30T00:00:00.000Z', to: '2022-10-30T23:00:00.000Z' },
    ]);
    expect(splitAtUtcMidnights({ from: '2022-10-30T00:00:00.000Z', to: '2022-10-30T23:00:00.000Z' })).toEqual(
      [{ from: '2022-10-30T00:00:00.000Z', to: '2022-10-30T23:00:00.000Z' }],
    );
  });

  it('retries a 400 on a whole DST day once with smaller windows and merges them', async () => {
    const { fetchImpl, seen } = refusingWholeDay();
    const outcome = await fetchDay(options(fetchImpl), dstDay);
    expect(outcome).toMatchObject({ kind: 'data', httpStatus: 200, rows: 25, requests: 3 });
    expect(seen.map((s) => [s.url.searchParams.get('FromUtc'), s.url.searchParams.get('ToUtc')])).toEqual([
      [whole.from, whole.to],
      ['2022-10-29T22:00:00.000Z', '2022-10-30T00:00:00.000Z'],
      ['2022-10-30T00:00:00.000Z', '2022-10-30T23:00:00.000Z'],
    ]);
    if (outcome.kind !== 'data') return;
    const validated = validateDayBody(dstDay, outcome.body);
    expect(validated.ok).toBe(true);
    if (!validated.ok) return;
    expect([validated.result.receivedMtus, validated.result.expectedMtus]).toEqual([25, 25]);
    expect(statusOf(validated.result)).toBe('complete');
  });

  it('also works on the day DST starts (23 hours)', async () => {
    const spring = dayWindow('2023-03-26');
    const { fetchImpl } = fakeFetch((url) =>
      url.searchParams.get('FromUtc') === spring.from && url.searchParams.get('ToUtc') === spring.to
        ? text('{}', 400)
        : text(hourlyRows(url.searchParams.get('FromUtc')!, url.searchParams.get('ToUtc')!)),
    );
    expect(await fetchDay(options(fetchImpl), '2023-03-26')).toMatchObject({
      kind: 'data',
      rows: 23,
      requests: 3,
    });
  });

  it('merges empty pieces into not published', async () => {
    const { fetchImpl } = refusingWholeDay(() => text(EMPTY));
    expect(await fetchDay(options(fetchImpl), dstDay)).toEqual({
      kind: 'not_published',
      body: EMPTY,
      httpStatus: 200,
      requests: 3,
    });
  });

  it('retries only once: a refused piece ends as permanent, a failing piece keeps its class', async () => {
    const refusedAgain = refusingWholeDay(() => text('{"title":"Bad Request"}', 400));
    const permanent = await fetchDay(options(refusedAgain.fetchImpl), dstDay);
    expect(permanent.kind).toBe('permanent');
    if (permanent.kind === 'permanent') expect(permanent.reason).toMatch(/refused the DST day whole/);
    expect(refusedAgain.seen).toHaveLength(2);

    const unavailable = refusingWholeDay(() => text('busy', 503, { 'Retry-After': '3' }));
    expect(await fetchDay(options(unavailable.fetchImpl), dstDay)).toMatchObject({
      kind: 'retryable',
      httpStatus: 503,
      retryAfterMs: 3000,
    });
    const malformed = refusingWholeDay(() => text('not json'));
    expect((await fetchDay(options(malformed.fetchImpl), dstDay)).kind).toBe('malformed');
  });

  it('does not fall back without the day, or for a window that is not the whole day', async () => {
    const noDay = refusingWholeDay();
    const outcome: FetchOutcome = await fetchWindow(options(noDay.fetchImpl), whole);
    expect(outcome.kind).toBe('permanent');
    expect(noDay.seen).toHaveLength(1);
    const twoDays = fakeFetch(() => text('{}', 400));
    const wide = { from: whole.from, to: '2022-10-31T23:00:00.000Z' };
    expect((await fetchWindow(options(twoDays.fetchImpl), wide, dstDay)).kind).toBe('permanent');
    expect(twoDays.seen).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, ignores the rest', () => {
    const now = Date.parse('2026-04-20T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 20 Apr 2026 10:00:45 GMT', now)).toBe(45_000);
    expect(parseRetryAfter('Mon, 20 Apr 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

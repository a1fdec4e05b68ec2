import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOfInstant, daysInRange, dayWindow } from '../../domain/calendar';
import { MAX_EXCHANGES_PATH } from '../../domain/datasets/compat';
import { statusOf } from '../../domain/dayStatus';
import type { DeliveryDay, KeyedValuesDay } from '../../domain/types';
import { validateDayBody } from '../../domain/validate';
import type { SimulatorFaults } from '../../simulator/faults';
import {
  DUPLICATE_ROW_INDEX,
  MISSING_MTU_INDEX,
  type SimulatorHandle,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/server';
import { DEFAULT_KEY_SET_CHANGE_DAY, keyHash, keySetForDay, rowIdAt, valueAt } from '../../simulator/values';
import { type FetchOutcome, fetchDay, fetchWindow } from '../../source/jaoClient';

const CORE_TEXT = readFileSync(
  join(__dirname, '..', 'fixtures', 'jao', 'core_maxExchanges_2026-04-20T00Z_2026-04-22T00Z.json'),
  'utf8',
);
const NOW = new Date('2026-11-22T12:00:00Z');

type Row = Record<string, unknown>;
interface Envelope {
  data: Row[];
  rejected: boolean;
  messages: unknown;
}

const running: SimulatorHandle[] = [];

async function simulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const handle = await startSimulator({ now: () => NOW, ...options });
  running.push(handle);
  return handle;
}

afterAll(async () => {
  await Promise.all(running.map((handle) => handle.close()));
});

async function get(
  origin: string,
  query: string,
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${origin}${MAX_EXCHANGES_PATH}?${query}`);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function client(origin: string) {
  return { baseUrl: origin, timeoutMs: 5000 };
}

function validated(day: DeliveryDay, outcome: FetchOutcome): KeyedValuesDay {
  if (outcome.kind !== 'data' && outcome.kind !== 'not_published') {
    throw new Error(`expected data for ${day}, got ${outcome.kind}`);
  }
  const result = validateDayBody(day, outcome.body);
  if (!result.ok) throw new Error(`simulated ${day} failed validation: ${result.reason}`);
  return result.result;
}

describe('simulator fidelity', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await simulator();
  });

  it('matches the Core capture envelope and row shape key for key', async () => {
    const { status, text, headers } = await get(
      sim.origin,
      'FromUtc=2026-04-20T00:00:00.000Z&ToUtc=2026-04-22T00:00:00.000Z',
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    const capture = JSON.parse(CORE_TEXT) as Envelope;
    const simulated = JSON.parse(text) as Envelope;
    expect(Object.keys(simulated)).toEqual(Object.keys(capture));
    expect(simulated.rejected).toBe(false);
    expect(simulated.messages).toBeNull();
    expect(simulated.data).toHaveLength(capture.data.length);
    for (let i = 0; i < capture.data.length; i++) {
      const real = capture.data[i]!;
      const fake = simulated.data[i]!;
      expect(Object.keys(fake)).toEqual(Object.keys(real));
      expect(fake.id).toBe(real.id);
      expect(fake.dateTimeUtc).toBe(real.dateTimeUtc);
      for (const [key, value] of Object.entries(fake)) {
        expect(typeof value, key).toBe(typeof real[key]);
        if (key.startsWith('border_')) {
          expect(Number.isInteger(value), key).toBe(true);
          expect(value as number).toBeGreaterThanOrEqual(700);
          expect(value as number).toBeLessThanOrEqual(15_000);
        }
      }
    }
    expect(text).toMatch(
      /^\{"data":\[\{"id":34059,"dateTimeUtc":"2026-04-20T00:00:00Z","border_AT_BE":\d+\.0000000000,/,
    );
    expect(text.endsWith('],"rejected":false,"messages":null}')).toBe(true);
  });

  it('serves days that pass the validator, DST days with 23 and 25 rows', async () => {
    const expectations: Array<[DeliveryDay, number]> = [
      ['2022-06-09', 24],
      ['2022-10-29', 24],
      ['2022-10-30', 25],
      ['2022-10-31', 24],
      ['2023-03-25', 24],
      ['2023-03-26', 23],
      ['2023-03-27', 24],
      ['2025-10-26', 25],
      ['2026-03-29', 23],
    ];
    for (const [day, hours] of expectations) {
      const result = validated(day, await fetchDay(client(sim.origin), day));
      expect([day, result.receivedMtus, result.expectedMtus]).toEqual([day, hours, hours]);
      expect(result.resolutionMinutes).toBe(60);
      expect(result.rejections).toEqual([]);
      expect(result.keys).toHaveLength(132);
      expect(result.points).toHaveLength(hours * 132);
      expect(statusOf(result)).toBe('complete');
      const point = result.points[7]!;
      expect(point.value).toBe(sim.expectedValue(day, point.key, point.mtu));
    }
  });

  it('serves the same values on every request (deterministic per day, key, MTU)', async () => {
    const first = await get(sim.origin, 'FromUtc=2024-02-01T00:00:00.000Z&ToUtc=2024-02-02T00:00:00.000Z');
    const other = await simulator({ seed: 99 });
    const second = await get(other.origin, 'FromUtc=2024-02-01T00:00:00.000Z&ToUtc=2024-02-02T00:00:00.000Z');
    expect(second.text).toBe(first.text);
  });

  it('grows the key set from the configured day on', async () => {
    const changing = await simulator({ keySetChangeDay: '2025-01-01' });
    const before = validated('2024-12-31', await fetchDay(client(changing.origin), '2024-12-31'));
    const after = validated('2025-01-01', await fetchDay(client(changing.origin), '2025-01-01'));
    expect(before.keys).toHaveLength(132);
    expect(after.keys).toHaveLength(156);
    expect(after.keys.filter((key) => !before.keys.includes(key))).toHaveLength(24);
    expect(after.rejections).toEqual([]);
    const byDefault = validated('2026-06-01', await fetchDay(client(sim.origin), '2026-06-01'));
    expect(byDefault.keys).toHaveLength(156);
    expect(validated('2026-05-31', await fetchDay(client(sim.origin), '2026-05-31')).keys).toHaveLength(132);
  });

  it('reads parameter names case-insensitively', async () => {
    const canonical = await get(
      sim.origin,
      'FromUtc=2026-04-20T00:00:00.000Z&ToUtc=2026-04-21T00:00:00.000Z',
    );
    const upper = await get(sim.origin, 'FromUTC=2026-04-20T00:00:00.000Z&ToUTC=2026-04-21T00:00:00.000Z');
    const lower = await get(sim.origin, 'fromutc=2026-04-20T00:00:00.000Z&toutc=2026-04-21T00:00:00.000Z');
    expect(canonical.status).toBe(200);
    expect((JSON.parse(canonical.text) as Envelope).data).toHaveLength(24);
    expect(upper).toEqual(expect.objectContaining({ status: 200, text: canonical.text }));
    expect(lower.text).toBe(canonical.text);
  });

  it('refuses windows over 2 days and bad parameters with 400', async () => {
    const threeDays = await get(
      sim.origin,
      'FromUtc=2026-04-18T00:00:00.000Z&ToUtc=2026-04-21T00:00:00.000Z',
    );
    expect(threeDays.status).toBe(400);
    const twoDaysAndAnHour = await get(
      sim.origin,
      'FromUtc=2026-04-19T00:00:00.000Z&ToUtc=2026-04-21T01:00:00.000Z',
    );
    expect(twoDaysAndAnHour.status).toBe(400);
    const twoDays = await get(sim.origin, 'FromUtc=2026-04-19T00:00:00.000Z&ToUtc=2026-04-21T00:00:00.000Z');
    expect(twoDays.status).toBe(200);
    expect((await get(sim.origin, 'FromUtc=2026-04-19T00:00:00.000Z')).status).toBe(400);
    expect((await get(sim.origin, 'FromUtc=yesterday&ToUtc=today')).status).toBe(400);
    expect(
      (await get(sim.origin, 'FromUtc=2026-04-20T00:00:00.000Z&ToUtc=2026-04-20T00:00:00.000Z')).status,
    ).toBe(400);
    const outcome = await fetchWindow(client(sim.origin), {
      from: '2026-04-18T00:00:00.000Z',
      to: '2026-04-21T00:00:00.000Z',
    });
    expect(outcome.kind).toBe('permanent');
    expect((await fetch(`${sim.origin}/core/api/data/somethingElse`)).status).toBe(404);
  });

  it('publishes nothing before 2022-06-09', async () => {
    expect(await fetchDay(client(sim.origin), '2022-06-08')).toMatchObject({
      kind: 'not_published',
      httpStatus: 200,
    });
    const across = await get(sim.origin, 'FromUtc=2022-06-08T00:00:00.000Z&ToUtc=2022-06-09T22:00:00.000Z');
    const rows = (JSON.parse(across.text) as Envelope).data;
    expect(rows).toHaveLength(24);
    expect(rows[0]?.dateTimeUtc).toBe('2022-06-08T22:00:00Z');
  });

  it('logs every data request with its window and status', async () => {
    const logged = await simulator();
    await get(logged.origin, 'FromUTC=2026-04-20T00:00:00.000Z&ToUTC=2026-04-21T00:00:00.000Z');
    await get(logged.origin, 'FromUtc=2026-04-18T00:00:00.000Z&ToUtc=2026-04-21T00:00:00.000Z');
    expect(logged.requests.map(({ fromUtc, toUtc, status }) => ({ fromUtc, toUtc, status }))).toEqual([
      { fromUtc: '2026-04-20T00:00:00.000Z', toUtc: '2026-04-21T00:00:00.000Z', status: 200 },
      { fromUtc: '2026-04-18T00:00:00.000Z', toUtc: '2026-04-21T00:00:00.000Z', status: 400 },
    ]);
    expect(logged.requests[0]!.at).toBeGreaterThan(Date.parse('2026-01-01'));
  });
});

describe('simulator publication clock', () => {
  it('publishes D+1 at the configured local time on D and later days never', async () => {
    let now = new Date('2026-04-19T05:59:00Z');
    const sim = await simulator({ now: () => now, publicationTime: '08:00' });
    const origin = client(sim.origin);
    expect((await fetchDay(origin, '2026-04-19')).kind).toBe('data');
    expect((await fetchDay(origin, '2026-04-20')).kind).toBe('not_published');
    now = new Date('2026-04-19T06:00:00Z');
    expect(await fetchDay(origin, '2026-04-20')).toMatchObject({ kind: 'data', rows: 24 });
    expect((await fetchDay(origin, '2026-04-21')).kind).toBe('not_published');
    const late = await simulator({ now: () => new Date('2026-01-10T10:00:00Z'), publicationTime: '12:30' });
    expect((await fetchDay(client(late.origin), '2026-01-11')).kind).toBe('not_published');
    const later = await simulator({ now: () => new Date('2026-01-10T11:30:00Z'), publicationTime: '12:30' });
    expect((await fetchDay(client(later.origin), '2026-01-11')).kind).toBe('data');
  });
});

describe('simulator revisions', () => {
  it('changes every value of a revised day from the next request on, and keeps them changed', async () => {
    const sim = await simulator();
    const day = '2025-03-10';
    const before = validated(day, await fetchDay(client(sim.origin), day));
    const neighbourBefore = await fetchDay(client(sim.origin), '2025-03-11');
    expect(sim.revisionOf(day)).toBe(0);
    expect(sim.reviseDay(day)).toBe(1);
    expect(sim.revisionOf(day)).toBe(1);
    const after = validated(day, await fetchDay(client(sim.origin), day));
    const again = validated(day, await fetchDay(client(sim.origin), day));
    expect(after.points).toHaveLength(before.points.length);
    let changed = 0;
    for (let i = 0; i < before.points.length; i++) {
      const was = before.points[i]!;
      const is = after.points[i]!;
      expect([is.key, is.mtu]).toEqual([was.key, was.mtu]);
      if (is.value !== was.value) changed++;
      expect(is.value).toBe(sim.expectedValue(day, is.key, is.mtu));
    }
    expect(changed).toBe(24 * 132);
    expect(again.points).toEqual(after.points);
    expect(await fetchDay(client(sim.origin), '2025-03-11')).toEqual(neighbourBefore);
    expect(sim.reviseDay(day)).toBe(2);
    const twice = validated(day, await fetchDay(client(sim.origin), day));
    expect(twice.points.filter((p, i) => p.value !== after.points[i]!.value)).toHaveLength(24 * 132);
  });
});

describe('simulator faults', () => {
  it('adds latency to every answer', async () => {
    const sim = await simulator({ faults: { latencyMs: 150 } });
    const started = performance.now();
    await fetchDay(client(sim.origin), '2026-04-20');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('answers a seeded, reproducible share of 5xx', async () => {
    const statuses = async (seed: number) => {
      const sim = await simulator({ seed, faults: { errorRate: 0.5 } });
      const seen: number[] = [];
      for (let i = 0; i < 40; i++) {
        seen.push(
          (await get(sim.origin, 'FromUtc=2026-04-20T00:00:00.000Z&ToUtc=2026-04-21T00:00:00.000Z')).status,
        );
      }
      return seen;
    };
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    const errors = first.filter((status) => status >= 500).length;
    expect(errors).toBeGreaterThan(8);
    expect(errors).toBeLessThan(32);
    expect(first.every((status) => status === 200 || [500, 502, 503].includes(status))).toBe(true);

    const always = await simulator({ faults: { errorRate: 1 } });
    const outcome = await fetchDay(client(always.origin), '2026-04-20');
    expect(outcome.kind).toBe('retryable');
  });

  it('answers 429 above the request rate, with Retry-After only when configured', async () => {
    const sim = await simulator({ faults: { maxRequestsPerMinute: 3 } });
    const kinds: string[] = [];
    for (let i = 0; i < 5; i++) kinds.push((await fetchDay(client(sim.origin), '2026-04-20')).kind);
    expect(kinds).toEqual(['data', 'data', 'data', 'retryable', 'retryable']);
    const limited = await fetchDay(client(sim.origin), '2026-04-20');
    expect(limited).toMatchObject({ kind: 'retryable', httpStatus: 429, retryAfterMs: null });
    sim.setFaults({ retryAfterSeconds: 30 });
    expect(await fetchDay(client(sim.origin), '2026-04-20')).toMatchObject({
      kind: 'retryable',
      httpStatus: 429,
      retryAfterMs: 30_000,
    });
    sim.setFaults({ maxRequestsPerMinute: null });
    expect((await fetchDay(client(sim.origin), '2026-04-20')).kind).toBe('data');
  });

  it('truncates, breaks and rejects the configured days only', async () => {
    const sim = await simulator({
      faults: { truncatedDays: ['2026-04-01'], malformedDays: ['2026-04-02'], rejectedDays: ['2026-04-03'] },
    });
    const truncated = await fetchDay(client(sim.origin), '2026-04-01');
    expect(truncated.kind).toBe('malformed');
    if (truncated.kind === 'malformed') expect(truncated.reason).toMatch(/^body is not JSON/);
    const html = await fetchDay(client(sim.origin), '2026-04-02');
    expect(html).toMatchObject({ kind: 'malformed', httpStatus: 200 });
    if (html.kind === 'malformed') expect(html.body).toMatch(/^<!DOCTYPE html>/);
    const rejected = await fetchDay(client(sim.origin), '2026-04-03');
    expect(rejected).toMatchObject({
      kind: 'rejected',
      httpStatus: 200,
      messages: ['The request for delivery day 2026-04-03 was rejected (simulated).'],
    });
    expect((await fetchDay(client(sim.origin), '2026-04-04')).kind).toBe('data');
    sim.setFaults({ truncatedDays: [] });
    expect((await fetchDay(client(sim.origin), '2026-04-01')).kind).toBe('data');
  });

  it('leaves out the third MTU of a missing-MTU day', async () => {
    const sim = await simulator({ faults: { missingMtuDays: ['2022-10-30'] } });
    const result = validated('2022-10-30', await fetchDay(client(sim.origin), '2022-10-30'));
    expect([result.receivedMtus, result.expectedMtus]).toEqual([24, 25]);
    expect(result.missingMtus).toEqual(['2022-10-30T00:00:00.000Z']);
    expect(statusOf(result)).toBe('partial');
  });

  it('refuses a whole DST day with 400 when asked to; the client falls back to smaller windows', async () => {
    const sim = await simulator({ faults: { dstSplitRefusal: true } });
    const window = dayWindow('2022-10-30');
    const whole = await get(sim.origin, `FromUtc=${window.from}&ToUtc=${window.to}`);
    expect(whole.status).toBe(400);
    const outcome = await fetchDay(client(sim.origin), '2022-10-30');
    expect(outcome).toMatchObject({ kind: 'data', rows: 25, requests: 3 });
    const result = validated('2022-10-30', outcome);
    expect(statusOf(result)).toBe('complete');
    expect(result.points).toHaveLength(25 * 132);
    expect(sim.requests.map((r) => r.status)).toEqual([400, 400, 200, 200]);
    expect(await fetchDay(client(sim.origin), '2022-10-31')).toMatchObject({ kind: 'data', requests: 1 });
  });

  it('refuses invalid faults', async () => {
    const sim = await simulator();
    expect(() => sim.setFaults({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => sim.setFaults({ truncatedDays: ['2026-02-30'] })).toThrow(/truncatedDays/);
    await expect(startSimulator({ faults: { latencyMs: -1 } })).rejects.toThrow(/latencyMs/);
  });

  it('takes faults over HTTP whatever the body type (curl -d sends a form), and refuses a body over 64 KiB', async () => {
    const sim = await simulator();
    const post = (body: string, type: string) =>
      fetch(`${sim.origin}/_simulator/faults`, { method: 'POST', body, headers: { 'content-type': type } });
    const form = await post('{"errorRate":0.2}', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(200);
    expect(await form.json()).toMatchObject({ errorRate: 0.2 });
    const large = await post(
      JSON.stringify({ truncatedDays: Array(7_000).fill('2024-02-14') }),
      'application/json',
    );
    expect(large.status).toBe(400);
    expect(await large.json()).toMatchObject({ detail: 'body too large' });
    const invalid = await post('{"errorRate":2}', 'application/json');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      detail: expect.stringMatching(/^invalid faults: errorRate/),
    });
    expect(await (await fetch(`${sim.origin}/_simulator/faults`)).json()).toMatchObject({ errorRate: 0.2 });
  });
});

describe('simulator control over HTTP', () => {
  it('changes faults, revises a day and lists requests', async () => {
    const sim = await simulator();
    const post = (path: string, body?: unknown) =>
      fetch(`${sim.origin}${path}`, {
        method: 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const set = await post('/_simulator/faults', { rejectedDays: ['2026-04-20'], latencyMs: 5 });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ rejectedDays: ['2026-04-20'], latencyMs: 5, errorRate: 0 });
    expect((await fetchDay(client(sim.origin), '2026-04-20')).kind).toBe('rejected');

    expect((await post('/_simulator/faults', { errorRate: 'high' })).status).toBe(400);
    expect((await post('/_simulator/faults', { noSuchFault: true })).status).toBe(400);
    expect((await post('/_simulator/faults', 'not json')).status).toBe(400);
    const current = (await (await fetch(`${sim.origin}/_simulator/faults`)).json()) as Record<
      string,
      unknown
    >;
    expect(current.rejectedDays).toEqual(['2026-04-20']);

    // The version served from now on, numbered as the store numbers revisions: the first publication is 1.
    const revised = await post('/_simulator/revise?day=2026-04-21');
    expect(await revised.json()).toEqual({ day: '2026-04-21', dataset: 'maxExchanges', version: 2 });
    expect(sim.revisionOf('2026-04-21')).toBe(1);
    expect(await (await post('/_simulator/revise?day=2026-04-21')).json()).toMatchObject({ version: 3 });
    expect((await post('/_simulator/revise?day=21.04.2026')).status).toBe(400);

    const requests = (await (await fetch(`${sim.origin}/_simulator/requests`)).json()) as unknown[];
    expect(requests).toEqual([
      {
        at: expect.any(Number),
        dataset: 'maxExchanges',
        fromUtc: '2026-04-19T22:00:00.000Z',
        toUtc: '2026-04-20T22:00:00.000Z',
        status: 200,
      },
    ]);
  });
});

describe('simulator content anomalies', () => {
  it('serves each anomaly on the chosen days only, set at run time over HTTP', async () => {
    const sim = await simulator();
    const day = '2026-03-10';
    const body = async () => {
      const outcome = await fetchDay(client(sim.origin), day);
      if (outcome.kind !== 'data') throw new Error(outcome.kind);
      return JSON.parse(outcome.body) as Envelope;
    };
    const setFaults = async (faults: unknown) => {
      const response = await fetch(`${sim.origin}/_simulator/faults`, {
        method: 'POST',
        body: JSON.stringify(faults),
      });
      expect(response.status).toBe(200);
    };
    const clean = await body();

    await setFaults({ nullValueDays: [day], nullValueCells: 140 });
    const nulls = (await body()).data.flatMap((row) => Object.values(row).filter((v) => v === null));
    expect(nulls).toHaveLength(140);
    await setFaults({ nullValueDays: [], duplicateRowDays: [day] });
    let rows = (await body()).data;
    expect(rows).toHaveLength(25);
    expect(rows[4]).toEqual(rows[3]);
    await setFaults({ duplicateRowDays: [], conflictingDuplicateDays: [day] });
    rows = (await body()).data;
    expect([rows.length, rows[4]!.dateTimeUtc, rows[4]!.border_AT_BE]).toEqual([
      25,
      rows[3]!.dateTimeUtc,
      (rows[3]!.border_AT_BE as number) + 1,
    ]);
    await setFaults({ conflictingDuplicateDays: [], stringValueDays: [day] });
    expect((await body()).data[0]!.border_AT_BE).toBe(`${clean.data[0]!.border_AT_BE}.0000000000`);
    await setFaults({ stringValueDays: [], extraFieldDays: [day] });
    expect(Object.keys((await body()).data[0]!).slice(-2)).toEqual(['lastModifiedOn', 'comment']);
    await setFaults({ extraFieldDays: [], quarterHourDays: [day] });
    rows = (await body()).data;
    expect(rows.map((row) => row.dateTimeUtc).slice(0, 2)).toEqual([
      '2026-03-09T23:00:00Z',
      '2026-03-09T23:15:00Z',
    ]);
    expect(new Set(rows.map((row) => row.id)).size).toBe(96);
    await setFaults({ quarterHourDays: [], badKeyDays: [day], manyKeysDays: [day], manyKeysCount: 300 });
    const keys = Object.keys((await body()).data[0]!);
    expect(keys).toHaveLength(134 + 2 + 300);
    expect(keys).toContain('border_AT\u0000_BE');
    expect(keys.filter((key) => key.length === 3_000)).toHaveLength(1);
    await setFaults({ badKeyDays: [], manyKeysDays: [] });
    expect(await body()).toEqual(clean);
    const other = await fetchDay(client(sim.origin), '2026-03-11');
    expect(other.kind).toBe('data');
  });
});

// What the simulator answers, decoded: every row's members in order with their values as written (JAO's
// `4346.0000000000`), compared with the simulator's value model, and each fault's effect on the answer. A change
// to any of them changes what the pipeline stores from it; a failure names the row's MTU and the member.
describe('simulator answers, member by member', () => {
  /** A row of a JSON answer as written: its members in order, each value as its JSON text. */
  interface TextRow {
    mtu: string;
    members: [string, string][];
  }
  const ROW = /\{[^{}]*\}/g;
  const MEMBER = /"((?:[^"\\]|\\.)*)":(null|"(?:[^"\\]|\\.)*"|[^,}]+)/g;
  const decodeRows = (text: string): TextRow[] =>
    [...text.matchAll(ROW)].map(([row]) => {
      const members = [...row.matchAll(MEMBER)].map(([, name, value]): [string, string] => [name!, value!]);
      return { mtu: members.find(([name]) => name === 'dateTimeUtc')?.[1] ?? '?', members };
    });

  const HOUR = 3_600_000;
  /** The rows the value model gives for [from, to), one per `stepMs`, as the Core profile writes them. */
  function modelRows(from: string, to: string, stepMs = HOUR): TextRow[] {
    const rows: TextRow[] = [];
    for (let ms = Date.parse(from); ms < Date.parse(to); ms += stepMs) {
      const mtu = `"${new Date(ms).toISOString().replace('.000Z', 'Z')}"`;
      const day = dayOfInstant(new Date(ms));
      const id = stepMs === HOUR ? rowIdAt(ms) : 4 * rowIdAt(ms) + Math.floor((ms % HOUR) / stepMs);
      const keys = keySetForDay(day, DEFAULT_KEY_SET_CHANGE_DAY).keys;
      rows.push({
        mtu,
        members: [
          ['id', String(id)],
          ['dateTimeUtc', mtu],
          ...keys.map((key): [string, string] => [key, `${valueAt(keyHash(key), ms, 0)}.0000000000`]),
        ],
      });
    }
    return rows;
  }

  /** What differs, one line each (at most 10): the row's MTU and the member, as answered and as expected. */
  function differences(actual: TextRow[], expected: TextRow[]): string[] {
    const found: string[] = [];
    if (actual.length !== expected.length) found.push(`${actual.length} rows, expected ${expected.length}`);
    for (let i = 0; i < Math.min(actual.length, expected.length) && found.length < 10; i++) {
      const [a, e] = [actual[i]!, expected[i]!];
      const at = `row ${i} (MTU ${e.mtu})`;
      for (let m = 0; m < Math.max(a.members.length, e.members.length) && found.length < 10; m++) {
        const [got, want] = [a.members[m], e.members[m]];
        if (got?.[0] === want?.[0] && got?.[1] === want?.[1]) continue;
        found.push(
          `${at} member ${m}: ${got ? `${got[0]}=${got[1]}` : 'none'}, expected ${want ? `${want[0]}=${want[1]}` : 'none'}`,
        );
      }
    }
    return found;
  }

  const WINTER: [string, string] = ['2024-02-13T23:00:00.000Z', '2024-02-14T23:00:00.000Z'];
  async function answer(faults: Partial<SimulatorFaults>, [from, to]: [string, string]) {
    const sim = await simulator({ faults });
    const response = await fetch(`${sim.origin}${MAX_EXCHANGES_PATH}?FromUtc=${from}&ToUtc=${to}`);
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }
  /** An RFC 9457 problem answer, its members in the order written. */
  const problemOf = (text: string) => {
    const value = JSON.parse(text) as Record<string, unknown>;
    return { keys: Object.keys(value), ...value };
  };

  it.each([
    ['a winter day', WINTER, 24],
    ['the 23-hour DST day', ['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z'], 23],
    ['the 25-hour DST day', ['2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z'], 25],
    [
      'a 2-day window across the key-set change',
      ['2026-05-30T22:00:00.000Z', '2026-06-01T22:00:00.000Z'],
      48,
    ],
  ] as [string, [string, string], number][])(
    "answers %s with the model's rows as JAO writes them",
    async (_name, window, count) => {
      const { status, type, text } = await answer({}, window);
      expect({ status, type }).toEqual({ status: 200, type: 'application/json; charset=utf-8' });
      expect(text.startsWith('{"data":[{"id":')).toBe(true);
      expect(text.endsWith('}],"rejected":false,"messages":null}')).toBe(true);
      const expected = modelRows(...window);
      expect(expected).toHaveLength(count);
      expect(differences(decodeRows(text), expected)).toEqual([]);
    },
  );

  it('answers the key-set change day with the new keys, the day before with the Core keys', async () => {
    const rows = decodeRows(
      (await answer({}, ['2026-05-30T22:00:00.000Z', '2026-06-01T22:00:00.000Z'])).text,
    );
    expect([rows[0]!.members.length, rows[47]!.members.length]).toEqual([2 + 132, 2 + 156]);
  });

  it('leaves out the third MTU of a day with a missing MTU', async () => {
    const expected = modelRows(...WINTER).filter((_row, index) => index !== MISSING_MTU_INDEX);
    expect(
      differences(decodeRows((await answer({ missingMtuDays: ['2024-02-14'] }, WINTER)).text), expected),
    ).toEqual([]);
  });

  it('ends a truncated body halfway through the whole one', async () => {
    const whole = (await answer({}, WINTER)).text;
    const truncated = await answer({ truncatedDays: ['2024-02-14'] }, WINTER);
    expect(truncated.status).toBe(200);
    const ends = { length: truncated.text.length, prefixOfWhole: whole.startsWith(truncated.text) };
    expect(ends).toEqual({ length: Math.floor(whole.length / 2), prefixOfWhole: true });
    expect(() => JSON.parse(truncated.text)).toThrow(SyntaxError);
  });

  it('answers an HTML page with status 200 on a malformed day', async () => {
    const page = await answer({ malformedDays: ['2024-02-14'] }, WINTER);
    expect({ status: page.status, type: page.type }).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
    });
    expect(page.text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(() => JSON.parse(page.text)).toThrow(SyntaxError);
  });

  it('answers rejected:true with a message naming the day', async () => {
    const rejected = await answer({ rejectedDays: ['2024-02-14'] }, WINTER);
    expect(rejected.status).toBe(200);
    expect(problemOf(rejected.text)).toEqual({
      keys: ['data', 'rejected', 'messages'],
      data: [],
      rejected: true,
      messages: [expect.stringContaining('2024-02-14')],
    });
  });

  it.each([
    [
      'a window over 2 days',
      {},
      ['2024-02-13T23:00:00.000Z', '2024-02-16T00:00:00.000Z'],
      400,
      'Bad Request',
      '2 days',
    ],
    [
      'the DST refusal',
      { dstSplitRefusal: true },
      ['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z'],
      400,
      'Bad Request',
      '2024-03-31',
    ],
    ['a 5xx', { errorRate: 1 }, WINTER, 500, 'Server Error', 'simulated'],
  ] as [string, Partial<SimulatorFaults>, [string, string], number, string, string][])(
    'answers %s as a problem',
    async (_name, faults, window, status, title, named) => {
      const problem = await answer(faults, window);
      expect({ status: problem.status, type: problem.type }).toEqual({
        status,
        type: 'application/json; charset=utf-8',
      });
      expect(problemOf(problem.text)).toEqual({
        keys: ['type', 'title', 'status', 'detail'],
        type: 'about:blank',
        title,
        status,
        detail: expect.stringContaining(named),
      });
    },
  );

  it("serves 15-minute rows with ids of their own and the hour's values", async () => {
    const rows = decodeRows((await answer({ quarterHourDays: ['2024-02-14'] }, WINTER)).text);
    expect(differences(rows, modelRows(...WINTER, 15 * 60_000))).toEqual([]);
  });

  it("writes each content anomaly into the model's rows and nothing else", async () => {
    const faults: Partial<SimulatorFaults> = {
      nullValueDays: ['2024-02-14'],
      duplicateRowDays: ['2024-02-14'],
      conflictingDuplicateDays: ['2024-02-14'],
      extraFieldDays: ['2024-02-14'],
      badKeyDays: ['2024-02-14'],
      stringValueDays: ['2024-02-15'],
      manyKeysDays: ['2024-02-15'],
      manyKeysCount: 20,
    };
    const rows = decodeRows(
      (await answer(faults, ['2024-02-13T23:00:00.000Z', '2024-02-15T23:00:00.000Z'])).text,
    );
    const [first, second] = [
      modelRows(...WINTER),
      modelRows('2024-02-14T23:00:00.000Z', '2024-02-15T23:00:00.000Z'),
    ];
    const core = 2 + 132;
    // 2024-02-14: a duplicate and a conflicting duplicate after the fourth row, the first 25 values null, and
    // lastModifiedOn, comment and bad keys after the keys of every row.
    const anomalous = rows.slice(0, 26);
    const extras = anomalous[0]!.members.slice(core).map(([name]) => name);
    expect(extras.slice(0, 2)).toEqual(['lastModifiedOn', 'comment']);
    for (const row of anomalous) expect(row.members.slice(core).map(([name]) => name)).toEqual(extras);
    expect(anomalous[DUPLICATE_ROW_INDEX + 1]).toEqual(anomalous[DUPLICATE_ROW_INDEX]);
    const conflicting = anomalous[DUPLICATE_ROW_INDEX + 2]!;
    const original = anomalous[DUPLICATE_ROW_INDEX]!;
    expect(Number(conflicting.members[2]![1])).toBe(Number(original.members[2]![1]) + 1);
    expect(
      differences(
        [{ ...conflicting, members: conflicting.members.slice(3) }],
        [{ ...original, members: original.members.slice(3) }],
      ),
    ).toEqual([]);
    const nulled = first[0]!.members.map(([name, value], m): [string, string] => [
      name,
      m >= 2 && m < 27 ? 'null' : value,
    ]);
    const withoutCopies = anomalous.filter(
      (_row, index) => index !== DUPLICATE_ROW_INDEX + 1 && index !== DUPLICATE_ROW_INDEX + 2,
    );
    expect(
      differences(
        withoutCopies.map((row) => ({ ...row, members: row.members.slice(0, core) })),
        first.map((row, index) => (index === 0 ? { ...row, members: nulled } : row)),
      ),
    ).toEqual([]);
    // 2024-02-15: every value a JSON string of the same text, and 20 more keys after the Core keys.
    const stringy = rows.slice(26);
    for (const row of stringy) expect(row.members).toHaveLength(core + 20);
    expect(
      differences(
        stringy.map((row) => ({
          ...row,
          members: row.members
            .slice(0, core)
            .map(([name, value], m): [string, string] => [name, m >= 2 ? String(JSON.parse(value)) : value]),
        })),
        second,
      ),
    ).toEqual([]);
  });
});

// How fast it serves is bench:backfill's to measure (its direct pass); here a year must come out exact.
describe('simulator over a year', () => {
  it('serves a year of days that validate to every value', async () => {
    const sim = await simulator();
    let points = 0;
    for (const day of daysInRange('2025-01-01', '2025-12-31')) {
      points += validated(day, await fetchDay(client(sim.origin), day)).points.length;
    }
    expect(points).toBe(365 * 24 * 132);
  });
});

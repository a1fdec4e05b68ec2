// The simulator's state without HTTP: publication, revisions, faults, the request log and the rate window; and the
// data path's answers computed from it.
import { describe, expect, it } from 'vitest';
import { answerDataRequest, MAX_WINDOW_MS } from '../../simulator/dataAnswer';
import { SimulatorInputError } from '../../simulator/faults';
import { RATE_WINDOW_MS, REQUEST_LOG_LIMIT, SimulatorState } from '../../simulator/state';

const NOW = new Date('2026-11-22T12:00:00Z');

function state(overrides: Partial<ConstructorParameters<typeof SimulatorState>[0]> = {}): SimulatorState {
  return new SimulatorState({
    now: () => NOW,
    publicationTime: '08:00',
    keySetChangeDay: '2026-06-01',
    seed: 1,
    ...overrides,
  });
}

const dayQuery = { fromutc: '2024-02-13T23:00:00.000Z', toutc: '2024-02-14T23:00:00.000Z' };

describe('simulator state', () => {
  it('publishes from go-live to today, and tomorrow from the publication time on (Europe/Amsterdam)', () => {
    const simulator = state();
    expect(simulator.isPublished('2022-06-08', NOW)).toBe(false);
    expect(simulator.isPublished('2022-06-09', NOW)).toBe(true);
    expect(simulator.isPublished('2026-11-22', NOW)).toBe(true);
    expect(simulator.isPublished('2026-11-23', new Date('2026-11-22T06:59:59Z'))).toBe(false);
    expect(simulator.isPublished('2026-11-23', new Date('2026-11-22T07:00:00Z'))).toBe(true);
    expect(simulator.isPublished('2026-11-24', NOW)).toBe(false);
  });

  it('publishes and unpublishes a day at a chosen instant, overriding its publication time', () => {
    const simulator = state();
    simulator.unpublishDay('2026-11-20');
    expect(simulator.isPublished('2026-11-20', NOW)).toBe(false);
    expect(simulator.publishedFrom('2026-11-20')).toBeNull();
    simulator.publishDay('2026-11-20', new Date('2026-11-22T12:30:00Z'));
    expect(simulator.isPublished('2026-11-20', NOW)).toBe(false);
    expect(simulator.isPublished('2026-11-20', new Date('2026-11-22T12:30:00Z'))).toBe(true);
    simulator.publishDay('2026-11-25');
    expect(simulator.publishedFrom('2026-11-25')).toEqual(NOW);
    expect(() => simulator.publishDay('2026-13-01')).toThrow(SimulatorInputError);
  });

  it('counts revisions per day', () => {
    const simulator = state();
    expect(simulator.revisionOf('2024-02-14')).toBe(0);
    expect(simulator.reviseDay('2024-02-14')).toBe(1);
    expect(simulator.reviseDay('2024-02-14')).toBe(2);
    expect(simulator.revisionOf('2024-02-15')).toBe(0);
    expect(() => simulator.reviseDay('yesterday')).toThrow(SimulatorInputError);
  });

  it('merges fault changes and refuses an invalid one without changing anything', () => {
    const simulator = state({ faults: { latencyMs: 5 } });
    expect(simulator.setFaults({ errorRate: 0.5 })).toMatchObject({ latencyMs: 5, errorRate: 0.5 });
    expect(() => simulator.setFaults({ errorRate: 2, latencyMs: 1 })).toThrow(/errorRate/);
    expect(simulator.faults).toMatchObject({ latencyMs: 5, errorRate: 0.5 });
  });

  it('limits answers to maxRequestsPerMinute in a sliding window', () => {
    const simulator = state({ faults: { maxRequestsPerMinute: 2 } });
    expect(simulator.isRateLimited(0)).toBe(false);
    expect(simulator.isRateLimited(1_000)).toBe(false);
    expect(simulator.isRateLimited(2_000)).toBe(true);
    expect(simulator.isRateLimited(RATE_WINDOW_MS - 1)).toBe(true);
    // The first answer leaves the window; refused requests were never counted.
    expect(simulator.isRateLimited(RATE_WINDOW_MS)).toBe(false);
    expect(simulator.isRateLimited(RATE_WINDOW_MS + 500)).toBe(true);
    expect(simulator.isRateLimited(RATE_WINDOW_MS + 1_000)).toBe(false);
  });

  it('keeps the request log bounded, dropping the oldest tenth', () => {
    const simulator = state();
    for (let at = 0; at <= REQUEST_LOG_LIMIT; at++) {
      simulator.logRequest({ at, fromUtc: null, toUtc: null, status: 200 });
    }
    expect(simulator.requests).toHaveLength(REQUEST_LOG_LIMIT - REQUEST_LOG_LIMIT / 10 + 1);
    expect(simulator.requests[0]!.at).toBe(REQUEST_LOG_LIMIT / 10);
    simulator.clearRequests();
    expect(simulator.requests).toHaveLength(0);
  });
});

describe('data answers from the state', () => {
  it('answers a day with 24 rows, and rows of a new revision after reviseDay', () => {
    const simulator = state();
    const first = answerDataRequest(simulator, dayQuery, 0);
    expect(first.status).toBe(200);
    expect((JSON.parse(first.body) as { data: unknown[] }).data).toHaveLength(24);
    simulator.reviseDay('2024-02-14');
    expect(answerDataRequest(simulator, dayQuery, 1).body).not.toBe(first.body);
  });

  it('answers 429 beyond the rate, with Retry-After only when configured', () => {
    const simulator = state({ faults: { maxRequestsPerMinute: 1 } });
    expect(answerDataRequest(simulator, dayQuery, 0).status).toBe(200);
    const limited = answerDataRequest(simulator, dayQuery, 1);
    expect(limited.status).toBe(429);
    expect(limited.headers).toBeUndefined();
    simulator.setFaults({ retryAfterSeconds: 7 });
    expect(answerDataRequest(simulator, dayQuery, 2).headers).toEqual({ 'Retry-After': '7' });
  });

  it('refuses windows over 2 days and missing parameters with 400', () => {
    const simulator = state();
    const from = Date.parse(dayQuery.fromutc);
    const tooLong = {
      fromutc: dayQuery.fromutc,
      toutc: new Date(from + MAX_WINDOW_MS + 3_600_000).toISOString(),
    };
    expect(answerDataRequest(simulator, tooLong, 0).status).toBe(400);
    expect(answerDataRequest(simulator, { fromutc: dayQuery.fromutc }, 0).status).toBe(400);
  });

  it('answers rejected:true and truncated bodies on the configured days', () => {
    const simulator = state({ faults: { rejectedDays: ['2024-02-14'] } });
    expect(JSON.parse(answerDataRequest(simulator, dayQuery, 0).body)).toMatchObject({ rejected: true });
    simulator.setFaults({ rejectedDays: [], truncatedDays: ['2024-02-14'] });
    expect(() => JSON.parse(answerDataRequest(simulator, dayQuery, 0).body)).toThrow();
  });
});

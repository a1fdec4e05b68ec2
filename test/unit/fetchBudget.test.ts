// The fetch budget where Temporal refuses the worker the fleet-wide rate limit: each worker's share of
// JAO_MAX_REQUESTS_PER_MINUTE, the options that hold it, and the one line that says which mode runs.
import type { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config';
import {
  createRequestSpacer,
  FETCH_DELAY_SECONDS,
  fetchWorkerRateOptions,
  SHARE_BURST,
  shareWindowBound,
  spacedFetch,
  workerShareOf,
} from '../../control/fetchBudget';
import {
  agreeOnFetchRateLimit,
  describeFetchRateLimit,
  FleetRateLimitConflict,
} from '../../control/fetchRateLimit';
import { fetchRatePerSecond } from '../../domain/fetchRate';

/** An error as @temporalio/client throws it for a gRPC status. */
function grpcError(code: number, name: string, details = 'Request unauthorized.'): Error {
  return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: {} });
}
const PERMISSION_DENIED = () => grpcError(7, 'PERMISSION_DENIED');
const UNIMPLEMENTED = () => grpcError(12, 'UNIMPLEMENTED', 'unknown method');

const fail = (error: Error) => () => Promise.reject(error);

describe("a worker's share of the limit", () => {
  it('keeps every minute of the fleet within JAO_MAX_REQUESTS_PER_MINUTE', () => {
    for (const limit of [2, 7, 30, 60, 90, 100, 240, 600, 6_000]) {
      for (let workers = 1; limit / workers >= 2 * SHARE_BURST; workers++) {
        const share = workerShareOf(limit, workers);
        expect(share.perMinute * workers).toBeCloseTo(limit, 9);
        // A worker's busiest minute at JAO: its rate over the minute and the delay to JAO, and its burst.
        expect(
          workers * ((60 + FETCH_DELAY_SECONDS) * share.ratePerSecond + SHARE_BURST),
        ).toBeLessThanOrEqual(limit + 1e-9);
        expect(workers * shareWindowBound(share, 60_000)).toBeLessThanOrEqual(limit);
        expect(share.ratePerSecond).toBeGreaterThan(0);
      }
    }
    expect(workerShareOf(90, 2)).toEqual({ fetchWorkers: 2, perMinute: 45, ratePerSecond: 44 / 61 });
    // Below 2 a minute the share still fetches, at half its rate.
    expect(workerShareOf(1, 1).ratePerSecond).toBeCloseTo(0.5 / 61, 9);
  });

  it("sends the fleet's rate with every poll in both modes; limits the worker itself only on its share", () => {
    expect(fetchWorkerRateOptions({ mode: 'fleet' }, 90)).toEqual({
      maxTaskQueueActivitiesPerSecond: fetchRatePerSecond(90),
    });
    expect(fetchWorkerRateOptions({ mode: 'worker-share', share: workerShareOf(90, 3) }, 90)).toEqual({
      maxTaskQueueActivitiesPerSecond: fetchRatePerSecond(90),
      maxActivitiesPerSecond: (30 - SHARE_BURST) / 61,
      maxConcurrentActivityTaskPolls: 1,
    });
  });

  /** A clock of the test's own: sleeping moves it, by `lateMs` more than asked (a busy process's late timers). */
  function testClock(lateMs = 0) {
    let now = 0;
    return {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms + lateMs;
      },
    };
  }

  it('spaces requests at the rate, one at once after a pause, whatever the timers do', async () => {
    for (const lateMs of [0, 700]) {
      const clock = testClock(lateMs);
      const take = createRequestSpacer(2, clock);
      const grants: number[] = [];
      await Promise.all(Array.from({ length: 6 }, () => take().then(() => grants.push(clock.now()))));
      const gaps = grants.slice(1).map((at, index) => at - grants[index]!);
      expect(grants[0]).toBe(0);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(500);
      if (lateMs === 0) expect(gaps).toEqual([500, 500, 500, 500, 500]);
    }
    const clock = testClock();
    const take = createRequestSpacer(2, clock);
    await take();
    clock.sleep(10_000);
    const before = clock.now();
    await take();
    expect(clock.now()).toBe(before);
  });

  it('sends a spaced request with its timeout counted from when it is sent', async () => {
    const clock = testClock();
    const sent: { at: number; aborted: boolean | undefined }[] = [];
    const base = (async (_input: string | URL | Request, init?: RequestInit) => {
      sent.push({ at: clock.now(), aborted: init?.signal?.aborted });
      return new Response('{}');
    }) as typeof fetch;
    const spaced = spacedFetch(base, createRequestSpacer(0.001, clock), 30_000);
    const expired = AbortSignal.abort();
    await spaced('http://jao', { signal: expired });
    await spaced('http://jao', { signal: expired });
    expect(sent).toEqual([
      { at: 0, aborted: false },
      { at: 1_000_000, aborted: false },
    ]);
  });

  it('is read from JAO_FETCH_WORKERS, 1 unless set', () => {
    expect(loadConfig({}).JAO_FETCH_WORKERS).toBe(1);
    expect(loadConfig({ JAO_FETCH_WORKERS: '3' }).JAO_FETCH_WORKERS).toBe(3);
    expect(() => loadConfig({ JAO_FETCH_WORKERS: '0' })).toThrow(
      'invalid configuration: JAO_FETCH_WORKERS: expected a number from 1 to 1000',
    );
  });
});

describe('the fleet rate limit, refused', () => {
  const options = {
    namespace: 'ns',
    fetchQueue: 'q-fetch',
    maxRequestsPerMinute: 90,
    fetchWorkers: 2,
    identity: 'me',
  };
  const now = () => ({ seconds: Math.floor(Date.now() / 1000) });
  const storedLimit = (perMinute: number) => ({
    queueRateLimit: {
      rateLimit: { requestsPerSecond: fetchRatePerSecond(perMinute) },
      metadata: {
        reason: `jao-scraper worker: JAO_MAX_REQUESTS_PER_MINUTE=${perMinute}`,
        updateIdentity: '7@other',
      },
    },
  });

  function queue(methods: { describe: () => Promise<unknown>; update?: () => Promise<unknown> }) {
    const updates: unknown[] = [];
    const connection = {
      workflowService: {
        describeTaskQueue: methods.describe,
        updateTaskQueueConfig: async (request: unknown) => {
          updates.push(request);
          return methods.update ? methods.update() : {};
        },
      },
    } as unknown as Pick<Connection, 'workflowService'>;
    return { connection, updates };
  }

  it('falls back to the share where setting the limit is refused, and says so in one line', async () => {
    const { connection, updates } = queue({
      describe: async () => ({ pollers: [{ lastAccessTime: now() }] }),
      update: fail(PERMISSION_DENIED()),
    });
    const outcome = await agreeOnFetchRateLimit(connection, options);
    expect(updates).toHaveLength(1);
    expect(outcome).toEqual({
      mode: 'worker-share',
      share: workerShareOf(90, 2),
      refusal: { operation: 'UpdateTaskQueueConfig', code: 'PERMISSION_DENIED' },
      serverLimit: null,
      livePollers: 1,
    });
    expect(describeFetchRateLimit(outcome, 'q-fetch', 90)).toBe(
      'rate limit of q-fetch: 45 requests/minute for this worker, its share of JAO_MAX_REQUESTS_PER_MINUTE=90 over ' +
        'JAO_FETCH_WORKERS=2; per-worker share, as Temporal refuses this worker the fleet-wide limit ' +
        '(UpdateTaskQueueConfig: PERMISSION_DENIED); 1 other worker(s) polled the queue in the last 90 s',
    );
  });

  it('falls back where reading the queue is refused, without trying to set it', async () => {
    const { connection, updates } = queue({ describe: fail(UNIMPLEMENTED()) });
    const outcome = await agreeOnFetchRateLimit(connection, { ...options, fetchWorkers: 3 });
    expect(updates).toHaveLength(0);
    expect(describeFetchRateLimit(outcome, 'q-fetch', 90)).toBe(
      'rate limit of q-fetch: 30 requests/minute for this worker, its share of JAO_MAX_REQUESTS_PER_MINUTE=90 over ' +
        'JAO_FETCH_WORKERS=3; per-worker share, as Temporal refuses this worker the fleet-wide limit ' +
        '(DescribeTaskQueue: UNIMPLEMENTED)',
    );
  });

  it('names a limit the server keeps applying, set by someone it may not replace', async () => {
    const { connection } = queue({
      describe: async () => ({ config: storedLimit(60), pollers: [] }),
      update: fail(PERMISSION_DENIED()),
    });
    const outcome = await agreeOnFetchRateLimit(connection, options);
    expect(describeFetchRateLimit(outcome, 'q-fetch', 90)).toMatch(
      /\(UpdateTaskQueueConfig: PERMISSION_DENIED\); 0 other worker\(s\) polled the queue in the last 90 s; the server keeps the limit of 55\.1 requests\/minute set by 7@other$/,
    );
  });

  it('needs no right to agree with the limit already set, and still refuses a conflict', async () => {
    const agreed = queue({
      describe: async () => ({ config: storedLimit(90) }),
      update: fail(PERMISSION_DENIED()),
    });
    const outcome = await agreeOnFetchRateLimit(agreed.connection, options);
    expect(outcome).toMatchObject({ mode: 'fleet', decision: 'agreed' });
    expect(agreed.updates).toHaveLength(0);
    expect(describeFetchRateLimit(outcome, 'q-fetch', 90)).toBe(
      'rate limit of q-fetch: 90 requests/minute for the fleet, agreed; fleet-wide, held by the server',
    );
    const conflict = queue({
      describe: async () => ({ config: storedLimit(60), pollers: [{ lastAccessTime: now() }] }),
    });
    await expect(agreeOnFetchRateLimit(conflict.connection, options)).rejects.toBeInstanceOf(
      FleetRateLimitConflict,
    );
  });

  it('fails, not falls back, on any other answer', async () => {
    const { connection } = queue({
      describe: async () => ({}),
      update: fail(grpcError(3, 'INVALID_ARGUMENT', 'no')),
    });
    await expect(agreeOnFetchRateLimit(connection, options)).rejects.toThrow('3 INVALID_ARGUMENT: no');
  });
});

// The time budget's invariants (domain/timeBudget.ts): whatever the configuration accepts, a day ends, its failure
// recorded, before the workflow that started it times out, and every timeout leaves room for what it bounds.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../common/config';
import {
  BUDGET_MARGIN_MS,
  BUSY_DAY_RETRY_MS,
  CONNECTION_TIMEOUT_MS,
  DATABASE_RETRY_HORIZON,
  dayWorstCaseMs,
  FAILURE_RECORD_ACTIVITY,
  FAILURE_RECORD_BACKOFF,
  FETCH_ACTIVITY,
  FETCH_BACKOFF,
  FRESHNESS_BACKOFF,
  HEARTBEAT_INTERVAL_MS,
  JAO_REQUEST_TIMEOUT,
  jaoWorstCaseMs,
  LAST_TRY_MS,
  LOCAL_RETRY_THRESHOLD_MS,
  LONGEST_DAY_MS,
  MAX_JAO_ATTEMPTS,
  MAX_REQUESTS_PER_FETCH,
  MAX_RETRY_AFTER_MS,
  PLAN_ACTIVITY,
  POLL_EXECUTION_TIMEOUT_MS,
  POLL_LAST_DAY_START_MS,
  PUBLICATION_WINDOW_OVERRUN_MS,
  RAW_STORE_RETRY,
  RAW_STORE_TIMEOUTS,
  STORE_BACKOFF,
  STORE_STEP_ACTIVITY,
  WRITE_TIMEOUTS,
} from '../../domain/timeBudget';

const MINUTE = 60_000;
const longest = { horizonMs: DATABASE_RETRY_HORIZON.maxMs, requestTimeoutMs: JAO_REQUEST_TIMEOUT.maxMs };

describe("a day's worst case", () => {
  it('ends, its failure recorded, before a scheduled poll times out, with margin, at the longest settings', () => {
    expect(LONGEST_DAY_MS).toBe(dayWorstCaseMs(longest));
    expect(LONGEST_DAY_MS + BUDGET_MARGIN_MS).toBeLessThanOrEqual(POLL_EXECUTION_TIMEOUT_MS);
  });

  it('ends before the publication window workflow times out when its last check starts as the window closes', () => {
    expect(LONGEST_DAY_MS + BUDGET_MARGIN_MS).toBeLessThanOrEqual(PUBLICATION_WINDOW_OVERRUN_MS);
  });

  it("of a poll's last day to start ends before the poll's timeout, and a poll of minutes starts all its days", () => {
    expect(POLL_LAST_DAY_START_MS + LONGEST_DAY_MS + BUDGET_MARGIN_MS).toBeLessThanOrEqual(
      POLL_EXECUTION_TIMEOUT_MS,
    );
    // Days take seconds when nothing fails: 64 days (the longest lookback) at 90 requests a minute, 4 at a time.
    expect(POLL_LAST_DAY_START_MS).toBeGreaterThanOrEqual(MINUTE);
  });

  it('fits at every corner of the accepted settings, not only at the longest', () => {
    for (const horizonMs of [
      DATABASE_RETRY_HORIZON.minMs,
      DATABASE_RETRY_HORIZON.defaultMs,
      longest.horizonMs,
    ])
      for (const requestTimeoutMs of [
        JAO_REQUEST_TIMEOUT.minMs,
        JAO_REQUEST_TIMEOUT.defaultMs,
        longest.requestTimeoutMs,
      ])
        expect(dayWorstCaseMs({ horizonMs, requestTimeoutMs })).toBeLessThanOrEqual(LONGEST_DAY_MS);
  });

  it('leaves the horizon at most the poll timeout minus the rest of a day and the margin', () => {
    const rest = LONGEST_DAY_MS - DATABASE_RETRY_HORIZON.maxMs;
    expect(DATABASE_RETRY_HORIZON.maxMs).toBeLessThanOrEqual(
      POLL_EXECUTION_TIMEOUT_MS - rest - BUDGET_MARGIN_MS,
    );
  });

  it('counts JAO and the database once each: their time overlaps, since the horizon counts from the start', () => {
    const jao = jaoWorstCaseMs(JAO_REQUEST_TIMEOUT.maxMs);
    // Eight attempts of three requests each timing out, seven of the longest pauses between them.
    expect(jao).toBe(8 * 3 * MINUTE + 7 * MINUTE);
    expect(jao).toBeLessThan(DATABASE_RETRY_HORIZON.maxMs);
    // An unavailable JAO alone (the shortest horizon) still ends the day in time.
    const jaoOnly = dayWorstCaseMs({
      horizonMs: DATABASE_RETRY_HORIZON.minMs,
      requestTimeoutMs: longest.requestTimeoutMs,
    });
    expect(jaoOnly).toBeGreaterThan(jao);
    expect(jaoOnly + BUDGET_MARGIN_MS).toBeLessThanOrEqual(POLL_EXECUTION_TIMEOUT_MS);
  });

  it('grows with the horizon and the request timeout (the worst case is where the bounds say)', () => {
    const base = dayWorstCaseMs({ horizonMs: 40 * MINUTE, requestTimeoutMs: 30_000 });
    expect(dayWorstCaseMs({ horizonMs: 41 * MINUTE, requestTimeoutMs: 30_000 })).toBe(base + MINUTE);
    expect(dayWorstCaseMs({ horizonMs: 5 * MINUTE, requestTimeoutMs: 60_000 })).toBeGreaterThan(
      dayWorstCaseMs({ horizonMs: 5 * MINUTE, requestTimeoutMs: 30_000 }),
    );
  });
});

describe('the fetch', () => {
  it("has room in one attempt for JAO's requests, the raw store retried to the longest horizon and its last try", () => {
    const requests = MAX_REQUESTS_PER_FETCH * JAO_REQUEST_TIMEOUT.maxMs;
    expect(FETCH_ACTIVITY.startToCloseMs).toBeGreaterThanOrEqual(
      requests + DATABASE_RETRY_HORIZON.maxMs + LAST_TRY_MS,
    );
  });

  it('retries the raw store within the attempt for as long as the longest horizon', () => {
    expect(RAW_STORE_RETRY.budgetMs).toBeGreaterThanOrEqual(DATABASE_RETRY_HORIZON.maxMs);
    expect(RAW_STORE_RETRY.initialDelayMs).toBeLessThanOrEqual(RAW_STORE_RETRY.maxDelayMs);
  });

  it("leaves the raw store's last try room for a connection, the day's lock and a statement", () => {
    expect(LAST_TRY_MS).toBeGreaterThanOrEqual(
      CONNECTION_TIMEOUT_MS + RAW_STORE_TIMEOUTS.lockTimeoutMs + RAW_STORE_TIMEOUTS.statementTimeoutMs,
    );
  });

  it('waits at most as long for a Retry-After as for its own longest pause, and gives up at attempt 8', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(FETCH_BACKOFF.maximumIntervalMs);
    expect(MAX_JAO_ATTEMPTS).toBe(8);
  });
});

describe('heartbeats and tries', () => {
  it('heartbeat timeouts exceed the heartbeat interval several times over', () => {
    for (const timeoutMs of [FETCH_ACTIVITY.heartbeatTimeoutMs, PLAN_ACTIVITY.heartbeatTimeoutMs])
      expect(timeoutMs).toBeGreaterThanOrEqual(3 * HEARTBEAT_INTERVAL_MS);
  });

  it("a store activity's try has room for a connection, the day's lock and a statement of the write", () => {
    const writeTry = CONNECTION_TIMEOUT_MS + WRITE_TIMEOUTS.lockTimeoutMs + WRITE_TIMEOUTS.statementTimeoutMs;
    for (const startToCloseMs of [
      STORE_STEP_ACTIVITY.startToCloseMs,
      FAILURE_RECORD_ACTIVITY.startToCloseMs,
      PLAN_ACTIVITY.startToCloseMs,
    ])
      expect(startToCloseMs).toBeGreaterThan(writeTry);
  });

  it('local activities pause less than the local retry threshold, so their retries need no workflow timers', () => {
    for (const backoff of [STORE_BACKOFF, FRESHNESS_BACKOFF])
      expect(backoff.maximumIntervalMs).toBeLessThan(LOCAL_RETRY_THRESHOLD_MS);
  });

  it('records a failure for as long as a database outage may last, at most a minute after the database is back', () => {
    expect(FAILURE_RECORD_BACKOFF.maximumIntervalMs).toBeLessThanOrEqual(MINUTE);
    expect(FAILURE_RECORD_ACTIVITY.scheduleToCloseMs).toBeGreaterThanOrEqual(7 * 24 * 60 * MINUTE);
  });

  it('a backfill waiting for a busy day asks again within seconds', () => {
    expect(BUSY_DAY_RETRY_MS).toBeLessThanOrEqual(10_000);
  });
});

describe('the configuration takes its bounds from the budget', () => {
  const format = (ms: number) => (ms % MINUTE === 0 ? `${ms / MINUTE}m` : `${ms / 1000}s`);

  it('defaults to the budget', () => {
    expect(loadConfig({})).toMatchObject({
      DATABASE_RETRY_HORIZON: DATABASE_RETRY_HORIZON.defaultMs,
      JAO_REQUEST_TIMEOUT: JAO_REQUEST_TIMEOUT.defaultMs,
    });
  });

  it('accepts exactly the budgeted range', () => {
    for (const [name, bounds] of [
      ['DATABASE_RETRY_HORIZON', DATABASE_RETRY_HORIZON],
      ['JAO_REQUEST_TIMEOUT', JAO_REQUEST_TIMEOUT],
    ] as const) {
      expect(bounds.minMs).toBeLessThanOrEqual(bounds.defaultMs);
      expect(bounds.defaultMs).toBeLessThanOrEqual(bounds.maxMs);
      expect(loadConfig({ [name]: `${bounds.minMs}ms` })[name]).toBe(bounds.minMs);
      expect(loadConfig({ [name]: `${bounds.maxMs}ms` })[name]).toBe(bounds.maxMs);
      expect(() => loadConfig({ [name]: `${bounds.maxMs + 1}ms` })).toThrow(
        `${name}: expected a duration from ${format(bounds.minMs)} to ${format(bounds.maxMs)}`,
      );
      expect(() => loadConfig({ [name]: `${bounds.minMs - 1}ms` })).toThrow(/expected a duration from/);
    }
  });
});

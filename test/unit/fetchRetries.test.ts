// The fetch activity's own retry decisions: how long a failing raw store is retried within one attempt, and the
// attempt at which an unavailable JAO ends the fetch (its retry policy has no attempt limit).
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { jaoUnavailableFailure } from '../../activities/jaoAttempts';
import { rawStoreDeadline, retryTransientFailures } from '../../activities/retryWithinAttempt';
import { FAILURE_TYPES, NON_RETRYABLE_FAILURE_TYPES } from '../../domain/failureTypes';
import {
  DATABASE_RETRY_HORIZON,
  FETCH_ACTIVITY,
  type InAttemptRetry,
  LAST_TRY_MS,
  MAX_JAO_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  MIN_RETRY_AFTER_MS,
  RAW_STORE_RETRY,
} from '../../domain/timeBudget';

const FAST: InAttemptRetry = { initialDelayMs: 10, maxDelayMs: 40, budgetMs: 1_000 };
const unavailable = () =>
  ApplicationFailure.create({
    message: 'store: connection refused',
    type: FAILURE_TYPES.databaseUnavailable,
  });

function inActivity<T>(work: () => Promise<T>, environment = new MockActivityEnvironment({}, quiet)) {
  return environment.run(work);
}
const quiet = { logger: new DefaultLogger('ERROR') };

describe('retrying the raw store within an attempt', () => {
  it('retries transient database failures until one try passes, with growing pauses', async () => {
    const tries: number[] = [];
    const result = await inActivity(() =>
      retryTransientFailures(FAST, Date.now() + FAST.budgetMs, async () => {
        tries.push(Date.now());
        if (tries.length <= 4) throw unavailable();
        return 'stored';
      }),
    );
    expect(result).toBe('stored');
    expect(tries).toHaveLength(5);
    // Pauses of 10, 20, 40 and 40 ms (a timer may fire late, not early; 2 ms for clock rounding).
    [10, 20, 40, 40].forEach((pauseMs, i) => {
      expect(tries[i + 1]! - tries[i]!).toBeGreaterThanOrEqual(pauseMs - 2);
    });
  });

  it('stops at the deadline and throws the last failure', async () => {
    let tries = 0;
    const started = Date.now();
    const failure = await inActivity(() =>
      retryTransientFailures(FAST, started + 200, async () => {
        tries += 1;
        throw unavailable();
      }),
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: FAILURE_TYPES.databaseUnavailable });
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(Date.now() - started).toBeLessThan(2_000);
    // 0, 10, 30, 70, 110, 150, 190 and the last try at the deadline (200 ms); a loaded machine fires timers late,
    // so fewer pauses fit, but at least one retry and the last try at the deadline always happen.
    expect(tries).toBeGreaterThanOrEqual(3);
    expect(tries).toBeLessThanOrEqual(9);
  });

  it('does not retry a failure another try would repeat, nor an unexpected error', async () => {
    for (const error of [
      ApplicationFailure.create({
        message: 'refused',
        type: FAILURE_TYPES.databaseRefused,
        nonRetryable: true,
      }),
      new TypeError('x is not a function'),
    ]) {
      let tries = 0;
      const thrown = await inActivity(() =>
        retryTransientFailures(FAST, Date.now() + FAST.budgetMs, async () => {
          tries += 1;
          throw error;
        }),
      ).catch((reason: unknown) => reason);
      expect(thrown).toBe(error);
      expect(tries).toBe(1);
    }
  });

  it('stops pausing when the activity is cancelled', async () => {
    const environment = new MockActivityEnvironment({}, quiet);
    const running = inActivity(
      () =>
        retryTransientFailures(
          { initialDelayMs: 60_000, maxDelayMs: 60_000, budgetMs: 600_000 },
          Date.now() + 600_000,
          async () => {
            throw unavailable();
          },
        ),
      environment,
    ).catch((error: unknown) => error);
    setTimeout(() => environment.cancel(), 20);
    expect(await running).toBeInstanceOf(CancelledFailure);
  });
});

describe('an unavailable JAO', () => {
  it(`is retried before attempt ${MAX_JAO_ATTEMPTS}, after the Retry-After JAO sent`, () => {
    for (let attempt = 1; attempt < MAX_JAO_ATTEMPTS; attempt++) {
      const failure = jaoUnavailableFailure('JAO unavailable for 2025-09-01: HTTP 503', attempt, 2_000);
      expect(failure).toMatchObject({
        type: FAILURE_TYPES.unavailable,
        nonRetryable: false,
        nextRetryDelay: 2_000,
        message: 'JAO unavailable for 2025-09-01: HTTP 503',
      });
    }
    expect(jaoUnavailableFailure('JAO unavailable', 1, null).nextRetryDelay).toBeUndefined();
    // A longer Retry-After is shortened, so JAO alone cannot stretch a day past its budget.
    expect(jaoUnavailableFailure('JAO unavailable', 1, 3_600_000).nextRetryDelay).toBe(MAX_RETRY_AFTER_MS);
    // `Retry-After: 0` is retried soon: the server reads a next-retry delay of 0 as no retry at all.
    expect(jaoUnavailableFailure('JAO unavailable', 1, 0).nextRetryDelay).toBe(MIN_RETRY_AFTER_MS);
    expect(NON_RETRYABLE_FAILURE_TYPES).not.toContain(FAILURE_TYPES.unavailable);
  });

  it(`ends the fetch at attempt ${MAX_JAO_ATTEMPTS}, saying after how many attempts and why`, () => {
    expect(MAX_JAO_ATTEMPTS).toBe(8);
    for (const attempt of [MAX_JAO_ATTEMPTS, MAX_JAO_ATTEMPTS + 5]) {
      expect(jaoUnavailableFailure('JAO unavailable for 2025-09-01: HTTP 503', attempt, 2_000)).toMatchObject(
        {
          type: FAILURE_TYPES.unavailable,
          nonRetryable: true,
          message: `JAO unavailable for 2025-09-01: HTTP 503; gave up after ${attempt} attempts`,
        },
      );
    }
  });
});

describe('the raw store deadline', () => {
  const minute = 60_000;
  const start = Date.UTC(2026, 10, 22, 12);
  const fetchTimes = (attemptStartMs: number, horizonStartMs: number) => ({
    attemptStartMs,
    horizonStartMs,
    startToCloseMs: FETCH_ACTIVITY.startToCloseMs,
  });

  it("lasts the whole retry horizon, counted from the day's start, within one attempt of the fetch", () => {
    const times = fetchTimes(start, start - 5_000);
    expect(rawStoreDeadline(RAW_STORE_RETRY, times, 30 * minute)).toBe(start - 5_000 + 30 * minute);
    expect(rawStoreDeadline(RAW_STORE_RETRY, times, DATABASE_RETRY_HORIZON.maxMs)).toBe(
      start - 5_000 + DATABASE_RETRY_HORIZON.maxMs,
    );
  });

  it("ends at the day's horizon on a later attempt too, not a horizon after that attempt", () => {
    // The day started 20 minutes before this attempt (JAO's earlier attempts): 10 minutes are left.
    const times = fetchTimes(start, start - 20 * minute);
    expect(rawStoreDeadline(RAW_STORE_RETRY, times, 30 * minute)).toBe(start + 10 * minute);
  });

  it('ends in time for the last try within an attempt scheduled with a shorter timeout (3 minutes)', () => {
    const times = { attemptStartMs: start, horizonStartMs: start, startToCloseMs: 3 * minute };
    expect(rawStoreDeadline(RAW_STORE_RETRY, times, 30 * minute)).toBe(start + 3 * minute - LAST_TRY_MS);
  });

  it('is already past on an attempt that starts after the horizon', () => {
    expect(
      rawStoreDeadline(RAW_STORE_RETRY, fetchTimes(start, start - 31 * minute), 30 * minute),
    ).toBeLessThan(start);
  });

  it('keeps a shorter budget when one is given', () => {
    expect(rawStoreDeadline(FAST, fetchTimes(start, start), 30 * minute)).toBe(start + FAST.budgetMs);
  });
});

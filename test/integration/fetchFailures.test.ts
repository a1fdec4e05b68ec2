// Failures of the fetch activity: a raw answer that cannot be stored is retried within the attempt and across
// attempts for DATABASE_RETRY_HORIZON (not for a fixed number of attempts), an unavailable JAO for 8 attempts.
// The store fails through a trigger on jao.raw_response raising 57P03 (what a restarting server answers), for
// as many tries as the test sets. Days 2025-09-14 to 2025-09-17 (no other test file uses them).
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayWindow } from '../../domain/calendar';
import {
  DATABASE_RETRY_HORIZON,
  type InAttemptRetry,
  LAST_TRY_MS,
  RAW_STORE_RETRY,
} from '../../domain/timeBudget';
import type { DeliveryDay } from '../../domain/types';
import {
  createPipelineHarness,
  type PipelineHarness,
  type RunningWorkers,
  type WorkerOptions,
} from '../helpers/pipeline';

const CORE_KEYS = 132;
const HEALED_DAY = '2025-09-14';
const LOST_DAY = '2025-09-15';
const UNAVAILABLE_DAY = '2025-09-16';
const ONE_ATTEMPT_DAY = '2025-09-17';
/** The raw store's retry within an attempt, shortened: pauses of 0.05 s doubling to 0.2 s, for 1 s. */
const FAST_STORE_RETRY: InAttemptRetry = { initialDelayMs: 50, maxDelayMs: 200, budgetMs: 1_000 };

/** The workers most tests run on: a 30 s horizon, the shortened store retry. */
const USUAL: WorkerOptions = { retryHorizonMs: 30_000, rawStoreRetry: FAST_STORE_RETRY };

let h: PipelineHarness;
let workers: RunningWorkers;
let running: WorkerOptions;

/**
 * The workers a test runs on: those running already when they have its options, else started anew. The tests that
 * need other options come last, so the file starts workers three times, not five.
 */
async function useWorkers(options: WorkerOptions): Promise<void> {
  if (options === running) return;
  await workers?.stop();
  workers = await h.startWorkers(options);
  running = options;
}

beforeAll(async () => {
  h = await createPipelineHarness('fetch-failures');
  await h.db.pool.query(`
    CREATE TABLE public.raw_outage (day date PRIMARY KEY, failures_until bigint NOT NULL);
    CREATE SEQUENCE public.failed_raw_stores;
    CREATE FUNCTION public.failed_raw_stores() RETURNS bigint LANGUAGE sql AS
      'SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.failed_raw_stores';
    CREATE FUNCTION public.raw_outage() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM public.raw_outage
                  WHERE day = NEW.day AND failures_until > public.failed_raw_stores()) THEN
        PERFORM nextval('public.failed_raw_stores');
        RAISE EXCEPTION 'the database system is starting up (test)' USING ERRCODE = '57P03';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER raw_outage BEFORE INSERT ON jao.raw_response FOR EACH ROW EXECUTE FUNCTION public.raw_outage();
  `);
  await useWorkers(USUAL);
});

afterAll(async () => {
  await h?.close();
});

/**
 * The next `times` raw stores of `day` fail (counted by a sequence, whose increments survive the rollbacks). An
 * outage of so many tries, not of so many seconds: how many tries fit in a second depends on the machine's load.
 */
async function failRawStores(day: DeliveryDay, times: number): Promise<void> {
  await h.db.pool.query(
    `INSERT INTO public.raw_outage (day, failures_until) VALUES ($1, public.failed_raw_stores() + $2)`,
    [day, times],
  );
}

async function failedRawStores(): Promise<number> {
  const result = await h.db.pool.query<{ n: number }>('SELECT public.failed_raw_stores()::int AS n');
  return result.rows[0]!.n;
}

/** Requests the simulator answered for `day` (by the start of the requested window). */
function jaoRequestsFor(day: DeliveryDay): number {
  const from = Date.parse(dayWindow(day).from);
  return h.simulator.requests.filter((request) => Date.parse(request.fromUtc ?? '') === from).length;
}

/** The attempt of the day's fetch that ended it (the history records the last attempt's start). */
async function fetchAttempts(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  const scheduled = history.events?.find(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchDayFromJao',
  );
  const started = history.events?.find(
    (event) =>
      event.activityTaskStartedEventAttributes?.scheduledEventId?.toString() ===
      scheduled?.eventId?.toString(),
  );
  return started?.activityTaskStartedEventAttributes?.attempt ?? 0;
}

/** The messages of a failure and its causes, outermost first. */
function messagesOf(failure: unknown): string {
  const messages: string[] = [];
  for (let error: unknown = failure; error instanceof Error; error = error.cause)
    messages.push(error.message);
  return messages.join(' | ');
}

describe('the fetch activity', () => {
  it('keeps storing a raw answer through an outage longer than 8 tries, shorter than the horizon', async () => {
    await useWorkers(USUAL);
    // 12 tries: more than one attempt's 1 s of pauses (0.05 s doubling to 0.2 s: 8 tries) can hold, whatever the load.
    await failRawStores(HEALED_DAY, 12);
    const handle = await h.startDay(HEALED_DAY);
    expect(await handle.result()).toMatchObject({
      day: HEALED_DAY,
      status: 'complete',
      mtus: 24,
      points: 24 * CORE_KEYS,
    });
    // The old policy gave the fetch 8 attempts, one store each; tries within an attempt reuse JAO's answer.
    expect(await failedRawStores()).toBe(12);
    const attempts = await fetchAttempts(handle);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(jaoRequestsFor(HEALED_DAY)).toBe(attempts);
    const stored = await h.db.pool.query<{ raw: number; values: number }>(
      `SELECT (SELECT count(*) FROM jao.raw_response WHERE day = $1)::int AS raw,
              (SELECT count(*) FROM jao.max_exchanges WHERE delivery_day = $1)::int AS values`,
      [HEALED_DAY],
    );
    expect(stored.rows).toEqual([{ raw: 1, values: 24 * CORE_KEYS }]);
  });

  it('gives up on a JAO that stays unavailable after 8 attempts, saying so', async () => {
    await useWorkers(USUAL);
    // One answer a minute, each refusal with Retry-After: 0: the fetch retries at once instead of after its backoff
    // (1 s doubling: the eight attempts would take two minutes).
    h.simulator.setFaults({ maxRequestsPerMinute: 1, retryAfterSeconds: 0 });
    try {
      await fetch(
        `${h.simulator.origin}/core/api/data/maxExchanges?FromUtc=2025-09-01T00:00:00.000Z&ToUtc=2025-09-01T01:00:00.000Z`,
      );
      const handle = await h.startDay(UNAVAILABLE_DAY);
      const failure = await handle.result().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(messagesOf(failure)).toContain(`JAO unavailable for ${UNAVAILABLE_DAY}: HTTP 429`);
      expect(messagesOf(failure)).toContain('; gave up after 8 attempts');
      expect(await fetchAttempts(handle)).toBe(8);
      expect(jaoRequestsFor(UNAVAILABLE_DAY)).toBe(8);
      const day = await h.db.pool.query('SELECT status, last_error FROM jao.delivery_day WHERE day = $1', [
        UNAVAILABLE_DAY,
      ]);
      expect(day.rows).toEqual([
        { status: 'failed', last_error: expect.stringMatching(/HTTP 429.*; gave up after 8 attempts/) },
      ]);
    } finally {
      h.simulator.setFaults({ maxRequestsPerMinute: null, retryAfterSeconds: null });
    }
  });

  it('rides out an outage within one attempt with the default budget: one request to JAO, no attempt used up', async () => {
    await useWorkers({
      retryHorizonMs: 30_000,
      rawStoreRetry: { ...FAST_STORE_RETRY, budgetMs: RAW_STORE_RETRY.budgetMs },
    });
    const failedBefore = await failedRawStores();
    await failRawStores(ONE_ATTEMPT_DAY, 10);
    const handle = await h.startDay(ONE_ATTEMPT_DAY);
    expect(await handle.result()).toMatchObject({ status: 'complete', points: 24 * CORE_KEYS });
    expect((await failedRawStores()) - failedBefore).toBe(10);
    expect(await fetchAttempts(handle)).toBe(1);
    expect(jaoRequestsFor(ONE_ATTEMPT_DAY)).toBe(1);
    // The attempt has room for the longest horizon and the last try after it.
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchDayFromJao',
    );
    const startToClose = scheduled?.activityTaskScheduledEventAttributes?.startToCloseTimeout?.seconds;
    expect(Number(startToClose)).toBeGreaterThanOrEqual((DATABASE_RETRY_HORIZON.maxMs + LAST_TRY_MS) / 1000);
  });

  it('fails the day once the raw answer could not be stored for the retry horizon, saying why', async () => {
    // A horizon longer than one attempt's retry (1 s). Which attempt passes it depends on the machine's load: the
    // horizon is measured from the day's start, so an attempt slowed past it gives up in that same attempt.
    await useWorkers({ retryHorizonMs: 2_000, rawStoreRetry: FAST_STORE_RETRY });
    await failRawStores(LOST_DAY, 1_000_000);
    const started = Date.now();
    const failed = await h.startDay(LOST_DAY);
    const failure = await failed.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const gaveUp = new RegExp(
      `gave up (\\d+) s after the day started \\(retry horizon 2 s\\): store the raw answer of ${LOST_DAY}: ` +
        'SQLSTATE 57P03 \\(server not accepting connections yet\\)',
    ).exec(messagesOf(failure));
    expect(gaveUp, messagesOf(failure)).not.toBeNull();
    // Not before the horizon; how long after it depends on the retries' backoff and the machine's load.
    expect(Number(gaveUp![1])).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    const day = await h.db.pool.query('SELECT status, last_error FROM jao.delivery_day WHERE day = $1', [
      LOST_DAY,
    ]);
    expect(day.rows).toEqual([
      {
        status: 'failed',
        last_error: expect.stringContaining('s after the day started (retry horizon 2 s)'),
      },
    ]);
  });
});

// The pipeline's time budget: every retry horizon, timeout, heartbeat and backoff of a day's run, and the
// arithmetic showing that a day ends, its failure recorded, before any workflow that started it times out
// (docs/time-budget.md; the invariants are test/unit/timeBudget.test.ts). Pure: workflows import it.

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A setting's default and its accepted range (inclusive), in milliseconds. */
export interface DurationBounds {
  defaultMs: number;
  minMs: number;
  maxMs: number;
}

/** A Temporal retry policy's backoff, in milliseconds. */
export interface Backoff {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
}

/** lock_timeout and statement_timeout of a transaction (SET LOCAL); an expiry is a retryable error. */
export interface TransactionTimeouts {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

/** How a failing step is retried within one activity attempt. */
export interface InAttemptRetry {
  /** Pause after the first failure; each further pause doubles, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** How long after the attempt began the last try may start. */
  budgetMs: number;
}

// The database.

/** Taking a connection from a pool waits at most this long; past it the try fails transiently. */
export const CONNECTION_TIMEOUT_MS = 10 * SECOND_MS;
/** A day's write: its lock and each statement. */
export const WRITE_TIMEOUTS: TransactionTimeouts = {
  lockTimeoutMs: 10 * SECOND_MS,
  statementTimeoutMs: 60 * SECOND_MS,
};
/** Storing JAO's raw answer: its lock and each statement. */
export const RAW_STORE_TIMEOUTS: TransactionTimeouts = {
  lockTimeoutMs: 10 * SECOND_MS,
  statementTimeoutMs: 30 * SECOND_MS,
};
/**
 * DATABASE_RETRY_HORIZON: how long after the day workflow started its failing database work (storing the raw
 * answer, validate, write) is retried before the day fails with the reason.
 */
export const DATABASE_RETRY_HORIZON: DurationBounds = {
  defaultMs: 30 * MINUTE_MS,
  minMs: SECOND_MS,
  maxMs: 45 * MINUTE_MS,
};

// JAO.

/** JAO_REQUEST_TIMEOUT: one HTTP request to JAO. */
export const JAO_REQUEST_TIMEOUT: DurationBounds = {
  defaultMs: 30 * SECOND_MS,
  minMs: SECOND_MS,
  maxMs: MINUTE_MS,
};
/** Requests of one fetch at most: a DST day JAO refuses whole is asked again in its two UTC-day pieces. */
export const MAX_REQUESTS_PER_FETCH = 3;
/** The attempt whose JAO failure (5xx, 429, a network error) ends the fetch, non-retryably. */
export const MAX_JAO_ATTEMPTS = 8;
/** Pauses between the fetch's attempts: 1 s doubling to a minute. */
export const FETCH_BACKOFF: Backoff = {
  initialIntervalMs: SECOND_MS,
  backoffCoefficient: 2,
  maximumIntervalMs: MINUTE_MS,
};
/** A longer Retry-After from JAO is shortened to this, so JAO alone cannot stretch a day past its budget. */
export const MAX_RETRY_AFTER_MS = FETCH_BACKOFF.maximumIntervalMs;
/** A shorter one (`Retry-After: 0`) is lengthened to this: the server reads a next-retry delay of 0 as no retry. */
export const MIN_RETRY_AFTER_MS = 100;

// Activities.

/** How often a running activity heartbeats (activities/heartbeat.ts). */
export const HEARTBEAT_INTERVAL_MS = 2 * SECOND_MS;
/**
 * The fetch: its start-to-close leaves room, within one attempt, for JAO's requests and for the raw store
 * retried up to the longest horizon, so a database outage never uses up JAO's attempts.
 */
export const FETCH_ACTIVITY = { startToCloseMs: 50 * MINUTE_MS, heartbeatTimeoutMs: 15 * SECOND_MS };
/** The raw store's retry within a fetch attempt: 1 s doubling to 15 s, for as long as the horizon may be. */
export const RAW_STORE_RETRY: InAttemptRetry = {
  initialDelayMs: SECOND_MS,
  maxDelayMs: 15 * SECOND_MS,
  budgetMs: DATABASE_RETRY_HORIZON.maxMs,
};
/** Room left after the raw store's last try starts: a connection, the day's lock and a statement. */
export const LAST_TRY_MS = MINUTE_MS;
/**
 * Database activities retry without an attempt limit (they give up at the horizon), pausing less than the SDK's
 * local retry threshold (LOCAL_RETRY_THRESHOLD_MS), so local attempts need no workflow timers.
 */
export const STORE_BACKOFF: Backoff = {
  initialIntervalMs: SECOND_MS,
  backoffCoefficient: 2,
  maximumIntervalMs: 30 * SECOND_MS,
};
/** The SDK's default localRetryThreshold: a local activity's pause longer than this becomes a workflow timer. */
export const LOCAL_RETRY_THRESHOLD_MS = MINUTE_MS;
/**
 * A store step of the day workflow (assemble a paged answer, validate, write), local or regular activity alike
 * (workflows/activities.ts): one try. As an activity task it heartbeats (activities/heartbeat.ts), so a worker that
 * dies mid-step leaves its days waiting the heartbeat timeout, not the start-to-close; the timeout leaves room for
 * the longest stretch the thread is held by one step (parsing a paged day's pages).
 */
export const STORE_STEP_ACTIVITY = { startToCloseMs: 2 * MINUTE_MS, heartbeatTimeoutMs: 20 * SECOND_MS };
/** Planning a backfill: a regular activity, heartbeating. */
export const PLAN_ACTIVITY = { startToCloseMs: 2 * MINUTE_MS, heartbeatTimeoutMs: 15 * SECOND_MS };
/**
 * Reprocessing a batch of days in one activity (activities/reprocess.ts): a few seconds, heartbeating its per-day
 * results every HEARTBEAT_INTERVAL_MS and after each day, so a worker that dies is noticed within the heartbeat
 * timeout and the retry resumes after the last day it heartbeated; a cancellation is seen between two days.
 */
export const REPROCESS_BATCH_ACTIVITY = {
  startToCloseMs: 10 * MINUTE_MS,
  heartbeatTimeoutMs: 15 * SECOND_MS,
};
/**
 * Shipping to the archive (heartbeats after every batch) and restoring one batch from it (heartbeats every 5 s): a
 * worker that dies is noticed within the heartbeat timeout; a long backlog is shipped in one attempt.
 */
export const ARCHIVE_ACTIVITY = { startToCloseMs: 30 * MINUTE_MS, heartbeatTimeoutMs: 30 * SECOND_MS };
/**
 * One sync of the bad-day markers (activities/badDays.ts): reads the bad days and starts or completes markers,
 * heartbeating after each page and each marker, so a worker that dies is noticed within the heartbeat timeout.
 */
export const BAD_DAYS_SYNC_ACTIVITY = { startToCloseMs: 10 * MINUTE_MS, heartbeatTimeoutMs: 30 * SECOND_MS };
/**
 * Recording that a day failed: retried on the server for as long as the database is away (up to a week), a minute
 * apart at most, so a failure is recorded within a minute of the database answering again.
 */
export const FAILURE_RECORD_ACTIVITY = { startToCloseMs: 2 * MINUTE_MS, scheduleToCloseMs: 7 * DAY_MS };
export const FAILURE_RECORD_BACKOFF: Backoff = {
  initialIntervalMs: SECOND_MS,
  backoffCoefficient: 2,
  maximumIntervalMs: MINUTE_MS,
};
/** The publication window's local read of a day's stored status. */
export const FRESHNESS_ACTIVITY = { startToCloseMs: MINUTE_MS };
export const FRESHNESS_BACKOFF: Backoff = STORE_BACKOFF;

// Workflows.

/** A backfill's day already running elsewhere: how long the backfill waits before starting it again. */
export const BUSY_DAY_RETRY_MS = 5 * SECOND_MS;
/** A scheduled poll runs for at most this long, so one that hangs does not block every later one (overlap SKIP). */
export const POLL_EXECUTION_TIMEOUT_MS = HOUR_MS;
/** The publication window's workflow runs for the window and at most this long after it closes. */
export const PUBLICATION_WINDOW_OVERRUN_MS = HOUR_MS;
/** What a parent's timeout keeps beyond a day's worst case: workflow tasks, task queues, clocks. */
export const BUDGET_MARGIN_MS = 5 * MINUTE_MS;

// The arithmetic.

/** A fetch whose every attempt meets an unavailable JAO: each request timing out, the longest pauses between. */
export function jaoWorstCaseMs(requestTimeoutMs: number): number {
  return (
    MAX_JAO_ATTEMPTS * MAX_REQUESTS_PER_FETCH * requestTimeoutMs +
    (MAX_JAO_ATTEMPTS - 1) * Math.max(FETCH_BACKOFF.maximumIntervalMs, MAX_RETRY_AFTER_MS)
  );
}

export interface DaySettings {
  /** DATABASE_RETRY_HORIZON. */
  horizonMs: number;
  /** JAO_REQUEST_TIMEOUT. */
  requestTimeoutMs: number;
}

/**
 * The longest a day workflow runs when JAO or the database keeps failing, from its start until its failure is
 * recorded. The horizon counts from the day's start, so JAO's time and the database's overlap:
 * - the fetch ends once JAO gave up, or once the raw store's last try after the horizon (and its last pause) ended;
 * - validate and write: past the horizon each gives up at its first failure, so each takes one try more, after
 *   one more pause of the step in flight when the horizon passed (a paged day's assemble step before them is not
 *   counted: a known gap, since the poll's hour has no room left for a third try);
 * - recording the failure: one pause of its retry and one try, the database answering again.
 * Not counted: a fetch waiting on the fetch queue's rate limit (live days go first), a worker that dies.
 */
export function dayWorstCaseMs({ horizonMs, requestTimeoutMs }: DaySettings): number {
  const fetchEnds =
    Math.max(jaoWorstCaseMs(requestTimeoutMs), horizonMs + RAW_STORE_RETRY.maxDelayMs) + LAST_TRY_MS;
  const writeEnds = fetchEnds + STORE_BACKOFF.maximumIntervalMs + 2 * STORE_STEP_ACTIVITY.startToCloseMs;
  return writeEnds + FAILURE_RECORD_BACKOFF.maximumIntervalMs + FAILURE_RECORD_ACTIVITY.startToCloseMs;
}

/** The worst case of any day a worker may run: the longest horizon and request timeout the configuration accepts. */
export const LONGEST_DAY_MS = dayWorstCaseMs({
  horizonMs: DATABASE_RETRY_HORIZON.maxMs,
  requestTimeoutMs: JAO_REQUEST_TIMEOUT.maxMs,
});

/**
 * How long after its start a poll may still start a day: later, the day's worst case would outlast the poll's
 * timeout, which terminates its days before their failure is recorded. A day not started is left to the next poll.
 */
export const POLL_LAST_DAY_START_MS = POLL_EXECUTION_TIMEOUT_MS - LONGEST_DAY_MS - BUDGET_MARGIN_MS;

// How often a fetch asks an unavailable JAO: the fetch's retry policy has no attempt limit (a database outage
// is bounded by DATABASE_RETRY_HORIZON instead, activities/retryHorizon.ts), so JAO failures are counted here.
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '../domain/failureTypes';
import { MAX_JAO_ATTEMPTS, MAX_RETRY_AFTER_MS, MIN_RETRY_AFTER_MS } from '../domain/timeBudget';
import type { FetchOutcome } from '../source/jaoClient';

/**
 * The failure of attempt `attempt` when JAO was unavailable: retried (after `retryAfterMs` when JAO said so, within
 * MIN_RETRY_AFTER_MS..MAX_RETRY_AFTER_MS) before MAX_JAO_ATTEMPTS, non-retryable from then on.
 */
export function jaoUnavailableFailure(
  message: string,
  attempt: number,
  retryAfterMs: number | null,
): ApplicationFailure {
  if (attempt >= MAX_JAO_ATTEMPTS) {
    return ApplicationFailure.create({
      message: `${message}; gave up after ${attempt} attempts`,
      type: FAILURE_TYPES.unavailable,
      nonRetryable: true,
    });
  }
  return ApplicationFailure.create({
    message,
    type: FAILURE_TYPES.unavailable,
    nextRetryDelay:
      retryAfterMs === null
        ? undefined
        : Math.min(Math.max(retryAfterMs, MIN_RETRY_AFTER_MS), MAX_RETRY_AFTER_MS),
  });
}

/** The failure of a request for `where` that JAO rejected, refused or could not answer: the message redacted. */
export function jaoRequestFailure(
  outcome: Extract<FetchOutcome, { kind: 'rejected' | 'permanent' | 'retryable' }>,
  where: string,
  attempt: number,
  redact: (text: string) => string,
): ApplicationFailure {
  if (outcome.kind === 'rejected')
    return ApplicationFailure.nonRetryable(
      redact(`JAO rejected the request for ${where}: ${outcome.messages.join('; ') || 'no message'}`),
      FAILURE_TYPES.rejected,
    );
  if (outcome.kind === 'permanent')
    return ApplicationFailure.nonRetryable(
      redact(`JAO refused the request for ${where}: ${outcome.reason}`),
      FAILURE_TYPES.permanent,
    );
  return jaoUnavailableFailure(
    redact(`JAO unavailable for ${where}: ${outcome.reason}`),
    attempt,
    outcome.retryAfterMs,
  );
}

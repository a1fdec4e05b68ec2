// The fetch activity: one delivery day from JAO, kept in jao.raw_response; only a reference goes back.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { redactSecrets } from '../common/redact';
import { type StoreRawResponseInput, storeRawResponse } from '../db/rawResponse';
import { dayWindow } from '../domain/calendar';
import { dataPathOf, declarationOf } from '../domain/datasets';
import { DATABASE_RETRY_HORIZON, type InAttemptRetry, RAW_STORE_RETRY } from '../domain/timeBudget';
import type { Dataset, DeliveryDay } from '../domain/types';
import { fetchDay, type JaoClientOptions } from '../source/jaoClient';
import { withDatabaseFailures } from './databaseFailure';
import { createPageFetchActivity } from './fetchPage';
import { withHeartbeat } from './heartbeat';
import { jaoRequestFailure } from './jaoAttempts';
import { recordJaoAnswer } from './metrics';
import { withinRetryHorizon } from './retryHorizon';
import { rawStoreDeadline, retryTransientFailures } from './retryWithinAttempt';

export interface FetchDeps {
  pool: pg.Pool;
  jao: JaoClientOptions;
  /**
   * DATABASE_RETRY_HORIZON: how long after the day started a raw answer that cannot be stored (the database
   * unreachable) is retried before the day fails.
   */
  retryHorizonMs?: number;
  /** How a failing raw store is retried within one attempt (default RAW_STORE_RETRY). */
  rawStoreRetry?: InAttemptRetry;
}

export interface FetchDayInput {
  dataset: Dataset;
  day: DeliveryDay;
  /**
   * When the day workflow started (epoch ms): the retry horizon counts from here. Absent in histories from
   * before it was passed: the horizon then counts from the fetch's first schedule.
   */
  horizonStartMs?: number;
}

export interface FetchedDay {
  /**
   * What JAO answered; a malformed body is kept too, so validation can record why it was refused, and of an
   * oversized one (larger than JAO_MAX_BODY_BYTES) its beginning.
   */
  answer: 'data' | 'not_published' | 'malformed' | 'oversized';
  rawResponseId: number;
  sha256: string;
  /** Bytes of the answer (of what was read, for an oversized one). */
  bytes: number;
  /** False when the body is the same as the day's previous raw response. */
  isNew: boolean;
  requests: number;
}

/** Why a fetch was cancelled, for a person: the SDK's reasons (CancelledFailure's message) in words. */
function cancellationCause(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (reason === 'WORKER_SHUTDOWN') return 'the worker is stopping; another attempt fetches the day';
  if (reason === 'CANCELLED') return 'its day workflow cancelled it';
  return `cancelled (${reason})`;
}

export function createFetchActivities({
  pool,
  jao,
  retryHorizonMs = DATABASE_RETRY_HORIZON.defaultMs,
  rawStoreRetry = RAW_STORE_RETRY,
}: FetchDeps) {
  const secrets = jao.apiKey ? [jao.apiKey] : [];
  const redact = (text: string) => redactSecrets(text, secrets);

  return {
    /** One page of a paged dataset's day, one request (activities/fetchPage.ts). */
    fetchDomainPage: createPageFetchActivity({ pool, jao, retryHorizonMs }),

    async fetchDayFromJao({ dataset, day, horizonStartMs }: FetchDayInput): Promise<FetchedDay> {
      const context = Context.current();
      const { info } = context;
      // What JAO answered is stored with retries within this attempt, so that a database outage costs no
      // further request; past the horizon the day fails.
      const storeDeadlineMs = rawStoreDeadline(
        rawStoreRetry,
        {
          attemptStartMs: Date.now(),
          horizonStartMs: horizonStartMs ?? info.scheduledTimestampMs,
          startToCloseMs: info.startToCloseTimeoutMs,
        },
        retryHorizonMs,
      );
      const onAnswer = (httpStatus: number | null) => {
        recordJaoAnswer(httpStatus);
        jao.onAnswer?.(httpStatus);
      };
      const outcome = await withHeartbeat(() =>
        fetchDay(
          { ...jao, path: dataPathOf(declarationOf(dataset)), onAnswer, signal: context.cancellationSignal },
          day,
        ),
      ).catch((error: unknown) => {
        if (context.cancellationSignal.aborted) {
          // Expected, as when the worker stops: the attempt ends without an answer, the next one fetches the day.
          context.log.info(`fetch of ${day} stopped: ${cancellationCause(error)}`, { day });
        }
        throw error;
      });
      const keep = (raw: Pick<StoreRawResponseInput, 'httpStatus' | 'body' | 'truncated' | 'answer'>) =>
        withinRetryHorizon(retryHorizonMs, horizonStartMs, () =>
          withHeartbeat(() =>
            retryTransientFailures(rawStoreRetry, storeDeadlineMs, () =>
              withDatabaseFailures(
                `store the raw answer of ${day}`,
                () => storeRawResponse(pool, { dataset, day, requestWindow: dayWindow(day), ...raw }),
                secrets,
              ),
            ),
          ),
        );
      /** The answer kept, and what goes back to the workflow of it. */
      const fetched = async (
        raw: Parameters<typeof keep>[0] & { answer: FetchedDay['answer'] },
        requests: number,
      ): Promise<FetchedDay> => {
        const { id: rawResponseId, sha256, bytes, isNew } = await keep(raw);
        return { answer: raw.answer, rawResponseId, sha256, bytes, isNew, requests };
      };

      switch (outcome.kind) {
        case 'data':
        case 'not_published':
        case 'malformed':
          return fetched(
            { httpStatus: outcome.httpStatus, body: outcome.body, answer: outcome.kind },
            'requests' in outcome ? outcome.requests : 1,
          );
        case 'oversized': {
          const { reason, receivedBytes, sha256 } = outcome;
          const truncated = { reason, receivedBytes, sha256 };
          return fetched(
            { httpStatus: outcome.httpStatus, body: outcome.prefix, answer: 'oversized', truncated },
            1,
          );
        }
        case 'rejected':
          await keep({ httpStatus: outcome.httpStatus, body: outcome.body, answer: 'rejected' });
          throw jaoRequestFailure(outcome, day, info.attempt, redact);
        case 'permanent':
        case 'retryable':
          throw jaoRequestFailure(outcome, day, info.attempt, redact);
      }
    },
  };
}

export type FetchActivities = ReturnType<typeof createFetchActivities>;

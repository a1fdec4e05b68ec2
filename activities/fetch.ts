// The fetch activities: one delivery day from JAO, kept in jao.raw_response, or one page of a paged dataset's day
// (the flow-based domain), kept in jao.raw_page; only a reference goes back.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type pg from 'pg';
import { redactSecrets } from '../common/redact';
import { storeRawPage } from '../db/lanes/constraints/rawPages';
import { type StoreRawResponseInput, storeRawResponse } from '../db/rawResponse';
import { dayWindow } from '../domain/calendar';
import { constraintFieldsOf, dataPathOf, declarationOf } from '../domain/datasets';
import { FAILURE_TYPES } from '../domain/failureTypes';
import { pageEnvelope } from '../domain/flowBased/answer';
import { DATABASE_RETRY_HORIZON, type InAttemptRetry, RAW_STORE_RETRY } from '../domain/timeBudget';
import type { Dataset, DeliveryDay } from '../domain/types';
import { fetchDay, fetchWindow, type JaoClientOptions } from '../source/jaoClient';
import { withDatabaseFailures } from './databaseFailure';
import { withHeartbeat } from './heartbeat';
import { jaoRequestFailure } from './jaoAttempts';
import { recordJaoAnswer } from './metrics';
import { retriedDatabaseWork, withinRetryHorizon } from './retryHorizon';
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

export interface FetchPageInput {
  dataset: Dataset;
  day: DeliveryDay;
  skip: number;
  take: number;
  /** When the day workflow started (epoch ms): the database retry horizon counts from here. */
  horizonStartMs: number;
}

export interface FetchedPageRef {
  rawPageId: number;
  /** totalRowsWithFilter as this page announced it; null when the page is not a JAO domain page. */
  totalRowsWithFilter: number | null;
  /** Rows the page carried (read or not). */
  rows: number;
  /** Why the page could not be read as a domain page; null when it could. */
  unreadable: string | null;
}

function unreadablePage(unreadable: string): Omit<FetchedPageRef, 'rawPageId'> {
  return { totalRowsWithFilter: null, rows: 0, unreadable };
}

/**
 * What the workflow needs of a page: its count and how many rows it carried. Its envelope alone is read here; its
 * rows are read once, when the day's answer is validated.
 */
function pageFacts(body: string): Omit<FetchedPageRef, 'rawPageId'> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return unreadablePage(`body is not JSON: ${(error as Error).message}`);
  }
  const envelope = pageEnvelope(json);
  if (!envelope.ok) return unreadablePage(envelope.reason);
  return { totalRowsWithFilter: envelope.totalRowsWithFilter, rows: envelope.rows, unreadable: null };
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
  const retried = retriedDatabaseWork(retryHorizonMs, secrets);
  const onAnswer = (httpStatus: number | null) => {
    recordJaoAnswer(httpStatus);
    jao.onAnswer?.(httpStatus);
  };

  return {
    /**
     * One page of a paged dataset's day: one request to JAO per activity, so that the fetch queue's rate limit,
     * which counts activities, counts every request (docs/flow-based.md, "Paging"). The page is kept as fetched in
     * jao.raw_page; only its reference and count travel back to the workflow.
     */
    async fetchDomainPage(input: FetchPageInput): Promise<FetchedPageRef> {
      const { dataset, day, skip, take, horizonStartMs } = input;
      const context = Context.current();
      const declaration = declarationOf(dataset);
      // A publication without a filter sends no Filter at all (JAO misanswers `{}`).
      const { filter } = constraintFieldsOf(declaration);
      const query: Array<[string, string]> = [
        ['Skip', String(skip)],
        ['Take', String(take)],
        ...(filter === null ? [] : [['Filter', JSON.stringify(filter)] as [string, string]]),
      ];
      const where = `${day} (skip ${skip}, take ${take})`;
      const outcome = await withHeartbeat(() =>
        fetchWindow(
          {
            ...jao,
            path: dataPathOf(declaration),
            query,
            onAnswer,
            signal: context.cancellationSignal,
          },
          dayWindow(day),
        ),
      );
      const keep = (httpStatus: number, body: string, facts: Omit<FetchedPageRef, 'rawPageId'>) =>
        retried(`store the page of ${where}`, horizonStartMs, () =>
          storeRawPage(pool, {
            dataset,
            day,
            skip,
            take,
            httpStatus,
            body,
            totalRowsWithFilter: facts.totalRowsWithFilter,
          }),
        ).then((rawPageId) => ({ rawPageId, ...facts }));

      switch (outcome.kind) {
        case 'data':
        case 'not_published':
          return keep(outcome.httpStatus, outcome.body, pageFacts(outcome.body));
        case 'malformed':
          return keep(outcome.httpStatus, outcome.body, unreadablePage(outcome.reason));
        case 'oversized':
          throw ApplicationFailure.nonRetryable(
            redact(`JAO's page of ${where} is too large: ${outcome.reason}`),
            FAILURE_TYPES.permanent,
          );
        case 'rejected':
        case 'permanent':
        case 'retryable':
          throw jaoRequestFailure(outcome, where, context.info.attempt, redact);
      }
    },

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

// The fetch activity: one delivery day from JAO, kept in jao.raw_response; only a reference goes back.
import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import { type RawAnswer, storeRawResponse } from '../db/rawResponse';
import { dayWindow } from '../domain/calendar';
import { FAILURE_TYPES } from '../domain/failureTypes';
import type { Dataset, DeliveryDay } from '../domain/types';
import { fetchDay, type JaoClientOptions } from '../source/jaoClient';
import { withHeartbeat } from './heartbeat';

export interface FetchDeps {
  pool: pg.Pool;
  jao: JaoClientOptions;
}

export interface FetchDayInput {
  dataset: Dataset;
  day: DeliveryDay;
}

export interface FetchedDay {
  /** What JAO answered; a malformed body is kept too, so validation can record why it was refused. */
  answer: 'data' | 'not_published' | 'malformed';
  rawResponseId: number;
  sha256: string;
  bytes: number;
  /** False when the body is the same as the day's previous raw response. */
  isNew: boolean;
  requests: number;
}

export function createFetchActivities({ pool, jao }: FetchDeps) {
  return {
    async fetchDayFromJao({ dataset, day }: FetchDayInput): Promise<FetchedDay> {
      const outcome = await withHeartbeat(() => fetchDay(jao, day));
      const keep = (httpStatus: number, body: string, answer: RawAnswer) =>
        storeRawResponse(pool, { dataset, day, requestWindow: dayWindow(day), httpStatus, body, answer });

      switch (outcome.kind) {
        case 'data':
        case 'not_published':
        case 'malformed': {
          const raw = await keep(outcome.httpStatus, outcome.body, outcome.kind);
          return {
            answer: outcome.kind,
            rawResponseId: raw.id,
            sha256: raw.sha256,
            bytes: raw.bytes,
            isNew: raw.isNew,
            requests: 'requests' in outcome ? outcome.requests : 1,
          };
        }
        case 'rejected':
          await keep(outcome.httpStatus, outcome.body, 'rejected');
          throw ApplicationFailure.nonRetryable(
            `JAO rejected the request for ${day}: ${outcome.messages.join('; ') || 'no message'}`,
            FAILURE_TYPES.rejected,
          );
        case 'permanent':
          throw ApplicationFailure.nonRetryable(
            `JAO refused the request for ${day}: ${outcome.reason}`,
            FAILURE_TYPES.permanent,
          );
        case 'retryable':
          throw ApplicationFailure.create({
            message: `JAO unavailable for ${day}: ${outcome.reason}`,
            type: FAILURE_TYPES.unavailable,
            nextRetryDelay: outcome.retryAfterMs ?? undefined,
          });
      }
    },
  };
}

export type FetchActivities = ReturnType<typeof createFetchActivities>;

// Fetching one page of a paged dataset's day (the flow-based domain): one request to JAO per activity, so that the
// fetch queue's rate limit, which counts activities, counts every request (docs/flow-based.md, "Paging"). The page
// is kept as fetched in jao.raw_page; only its reference and count travel back to the workflow.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type pg from 'pg';
import { redactSecrets } from '../common/redact';
import { storeRawPage } from '../db/lanes/constraints/rawPages';
import { dayWindow } from '../domain/calendar';
import { constraintFieldsOf, dataPathOf, declarationOf } from '../domain/datasets';
import { FAILURE_TYPES } from '../domain/failureTypes';
import { pageEnvelope } from '../domain/flowBased/answer';
import type { Dataset, DeliveryDay } from '../domain/types';
import { fetchWindow, type JaoClientOptions } from '../source/jaoClient';
import { withHeartbeat } from './heartbeat';
import { jaoRequestFailure } from './jaoAttempts';
import { recordJaoAnswer } from './metrics';
import { retriedDatabaseWork } from './retryHorizon';

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

export interface PageFetchDeps {
  pool: pg.Pool;
  jao: JaoClientOptions;
  retryHorizonMs: number;
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
    return {
      totalRowsWithFilter: null,
      rows: 0,
      unreadable: `body is not JSON: ${(error as Error).message}`,
    };
  }
  const envelope = pageEnvelope(json);
  if (!envelope.ok) return { totalRowsWithFilter: null, rows: 0, unreadable: envelope.reason };
  return { totalRowsWithFilter: envelope.totalRowsWithFilter, rows: envelope.rows, unreadable: null };
}

export function createPageFetchActivity({ pool, jao, retryHorizonMs }: PageFetchDeps) {
  const secrets = jao.apiKey ? [jao.apiKey] : [];
  const redact = (text: string) => redactSecrets(text, secrets);
  const retried = retriedDatabaseWork(retryHorizonMs, secrets);

  return async function fetchDomainPage(input: FetchPageInput): Promise<FetchedPageRef> {
    const { dataset, day, skip, take, horizonStartMs } = input;
    const context = Context.current();
    const onAnswer = (httpStatus: number | null) => {
      recordJaoAnswer(httpStatus);
      jao.onAnswer?.(httpStatus);
    };
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
        return keep(outcome.httpStatus, outcome.body, {
          totalRowsWithFilter: null,
          rows: 0,
          unreadable: outcome.reason,
        });
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
  };
}

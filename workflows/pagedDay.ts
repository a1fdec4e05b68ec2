// Fetching a paged dataset's day (the flow-based domain) as JAO pages it: the count first, then each page, one
// activity (one request) each so the fetch queue's rate limit counts them all; when the count moves while paging,
// the day is read again from the start. The pages of one consistent reading become the day's stored answer.
import { ApplicationFailure } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../domain/failureTypes';
import { DOMAIN_MAX_RESTARTS, pagesFor } from '../domain/flowBased/paging';
import type { Dataset, DeliveryDay } from '../domain/types';
import type { fetchActivities, StoreSteps } from './activities';

export interface PagedDayInput {
  dataset: Dataset;
  day: DeliveryDay;
  horizonStartMs: number;
  /** Rows asked for per page. */
  pageSize: number;
}

/** Reads one consistent answer of the day and stores it; resolves with the stored answer's id. */
export async function fetchPagedDay(
  fetch: ReturnType<typeof fetchActivities>,
  store: StoreSteps,
  { dataset, day, horizonStartMs, pageSize }: PagedDayInput,
): Promise<number> {
  let lastMove = '';
  for (let reading = 0; reading <= DOMAIN_MAX_RESTARTS; reading++) {
    const probe = await fetch.fetchDomainPage({ dataset, day, skip: 0, take: 0, horizonStartMs });
    const total = probe.totalRowsWithFilter;
    const rawPageIds = [probe.rawPageId];
    let moved: string | null = null;
    for (const request of total === null ? [] : pagesFor(total, pageSize)) {
      const page = await fetch.fetchDomainPage({ dataset, day, ...request, horizonStartMs });
      rawPageIds.push(page.rawPageId);
      // An unreadable page is stored as it came: the day's validation says why it is invalid.
      if (page.totalRowsWithFilter === null) break;
      const expected = Math.min(request.take, total! - request.skip);
      if (page.totalRowsWithFilter !== total) {
        moved = `the count moved from ${total} to ${page.totalRowsWithFilter} at skip ${request.skip}`;
      } else if (page.rows !== expected) {
        moved = `the page at skip ${request.skip} held ${page.rows} rows, not ${expected}`;
      }
      if (moved) break;
    }
    if (moved === null) {
      const stored = await store.assemblePagedDay({
        dataset,
        day,
        rawPageIds,
        totalRowsWithFilter: total,
        horizonStartMs,
      });
      return stored.rawResponseId;
    }
    lastMove = moved;
  }
  throw ApplicationFailure.nonRetryable(
    `no consistent answer of ${day} after ${DOMAIN_MAX_RESTARTS + 1} readings: ${lastMove}`,
    FAILURE_TYPES.unavailable,
  );
}

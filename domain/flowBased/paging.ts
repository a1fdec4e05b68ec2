// Reading one consistent answer of a paged endpoint, as JAO pages: the count first (Take=0), then pages of `take`
// rows. A count that moves between the probe and any page means the answer changed under the reader: the day is
// read again from the start, so that what is stored is one version, never a mix of two.
import type { DomainPage, DomainPageCheck } from './answer';

export interface PageRequest {
  skip: number;
  take: number;
}

/** The pages that read `total` rows `take` at a time (none for none). */
export function pagesFor(total: number, take: number): PageRequest[] {
  if (!Number.isInteger(take) || take < 1)
    throw new RangeError(`take must be a whole number ≥ 1, got ${take}`);
  const pages: PageRequest[] = [];
  for (let skip = 0; skip < total; skip += take) pages.push({ skip, take });
  return pages;
}

export type ConsistentAnswer =
  | {
      ok: true;
      /** The probe's count, which every page confirmed. */
      total: number;
      pages: DomainPage[];
      /** Times the count moved and the reading started again. */
      restarts: number;
      /** Requests made, the probes included: what the read cost of JAO's budget. */
      requests: number;
    }
  | { ok: false; rejected: boolean; reason: string; restarts: number; requests: number };

export interface ConsistentAnswerOptions {
  take: number;
  /** Readings started again at most this many times before giving up (the next run tries again). */
  maxRestarts: number;
}

/**
 * Reads every page of one consistent answer through `fetchPage` (one request each; the caller spends the budget):
 * a probe, then the pages; when a page's count differs from the probe's, or a page holds other than the rows its
 * place promises, the reading starts again with a new probe.
 */
export async function readConsistentAnswer(
  fetchPage: (request: PageRequest) => Promise<DomainPageCheck>,
  { take, maxRestarts }: ConsistentAnswerOptions,
): Promise<ConsistentAnswer> {
  let requests = 0;
  let lastMove = '';
  for (let restarts = 0; restarts <= maxRestarts; restarts++) {
    requests += 1;
    const probe = await fetchPage({ skip: 0, take: 0 });
    if (!probe.ok) return { ...probe, restarts, requests };
    const total = probe.page.totalRowsWithFilter;
    const pages: DomainPage[] = [];
    let moved: string | null = null;
    for (const request of pagesFor(total, take)) {
      requests += 1;
      const answer = await fetchPage(request);
      if (!answer.ok) return { ...answer, restarts, requests };
      const { page } = answer;
      const expected = Math.min(take, total - request.skip);
      if (page.totalRowsWithFilter !== total) {
        moved = `the count moved from ${total} to ${page.totalRowsWithFilter} at skip ${request.skip}`;
      } else if (page.rows.length + page.refused.length !== expected) {
        moved = `the page at skip ${request.skip} held ${page.rows.length + page.refused.length} rows, not ${expected}`;
      }
      if (moved) break;
      pages.push(page);
    }
    if (!moved) return { ok: true, total, pages, restarts, requests };
    lastMove = moved;
  }
  return {
    ok: false,
    rejected: false,
    reason: `no consistent answer after ${maxRestarts + 1} readings: ${lastMove}`,
    restarts: maxRestarts,
    requests,
  };
}

/** Rows asked for per page: a presolved day (about 2,600–3,700 rows) in one page after the probe. */
export const DOMAIN_PAGE_TAKE = 5_000;

/** Readings of a day started again, when its count moved, before the day fails (the next run tries again). */
export const DOMAIN_MAX_RESTARTS = 3;

/**
 * Requests a day of the presolved domain costs when JAO answers it whole and its count holds: the probe and one page
 * (the busiest presolved day seen is about 3,800 rows: 25 hours × 152, under DOMAIN_PAGE_TAKE).
 */
export const DOMAIN_REQUESTS_PER_DAY = 1 + 1;

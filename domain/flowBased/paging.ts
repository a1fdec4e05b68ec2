// Paging as JAO pages: the count first (Take=0), then pages of `take` rows (workflows/pagedDay.ts reads a day so, and
// reads it again from the start when its count moves between the probe and any page).
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

/** Rows asked for per page: a presolved day (about 2,600–3,700 rows) in one page after the probe. */
export const DOMAIN_PAGE_TAKE = 5_000;

/** Readings of a day started again, when its count moved, before the day fails (the next run tries again). */
export const DOMAIN_MAX_RESTARTS = 3;

/**
 * Requests a day of the presolved domain costs when JAO answers it whole and its count holds: the probe and one page
 * (the busiest presolved day seen is about 3,800 rows: 25 hours × 152, under DOMAIN_PAGE_TAKE).
 */
export const DOMAIN_REQUESTS_PER_DAY = 1 + 1;

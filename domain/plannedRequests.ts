// What fetching a number of days of a dataset costs of JAO's request budget, at least: `jao backfill --dry-run`
// prints it before anything is asked.
import { declarationOf } from './datasets';
import { DOMAIN_PAGE_TAKE, DOMAIN_REQUESTS_PER_DAY } from './flowBased/paging';
import type { Dataset } from './types';

export interface PlannedRequests {
  requests: number;
  /** How the count is made, in words. */
  basis: string;
}

export function plannedRequests(dataset: Dataset, days: number): PlannedRequests {
  if (declarationOf(dataset).rowKind === 'constraints') {
    return {
      requests: days * DOMAIN_REQUESTS_PER_DAY,
      basis:
        `a count probe and one page of ${DOMAIN_PAGE_TAKE.toLocaleString('en')} rows per day; a day of more rows, ` +
        'or one whose count moves while it is paged, takes more',
    };
  }
  return { requests: days, basis: 'one per day' };
}

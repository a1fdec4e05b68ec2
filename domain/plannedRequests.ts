// What fetching a number of days of a dataset costs of JAO's request budget, at least: `jao backfill --dry-run`
// prints it before anything is asked.
import { constraintFieldsOf, declarationOf } from './datasets';
import { DOMAIN_PAGE_TAKE, DOMAIN_REQUESTS_PER_DAY } from './flowBased/paging';
import type { Dataset } from './types';

export interface PlannedRequests {
  requests: number;
  /** How the count is made, in words. */
  basis: string;
}

export function plannedRequests(dataset: Dataset, days: number): PlannedRequests {
  const declaration = declarationOf(dataset);
  if (declaration.rowKind === 'constraints') {
    // The busiest day: 25 hours at the finest MTU declared, each with the most rows an MTU is seen to hold.
    const minutes = Math.min(...declaration.resolutions.map((period) => period.minutes));
    const rows = constraintFieldsOf(declaration).rowsPerMtu * ((25 * 60) / minutes);
    const pages = Math.max(DOMAIN_REQUESTS_PER_DAY - 1, Math.ceil(rows / DOMAIN_PAGE_TAKE));
    return {
      requests: days * (1 + pages),
      basis:
        `a count probe and ${pages === 1 ? 'one page' : `${pages} pages`} of ` +
        `${DOMAIN_PAGE_TAKE.toLocaleString('en')} rows per day; a day of more rows, ` +
        'or one whose count moves while it is paged, takes more',
    };
  }
  return { requests: days, basis: 'one per day' };
}

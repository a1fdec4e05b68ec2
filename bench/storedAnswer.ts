// A day fetched and kept as the day workflow keeps it, with the pipeline's own activities called directly: one
// request for a dataset of keyed values; for the flow-based domain, the count probe, its pages and their assembly
// (workflows/pagedDay.ts, here without re-reading: the simulator's count holds unless a test moves it).
import type { createFetchActivities, createStoreActivities } from '../activities';
import { isConstraintDataset } from '../domain/datasets';
import { DOMAIN_PAGE_TAKE, pagesFor } from '../domain/flowBased/paging';
import type { Dataset, DeliveryDay } from '../domain/types';

type Run = <A, R>(fn: (input: A) => Promise<R>, input: A) => Promise<R>;

/** The stored raw answer's id of `day`, fetched now. */
export async function fetchAndKeep(
  run: Run,
  fetch: ReturnType<typeof createFetchActivities>,
  store: ReturnType<typeof createStoreActivities>,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<number> {
  if (!isConstraintDataset(dataset))
    return (await run(fetch.fetchDayFromJao, { dataset, day })).rawResponseId;
  const horizonStartMs = Date.now();
  const probe = await run(fetch.fetchDomainPage, { dataset, day, skip: 0, take: 0, horizonStartMs });
  const total = probe.totalRowsWithFilter;
  const rawPageIds = [probe.rawPageId];
  for (const request of total === null ? [] : pagesFor(total, DOMAIN_PAGE_TAKE)) {
    const page = await run(fetch.fetchDomainPage, { dataset, day, ...request, horizonStartMs });
    if (page.totalRowsWithFilter !== total)
      throw new Error(
        `${dataset} ${day}: the count moved while paging (${total} → ${page.totalRowsWithFilter})`,
      );
    rawPageIds.push(page.rawPageId);
  }
  const assembled = await run(store.assemblePagedDay, {
    dataset,
    day,
    rawPageIds,
    totalRowsWithFilter: total,
  });
  return assembled.rawResponseId;
}

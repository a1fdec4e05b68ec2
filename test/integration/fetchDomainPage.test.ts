// The fetch activity of one page of a paged day (activities/fetch.ts fetchDomainPage), over HTTP from a JAO stand-in
// that answers what each test sets: a page that cannot be read is kept as it came, and reports no count and no rows
// (the workflow, workflows/pagedDay.ts, stops paging on it and the day's validation says why it is invalid); a
// readable page reports the count it announced and the rows it carried.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchActivities, type FetchActivities, type FetchedPageRef } from '../../activities/fetch';
import type { Dataset, DeliveryDay } from '../../domain/types';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const DATASET: Dataset = 'coreFinalComputation';
const DAY: DeliveryDay = '2026-10-14';
const quiet = { logger: new DefaultLogger('ERROR') };

/** What the stand-in answers next, and the queries it was sent. */
let answer = { status: 200, contentType: 'application/json', body: '' };
const queries: URLSearchParams[] = [];

let db: TestDatabase;
let jao: Server;
let fetch: FetchActivities;

beforeAll(async () => {
  db = await createTestDatabase();
  jao = createServer((request, response) => {
    queries.push(new URL(request.url ?? '/', 'http://jao').searchParams);
    response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
  });
  await new Promise<void>((resolve) => jao.listen(0, '127.0.0.1', resolve));
  const { port } = jao.address() as AddressInfo;
  fetch = createFetchActivities({
    pool: db.pool,
    jao: { baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 10_000 },
  });
});
afterAll(async () => {
  await new Promise((resolve) => jao?.close(resolve));
  await db?.release();
});

/** Fetches the page at `skip` with the stand-in answering `body`; the reference and the page as stored. */
async function fetchPage(body: string, skip: number, contentType = 'application/json') {
  answer = { status: 200, contentType, body };
  const ref = (await new MockActivityEnvironment({}, quiet).run(() =>
    fetch.fetchDomainPage({ dataset: DATASET, day: DAY, skip, take: 3, horizonStartMs: Date.now() }),
  )) as FetchedPageRef;
  expect(queries.at(-1)?.get('Skip')).toBe(String(skip));
  const stored = await db.pool.query(
    `SELECT skip, take, http_status AS "httpStatus", convert_from(body, 'UTF8') AS body,
            total_rows_with_filter AS "totalRowsWithFilter"
       FROM jao.raw_page WHERE raw_page_id = $1`,
    [ref.rawPageId],
  );
  return { ref, stored: stored.rows };
}

const row = (id: number) => ({ id, dateTimeUtc: '2026-10-13T22:00:00Z' });

describe('a page of a paged day', () => {
  it('reports no count and no rows for a page without its count, though it carried rows; kept as it came', async () => {
    const body = JSON.stringify({ data: [row(1), row(2), row(3)], rejected: false, messages: [] });
    const { ref, stored } = await fetchPage(body, 3);
    expect(ref).toEqual({
      rawPageId: expect.any(Number),
      totalRowsWithFilter: null,
      rows: 0,
      unreadable: 'totalRowsWithFilter is missing: the page cannot be placed',
    });
    expect(stored).toEqual([{ skip: 3, take: 3, httpStatus: 200, body, totalRowsWithFilter: null }]);
  });

  it('reports no count and no rows for a page that is not JSON; kept as it came', async () => {
    const body = '<!DOCTYPE html>\n<html><body>Service temporarily unavailable</body></html>\n';
    const { ref, stored } = await fetchPage(body, 6, 'text/html');
    expect(ref).toEqual({
      rawPageId: expect.any(Number),
      totalRowsWithFilter: null,
      rows: 0,
      unreadable: expect.stringMatching(/^body is not JSON: /),
    });
    expect(stored).toEqual([{ skip: 6, take: 3, httpStatus: 200, body, totalRowsWithFilter: null }]);
  });

  it('reports the count a readable page announced and the rows it carried', async () => {
    const body = JSON.stringify({
      data: [row(4), row(5)],
      totalRowsWithFilter: 5,
      rejected: false,
      messages: [],
    });
    const { ref, stored } = await fetchPage(body, 3);
    expect(ref).toEqual({ rawPageId: expect.any(Number), totalRowsWithFilter: 5, rows: 2, unreadable: null });
    expect(stored).toEqual([{ skip: 3, take: 3, httpStatus: 200, body, totalRowsWithFilter: 5 }]);
  });
});

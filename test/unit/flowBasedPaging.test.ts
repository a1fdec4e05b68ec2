// Reading one consistent answer page by page (domain/flowBased/paging.ts), against a JAO stand-in in memory whose
// answer can change while it is read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DomainPageCheck, parseDomainPage } from '../../domain/flowBased/answer';
import { type PageRequest, pagesFor, readConsistentAnswer } from '../../domain/flowBased/paging';

const ROWS = (
  JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        'fixtures',
        'jao',
        'flowbased',
        'core_finalComputation_2024-12-31T23Z_Elia_presolved.reconstructed.json',
      ),
      'utf8',
    ),
  ) as { data: unknown[] }
).data;

/** A paged endpoint over `rows()`, answering as JAO does; `requests` records what was asked. */
function endpoint(rows: () => unknown[]) {
  const requests: PageRequest[] = [];
  const fetchPage = async (request: PageRequest): Promise<DomainPageCheck> => {
    requests.push(request);
    const all = rows();
    return parseDomainPage({
      data: all.slice(request.skip, request.skip + request.take),
      totalRows: null,
      totalRowsWithFilter: all.length,
      skip: request.skip,
      take: request.take,
      appliedFilter: { presolved: true },
      lastModifiedOn: null,
      rejected: false,
      messages: null,
    });
  };
  return { fetchPage, requests };
}

describe('pages of a paged answer', () => {
  it('cover the count, the last one short', () => {
    expect(pagesFor(13, 5)).toEqual([
      { skip: 0, take: 5 },
      { skip: 5, take: 5 },
      { skip: 10, take: 5 },
    ]);
    expect(pagesFor(0, 5)).toEqual([]);
    expect(() => pagesFor(13, 0)).toThrow('take must be a whole number ≥ 1, got 0');
  });
});

describe('one consistent answer', () => {
  it('asks for the count, then each page, and returns every row once', async () => {
    const { fetchPage, requests } = endpoint(() => ROWS);
    const answer = await readConsistentAnswer(fetchPage, { take: 5, maxRestarts: 2 });
    if (!answer.ok) throw new Error(answer.reason);
    expect(requests).toEqual([{ skip: 0, take: 0 }, ...pagesFor(13, 5)]);
    expect(answer.pages.flatMap((page) => page.rows.map((row) => row.jaoId))).toEqual(
      ROWS.map((row) => (row as { id: number }).id),
    );
    expect([answer.total, answer.restarts, answer.requests]).toEqual([13, 0, 4]);
  });

  it('starts again when the count moves between pages, and keeps only the answer read whole', async () => {
    let served = 0;
    const extra = { ...(ROWS[0] as object), id: 777, cneName: 'Appeared 380.1 ' };
    // The answer gains a row once the first page has been read.
    const { fetchPage, requests } = endpoint(() => (served++ >= 2 ? [...ROWS, extra] : ROWS));
    const answer = await readConsistentAnswer(fetchPage, { take: 5, maxRestarts: 2 });
    if (!answer.ok) throw new Error(answer.reason);
    expect([answer.total, answer.restarts]).toEqual([14, 1]);
    expect(answer.pages.flatMap((page) => page.rows)).toHaveLength(14);
    expect(requests.filter((request) => request.take === 0)).toHaveLength(2);
    expect(answer.requests).toBe(requests.length);
  });

  it('gives up after its restarts with the reason, when the answer keeps moving', async () => {
    let served = 0;
    const { fetchPage } = endpoint(() => ROWS.slice(0, 10 + (served++ % 3)));
    const answer = await readConsistentAnswer(fetchPage, { take: 4, maxRestarts: 1 });
    expect(answer).toMatchObject({
      ok: false,
      rejected: false,
      reason: expect.stringMatching(
        /^no consistent answer after 2 readings: the count moved from \d+ to \d+ at skip \d+$/,
      ),
    });
  });

  it('starts again when a page holds other than the rows its place promises', async () => {
    let calls = 0;
    const { fetchPage } = endpoint(() => ROWS);
    const short = async (request: PageRequest) => {
      const page = await fetchPage(request);
      if (calls++ === 1 && page.ok) page.page.rows.pop();
      return page;
    };
    const answer = await readConsistentAnswer(short, { take: 5, maxRestarts: 2 });
    expect(answer).toMatchObject({ ok: true, restarts: 1, total: 13 });
  });

  it('passes a refusal on, with the requests it cost', async () => {
    const refusal = async () =>
      parseDomainPage({ data: null, rejected: true, messages: ['Invalid FromUtc/ToUtc range'] });
    expect(await readConsistentAnswer(refusal, { take: 5, maxRestarts: 2 })).toEqual({
      ok: false,
      rejected: true,
      reason: 'rejected by JAO: Invalid FromUtc/ToUtc range',
      restarts: 0,
      requests: 1,
    });
  });
});

// A paged answer as the day keeps it: every page of one consistent reading, each body exactly as JAO sent it, in
// one stored raw answer (jao.raw_response), so that lineage, the archive, restore and reprocessing treat a paged day
// as any other day. The bodies are JSON and are embedded as they came, byte for byte; nothing of the reading that
// changes between two identical answers (fetch times) is in it, so an answer fetched again hashes the same.

export interface FetchedPage {
  skip: number;
  take: number;
  httpStatus: number;
  /** The page's body as received (JSON text). */
  body: string;
}

export interface PagedAnswer {
  /** Rows matching the filter, as the probe announced and every page confirmed. */
  totalRowsWithFilter: number;
  probe: FetchedPage;
  pages: FetchedPage[];
}

const MARKER = 'pagedAnswer';

function pageJson(page: FetchedPage): string {
  return `{"skip":${page.skip},"take":${page.take},"httpStatus":${page.httpStatus},"body":${page.body}}`;
}

/** The stored form: `{"pagedAnswer":{"totalRowsWithFilter":N,"probe":{…,"body":<as sent>},"pages":[…]}}`. */
export function assemblePagedAnswer(answer: PagedAnswer): string {
  return (
    `{"${MARKER}":{"totalRowsWithFilter":${answer.totalRowsWithFilter},"probe":${pageJson(answer.probe)},` +
    `"pages":[${answer.pages.map(pageJson).join(',')}]}}`
  );
}

/** A stored page read back, its body parsed. */
export type ParsedPage = Omit<FetchedPage, 'body'> & { body: unknown };

export type PagedAnswerCheck =
  | { ok: true; totalRowsWithFilter: number; probe: ParsedPage; pages: ParsedPage[] }
  | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pageOf(value: unknown): ParsedPage | null {
  if (!isRecord(value)) return null;
  const { skip, take, httpStatus } = value;
  if (!Number.isInteger(skip) || !Number.isInteger(take) || !Number.isInteger(httpStatus)) return null;
  return { skip: skip as number, take: take as number, httpStatus: httpStatus as number, body: value.body };
}

/** Reads a stored paged answer back; anything else is refused with its reason. */
export function parsePagedAnswer(text: string): PagedAnswerCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `stored paged answer is not JSON: ${(error as Error).message}` };
  }
  const answer = isRecord(json) ? json[MARKER] : undefined;
  if (!isRecord(answer)) return { ok: false, reason: 'not a paged answer (no pagedAnswer member)' };
  const total = answer.totalRowsWithFilter;
  const probe = pageOf(answer.probe);
  const pages = Array.isArray(answer.pages) ? answer.pages.map(pageOf) : null;
  if (!Number.isInteger(total) || (total as number) < 0)
    return { ok: false, reason: 'paged answer without a count' };
  if (!probe || !pages || pages.some((page) => page === null))
    return { ok: false, reason: 'paged answer with an unreadable page' };
  return { ok: true, totalRowsWithFilter: total as number, probe, pages: pages as ParsedPage[] };
}

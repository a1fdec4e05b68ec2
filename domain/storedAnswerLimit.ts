// How large a stored answer of a dataset may be when it is read back (the day's validate and write, reprocessing,
// restore): JAO_MAX_BODY_BYTES bounds each answer JAO sends, so a stored answer is bounded by it times the answers
// it holds: one for a dataset read in one request, the count probe and its pages for a paged day
// (domain/flowBased/pagedAnswer.ts). Every reader of a stored body asks here; none computes its own.
import { describeBytes } from './bodyLimit';
import { answerReadingOf } from './lanes';
import type { Dataset } from './types';

/**
 * The most pages, the count probe counted, an assembled paged day may hold at JAO_MAX_BODY_BYTES each. A probe and
 * three pages of DOMAIN_PAGE_TAKE (5,000) rows hold 15,000 rows: a Nordic quarter-hour day (about 12,800 non-redundant rows,
 * 15–17 MB in three pages of about 7 MB) with room. A day of more rows at the same size per row still fits the
 * bytes (four pages of 8 MiB are 32 MiB), however many pages it was fetched in.
 */
export const MAX_PAGES_PER_PAGED_ANSWER = 4;

/** What assembling adds around each page's body (its skip, take and status) and around them all: far below this. */
export const PAGED_ANSWER_FRAME_BYTES = 1024;

export interface StoredAnswerLimit {
  /** The largest stored answer read back, in bytes. */
  bytes: number;
  /** The bound, named for a refusal's message: which setting, times what. */
  name: string;
}

/** The largest stored answer of `dataset` read back, given JAO_MAX_BODY_BYTES (`maxBodyBytes`). */
export function storedAnswerLimit(dataset: Dataset, maxBodyBytes: number): StoredAnswerLimit {
  if (answerReadingOf(dataset).paging === 'single')
    return { bytes: maxBodyBytes, name: `JAO_MAX_BODY_BYTES (${maxBodyBytes})` };
  const bytes = MAX_PAGES_PER_PAGED_ANSWER * (maxBodyBytes + PAGED_ANSWER_FRAME_BYTES);
  return {
    bytes,
    name:
      `the bound of a paged answer, MAX_PAGES_PER_PAGED_ANSWER (${MAX_PAGES_PER_PAGED_ANSWER}) pages of ` +
      `JAO_MAX_BODY_BYTES (${maxBodyBytes}) each (${describeBytes(bytes)})`,
  };
}

/**
 * Heap a store step needs per byte of the stored answer it reads (the body as text, its rows judged, the write's
 * content and COPY text): a Nordic quarter-hour day's 16.9 MB answer has a live peak of about 100 MB
 * (docs/constraints.md "How large a day may be"). What a process's store steps hold at once is bounded by it
 * (activities/answerBudget.ts).
 */
export const HEAP_BYTES_PER_ANSWER_BYTE = 6;

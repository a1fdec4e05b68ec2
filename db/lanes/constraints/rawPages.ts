// Pages of a paged answer as fetched (jao.raw_page, migration 019), and the day's answer assembled from one
// consistent set of them into jao.raw_response (domain/flowBased/pagedAnswer.ts).
import type pg from 'pg';
import { dayWindow } from '../../../domain/calendar';
import { assemblePagedAnswer, type FetchedPage } from '../../../domain/flowBased/pagedAnswer';
import type { Dataset, DeliveryDay } from '../../../domain/types';
import { type StoredRawResponse, storeRawResponse } from '../../rawResponse';

export interface RawPageInput {
  dataset: Dataset;
  day: DeliveryDay;
  skip: number;
  take: number;
  httpStatus: number;
  body: string;
  totalRowsWithFilter: number | null;
}

export async function storeRawPage(pool: pg.Pool, page: RawPageInput): Promise<number> {
  const result = await pool.query<{ id: string }>(
    `INSERT INTO jao.raw_page (dataset, day, skip, take, http_status, body, sha256, total_rows_with_filter)
     VALUES ($1, $2::date, $3, $4, $5, convert_to($6, 'UTF8'), encode(sha256(convert_to($6, 'UTF8')), 'hex'), $7)
     RETURNING raw_page_id::text AS id`,
    [page.dataset, page.day, page.skip, page.take, page.httpStatus, page.body, page.totalRowsWithFilter],
  );
  return Number(result.rows[0]!.id);
}

export interface AssembleInput {
  dataset: Dataset;
  day: DeliveryDay;
  /** The probe's page first, then the pages in order. */
  rawPageIds: number[];
  /** The count the probe announced and every page confirmed; null when the probe could not be read. */
  totalRowsWithFilter: number | null;
}

/**
 * Stores the day's answer made of the given pages (a new raw response only when it differs from the day's last).
 * The pages stay until the day is written (dropAssembledPages), so that running it again finds them and stores
 * nothing new.
 */
export async function assemblePagedDay(
  pool: pg.Pool,
  input: AssembleInput,
): Promise<StoredRawResponse & { pages: number }> {
  const result = await pool.query<FetchedPage & { raw_page_id: string }>(
    `SELECT raw_page_id::text, skip, take, http_status AS "httpStatus", convert_from(body, 'UTF8') AS body
       FROM jao.raw_page WHERE raw_page_id = ANY ($1::bigint[]) AND dataset = $2 AND day = $3::date`,
    [input.rawPageIds, input.dataset, input.day],
  );
  const byId = new Map(result.rows.map((row) => [Number(row.raw_page_id), row]));
  const pages: FetchedPage[] = input.rawPageIds.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`page ${id} of ${input.dataset} ${input.day} is no longer in jao.raw_page`);
    return row;
  });
  const [probe, ...rest] = pages;
  if (!probe) throw new Error(`no page to assemble for ${input.dataset} ${input.day}`);
  const stored = await storeRawResponse(pool, {
    dataset: input.dataset,
    day: input.day,
    requestWindow: dayWindow(input.day),
    httpStatus: probe.httpStatus,
    body: assemblePagedAnswer({ totalRowsWithFilter: input.totalRowsWithFilter ?? 0, probe, pages: rest }),
    answer:
      input.totalRowsWithFilter === null
        ? 'malformed'
        : input.totalRowsWithFilter === 0
          ? 'not_published'
          : 'data',
  });
  return { ...stored, pages: pages.length };
}

/** The bytes of the given pages together: what assembling them holds of the heap, about. */
export async function rawPagesBytes(pool: pg.Pool, rawPageIds: readonly number[]): Promise<number> {
  const result = await pool.query<{ bytes: number }>(
    'SELECT COALESCE(sum(octet_length(body)), 0)::int AS bytes FROM jao.raw_page WHERE raw_page_id = ANY ($1::bigint[])',
    [rawPageIds],
  );
  return result.rows[0]?.bytes ?? 0;
}

/**
 * Drops the day's pages fetched before its stored answer `rawResponseId` was last stored: that reading's pages (now
 * in the answer, byte for byte) and those of readings given up when the count moved. Pages of a later reading stay.
 */
export async function dropAssembledPages(
  pool: pg.Pool,
  ref: { dataset: Dataset; day: DeliveryDay; rawResponseId: number },
): Promise<number> {
  const dropped = await pool.query(
    `DELETE FROM jao.raw_page p
      USING jao.raw_response r
      WHERE r.raw_response_id = $3 AND p.dataset = $1 AND p.day = $2::date AND p.fetched_at <= r.last_fetched_at`,
    [ref.dataset, ref.day, ref.rawResponseId],
  );
  return dropped.rowCount ?? 0;
}

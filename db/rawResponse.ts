import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Dataset, DeliveryDay, UtcWindow } from '../domain/types';
import { dayLockName, LOCK_NAMESPACE } from './locks';
import { withTransaction } from './pool';

/** What the body was (jao.raw_response.answer). */
export type RawAnswer = 'data' | 'not_published' | 'malformed' | 'rejected';

export interface StoreRawResponseInput {
  dataset: Dataset;
  day: DeliveryDay;
  requestWindow: UtcWindow;
  httpStatus: number;
  body: string;
  answer?: RawAnswer;
  fetchedAt?: Date;
}

export interface StoredRawResponse {
  id: number;
  sha256: string;
  /** false when the body equals the day's previous raw response (its id is returned). */
  isNew: boolean;
  bytes: number;
}

export interface RawResponse {
  id: number;
  dataset: Dataset;
  day: DeliveryDay;
  body: string;
  sha256: string;
}

/**
 * Keeps a fetched payload (before validation) for lineage and re-processing. A new row only when its
 * sha256 differs from the day's latest raw response; otherwise that row's id is returned and its
 * last_fetched_at / fetch_count move. Serialized per day so two concurrent fetches store one row.
 */
export async function storeRawResponse(
  pool: pg.Pool,
  input: StoreRawResponseInput,
): Promise<StoredRawResponse> {
  const bytes = Buffer.from(input.body, 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      LOCK_NAMESPACE.rawResponse,
      dayLockName(input.dataset, input.day),
    ]);
    const fetchedAt = input.fetchedAt ?? null;
    const previous = await client.query<{ raw_response_id: number; sha256: string }>(
      `SELECT raw_response_id::int AS raw_response_id, sha256 FROM jao.raw_response
        WHERE dataset = $1 AND day = $2::date
        ORDER BY raw_response_id DESC
        LIMIT 1`,
      [input.dataset, input.day],
    );
    const last = previous.rows[0];
    if (last && last.sha256 === sha256) {
      await client.query(
        `UPDATE jao.raw_response
            SET last_fetched_at = GREATEST(last_fetched_at, COALESCE($2::timestamptz, now())),
                fetch_count = fetch_count + 1
          WHERE raw_response_id = $1`,
        [last.raw_response_id, fetchedAt],
      );
      return { id: last.raw_response_id, sha256, isNew: false, bytes: bytes.length };
    }
    const inserted = await client.query<{ raw_response_id: number }>(
      `INSERT INTO jao.raw_response
          (dataset, day, request_from, request_to, http_status, body, sha256, bytes, fetched_at, last_fetched_at,
           answer)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamptz, now()), COALESCE($9::timestamptz, now()),
               $10)
       RETURNING raw_response_id::int AS raw_response_id`,
      [
        input.dataset,
        input.day,
        input.requestWindow.from,
        input.requestWindow.to,
        input.httpStatus,
        bytes,
        sha256,
        bytes.length,
        fetchedAt,
        input.answer ?? null,
      ],
    );
    return { id: inserted.rows[0]!.raw_response_id, sha256, isNew: true, bytes: bytes.length };
  });
}

export async function loadRawResponse(pool: pg.Pool, id: number): Promise<RawResponse | null> {
  const result = await pool.query<{
    raw_response_id: number;
    dataset: Dataset;
    day: string;
    body: Buffer;
    sha256: string;
  }>(
    `SELECT raw_response_id::int AS raw_response_id, dataset, day::text AS day, body, sha256
       FROM jao.raw_response WHERE raw_response_id = $1`,
    [id],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.raw_response_id,
    dataset: row.dataset,
    day: row.day,
    body: row.body.toString('utf8'),
    sha256: row.sha256,
  };
}

// JAO's answers as stored in jao.raw_response: kept by the fetch (and a paged day's assembly, a restore), read back by
// the day's validate and write, reprocessing and restore, a body dropped under RAW_RETENTION_DAYS from the archive.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { StoredAnswerLimit } from '../domain/storedAnswerLimit';
import { RAW_STORE_TIMEOUTS } from '../domain/timeBudget';
import type { Dataset, DeliveryDay, UtcWindow } from '../domain/types';
import { lockDay } from './locks';
import { withTransaction } from './pool';

/** Reads an archive object's bytes (answers/<sha256>); throws ArchivedBodyUnreadable when it cannot. */
export type ArchivedBodyReader = (key: string) => Promise<Uint8Array>;

/** A body dropped under RAW_RETENTION_DAYS could not be read back from the archive: nothing is derived from it. */
export class ArchivedBodyUnreadable extends Error {
  override name = 'ArchivedBodyUnreadable';
}

/** What the answer was (jao.raw_response.answer): the publication of a day is dated by it. */
export type RawAnswer = 'data' | 'not_published' | 'malformed' | 'oversized' | 'rejected';

export interface StoreRawResponseInput {
  dataset: Dataset;
  day: DeliveryDay;
  requestWindow: UtcWindow;
  httpStatus: number;
  /** The answer as received (text is stored as its UTF-8 bytes); for a truncated answer, its beginning. */
  body: string | Uint8Array;
  /** Set when `body` is only the beginning of an answer too large to read (JAO_MAX_BODY_BYTES). */
  truncated?: TruncatedAnswer;
  answer?: RawAnswer;
  /** Default: the database clock. A text is an ISO instant, which may carry microseconds (a restore). */
  fetchedAt?: Date | string;
  /** The archive object that holds the answer (a restore stores it with the row it inserts). */
  archiveKey?: string;
  /** The whole body's sha256 (hex), when the caller has just computed it from these very bytes (a restore). */
  sha256?: string;
  /** Commit without waiting for the WAL to reach the disk: as a restored write does (db/writeDay.ts: restoreDayWrite). */
  commitAsync?: boolean;
}

export interface TruncatedAnswer {
  reason: string;
  /** Bytes read before reading stopped, and their sha256 (hex). */
  receivedBytes: number;
  sha256: string;
}

export interface StoredRawResponse {
  id: number;
  sha256: string;
  /** false when the body equals the day's previous raw response (its id is returned). */
  isNew: boolean;
  bytes: number;
}

export type RawResponse = {
  id: number;
  dataset: Dataset;
  day: DeliveryDay;
  sha256: string;
  /** Size of the answer (of what was read, for a truncated one). */
  bytes: number;
} & (
  | { body: string; refused: null; archived?: undefined }
  /** The body is not loaded: why (truncated when fetched, or larger than the caller's limit). */
  | { body: null; refused: string; archived?: undefined }
  /** The body was dropped under RAW_RETENTION_DAYS: the archive object that holds it (answers/<sha256>). */
  | { body: null; refused: null; archived: string }
);

/**
 * Keeps a fetched payload (before validation) for lineage and re-processing. A new row only when its
 * sha256 differs from the day's latest raw response; otherwise that row's id is returned and its
 * last_fetched_at / fetch_count move. Serialized per day so two concurrent fetches store one row.
 */
export async function storeRawResponse(
  pool: pg.Pool,
  input: StoreRawResponseInput,
): Promise<StoredRawResponse> {
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const sha256 = input.truncated?.sha256 ?? input.sha256 ?? createHash('sha256').update(body).digest('hex');
  const bytes = input.truncated?.receivedBytes ?? body.length;
  return withTransaction(pool, async (client) => {
    if (input.commitAsync) await client.query('SET LOCAL synchronous_commit = off');
    await lockDay(client, input.dataset, input.day, 'raw', RAW_STORE_TIMEOUTS);
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
      return { id: last.raw_response_id, sha256, isNew: false, bytes };
    }
    const inserted = await client.query<{ raw_response_id: number }>(
      `INSERT INTO jao.raw_response
            (dataset, day, request_from, request_to, http_status, body, sha256, bytes, fetched_at, last_fetched_at,
             truncated_reason, answer, archive_key)
         VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamptz, now()),
                 COALESCE($9::timestamptz, now()), $10, $11, $12)
         RETURNING raw_response_id::int AS raw_response_id`,
      [
        input.dataset,
        input.day,
        input.requestWindow.from,
        input.requestWindow.to,
        input.httpStatus,
        body,
        sha256,
        bytes,
        fetchedAt,
        input.truncated?.reason ?? null,
        input.answer ?? null,
        input.archiveKey ?? null,
      ],
    );
    return { id: inserted.rows[0]!.raw_response_id, sha256, isNew: true, bytes };
  });
}

/**
 * A stored raw response. Its body is loaded only when it was stored whole and is at most `limit`, its dataset's bound
 * (domain/storedAnswerLimit.ts: JAO_MAX_BODY_BYTES for an answer of one request; that times the pages a paged day may
 * hold for a paged one), so re-processing a stored answer is bounded like fetching it (a row stored before the limit
 * existed, or under a larger one, is refused instead of loaded).
 */
export async function loadRawResponse(
  pool: pg.Pool,
  id: number,
  limit: StoredAnswerLimit,
): Promise<RawResponse | null> {
  const result = await pool.query<{
    raw_response_id: number;
    dataset: Dataset;
    day: string;
    sha256: string;
    bytes: number;
    stored_bytes: number;
    truncated_reason: string | null;
    has_body: boolean;
    archive_key: string | null;
  }>(
    `SELECT raw_response_id::int AS raw_response_id, dataset, day::text AS day, sha256, bytes,
            COALESCE(octet_length(body), bytes) AS stored_bytes, truncated_reason,
            body IS NOT NULL AS has_body, archive_key
       FROM jao.raw_response WHERE raw_response_id = $1`,
    [id],
  );
  const row = result.rows[0];
  if (!row) return null;
  // `identity`: the SELECT's other columns, each a field of RawResponse (a column added there lands in it).
  const { raw_response_id, stored_bytes, truncated_reason, has_body, archive_key, ...identity } = row;
  const common = { id: raw_response_id, ...identity };
  const refusedFor = (refused: string): RawResponse => ({ ...common, body: null, refused });
  if (truncated_reason !== null) return refusedFor(truncated_reason);
  if (stored_bytes > limit.bytes)
    return refusedFor(
      `stored answer of ${stored_bytes} bytes is larger than ${limit.name}: not re-processed`,
    );
  let archived = archive_key;
  if (has_body) {
    // The body alone, once its size is known to fit: a body dropped meanwhile is read from its archive object.
    const loaded = await pool.query<{ body: Buffer | null; archive_key: string | null }>(
      'SELECT body, archive_key FROM jao.raw_response WHERE raw_response_id = $1',
      [id],
    );
    const body = loaded.rows[0]?.body ?? null;
    if (body !== null) return { ...common, body: body.toString('utf8'), refused: null };
    archived = loaded.rows[0]?.archive_key ?? null;
  }
  if (archived !== null) return { ...common, body: null, refused: null, archived };
  return refusedFor('its body is gone and no archive object holds it: not re-processed');
}

/** The body of a stored answer whose bytes now live in the archive, checked against the stored sha256. */
async function archivedBody(
  raw: { id: number; day: DeliveryDay; sha256: string; archived: string },
  readArchived: ArchivedBodyReader | undefined,
): Promise<string> {
  const what = `raw response ${raw.id} of ${raw.day} (its body was dropped under RAW_RETENTION_DAYS; archive object ${raw.archived})`;
  if (!readArchived) throw new ArchivedBodyUnreadable(`${what}: no archive to read it from`);
  let bytes: Uint8Array;
  try {
    bytes = await readArchived(raw.archived);
  } catch (error) {
    if (error instanceof ArchivedBodyUnreadable)
      throw new ArchivedBodyUnreadable(`${what}: ${error.message}`, { cause: error });
    throw error;
  }
  if (createHash('sha256').update(bytes).digest('hex') !== raw.sha256)
    throw new ArchivedBodyUnreadable(`${what}: the archive's bytes do not hash to the stored sha256`);
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A stored answer's body wherever it lives now (jao.raw_response, or the archive once dropped under
 * RAW_RETENTION_DAYS, its hash checked), or why it is not processed (too large, truncated): a limit, not a judgement.
 */
export async function storedBody(
  pool: pg.Pool,
  { day, rawResponseId }: { day: DeliveryDay; rawResponseId: number },
  limit: StoredAnswerLimit,
  readArchived: ArchivedBodyReader | undefined,
): Promise<{ body: string } | { refused: string }> {
  const raw = await loadRawResponse(pool, rawResponseId, limit);
  if (!raw) throw new Error(`raw response ${rawResponseId} for ${day} is not in jao.raw_response`);
  if (raw.refused !== null) return { refused: raw.refused };
  return { body: raw.body !== null ? raw.body : await archivedBody(raw, readArchived) };
}

/**
 * The day's stored raw answers but refusals, newest first (empty: none): what reprocessing can re-derive without
 * asking JAO. A refusal (jao.raw_response.answer 'rejected') is kept as evidence but is no answer to derive a day
 * from: the day workflow never judges one either (the day fails).
 */
export async function readStoredAnswerIds(
  pool: pg.Pool,
  dataset: Dataset,
  day: DeliveryDay,
): Promise<number[]> {
  const result = await pool.query<{ id: string }>(
    `SELECT raw_response_id AS id FROM jao.raw_response
      WHERE dataset = $1 AND day = $2::date AND answer IS DISTINCT FROM 'rejected'
      ORDER BY raw_response_id DESC`,
    [dataset, day],
  );
  return result.rows.map((row) => Number(row.id));
}

/** The days of [from, to] with at least one stored raw answer that is not a refusal, in order. */
export async function daysWithStoredAnswers(
  pool: pg.Pool,
  dataset: Dataset,
  from: DeliveryDay,
  to: DeliveryDay,
): Promise<DeliveryDay[]> {
  const result = await pool.query<{ day: string }>(
    `SELECT DISTINCT day::text AS day FROM jao.raw_response
      WHERE dataset = $1 AND day BETWEEN $2::date AND $3::date AND answer IS DISTINCT FROM 'rejected'
      ORDER BY 1`,
    [dataset, from, to],
  );
  return result.rows.map((row) => row.day);
}

// A values (or constraints) answer as a stream with backpressure: memory stays flat however many rows. Read from a
// server-side cursor and formatted by the caller's formatter (JSON, and a few borders through the range functions),
// or written by PostgreSQL itself through COPY … TO STDOUT (CSV and NDJSON day by day), whose bytes go to the
// response as they are. Around their bodies, what the streamed answers of the dataset routes share: their headers,
// the cache, the snapshot they are read in, and their end once the key that asked no longer reads the dataset.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { dayOfInstant } from '../domain/calendar';
import type { Dataset } from '../domain/datasets';
import type { Format, MtuWindow } from './params';
import type { CachedAnswer } from './responseCache';
import type { RouteDeps } from './routing';
import { answerIfNotModified, etagOf, isSettled, openSnapshot, type Snapshot } from './snapshot';
import { type AnswerFormatter, CONTENT_TYPES, type ValuesCopy } from './valueRows';

/** SQLSTATE of a statement canceled (pg_cancel_backend). */
const QUERY_CANCELED = '57014';

/** Rows read from the cursor at a time: a few hundred kB of text, whatever the size of the answer. */
const BATCH_ROWS = 4_000;

/** An answer of at most `maxBytes`, once streamed to its end, is handed to `keep` whole (the response cache). */
export interface WholeAnswer {
  maxBytes: number;
  keep(body: Buffer): void;
}

/** Collects an answer's chunks for WholeAnswer while it stays small enough; gives up beyond. */
class AnswerKeeper {
  private chunks: Buffer[] | null = [];
  private bytes = 0;
  constructor(private readonly whole: WholeAnswer) {}

  add<Chunk extends string | Buffer>(chunk: Chunk): Chunk {
    if (this.chunks === null) return chunk;
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    this.bytes += bytes.length;
    if (this.bytes > this.whole.maxBytes) this.chunks = null;
    else this.chunks.push(bytes);
    return chunk;
  }

  finish(): void {
    if (this.chunks !== null) this.whole.keep(Buffer.concat(this.chunks));
  }
}

/**
 * `body`'s chunks as a stream that calls `close` once: when the chunks end or fail (with the failure), or when the
 * client is gone, also before the first chunk was asked for (the generator then never runs, its finally neither).
 */
function closingStream(
  body: (keeper: AnswerKeeper) => AsyncIterable<string | Buffer>,
  whole: WholeAnswer,
  close: (failure?: unknown) => Promise<void>,
): Readable {
  let started = false;
  async function* chunks(): AsyncGenerator<string | Buffer> {
    started = true;
    let failure: unknown;
    const keeper = new AnswerKeeper(whole);
    try {
      yield* body(keeper);
      keeper.finish();
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      await close(failure);
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false });
  stream.on('close', () => {
    if (!started) void close();
  });
  return stream;
}

/**
 * The answer read from a server-side cursor, BATCH_ROWS at a time, written by `formatter`. The first batch is read
 * before answering, so a failing query is still a 500.
 */
export async function streamValues(
  snapshot: Snapshot,
  query: { text: string; values: unknown[] },
  formatter: AnswerFormatter,
  whole: WholeAnswer,
): Promise<Readable> {
  const cursor = snapshot.client.query(new Cursor<string[]>(query.text, query.values, { rowMode: 'array' }));
  const first = await cursor.read(BATCH_ROWS);
  // Called once (closingStream).
  const close = async (failure?: unknown) => {
    await cursor.close().catch(() => {});
    await snapshot.end(failure);
  };
  // The next batch is asked for before this one is formatted and sent: the server reads it meanwhile.
  const readAhead = (batch: string[][]) => {
    if (batch.length < BATCH_ROWS) return null;
    const next = cursor.read(BATCH_ROWS);
    next.catch(() => {}); // awaited below; an answer abandoned before that has no use for its failure
    return next;
  };
  async function* body(keeper: AnswerKeeper): AsyncGenerator<string> {
    let rows = first;
    let next = readAhead(rows);
    yield keeper.add(formatter.start());
    while (rows.length > 0) {
      yield keeper.add(formatter.batch(rows));
      if (next === null) break;
      rows = await next;
      next = readAhead(rows);
    }
    yield keeper.add(formatter.end());
  }
  return closingStream(body, whole, close);
}

/**
 * The answer as COPY writes it (`values`: its inputs, set in the snapshot's transaction first, and the COPY), after
 * `header` (CSV's header line, or nothing). COPY's first chunk is awaited before answering, so a failing query is still
 * a 500. An answer abandoned before its end (the client gone, its key revoked) cancels the COPY through `pool`
 * (pg_cancel_backend: a role may cancel its own sessions), reads and drops what the server sent until then, tells `abandoned`
 * whether the cancellation ended it, and returns the connection: the server stops at once instead of writing the
 * rest of a year to nobody.
 */
export async function copyValues(
  snapshot: Snapshot,
  pool: pg.Pool,
  values: ValuesCopy,
  header: string,
  whole: WholeAnswer,
  abandoned: (outcome: { canceled: boolean }) => void,
): Promise<Readable> {
  const { rows } = await snapshot.client.query<{ pid: number }>(values.inputs);
  const backend = rows[0]!.pid;
  const copy = snapshot.client.query(copyTo(values.copy));
  // pg-copy-streams emits its failure as an event (once): noted here whoever reads, so no failure goes unhandled.
  let over = false;
  const copyOver = new Promise<unknown>((resolve) => {
    const end = (error?: unknown) => {
      over = true;
      resolve(error);
    };
    copy.once('end', end);
    copy.once('error', end);
  });
  // Left without reading to its end, this iterator leaves the stream as it is: destroyed, it would stop reading the
  // connection (pg-copy-streams reads it only while its own reader reads), which the next statement needs.
  const reads = copy.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  // Called once (closingStream).
  const close = async (failure?: unknown) => {
    if (!over) {
      await pool.query('SELECT pg_cancel_backend($1)', [backend]).catch(() => {});
      try {
        while (!(await reads.next()).done);
      } catch {
        // the cancellation's error, awaited below
      }
      const error = await copyOver;
      abandoned({ canceled: (error as { code?: string } | undefined)?.code === QUERY_CANCELED });
    }
    await snapshot.end(failure);
  };
  let first: IteratorResult<Buffer>;
  try {
    first = await reads.next();
  } catch (error) {
    await copyOver;
    throw error;
  }
  async function* body(keeper: AnswerKeeper): AsyncGenerator<string | Buffer> {
    yield keeper.add(header);
    for (let read = first; !read.done; read = await reads.next()) yield keeper.add(read.value);
  }
  return closingStream(body, whole, close);
}

// The delivery days of an answer's range that are not stored: named by the Jao-Days-Missing header (and
// `days_missing` in a JSON envelope), so that an empty answer is never mistaken for a day without values.
const DAYS_MISSING_HEADER = 'jao-days-missing';

/** The rows an answer reads: keyed values or the flow-based domain's constraints. */
type StoredRows = 'values' | 'constraints';

/** The rows of a dataset: current, or as known at the instant $4. */
const SOURCE: Record<StoredRows, { current: string; asOf: string }> = {
  values: { current: 'jao.dataset_values', asOf: 'jao.dataset_values_as_of($4::timestamptz)' },
  constraints: { current: 'jao.constraints', asOf: 'jao.constraints_as_of($4::timestamptz)' },
};

/**
 * The days of from..to (narrowed to the days an MTU window touches) of which the dataset's rows hold none: the
 * current rows, or as of an instant the rows as then known. One probe of the values' delivery-day index per day (a
 * lateral LIMIT 1: as NOT EXISTS the planner chose an anti-join over the whole range, 3.6 s for a year of every
 * border instead of 30 ms). A day stored in part (some MTUs missing, status partial) is not missing: GET /v1/days
 * tells its completeness.
 */
async function readDaysMissing(
  client: pg.PoolClient,
  rows: StoredRows,
  dataset: Dataset,
  from: string,
  to: string,
  asOf: Date | null,
  window: MtuWindow | null,
): Promise<string[]> {
  const first = window ? maxDay(from, dayOfInstant(window.from)) : from;
  const last = window ? minDay(to, dayOfInstant(new Date(window.to.getTime() - 1))) : to;
  const source = asOf ? SOURCE[rows].asOf : SOURCE[rows].current;
  const result = await client.query<{ day: string }>({
    text: `SELECT d.day::text AS day
             FROM generate_series($2::date, $3::date, interval '1 day') AS s(at)
            CROSS JOIN LATERAL (SELECT s.at::date AS day) d
             LEFT JOIN LATERAL (SELECT 1 AS found FROM ${source} x
                                 WHERE x.dataset = $1 AND x.delivery_day = d.day LIMIT 1) f ON true
            WHERE f.found IS NULL
            ORDER BY d.day`,
    values: asOf ? [dataset, first, last, asOf] : [dataset, first, last],
  });
  return result.rows.map((row) => row.day);
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);

/** Jao-Days-Missing: the days comma-separated; absent when none. */
function setDaysMissingHeader(reply: FastifyReply, days: readonly string[]): void {
  if (days.length > 0) reply.header(DAYS_MISSING_HEADER, days.join(','));
}

/** The content type of `format`; CSV is shown inline under `csvFileName`. */
export function setAnswerHeaders(reply: FastifyReply, format: Format, csvFileName: string): void {
  reply.header('content-type', CONTENT_TYPES[format]);
  if (format === 'csv') reply.header('content-disposition', `inline; filename="${csvFileName}"`);
}

export function sendCached(reply: FastifyReply, format: Format, csvFileName: string, cached: CachedAnswer) {
  setAnswerHeaders(reply, format, csvFileName);
  setDaysMissingHeader(reply, cached.daysMissing);
  reply.header('x-cache', 'hit');
  return reply.send(cached.body);
}

export interface StreamedAnswer {
  rows: StoredRows;
  dataset: Dataset;
  from: string;
  to: string;
  asOf: Date | null;
  window: MtuWindow | null;
  format: Format;
  csvFileName: string;
  /** The request's canonical parts, which its ETag names. */
  parts: readonly unknown[];
  /** What is checked in the snapshot before anything is answered (values: the borders asked for). */
  check?: (snapshot: Snapshot) => Promise<void>;
  body(snapshot: Snapshot, whole: WholeAnswer, daysMissing: string[]): Promise<Readable>;
}

/**
 * The answer in one snapshot: 304 when the client's copy is current, the cached answer when there is one, else the
 * body after the Jao-Days-Missing header, kept when whole and small enough.
 */
export async function sendStreamed(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: StreamedAnswer,
): Promise<FastifyReply> {
  const snapshot = await openSnapshot(deps.pool);
  try {
    await answer.check?.(snapshot);
    const settled = isSettled(answer.asOf ?? undefined, snapshot.version);
    const etag = etagOf(answer.parts, settled ? null : snapshot.version);
    if (answerIfNotModified(request, reply, etag, settled)) {
      await snapshot.end();
      return reply;
    }
    const cached = deps.responses.answer(etag);
    if (cached) {
      await snapshot.end();
      return sendCached(reply, answer.format, answer.csvFileName, cached);
    }
    setAnswerHeaders(reply, answer.format, answer.csvFileName);
    reply.header('x-cache', 'miss');
    const { rows, dataset, from, to, asOf, window } = answer;
    const daysMissing = await readDaysMissing(snapshot.client, rows, dataset, from, to, asOf, window);
    setDaysMissingHeader(reply, daysMissing);
    const whole = {
      maxBytes: deps.responses.maxEntryBytes,
      keep: (body: Buffer) => deps.responses.set(etag, body, daysMissing),
    };
    const body = await answer.body(snapshot, whole, daysMissing);
    // A long answer ends (its connection is cut) once its key is revoked or no longer reads the dataset.
    const key = request.apiKey;
    if (key) {
      const unwatch = deps.keyWatch.watch(key, dataset, (loss) => {
        request.log.info({ keyId: key.id, loss }, `${rows} answer cut: its key no longer reads it`);
        reply.raw.destroy();
      });
      reply.raw.once('close', unwatch);
    }
    // A stream is sent as it is: the response schema documents its rows, it does not serialize them.
    return reply.send(body);
  } catch (error) {
    await snapshot.end(error);
    throw error;
  }
}

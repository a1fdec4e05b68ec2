import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';

export interface Snapshot {
  client: pg.PoolClient;
  version: DataVersion;
  /** Commits (or rolls back after `error`) and returns the connection; safe to call more than once. */
  end(error?: unknown): Promise<void>;
}

/**
 * One read-only REPEATABLE READ transaction: the data version an answer's ETag is computed from and the answer
 * itself come from the same snapshot, so an ETag never names data it was not computed from.
 */
export async function openSnapshot(pool: pg.Pool): Promise<Snapshot> {
  const client = await pool.connect();
  let ended = false;
  const end = async (error?: unknown) => {
    if (ended) return;
    ended = true;
    let broken: Error | undefined;
    await client.query(error === undefined ? 'COMMIT' : 'ROLLBACK').catch((endError: Error) => {
      broken = endError;
    });
    client.release(broken);
  };
  try {
    // JIT compiles for seconds on a large answer that needs none of it.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off');
    return { client, version: await readDataVersion(client), end };
  } catch (error) {
    await end(error);
    throw error;
  }
}

/** `work` in a snapshot that ends with it. */
export async function withSnapshot<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, version: DataVersion) => Promise<T>,
): Promise<T> {
  const snapshot = await openSnapshot(pool);
  try {
    const result = await work(snapshot.client, snapshot.version);
    await snapshot.end();
    return result;
  } catch (error) {
    await snapshot.end(error);
    throw error;
  }
}

/** What changes whenever a write of any day commits (every write adds an attempt to its day). */
export interface DataVersion {
  /** Opaque, for ETags. */
  tag: string;
  /** The latest write's transaction time; null without any day. */
  lastWriteAt: Date | null;
  /** The database's clock at the snapshot. */
  now: Date;
}

/**
 * The data version now: one statement, so one snapshot of its own. A client inside a snapshot reads that snapshot's
 * version; a pool reads the latest committed one without a transaction (what a cached answer is checked against).
 */
export async function readDataVersion(client: pg.PoolClient | pg.Pool): Promise<DataVersion> {
  const result = await client.query<{
    days: number;
    attempts: string;
    last_write_at: Date | null;
    now: Date;
  }>({
    name: 'jao.api.dataVersion',
    text: `SELECT count(*)::int AS days, COALESCE(sum(attempts), 0)::text AS attempts,
                  max(last_checked_at) AS last_write_at, clock_timestamp() AS now
             FROM jao.delivery_day`,
  });
  const row = result.rows[0]!;
  return {
    tag: `${row.days}.${row.attempts}.${row.last_write_at?.getTime() ?? 0}`,
    lastWriteAt: row.last_write_at,
    now: row.now,
  };
}

/**
 * Longer than any write transaction (lock and statement timeouts, db/locks.ts): a value version whose
 * valid_from is older than this has committed, so an answer as of an instant this old can no longer change.
 */
const SETTLED_AFTER_MS = 5 * 60_000;

/** An answer as of `asOf` can no longer change: settled, and before the latest write. */
export function isSettled(asOf: Date | undefined, version: DataVersion): boolean {
  if (!asOf || !version.lastWriteAt) return false;
  return (
    asOf.getTime() <= version.lastWriteAt.getTime() &&
    asOf.getTime() <= version.now.getTime() - SETTLED_AFTER_MS
  );
}

/** A strong ETag of an answer: its request's canonical parts and, unless settled, the data version. */
export function etagOf(parts: readonly unknown[], version: DataVersion | null): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([...parts, version?.tag ?? 'settled']))
    .digest('base64url')
    .slice(0, 27);
  return `"${hash}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sets ETag and Cache-Control; answers 304 (and returns true) when the client's copy is current.
 */
export function answerIfNotModified(
  request: FastifyRequest,
  reply: FastifyReply,
  etag: string,
  settled: boolean,
): boolean {
  reply.header('etag', etag);
  reply.header('cache-control', settled ? 'private, max-age=31536000, immutable' : 'private, no-cache');
  reply.header('vary', 'Authorization');
  if (!matches(request.headers['if-none-match'], etag)) return false;
  reply.code(304).send();
  return true;
}

/**
 * The data version as of each caller's arrival, with as few reads as that allows: a caller joins a read that has not
 * started yet, or starts one; a read already running began before the caller arrived and may miss a commit the
 * caller saw, so the caller waits for the next one, which starts when it ends. Under load every caller waits for at
 * most two reads, and the database answers one read per round trip instead of one per request.
 */
export class CurrentDataVersion {
  private running: Promise<DataVersion> | null = null;
  private queued: Promise<DataVersion> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  read(): Promise<DataVersion> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<DataVersion> {
    const read = readDataVersion(this.pool).finally(() => {
      if (this.running === read) this.running = null;
    });
    this.running = read;
    return read;
  }
}

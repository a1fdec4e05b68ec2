import pg from 'pg';
import { CONNECTION_TIMEOUT_MS } from '../domain/timeBudget';
import type { Dataset } from '../domain/types';

/**
 * Type parsing for this pool only (no global side effects): int8 as a JS number (every bigint this schema
 * returns — ids, counts — fits in 2^53) and `date` as its `YYYY-MM-DD` text (a delivery day), never as a
 * local-midnight Date.
 */
export const POOL_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    if (oid === pg.types.builtins.INT8) return (text: string) => Number(text);
    if (oid === pg.types.builtins.DATE) return (text: string) => text;
    return pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

/** A row as such a pool reads it: the timestamps `K`, ISO text in `T`, arrive as Date (null where `T` has null). */
export type DatedRow<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? Date | null : Date;
};

/** A timestamp as ISO text, as the rows the storage layer gives carry it. */
export const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /**
   * How long taking a connection may wait, for a new connection to be made or a busy one to be released
   * (default CONNECTION_TIMEOUT_MS, domain/timeBudget.ts): a database that does not answer (dropped packets) fails
   * the work with a transient error (db/errors.ts classifyConnectionError) that the activities retry, instead of
   * hanging until their timeout.
   */
  connectionTimeoutMs?: number;
  /** Where the one line about a connection lost while idle goes (default: stderr). */
  report?: (line: string) => void;
}

/**
 * One clear line for a database error that ends a connection attempt or a connection: node-postgres reports a
 * refused connection to `localhost` (tried on ::1 and 127.0.0.1) as an AggregateError without a message.
 */
export function connectionErrorMessage(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    const parts = error.errors.map((inner: unknown) => connectionErrorMessage(inner));
    return [...new Set(parts)].join('; ') || 'connection failed';
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every pool of the project: a connection lost while idle in the pool is one line (the next checkout
 * connects again); one lost while checked out fails the query in flight, whose caller reports it. Either
 * way no 'error' event goes unhandled (which would end the process with a stack trace).
 */
export function watchPool(pool: pg.Pool, report = (line: string) => console.error(line)): pg.Pool {
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  pool.on('error', (error) => {
    // pool.end() resolves before its connections have closed; the server ending them then is no news.
    if (pool.ending) return;
    report(
      `database connection lost while idle (${connectionErrorMessage(error)}); reconnecting on next use`,
    );
  });
  return pool;
}

/**
 * A single connection (admin tasks, benchmarks): its 'error' event is handled; a lost connection fails the
 * next query, whose caller reports it.
 */
export function watchClient(client: pg.Client): pg.Client {
  client.on('error', () => {});
  return client;
}

/** What a pool keeps per dataset (what its writes learnt of a catalogue): made on first use, gone with it. */
export function perPoolAndDataset<T>(make: () => T): (pool: pg.Pool, dataset: Dataset) => T {
  const kept = new WeakMap<pg.Pool, Map<Dataset, T>>();
  return (pool, dataset) => {
    const byDataset = kept.get(pool) ?? new Map<Dataset, T>();
    kept.set(pool, byDataset);
    const value = byDataset.get(dataset) ?? make();
    byDataset.set(dataset, value);
    return value;
  };
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'jao-scraper',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    types: POOL_TYPES,
  });
  return watchPool(pool, options.report);
}

/** Runs `work` in one transaction on one client; rolls back on any error. */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const { value } = await withDecidedTransaction(pool, async (client) => ({
    value: await work(client),
    commit: true,
  }));
  return value;
}

/** Runs `work` on `client` between BEGIN and COMMIT; rolled back when it throws. */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const value = await work();
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Runs `work` in one transaction on one client, committed only when `work` says so; rolled back on any error. */
export async function withDecidedTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<{ value: T; commit: boolean }>,
): Promise<{ value: T; commit: boolean }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const decided = await work(client);
    await client.query(decided.commit ? 'COMMIT' : 'ROLLBACK');
    return decided;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

import type pg from 'pg';
import type { TransactionTimeouts } from '../domain/timeBudget';

/**
 * Advisory lock keys of the storage layer: (namespace, key) pairs for pg_advisory_lock(int, int), so they
 * cannot collide with one another. The key within a namespace is hashtext() of a string computed in SQL.
 */
export const LOCK_NAMESPACE = {
  /** Session lock held while migrations run (one per database). */
  migrate: 1_245_793_024,
} as const;

/**
 * What a per-day lock serializes: `write` two writes of one day (writeDay), `raw` two stores of one day's raw
 * answer (storeRawResponse).
 */
export type DayLockPurpose = 'write' | 'raw';

/** A setting for the rest of the transaction, set with its timeouts. */
export interface TransactionSetting {
  name: string;
  value: string;
}

/**
 * TimescaleDB refuses DML that decompresses more than 100,000 tuples in one transaction (its default
 * guard against statements that would decompress whole hypertables). Every statement of a day's write (of every lane) is
 * bounded by the day's window, so what it decompresses is at most the batches of the day's chunks (a
 * chunk holds 30 days of every series); the guard is lifted for the write's transaction only (set with its timeouts). On plain PostgreSQL the setting is an unused placeholder.
 */
export const DECOMPRESSION_LIMIT_LIFTED: TransactionSetting = {
  name: 'timescaledb.max_tuples_decompressed_per_dml_transaction',
  value: '0',
};

/**
 * Bounds the rest of the transaction by `timeouts` (domain/timeBudget.ts: a lock or statement that waits longer fails,
 * retryably, instead of hanging), with `settings`, in one round trip.
 */
export async function boundTransaction(
  client: pg.PoolClient,
  timeouts: TransactionTimeouts,
  settings: readonly TransactionSetting[],
): Promise<void> {
  await client.query({
    name: 'jao.locks.boundTransaction',
    text: `SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true),
                  (SELECT count(set_config(s.name, s.value, true))
                     FROM unnest($3::text[], $4::text[]) AS s(name, value))`,
    values: [
      `${timeouts.lockTimeoutMs}ms`,
      `${timeouts.statementTimeoutMs}ms`,
      settings.map((setting) => setting.name),
      settings.map((setting) => setting.value),
    ],
  });
}

/**
 * Takes the day's locks for `purposes`, in their order, in one statement: row locks on jao.day_lock, which only a role
 * with UPDATE on it (jao_writer) can take, so a reader cannot stall the pipeline. After boundTransaction.
 */
export async function lockDayFor(
  client: pg.PoolClient,
  dataset: string,
  day: string,
  purposes: readonly DayLockPurpose[],
): Promise<void> {
  await client.query({
    name: 'jao.locks.lockDay',
    text: `INSERT INTO jao.day_lock AS l (dataset, day, purpose)
           SELECT $1, $2::date, p.purpose FROM unnest($3::text[]) WITH ORDINALITY AS p(purpose, position)
            ORDER BY p.position
           ON CONFLICT (dataset, day, purpose) DO UPDATE SET locked_at = now()`,
    values: [dataset, day, purposes],
  });
}

/** The transaction bounded by `timeouts` (and `settings`), then the day's lock for `purpose` taken (lockDayFor). */
export async function lockDay(
  client: pg.PoolClient,
  dataset: string,
  day: string,
  purpose: DayLockPurpose,
  timeouts: TransactionTimeouts,
  settings: TransactionSetting | null = null,
): Promise<void> {
  await boundTransaction(client, timeouts, settings === null ? [] : [settings]);
  await lockDayFor(client, dataset, day, [purpose]);
}

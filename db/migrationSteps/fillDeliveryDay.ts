// Migration 013: the values stored before 012 get their delivery day, a range of days at a time, while the previous
// release keeps writing (docs/timescaledb.md "Plain SQL on the views").
import type pg from 'pg';
import { addDays, dayOfInstant, dayStartMs, daysBetween } from '../../domain/calendar';
import type { DeliveryDay } from '../../domain/types';
import { withLockRetry } from '../lockRetry';
import type { MigrationStep, MigrationStepContext } from '../migrationStep';
import { inTransaction } from '../pool';

const STEP = '013_fill_delivery_day';

/**
 * A batch's transaction aims at this long: row locks held no longer than a day's own write holds them. The days of a
 * batch are sized by the batch before; where a denser dataset begins (Nordic's quarter-hours) one batch may take a few
 * times longer before the next shrinks.
 */
const TARGET_BATCH_MS = 100;
const MAX_BATCH_DAYS = 32;
const REPORT_EVERY_MS = 5000;

/** The delivery days the stored values span, from where an interrupted run stopped; null when nothing is left. */
async function daysToFill(client: pg.PoolClient): Promise<{ first: DeliveryDay; last: DeliveryDay } | null> {
  const { rows } = await client.query<{
    first_mtu: Date | null;
    last_mtu: Date | null;
    done_through: Date | null;
  }>(
    `SELECT least((SELECT min(mtu) FROM jao.observation), (SELECT min(mtu) FROM jao.observation_history)) AS first_mtu,
            greatest((SELECT max(mtu) FROM jao.observation), (SELECT max(mtu) FROM jao.observation_history))
              AS last_mtu,
            (SELECT done_through FROM jao.migration_step_progress WHERE name = $1) AS done_through`,
    [STEP],
  );
  const row = rows[0];
  if (!row?.first_mtu || !row.last_mtu) return null;
  const last = dayOfInstant(row.last_mtu);
  let first = dayOfInstant(row.first_mtu);
  if (row.done_through) {
    const resumeAt = dayOfInstant(row.done_through);
    if (resumeAt > first) first = resumeAt;
  }
  return first > last ? null : { first, last };
}

/**
 * One batch, one transaction: the write lock of every stored day of every dataset in [from, to) (jao.day_lock, taken
 * in one order, as a day's write takes its own first), so a write of one of those days waits for the batch, and the
 * batch for it, instead of the two locking each other's rows; then the values of those days get their day.
 */
async function fillBatch(client: pg.PoolClient, from: DeliveryDay, to: DeliveryDay): Promise<number> {
  const windowFrom = new Date(dayStartMs(from));
  const windowTo = new Date(dayStartMs(to));
  return inTransaction(client, async () => {
    // TimescaleDB: a compressed batch of these days is decompressed to be updated (the compression policy
    // compresses it again); its guard against DML that decompresses many rows is lifted for this transaction.
    await client.query(
      `SELECT set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true)`,
    );
    await client.query(
      `INSERT INTO jao.day_lock AS l (dataset, day, purpose)
       SELECT d.dataset, d.day, 'write' FROM jao.delivery_day d
        WHERE d.day >= $1::date AND d.day < $2::date
        ORDER BY d.dataset, d.day
       ON CONFLICT (dataset, day, purpose) DO UPDATE SET locked_at = now()`,
      [from, to],
    );
    let filled = 0;
    for (const table of ['jao.observation', 'jao.observation_history']) {
      const result = await client.query(
        `UPDATE ${table} SET delivery_day = (mtu AT TIME ZONE 'Europe/Amsterdam')::date
          WHERE mtu >= $1 AND mtu < $2 AND delivery_day IS NULL`,
        [windowFrom, windowTo],
      );
      filled += result.rowCount ?? 0;
    }
    await client.query(
      `INSERT INTO jao.migration_step_progress (name, done_through) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET done_through = EXCLUDED.done_through, updated_at = now()`,
      [STEP, windowTo],
    );
    return filled;
  });
}

async function fill(client: pg.PoolClient, { report, lockRetry }: MigrationStepContext): Promise<void> {
  const bounds = await daysToFill(client);
  if (bounds === null) return;
  const end = addDays(bounds.last, 1);
  const totalDays = daysBetween(bounds.first, end);
  const started = Date.now();
  let lastReport = started;
  let day = bounds.first;
  let span = 1;
  let values = 0;
  while (day < end) {
    const to = daysBetween(day, end) <= span ? end : addDays(day, span);
    const batchStarted = Date.now();
    values += await withLockRetry(
      `migration ${STEP} (days ${day} to ${addDays(to, -1)})`,
      () => fillBatch(client, day, to),
      lockRetry,
      report,
    );
    const batchMs = Date.now() - batchStarted;
    // The next batch's days, in proportion to how long this one took for its days (within a factor of two).
    const scaled = Math.round((span * TARGET_BATCH_MS) / Math.max(batchMs, 1));
    span = Math.max(1, Math.min(MAX_BATCH_DAYS, span * 2, Math.max(Math.floor(span / 2), scaled)));
    day = to;
    if (Date.now() - lastReport >= REPORT_EVERY_MS && day < end) {
      lastReport = Date.now();
      const done = daysBetween(bounds.first, day);
      report(
        `013 fills delivery_day: ${done} of ${totalDays} days (${Math.floor((100 * done) / totalDays)} %), ` +
          `${values} values, through ${addDays(day, -1)}`,
      );
    }
  }
  if (values > 0) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    report(`013 filled delivery_day of ${values} values over ${totalDays} days in ${seconds} s`);
  }
}

export const fillDeliveryDay: MigrationStep = {
  describe:
    'delivery_day of the values stored before 012, in batches of days under their write locks, resumable (v1)',
  requires: null,
  run: fill,
};

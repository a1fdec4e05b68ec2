// What a desk and a writer feel while a migration runs (bench:migrate, test:upgrade): every 100 ms one read of a day through the views and one write
// of a day's values, each timed; the longest is the longest a migration's lock held them back (plus their own time).
import type pg from 'pg';
import { dayWindow } from '../domain/calendar';
import type { DeliveryDay } from '../domain/types';

export interface ProbeReport {
  reads: number;
  writes: number;
  longestReadMs: number;
  longestWriteMs: number;
  /** Operations that failed (a lock or statement timeout of the probe's own, a lost connection), with why. */
  failures: string[];
}

export interface Probe {
  stop(): Promise<ProbeReport>;
}

const INTERVAL_MS = 100;
/** Longer than any wait the migrations may cause: a probe operation that waits this long is a failure, reported. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Reads `day` of Core through jao.max_exchanges and writes it again the way a day's write does: its write lock
 * (jao.day_lock), then its values, updated in place to what they are (same values, same revisions: nothing changes
 * for a reader). Both run on their own connections, each operation after the previous one ended.
 */
export function startProbe(pool: pg.Pool, day: DeliveryDay): Probe {
  const report: ProbeReport = { reads: 0, writes: 0, longestReadMs: 0, longestWriteMs: 0, failures: [] };
  const window = dayWindow(day);
  let running = true;

  const timed = async (kind: 'read' | 'write', work: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await work();
      const ms = performance.now() - started;
      if (kind === 'read') {
        report.reads += 1;
        report.longestReadMs = Math.max(report.longestReadMs, ms);
      } else {
        report.writes += 1;
        report.longestWriteMs = Math.max(report.longestWriteMs, ms);
      }
    } catch (error) {
      report.failures.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const read = () =>
    pool.query({
      text: `SELECT count(*), sum(value_mw) FROM jao.max_exchanges WHERE delivery_day = $1::date`,
      values: [day],
    });

  const write = async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${PROBE_TIMEOUT_MS}ms`]);
        // As a day's write does (db/locks.ts DECOMPRESSION_LIMIT_LIFTED): on TimescaleDB a day of compressed
        // history is decompressed to be written.
        await client.query(
          `SELECT set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true)`,
        );
        await client.query(
          `INSERT INTO jao.day_lock (dataset, day, purpose) VALUES ('maxExchanges', $1::date, 'write')
           ON CONFLICT (dataset, day, purpose) DO UPDATE SET locked_at = now()`,
          [day],
        );
        await client.query(
          `UPDATE jao.observation SET value = value
            WHERE mtu >= $1 AND mtu < $2
              AND series_id IN (SELECT series_id FROM jao.series WHERE dataset = 'maxExchanges')`,
          [window.from, window.to],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    } finally {
      client.release();
    }
  };

  const loop = async (kind: 'read' | 'write', work: () => Promise<unknown>) => {
    while (running) {
      const started = performance.now();
      await timed(kind, work);
      const rest = INTERVAL_MS - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  };
  const loops = Promise.all([loop('read', read), loop('write', write)]);

  return {
    async stop() {
      running = false;
      await loops;
      return report;
    },
  };
}

// A benchmark's own database: its URL on the server, and TimescaleDB's background jobs kept out of its timings.
import type pg from 'pg';

/**
 * TimescaleDB's background jobs off in a benchmark's database: compression and aggregate policies would
 * otherwise start at some moment of the run (the data is older than their thresholds) and skew it.
 */
export async function pauseTimescaleJobs(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs');
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

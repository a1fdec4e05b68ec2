// TimescaleDB's background jobs of this database and their last runs (domain/timescaleJobs.ts judges them), from
// timescaledb_information: jobs, job_stats, and each job's last recorded error through jao.timescaledb_job_errors()
// (migration 005: job_errors itself shows errors only to members of the job's or the database's owner, which
// jao_writer is not), or job_errors where that function does not exist yet.
import type pg from 'pg';
import type { TimescaleJob } from '../domain/timescaleJobs';
import { readEngine } from './engine';

// TimescaleDB records "never" as -infinity; infinity marks a job not to be started again.
const finite = (column: string) => `CASE WHEN isfinite(${column}) THEN ${column} END`;

const JOBS_SQL = (errors: string) => `
  SELECT j.job_id AS id,
         format('%s.%s', j.proc_schema, j.proc_name) AS proc,
         CASE WHEN j.hypertable_name IS NOT NULL THEN format('%s.%s', j.hypertable_schema, j.hypertable_name) END
           AS target,
         j.scheduled,
         (extract(epoch FROM j.schedule_interval) * 1000)::float8 AS "scheduleIntervalMs",
         CASE WHEN s.last_run_status IN ('Success', 'Failed') THEN s.last_run_status END AS "lastRunStatus",
         ${finite('s.last_run_started_at')} AS "lastRunStartedAt",
         ${finite('s.last_successful_finish')} AS "lastSuccessAt",
         CASE WHEN s.last_run_status = 'Failed'
              THEN COALESCE(e.finish_time, ${finite('s.last_run_started_at')} + COALESCE(s.last_run_duration, '0'))
              ELSE e.finish_time END AS "lastFailureAt",
         CASE WHEN s.last_run_status = 'Failed' THEN e.err_message END AS "lastError",
         ${finite('s.next_start')} AS "nextStart"
    FROM timescaledb_information.jobs j
    LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
    LEFT JOIN (${errors}) e ON e.job_id = j.job_id
   WHERE j.hypertable_schema = 'jao' OR j.proc_schema = 'jao'
   ORDER BY j.job_id`;

const ERRORS_FUNCTION = 'SELECT * FROM jao.timescaledb_job_errors()';
const ERRORS_VIEW = `
  SELECT DISTINCT ON (x.job_id) x.job_id, x.finish_time, x.err_message
    FROM timescaledb_information.job_errors x
   ORDER BY x.job_id, x.start_time DESC`;

/**
 * The background jobs that keep jao's data: those on its hypertables (compression, and any policy an operator adds
 * there) and those running its procedures (the daily aggregate's refresh); null where the database does not run
 * TimescaleDB (nothing to watch, no error). TimescaleDB's own jobs (telemetry, its job history's retention) are not
 * the pipeline's: telemetry fails on every server without a route to the internet.
 */
export async function readTimescaleJobs(pool: pg.Pool | pg.ClientBase): Promise<TimescaleJob[] | null> {
  const engine = await readEngine(pool);
  if (engine.kind !== 'timescaledb') return null;
  const probe = await pool.query<{ errors_function: boolean }>(
    `SELECT COALESCE(has_function_privilege(to_regprocedure('jao.timescaledb_job_errors()')::oid, 'EXECUTE'), false)
              AS errors_function`,
  );
  const errors = probe.rows[0]!.errors_function ? ERRORS_FUNCTION : ERRORS_VIEW;
  const result = await pool.query<TimescaleJob>(JOBS_SQL(errors));
  return result.rows;
}

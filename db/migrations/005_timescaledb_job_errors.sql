-- `jao health` and the worker's health gauges name a failing TimescaleDB background job with its error
-- (docs/operations.md, JaoTimescaleJobFailing). TimescaleDB shows a job's errors (timescaledb_information.job_errors)
-- only to members of the job's owner or of the database owner; the worker and its health check run as jao_writer,
-- which is neither and must not become one. This function, owned by the migrations' role, gives each job's last
-- recorded error and nothing else. On plain PostgreSQL
-- (no jobs) it does nothing. Idempotent.

DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;

  EXECUTE $function$
    CREATE OR REPLACE FUNCTION jao.timescaledb_job_errors()
    RETURNS TABLE (job_id integer, finish_time timestamptz, err_message text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $body$
      SELECT DISTINCT ON (e.job_id) e.job_id, e.finish_time, e.err_message
        FROM timescaledb_information.job_errors e
       ORDER BY e.job_id, e.start_time DESC
    $body$
  $function$;
  COMMENT ON FUNCTION jao.timescaledb_job_errors() IS
    'The last recorded error of each TimescaleDB background job of this database (for jao health and the worker''s health gauges).';
  REVOKE ALL ON FUNCTION jao.timescaledb_job_errors() FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION jao.timescaledb_job_errors() TO jao_writer;
END
$migration$;

-- Issue 22: jao.max_exchanges_daily right after every committed write, without a refresh in the write path
-- (docs/timescaledb.md "The daily aggregate").
--
-- TimescaleDB: the continuous aggregate becomes jao.max_exchanges_daily_materialized (materialized rows only), and
-- jao.max_exchanges_daily a view that takes each day from it unless the day changed after it was materialized:
-- such a day (jao.delivery_day.last_changed_at, written in the same transaction as the values, later than the
-- change recorded for the day in jao.max_exchanges_daily_refreshed) is aggregated from its values at query time.
-- So the view is never staler than the last committed write, and the write path refreshes nothing. The job
-- jao.refresh_max_exchanges_daily (every minute, instead of the refresh policy) materializes the changed days,
-- consecutive days together, and records the change it included for each. It re-materializes with force => true,
-- whatever TimescaleDB's own invalidation log holds, so a day it records is right; then it refreshes what that log
-- still holds (values changed outside the write path), as the policy did. The aggregate returns to the migration's
-- role: no write path refreshes it any more.
--
-- Plain PostgreSQL: the view of 006 aggregates each selected day in a LATERAL subquery bounded by its window (like
-- jao.max_exchanges since 018), instead of joining days to values by a range (a scan of every value for a month)
-- and grouping a year of values at once. The live part of the TimescaleDB view reads its days the same way.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $view$
      CREATE OR REPLACE VIEW jao.max_exchanges_daily AS
      SELECT d.day AS delivery_day, v.border, v.from_zone, v.to_zone, v.min_mw, v.avg_mw, v.max_mw, v.mtus
        FROM jao.delivery_day d
       CROSS JOIN LATERAL (
         SELECT s.border, s.from_zone, s.to_zone, min(o.value) AS min_mw, avg(o.value) AS avg_mw,
                max(o.value) AS max_mw, count(*) AS mtus
           FROM jao.observation o
           JOIN jao.series s ON s.series_id = o.series_id
          WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
          GROUP BY s.series_id, s.border, s.from_zone, s.to_zone
       ) AS v
       WHERE d.dataset = 'maxExchanges'
    $view$;
    RETURN;
  END IF;

  PERFORM remove_continuous_aggregate_policy('jao.max_exchanges_daily', if_exists => true);
  EXECUTE 'ALTER MATERIALIZED VIEW jao.max_exchanges_daily RENAME TO max_exchanges_daily_materialized';
  EXECUTE 'ALTER MATERIALIZED VIEW jao.max_exchanges_daily_materialized SET (timescaledb.materialized_only = true)';
  EXECUTE 'ALTER MATERIALIZED VIEW jao.max_exchanges_daily_materialized OWNER TO CURRENT_USER';
  EXECUTE 'REVOKE ALL ON jao.max_exchanges_daily_materialized FROM jao_reader, jao_writer';
  -- Reads filter on delivery_day (and border), which the materialization's own indexes (on its bucket) cannot serve.
  EXECUTE 'CREATE INDEX IF NOT EXISTS max_exchanges_daily_materialized_day_idx
             ON jao.max_exchanges_daily_materialized (delivery_day, border)';
  EXECUTE 'CREATE INDEX IF NOT EXISTS max_exchanges_daily_materialized_border_idx
             ON jao.max_exchanges_daily_materialized (border, delivery_day)';

  -- Per day, the last change (jao.delivery_day.last_changed_at) the materialized rows include.
  CREATE TABLE IF NOT EXISTS jao.max_exchanges_daily_refreshed (
    dataset         text NOT NULL,
    day             date NOT NULL,
    changed_at      timestamptz NOT NULL,
    materialized_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT max_exchanges_daily_refreshed_pkey PRIMARY KEY (dataset, day)
  );
  REVOKE ALL ON jao.max_exchanges_daily_refreshed FROM PUBLIC;

  EXECUTE $view$
    CREATE VIEW jao.max_exchanges_daily AS
    SELECT m.delivery_day, m.border, m.from_zone, m.to_zone, m.min_mw, m.avg_mw, m.max_mw, m.mtus
      FROM jao.max_exchanges_daily_materialized m
     WHERE NOT EXISTS (
       SELECT 1
         FROM jao.delivery_day d
         LEFT JOIN jao.max_exchanges_daily_refreshed r ON r.dataset = d.dataset AND r.day = d.day
        WHERE d.dataset = 'maxExchanges' AND d.day = m.delivery_day
          AND d.last_changed_at > COALESCE(r.changed_at, '-infinity'))
    UNION ALL
    SELECT d.day, v.border, v.from_zone, v.to_zone, v.min_mw, v.avg_mw, v.max_mw, v.mtus
      FROM jao.delivery_day d
      LEFT JOIN jao.max_exchanges_daily_refreshed r ON r.dataset = d.dataset AND r.day = d.day
     CROSS JOIN LATERAL (
       SELECT s.border, s.from_zone, s.to_zone, min(o.value) AS min_mw, avg(o.value) AS avg_mw,
              max(o.value) AS max_mw, count(*) AS mtus
         FROM jao.observation o
         JOIN jao.series s ON s.series_id = o.series_id
        WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
        GROUP BY s.series_id, s.border, s.from_zone, s.to_zone
     ) AS v
     WHERE d.dataset = 'maxExchanges' AND d.last_changed_at > COALESCE(r.changed_at, '-infinity')
  $view$;
  GRANT SELECT ON jao.max_exchanges_daily TO jao_reader, jao_writer;

  -- Materializes the days changed since their last materialization, at most 31 consecutive days per refresh, each
  -- run of days committed with the changes it included. Called by its job, or by hand: CALL jao.refresh_max_exchanges_daily().
  EXECUTE $procedure$
    CREATE OR REPLACE PROCEDURE jao.refresh_max_exchanges_daily(job_id integer DEFAULT NULL, config jsonb DEFAULT NULL)
    LANGUAGE plpgsql
    AS $body$
    DECLARE
      runs jsonb;
      run jsonb;
    BEGIN
      SELECT jsonb_agg(jsonb_build_object('from', f, 'to', t, 'days', days) ORDER BY f) INTO runs
        FROM (
          SELECT min(window_from) AS f, max(window_to) AS t,
                 jsonb_agg(jsonb_build_object('day', day, 'changed_at', last_changed_at)) AS days
            FROM (
              SELECT d.day, d.window_from, d.window_to, d.last_changed_at,
                     (d.day - (row_number() OVER (ORDER BY d.day))::integer) AS island,
                     ((row_number() OVER (ORDER BY d.day) - 1) / 31) AS part
                FROM jao.delivery_day d
                LEFT JOIN jao.max_exchanges_daily_refreshed r ON r.dataset = d.dataset AND r.day = d.day
               WHERE d.dataset = 'maxExchanges' AND d.last_changed_at > COALESCE(r.changed_at, '-infinity')
            ) AS pending
           GROUP BY island, part
        ) AS grouped;
      FOR i IN 0 .. COALESCE(jsonb_array_length(runs), 0) - 1 LOOP
        run := runs -> i;
        CALL refresh_continuous_aggregate('jao.max_exchanges_daily_materialized',
                                          (run ->> 'from')::timestamptz, (run ->> 'to')::timestamptz,
                                          force => true);
        INSERT INTO jao.max_exchanges_daily_refreshed AS r (dataset, day, changed_at, materialized_at)
        SELECT 'maxExchanges', x.day, x.changed_at, now()
          FROM jsonb_to_recordset(run -> 'days') AS x(day date, changed_at timestamptz)
        ON CONFLICT (dataset, day) DO UPDATE
          SET changed_at = GREATEST(r.changed_at, EXCLUDED.changed_at), materialized_at = EXCLUDED.materialized_at;
        COMMIT;
      END LOOP;
      -- Whatever TimescaleDB itself found invalidated and no day's change accounts for (values changed outside
      -- the write path): materialized as the refresh policy would have.
      CALL refresh_continuous_aggregate('jao.max_exchanges_daily_materialized', NULL, NULL);
    END
    $body$
  $procedure$;
  REVOKE ALL ON PROCEDURE jao.refresh_max_exchanges_daily(integer, jsonb) FROM PUBLIC;

  IF NOT EXISTS (SELECT 1 FROM timescaledb_information.jobs
                  WHERE proc_schema = 'jao' AND proc_name = 'refresh_max_exchanges_daily') THEN
    PERFORM add_job('jao.refresh_max_exchanges_daily', INTERVAL '1 minute');
  END IF;
END
$migration$;

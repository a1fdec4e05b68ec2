-- TimescaleDB only (nothing on plain PostgreSQL, where the views of 005 read a day as one primary-key range
-- of jao.observation and stay as they are): reads on compressed history, and the daily aggregate's owner.
--
-- Chunk exclusion for day filters. 005 joins jao.delivery_day to the values by the day's UTC window; a
-- filter on delivery_day fixes the window only at run time, and once chunks are compressed TimescaleDB
-- plans that join as a hash join over every chunk (one day of all borders read all 1,156,320 values of a
-- year to return 3,168). Here the values of each selected day are a LATERAL subquery bounded by that day's
-- window: TimescaleDB excludes, at run time, every chunk outside it. The subquery's ORDER BY keeps the
-- planner from flattening it into a plain join (filters on border or mtu still reach it). Same columns, in
-- the same order, so CREATE OR REPLACE keeps the views and their grants.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;

  EXECUTE $view$
    CREATE OR REPLACE VIEW jao.max_exchanges AS
    SELECT v.mtu,
           d.day AS delivery_day,
           v.border,
           v.from_zone,
           v.to_zone,
           v.value_mw,
           v.revision,
           v.first_seen_at,
           v.updated_at
      FROM jao.delivery_day d
     CROSS JOIN LATERAL (
       SELECT o.mtu, s.border, s.from_zone, s.to_zone, o.value AS value_mw, o.revision, o.first_seen_at,
              o.updated_at
         FROM jao.observation o
         JOIN jao.series s ON s.series_id = o.series_id
        WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
        ORDER BY o.mtu
     ) AS v
     WHERE d.dataset = 'maxExchanges'
  $view$;

  EXECUTE $view$
    CREATE OR REPLACE VIEW jao.max_exchanges_history AS
    SELECT c.mtu, c.delivery_day, c.border, c.from_zone, c.to_zone, c.value_mw, c.revision, c.first_seen_at,
           c.updated_at AS valid_from,
           NULL::timestamptz AS valid_to
      FROM jao.max_exchanges c
    UNION ALL
    SELECT h.mtu,
           d.day,
           h.border,
           h.from_zone,
           h.to_zone,
           h.value,
           h.revision,
           h.first_seen_at,
           h.valid_from,
           h.valid_to
      FROM jao.delivery_day d
     CROSS JOIN LATERAL (
       SELECT o.mtu, s.border, s.from_zone, s.to_zone, o.value, o.revision, o.first_seen_at, o.valid_from,
              o.valid_to
         FROM jao.observation_history o
         JOIN jao.series s ON s.series_id = o.series_id
        WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
        ORDER BY o.mtu
     ) AS h
     WHERE d.dataset = 'maxExchanges'
  $view$;

  -- The write path refreshes the daily aggregate for the day it changed, right after its commit
  -- (db/dailyAggregate.ts), so that it is right after every write. TimescaleDB lets only the owner of a
  -- continuous aggregate refresh it: the pipeline's role owns this one (and nothing else). Readers keep
  -- their grant.
  IF EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates
              WHERE view_schema = 'jao' AND view_name = 'max_exchanges_daily') THEN
    ALTER MATERIALIZED VIEW jao.max_exchanges_daily OWNER TO jao_writer;
  END IF;
END
$migration$;

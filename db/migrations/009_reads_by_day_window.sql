-- Reads on TimescaleDB with compressed history, and the same views on plain PostgreSQL.
--
-- Chunk exclusion for day filters. 005 joins jao.delivery_day to the values by the day's UTC window; a
-- filter on delivery_day fixes the window only at run time, and once chunks are compressed TimescaleDB
-- plans that join as a hash join over every chunk (one day of all borders read all 291,324 rows of a year
-- to return 3,168). Here the values of each selected day are a LATERAL subquery bounded by that day's
-- window: TimescaleDB excludes, at run time, every chunk outside it. The subquery's ORDER BY keeps the
-- planner from flattening it into a plain join (filters on border or mtu still reach it). On plain
-- PostgreSQL each selected day is still one primary-key range scan, and a border's month no longer
-- becomes a nested loop over every day (npm run bench:query compares both).
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
 WHERE d.dataset = 'maxExchanges';

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
 WHERE d.dataset = 'maxExchanges';

-- On TimescaleDB the write path refreshes the daily aggregate after the writes that change materialized days
-- (db/dailyAggregate.ts), so that it is right after every write. TimescaleDB lets only the owner of a
-- continuous aggregate refresh it: the pipeline's role owns this one (and nothing else). Readers keep their
-- grant. (On plain PostgreSQL jao.max_exchanges_daily is a view of 006_daily_view and stays as it is.)
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates
              WHERE view_schema = 'jao' AND view_name = 'max_exchanges_daily') THEN
    ALTER MATERIALIZED VIEW jao.max_exchanges_daily OWNER TO jao_writer;
  END IF;
END
$$;

-- jao:requires timescaledb
-- jao:no-transaction
-- Daily min / avg / max per border and delivery day as a continuous aggregate. Buckets are Europe/Amsterdam
-- days (23, 24 or 25 hours). Continuous aggregates cannot be created inside a transaction block, hence the
-- no-transaction flag: each statement runs on its own and is idempotent.
--
-- Revisions of old days reach it: every write to jao.observation is recorded in the aggregate's
-- invalidation log, and the refresh policy has no start offset (start_offset => NULL), so each run
-- re-materializes exactly the invalidated days however old they are (refreshing only invalidated ranges
-- is cheap). materialized_only = false adds the not-yet-materialized recent days in real time.
CREATE MATERIALIZED VIEW IF NOT EXISTS jao.max_exchanges_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT (time_bucket(INTERVAL '1 day', o.mtu, 'Europe/Amsterdam') AT TIME ZONE 'Europe/Amsterdam')::date
         AS delivery_day,
       s.border,
       s.from_zone,
       s.to_zone,
       min(o.value) AS min_mw,
       avg(o.value) AS avg_mw,
       max(o.value) AS max_mw,
       count(*) AS mtus
  FROM jao.observation o
  JOIN jao.series s ON s.series_id = o.series_id
 WHERE s.dataset = 'maxExchanges'
 GROUP BY time_bucket(INTERVAL '1 day', o.mtu, 'Europe/Amsterdam'), s.border, s.from_zone, s.to_zone
WITH NO DATA;

SELECT add_continuous_aggregate_policy('jao.max_exchanges_daily',
  start_offset => NULL,
  end_offset => NULL,
  schedule_interval => INTERVAL '30 minutes',
  if_not_exists => true);

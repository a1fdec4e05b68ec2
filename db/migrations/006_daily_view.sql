-- jao:requires no-timescaledb
-- Without TimescaleDB: the same relation and columns as the continuous aggregate of
-- 006_daily_timescaledb.sql, as a plain view, so consumers' queries work everywhere.
CREATE OR REPLACE VIEW jao.max_exchanges_daily AS
SELECT (o.mtu AT TIME ZONE 'Europe/Amsterdam')::date AS delivery_day,
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
 GROUP BY (o.mtu AT TIME ZONE 'Europe/Amsterdam')::date, s.border, s.from_zone, s.to_zone;

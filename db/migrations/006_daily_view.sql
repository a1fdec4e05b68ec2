-- jao:requires no-timescaledb
-- Without TimescaleDB: the same relation and columns as the continuous aggregate of
-- 006_daily_timescaledb.sql, as a plain view, so consumers' queries work everywhere.
CREATE OR REPLACE VIEW jao.max_exchanges_daily AS
SELECT d.day AS delivery_day,
       s.border,
       s.from_zone,
       s.to_zone,
       min(o.value) AS min_mw,
       avg(o.value) AS avg_mw,
       max(o.value) AS max_mw,
       count(*) AS mtus
  FROM jao.delivery_day d
  JOIN jao.observation o ON o.mtu >= d.window_from AND o.mtu < d.window_to
  JOIN jao.series s ON s.series_id = o.series_id AND s.dataset = d.dataset
 WHERE d.dataset = 'maxExchanges'
 GROUP BY d.day, s.border, s.from_zone, s.to_zone;

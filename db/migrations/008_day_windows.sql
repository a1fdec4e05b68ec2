-- Delivery-day filters on the consumer views without a second index on the values.
--
-- The views exposed delivery_day as an expression of mtu, so `WHERE delivery_day = …` (the desk's natural
-- filter) read every value (~250 ms on a year). Now each stored day carries its UTC window, and the views take
-- delivery_day from jao.delivery_day (one row per stored day, written in the same transaction as its values)
-- joined to the values by mtu range: a day filter picks a row by primary key, then reads its window from the
-- primary key (mtu, series_id) of jao.observation. Writing costs nothing more (an expression index would add a
-- second B-tree on the largest table).
ALTER TABLE jao.delivery_day
  ADD COLUMN IF NOT EXISTS window_from timestamptz
    GENERATED ALWAYS AS ((day::timestamp) AT TIME ZONE 'Europe/Amsterdam') STORED,
  ADD COLUMN IF NOT EXISTS window_to timestamptz
    GENERATED ALWAYS AS (((day + 1)::timestamp) AT TIME ZONE 'Europe/Amsterdam') STORED;

CREATE OR REPLACE VIEW jao.max_exchanges AS
SELECT o.mtu,
       d.day AS delivery_day,
       s.border,
       s.from_zone,
       s.to_zone,
       o.value AS value_mw,
       o.revision,
       o.first_seen_at,
       o.updated_at
  FROM jao.delivery_day d
  JOIN jao.observation o ON o.mtu >= d.window_from AND o.mtu < d.window_to
  JOIN jao.series s ON s.series_id = o.series_id AND s.dataset = d.dataset
 WHERE d.dataset = 'maxExchanges';

CREATE OR REPLACE VIEW jao.max_exchanges_history AS
SELECT o.mtu,
       d.day AS delivery_day,
       s.border,
       s.from_zone,
       s.to_zone,
       o.value AS value_mw,
       o.revision,
       o.first_seen_at,
       o.updated_at AS valid_from,
       NULL::timestamptz AS valid_to
  FROM jao.delivery_day d
  JOIN jao.observation o ON o.mtu >= d.window_from AND o.mtu < d.window_to
  JOIN jao.series s ON s.series_id = o.series_id AND s.dataset = d.dataset
 WHERE d.dataset = 'maxExchanges'
UNION ALL
SELECT h.mtu,
       d.day,
       s.border,
       s.from_zone,
       s.to_zone,
       h.value,
       h.revision,
       h.first_seen_at,
       h.valid_from,
       h.valid_to
  FROM jao.delivery_day d
  JOIN jao.observation_history h ON h.mtu >= d.window_from AND h.mtu < d.window_to
  JOIN jao.series s ON s.series_id = h.series_id AND s.dataset = d.dataset
 WHERE d.dataset = 'maxExchanges';

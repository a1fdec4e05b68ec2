-- Plain SQL on the consumer views at the range functions' speed (docs/timescaledb.md "Plain SQL on the views"):
-- a filter on `mtu`, on `delivery_day`, on `border`, or any mix of them, reads what the primary key would.
--
-- Until now jao.max_exchanges and jao.max_exchanges_history took every selected delivery day and read its values in
-- a LATERAL subquery bounded by the day's window. A filter on `delivery_day` read only its days, but a filter on `mtu`
-- alone enumerated every stored day (1,630 probes for one month of one border), and the history view was a UNION ALL
-- of that per-day form twice. Now the values come first: `mtu` and `border` filters reach jao.observation and
-- jao.observation_history directly (`border` through jao.series, whose one row becomes the series id the index scan
-- takes), and each value meets its delivery day by equality on the day's date, so a filter on `delivery_day` is an
-- equality or a range on that date. The index on that date and the series reads one border's days as one index
-- range (the primary key, on (mtu, series_id), reads every border's entries of a window); a day's window bounds stay
-- in the join, so on TimescaleDB the days chosen still bound the chunks and compressed batches read.
--
-- Same columns, same rows: a value appears with the day of jao.delivery_day that holds it (one per Europe/Amsterdam
-- date; the equality on the date and the window say the same thing twice, for the planner), as before.
-- Idempotent: the views are replaced, the indexes created when missing.
--
-- Plain PostgreSQL only, for now. On TimescaleDB a compressed chunk has no index on the date, so a filter on
-- `delivery_day` alone bounds neither the chunks nor the compressed batches read (one day of every border read 4 M
-- values, 124 × its baseline, against 1.86 × with the 1.0.0 views): there the 1.0.0 views stay, unchanged, until
-- the delivery day reaches compressed history as bounds on `mtu` (docs/timescaledb.md "Plain SQL on the views").

DO $migration$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RAISE NOTICE 'jao: 004 leaves the consumer views of 1.0.0 on TimescaleDB';
    RETURN;
  END IF;

  EXECUTE $view$
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
      FROM jao.observation o
      JOIN jao.series s ON s.series_id = o.series_id
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = (o.mtu AT TIME ZONE 'Europe/Amsterdam')::date
       AND o.mtu >= d.window_from AND o.mtu < d.window_to
     WHERE s.dataset = 'maxExchanges'
  $view$;

  -- The current values (valid_to NULL) and the superseded ones meet before their one join with the series and days.
  EXECUTE $view$
    CREATE OR REPLACE VIEW jao.max_exchanges_history AS
    SELECT v.mtu,
           d.day AS delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           v.value_mw,
           v.revision,
           v.first_seen_at,
           v.valid_from,
           v.valid_to
      FROM (SELECT o.series_id, o.mtu, o.value AS value_mw, o.revision, o.first_seen_at, o.updated_at AS valid_from,
                   NULL::timestamptz AS valid_to
              FROM jao.observation o
            UNION ALL
            SELECT h.series_id, h.mtu, h.value, h.revision, h.first_seen_at, h.valid_from, h.valid_to
              FROM jao.observation_history h) AS v
      JOIN jao.series s ON s.series_id = v.series_id
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = (v.mtu AT TIME ZONE 'Europe/Amsterdam')::date
       AND v.mtu >= d.window_from AND v.mtu < d.window_to
     WHERE s.dataset = 'maxExchanges'
  $view$;

  -- The delivery day of each value and its series: one border's days are one index range, and the planner knows how
  -- many values a day holds (the statistics of the expression), so a range of days is read day by day through it
  -- rather than by a scan of every value. jao.max_exchanges_lineage's delivery_day is the same expression.
  CREATE INDEX IF NOT EXISTS observation_delivery_day_idx
    ON jao.observation (((mtu AT TIME ZONE 'Europe/Amsterdam')::date), series_id);
  CREATE INDEX IF NOT EXISTS observation_history_delivery_day_idx
    ON jao.observation_history (((mtu AT TIME ZONE 'Europe/Amsterdam')::date), series_id);
  ANALYZE jao.observation;
  ANALYZE jao.observation_history;
END
$migration$;

-- Plain SQL on every dataset's views at the range functions' speed (docs/timescaledb.md "Plain SQL on the views"):
-- jao.dataset_values and jao.dataset_values_history take the form migration 004 gave jao.max_exchanges and
-- jao.max_exchanges_history. Until now (008) each selected delivery day read its values in a LATERAL subquery
-- bounded by the day's window: a filter on `mtu` alone enumerated every stored day of every dataset, and the history
-- view was that form twice. Now the values come first: `mtu` and `border` filters reach jao.observation and
-- jao.observation_history directly (`dataset` and `border` through jao.series, whose row becomes the series id of
-- the index scan), and each value meets its delivery day by equality on the day's date (every declared dataset's
-- delivery day is a Europe/Amsterdam date: domain/datasets/declarationSchema.ts), so a filter on `delivery_day` is a
-- range of observation_delivery_day_idx (migration 004), the index on that date and the series.
--
-- Same columns, same rows: a value appears with the day of jao.delivery_day of its dataset that holds it (the
-- equality on the date and the window say the same thing twice, for the planner), as in 008;
-- jao.dataset_values_as_of reads the history view and follows it. Idempotent: the views are replaced.
--
-- Plain PostgreSQL only, as 004: on TimescaleDB a compressed chunk has no index on the date of the MTU, so a filter
-- on `delivery_day` alone would bound neither the chunks nor the compressed batches read; the 008 views stay there.

DO $migration$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RAISE NOTICE 'jao: 010 leaves the dataset views of 008 on TimescaleDB';
    RETURN;
  END IF;

  EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values AS
    SELECT s.dataset,
           o.mtu,
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
  $view$;

  -- The current values (valid_to NULL) and the superseded ones meet before their one join with the series and days.
  EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values_history AS
    SELECT s.dataset,
           v.mtu,
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
  $view$;
END
$migration$;

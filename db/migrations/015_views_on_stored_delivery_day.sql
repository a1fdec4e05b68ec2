-- The consumer views take each value's stored delivery_day (contract of the expand/contract of 012-015, docs/timescaledb.md
-- "Plain SQL on the views"): 012 added the column and 013 filled it for every stored value, 014 indexed it; only now,
-- once every value has it, do the views read it. Until this migration they read the expression (the views of 1.0.0,
-- 004, 008 and 010), which says the same day. Same columns, same rows. Only the views change: each is replaced under
-- the migration's lock timeout, a moment's lock on the view alone, never on the values.

-- The consumer views, with each value's stored delivery_day, which meets its jao.delivery_day row by equality (a
-- value whose day has no row is left out, as before). Their form follows how each backend keeps the values.
--
-- TimescaleDB, series by series: compressed values are segmented by series, and each series of the dataset (those a
-- filter on `border` or `dataset` leaves) reads its own values in a LATERAL subquery, into which PostgreSQL moves the
-- filters on `mtu` and `delivery_day` (they name the subquery's columns), so the series id and those bounds reach the
-- compressed batches together as constants, whatever the planner estimates. The subquery's ORDER BY (on its one series
-- id: it sorts nothing) keeps it from being flattened into a join of every value with the series, which TimescaleDB
-- chose whenever it estimated a month of compressed history at one batch (it compares a range of MTUs with each
-- batch's latest MTU only), decompressing the month's values of every border for one border's.
--
-- Plain PostgreSQL, values first (004's form): the heap holds the values day by day, so a series read on its own
-- would visit a page per value; the values are joined to the series and days instead, and a filter on `border`
-- becomes the series id of the index scan. The window says the same as the day's date again, for the planner.
DO $views$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values AS
    SELECT s.dataset,
           o.mtu,
           o.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           o.value AS value_mw,
           o.revision,
           o.first_seen_at,
           o.updated_at
      FROM jao.series s
     CROSS JOIN LATERAL (
       SELECT o.mtu, o.delivery_day, o.value, o.revision, o.first_seen_at, o.updated_at
         FROM jao.observation o
        WHERE o.series_id = s.series_id
        ORDER BY o.series_id
     ) AS o
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = o.delivery_day
    $view$;
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values_history AS
    SELECT s.dataset,
           v.mtu,
           v.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           v.value_mw,
           v.revision,
           v.first_seen_at,
           v.valid_from,
           v.valid_to
      FROM jao.series s
     CROSS JOIN LATERAL (
       SELECT u.mtu, u.delivery_day, u.value_mw, u.revision, u.first_seen_at, u.valid_from, u.valid_to
         FROM (SELECT o.series_id, o.mtu, o.delivery_day, o.value AS value_mw, o.revision, o.first_seen_at,
                      o.updated_at AS valid_from, NULL::timestamptz AS valid_to
                 FROM jao.observation o
               UNION ALL
               SELECT h.series_id, h.mtu, h.delivery_day, h.value, h.revision, h.first_seen_at, h.valid_from,
                      h.valid_to
                 FROM jao.observation_history h) AS u
        WHERE u.series_id = s.series_id
        ORDER BY u.series_id
     ) AS v
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = v.delivery_day
    $view$;
  ELSE
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values AS
    SELECT s.dataset,
           o.mtu,
           o.delivery_day,
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
       AND d.day = o.delivery_day
       AND o.mtu >= d.window_from AND o.mtu < d.window_to
    $view$;
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values_history AS
    SELECT s.dataset,
           v.mtu,
           v.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           v.value_mw,
           v.revision,
           v.first_seen_at,
           v.valid_from,
           v.valid_to
      FROM (SELECT o.series_id, o.mtu, o.delivery_day, o.value AS value_mw, o.revision, o.first_seen_at,
                   o.updated_at AS valid_from, NULL::timestamptz AS valid_to
              FROM jao.observation o
            UNION ALL
            SELECT h.series_id, h.mtu, h.delivery_day, h.value, h.revision, h.first_seen_at, h.valid_from, h.valid_to
              FROM jao.observation_history h) AS v
      JOIN jao.series s ON s.series_id = v.series_id
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = v.delivery_day
       AND v.mtu >= d.window_from AND v.mtu < d.window_to
    $view$;
  END IF;
END
$views$;

-- Core maxExchanges' views are every dataset's, narrowed to it (the filter on `dataset` reaches jao.series).
CREATE OR REPLACE VIEW jao.max_exchanges AS
SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at, v.updated_at
  FROM jao.dataset_values v
 WHERE v.dataset = 'maxExchanges';

CREATE OR REPLACE VIEW jao.max_exchanges_history AS
SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at, v.valid_from,
       v.valid_to
  FROM jao.dataset_values_history v
 WHERE v.dataset = 'maxExchanges';

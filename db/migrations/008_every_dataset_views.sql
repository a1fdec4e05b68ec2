-- Every declared dataset in plain SQL (docs/datasets.md, "Reading a dataset"): the values, their history and the
-- values as of an instant of any dataset, with a `dataset` column, beside the Core maxExchanges views of 1.0.0
-- (jao.max_exchanges and the others stay as they are, for Core maxExchanges only). The API serves
-- /v1/datasets/{dataset}/… of the other datasets from these.
--
-- Each selected delivery day's values are one LATERAL subquery bounded by that day's window, the form of the 1.0.0
-- views, on both engines: a filter on `dataset` and `delivery_day` reads only those days (on TimescaleDB only their
-- chunks). Idempotent: the views and the function are replaced.

-- The series of every dataset: the published borders, with the series id the values are stored under.
CREATE OR REPLACE VIEW jao.dataset_borders AS
SELECT s.dataset, s.border, s.key, s.from_zone, s.to_zone, s.unit, s.first_seen_at, s.series_id
  FROM jao.series s;

-- The current values of every dataset (jao.max_exchanges with the dataset named).
CREATE OR REPLACE VIEW jao.dataset_values AS
SELECT d.dataset,
       v.mtu,
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
 ) AS v;

-- Every version of every value of every dataset, current ones included (valid_to NULL): [valid_from, valid_to) is
-- the transaction-time interval during which the version was the current value (jao.max_exchanges_history).
CREATE OR REPLACE VIEW jao.dataset_values_history AS
SELECT c.dataset, c.mtu, c.delivery_day, c.border, c.from_zone, c.to_zone, c.value_mw, c.revision,
       c.first_seen_at,
       c.updated_at AS valid_from,
       NULL::timestamptz AS valid_to
  FROM jao.dataset_values c
UNION ALL
SELECT d.dataset,
       h.mtu,
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
 ) AS h;

-- What was known at `at`, for every dataset (jao.max_exchanges_as_of with the dataset named). A plain SQL function,
-- inlined by the planner: filters on dataset / delivery_day / border reach the views' days, and callers need only
-- SELECT on jao.dataset_values_history.
CREATE OR REPLACE FUNCTION jao.dataset_values_as_of(at timestamptz)
RETURNS TABLE (
  dataset       text,
  mtu           timestamptz,
  delivery_day  date,
  border        text,
  from_zone     text,
  to_zone       text,
  value_mw      double precision,
  revision      integer,
  first_seen_at timestamptz,
  updated_at    timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.dataset, v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision,
         v.first_seen_at, v.valid_from
    FROM jao.dataset_values_history v
   WHERE v.valid_from <= $1
     AND (v.valid_to IS NULL OR v.valid_to > $1)
$$;

GRANT SELECT ON jao.dataset_borders, jao.dataset_values, jao.dataset_values_history TO jao_reader, jao_writer;
REVOKE ALL ON FUNCTION jao.dataset_values_as_of(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.dataset_values_as_of(timestamptz) TO jao_reader, jao_writer;

COMMENT ON VIEW jao.dataset_borders IS 'The published borders of every dataset, one row per series (jao.max_exchanges_borders for every dataset).';
COMMENT ON COLUMN jao.dataset_borders.dataset IS 'the dataset id (docs/datasets.md): maxExchanges, nordicMaxExchanges, coreShadowAuctionATC';
COMMENT ON COLUMN jao.dataset_borders.border IS 'the published key without its border_ prefix (AT_BE)';
COMMENT ON COLUMN jao.dataset_borders.key IS 'the key as JAO publishes it (border_AT_BE)';
COMMENT ON COLUMN jao.dataset_borders.from_zone IS 'the zone the exchange leaves';
COMMENT ON COLUMN jao.dataset_borders.to_zone IS 'the zone the exchange enters';
COMMENT ON COLUMN jao.dataset_borders.unit IS 'the unit of the values (MW)';
COMMENT ON COLUMN jao.dataset_borders.first_seen_at IS 'when a write first stored the series (transaction time)';
COMMENT ON COLUMN jao.dataset_borders.series_id IS 'the id the values of the series are stored under';

COMMENT ON VIEW jao.dataset_values IS 'The current values of every dataset, one row per dataset, border and MTU; filter on dataset and delivery_day (jao.max_exchanges for every dataset).';
COMMENT ON COLUMN jao.dataset_values.dataset IS 'the dataset id (docs/datasets.md): maxExchanges, nordicMaxExchanges, coreShadowAuctionATC';
COMMENT ON COLUMN jao.dataset_values.mtu IS 'UTC start of the market time unit (60 or 15 minutes, by dataset and day)';
COMMENT ON COLUMN jao.dataset_values.delivery_day IS 'the Europe/Amsterdam delivery day of the MTU';
COMMENT ON COLUMN jao.dataset_values.border IS 'the published key without its border_ prefix (AT_BE)';
COMMENT ON COLUMN jao.dataset_values.from_zone IS 'the zone the exchange leaves';
COMMENT ON COLUMN jao.dataset_values.to_zone IS 'the zone the exchange enters';
COMMENT ON COLUMN jao.dataset_values.value_mw IS 'the value in MW';
COMMENT ON COLUMN jao.dataset_values.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.dataset_values.first_seen_at IS 'when the MTU''s first version was stored';
COMMENT ON COLUMN jao.dataset_values.updated_at IS 'when this version became current';

COMMENT ON VIEW jao.dataset_values_history IS 'Every version of every value of every dataset, current ones with valid_to NULL (jao.max_exchanges_history for every dataset).';
COMMENT ON COLUMN jao.dataset_values_history.dataset IS 'the dataset id (docs/datasets.md): maxExchanges, nordicMaxExchanges, coreShadowAuctionATC';
COMMENT ON COLUMN jao.dataset_values_history.mtu IS 'UTC start of the market time unit (60 or 15 minutes, by dataset and day)';
COMMENT ON COLUMN jao.dataset_values_history.delivery_day IS 'the Europe/Amsterdam delivery day of the MTU';
COMMENT ON COLUMN jao.dataset_values_history.border IS 'the published key without its border_ prefix (AT_BE)';
COMMENT ON COLUMN jao.dataset_values_history.from_zone IS 'the zone the exchange leaves';
COMMENT ON COLUMN jao.dataset_values_history.to_zone IS 'the zone the exchange enters';
COMMENT ON COLUMN jao.dataset_values_history.value_mw IS 'the value in MW';
COMMENT ON COLUMN jao.dataset_values_history.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.dataset_values_history.first_seen_at IS 'when the MTU''s first version was stored';
COMMENT ON COLUMN jao.dataset_values_history.valid_from IS 'when this version became current';
COMMENT ON COLUMN jao.dataset_values_history.valid_to IS 'when it stopped being current; NULL for the current value';

COMMENT ON FUNCTION jao.dataset_values_as_of(timestamptz) IS 'The values of every dataset as they were known at an instant (jao.max_exchanges_as_of for every dataset).';

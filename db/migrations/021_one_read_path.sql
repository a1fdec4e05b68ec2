-- One read path (DESIGN §16): Core maxExchanges is read through every dataset's views (jao.dataset_values,
-- jao.dataset_values_history, jao.dataset_values_as_of, jao.dataset_borders: migrations 008, 015, 020) like any other
-- dataset, and the 1.0.0 objects the desk reads stay, narrowed to it. jao.max_exchanges and jao.max_exchanges_history
-- already are (015); here the rest of the desk's read path follows: the as-of function, the border list and the
-- range function of current values, which read the stored rows by series id (jao.max_exchanges_values) until now.
-- The two range functions over every version (jao.max_exchanges_history_range and jao.max_exchanges_range_as_of,
-- built on it) keep their own path: over every dataset's views a whole day of every border as of an instant read in
-- 5 times its table read at full history (bench:query), against a target of 3 (docs/results.md).
--
-- Same names, arguments, columns, types and order, so each is replaced in place (CREATE OR REPLACE keeps its grants
-- and its comment; both are stated again, unchanged, so that a database of any history ends the same). The range
-- function says which delivery days it reads by the stored delivery_day (as jao.max_exchanges does since 015) and
-- keeps its bounds on `mtu` from the days' Europe/Amsterdam midnights, which say the same days for Core and are the
-- bounds TimescaleDB excludes chunks by. A value whose delivery day has no jao.delivery_day row, which jao.max_exchanges
-- never showed, is no longer shown by it either; the writer cannot make one (every write records its
-- day in the same transaction, and jao.delivery_day is append-only to it).
--
-- Expand-only and online: nothing is dropped (jao.max_exchanges_values and jao.max_exchanges_superseded stay, for the
-- desk and for the previous release); replacing a view or a function locks that object alone, never a value table.
-- Idempotent: running it twice changes nothing.

-- What was known at `at`: every dataset's as-of, narrowed to Core maxExchanges.
CREATE OR REPLACE FUNCTION jao.max_exchanges_as_of(at timestamptz)
RETURNS TABLE (
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
  -- the body of jao.dataset_values_as_of narrowed to the dataset, not a call of it: a function called inside a
  -- function is not inlined into the caller's query, and a filter on the day would not reach the versions' index
  SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at,
         v.valid_from
    FROM jao.dataset_values_history v
   WHERE v.dataset = 'maxExchanges'
     AND v.valid_from <= $1
     AND (v.valid_to IS NULL OR v.valid_to > $1)
$$;

-- The published borders: every dataset's, narrowed to Core maxExchanges.
CREATE OR REPLACE VIEW jao.max_exchanges_borders AS
SELECT b.border, b.key, b.from_zone, b.to_zone, b.unit, b.first_seen_at, b.series_id
  FROM jao.dataset_borders b
 WHERE b.dataset = 'maxExchanges';

-- Current values of `borders` (NULL: every border) over the delivery days from_day..to_day (NULL: open end).
CREATE OR REPLACE FUNCTION jao.max_exchanges_range(borders text[], from_day date, to_day date)
RETURNS TABLE (
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
  SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at,
         v.updated_at
    FROM jao.dataset_values v
   WHERE v.dataset = 'maxExchanges'
     AND ($1 IS NULL OR v.border = ANY ($1))
     -- open ends as infinite bounds rather than `$2 IS NULL OR …`, so that the bounds reach the index
     AND v.delivery_day >= COALESCE($2, '-infinity'::date)
     AND v.delivery_day <= COALESCE($3, 'infinity'::date)
     AND v.mtu >= COALESCE($2::timestamp AT TIME ZONE 'Europe/Amsterdam', '-infinity'::timestamptz)
     AND v.mtu < COALESCE(($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam', 'infinity'::timestamptz)
$$;

GRANT SELECT ON jao.max_exchanges_borders TO jao_reader, jao_writer;
REVOKE ALL ON FUNCTION jao.max_exchanges_as_of(timestamptz),
                       jao.max_exchanges_range(text[], date, date),
                       jao.max_exchanges_history_range(text[], date, date),
                       jao.max_exchanges_range_as_of(text[], date, date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.max_exchanges_as_of(timestamptz),
                          jao.max_exchanges_range(text[], date, date),
                          jao.max_exchanges_history_range(text[], date, date),
                          jao.max_exchanges_range_as_of(text[], date, date, timestamptz) TO jao_reader, jao_writer;

COMMENT ON FUNCTION jao.max_exchanges_as_of(timestamptz) IS
  'The values as known at an instant (the columns of jao.max_exchanges): back-tests without look-ahead.';
COMMENT ON VIEW jao.max_exchanges_borders IS 'The published borders of maxExchanges (the API''s border list).';
COMMENT ON FUNCTION jao.max_exchanges_range(text[], date, date) IS
  'Current values of the given borders (NULL: every border) for the delivery days from_day..to_day (NULL: open end), at primary-key speed; the columns of jao.max_exchanges.';
COMMENT ON FUNCTION jao.max_exchanges_history_range(text[], date, date) IS
  'Every version (current and superseded) of the given borders'' values over the delivery days from_day..to_day; the columns of jao.max_exchanges_history.';
COMMENT ON FUNCTION jao.max_exchanges_range_as_of(text[], date, date, timestamptz) IS
  'The given borders'' values over the delivery days from_day..to_day as they were known at `at`; the columns of jao.max_exchanges.';

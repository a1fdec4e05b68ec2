-- Consumer interface (DESIGN.md §6). delivery_day is the Europe/Amsterdam date of the MTU; border is the
-- published key without its `border_` prefix (AT_BE).

-- Days come from jao.delivery_day (one row per stored day, written in the same transaction as its values),
-- joined to the values by their UTC window: a filter on delivery_day picks days by primary key and reads
-- each day as a primary-key range (mtu, series_id) of jao.observation, with no second index on the values.

-- Current values.
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

-- Every version of every value, current ones included (valid_to NULL): the full revision history, and
-- the base of max_exchanges_as_of. [valid_from, valid_to) is the transaction-time interval during which
-- the version was the current value.
CREATE OR REPLACE VIEW jao.max_exchanges_history AS
SELECT c.mtu, c.delivery_day, c.border, c.from_zone, c.to_zone, c.value_mw, c.revision, c.first_seen_at,
       c.updated_at AS valid_from,
       NULL::timestamptz AS valid_to
  FROM jao.max_exchanges c
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

-- What was known at `at`: for each border and MTU the version current at that instant; nothing for
-- values first seen after it, nor for values that had vanished at it. updated_at is when that version
-- became current. A plain SQL function (STABLE, not STRICT, not SECURITY DEFINER) so the planner inlines
-- it: filters on mtu / border / delivery_day reach the indexes, and callers need only SELECT on
-- jao.max_exchanges_history (whose view owner reads the tables).
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
  SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision,
         v.first_seen_at, v.valid_from
    FROM jao.max_exchanges_history v
   WHERE v.valid_from <= $1
     AND (v.valid_to IS NULL OR v.valid_to > $1)
$$;

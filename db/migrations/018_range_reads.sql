-- Issue 22: the desk's reads at primary-key speed (docs/desk.md, docs/timescaledb.md "Reads at primary-key speed").
--
-- 1. Range functions, on both engines: jao.max_exchanges_range(borders, from_day, to_day) and its as-of and history
--    variants. Plain SQL functions, STABLE and not STRICT, so the planner inlines them: the borders become a set
--    of series ids before the scan (a constant array for the primary key or, on TimescaleDB, for the compressed
--    batches of those series only) and the days become constant bounds on `mtu` (TimescaleDB leaves out every other
--    chunk while planning). A NULL border list means every border, a NULL day an open end; a filter on `mtu`
--    written around them reaches the tables the same way. They read through two plain views of the stored rows
--    (jao_reader reads no table) and the catalogue view, which now carries each border's series id. Given borders,
--    the catalogue is joined LEFT, so that a query that asks for no border column (a revision history) does not
--    join it at all; without, the join keeps the values of maxExchanges only.
-- 2. jao.max_exchanges and jao.max_exchanges_history read each selected delivery day as a LATERAL subquery bounded
--    by that day's window, on both engines (TimescaleDB has had them since 009; plain PostgreSQL joined the days to
--    the values by a range, which for a month of one border became a scan of every value).
-- 3. TimescaleDB: chunks of 365 days instead of 30 (values) and 180 (history). A filter on delivery_day fixes the
--    day's window only at run time, so the planner plans every chunk of the hypertable: 55 chunks of 30 days (four
--    and a half years) cost 5-25 ms per query, more than reading the day. Existing chunks of one 365-day slot
--    (aligned like new chunks, on the Unix epoch) that are all compressed, or all not, are merged into one.
--    Compression settings (segmentby series_id, orderby mtu) stay: compressed batches hold up to 1,000 rows of
--    one series, with their first and last mtu as an index of the compressed chunk.
-- 4. JIT compilation off for this database (when the migration's role may set it): the planner's estimate for a
--    day's window given at run time is 0.5 % of every value (25,000 rows instead of 3,168 at 4.5 years), so a
--    month of days crosses jit_above_cost and JIT then compiles for 0.1-1.5 s to answer in a few milliseconds.
--    The API has turned it off for its reads since issue 13 (api/snapshot.ts).

CREATE OR REPLACE VIEW jao.max_exchanges_borders AS
SELECT s.border, s.key, s.from_zone, s.to_zone, s.unit, s.first_seen_at, s.series_id
  FROM jao.series s
 WHERE s.dataset = 'maxExchanges';

-- The stored rows behind the range functions: current values, and the values they superseded.
CREATE OR REPLACE VIEW jao.max_exchanges_values AS
SELECT o.series_id, o.mtu, o.value AS value_mw, o.revision, o.first_seen_at, o.updated_at
  FROM jao.observation o;

CREATE OR REPLACE VIEW jao.max_exchanges_superseded AS
SELECT h.series_id, h.mtu, h.value AS value_mw, h.revision, h.first_seen_at, h.valid_from, h.valid_to
  FROM jao.observation_history h;

-- Current values of `borders` (NULL: every border) for the delivery days from_day..to_day (NULL: open end).
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
  SELECT v.mtu, (v.mtu AT TIME ZONE 'Europe/Amsterdam')::date, b.border, b.from_zone, b.to_zone, v.value_mw,
         v.revision, v.first_seen_at, v.updated_at
    FROM jao.max_exchanges_values v
    LEFT JOIN jao.max_exchanges_borders b ON b.series_id = v.series_id
   WHERE ($1 IS NOT NULL OR b.series_id IS NOT NULL)
     AND CASE WHEN $1 IS NULL THEN true
              WHEN cardinality($1) = 1
                THEN v.series_id = (SELECT x.series_id FROM jao.max_exchanges_borders x WHERE x.border = $1[1])
              ELSE v.series_id = ANY (ARRAY(SELECT x.series_id FROM jao.max_exchanges_borders x
                                              WHERE x.border = ANY ($1)))
         END
     AND ($2 IS NULL OR v.mtu >= $2::timestamp AT TIME ZONE 'Europe/Amsterdam')
     AND ($3 IS NULL OR v.mtu < ($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
$$;

-- Every version of the values of `borders` for from_day..to_day: current ones (valid_to NULL) and superseded ones,
-- each with the transaction-time interval [valid_from, valid_to) during which it was the current value. The two
-- tables' rows meet before their one join with the catalogue (one join to plan, not two).
CREATE OR REPLACE FUNCTION jao.max_exchanges_history_range(borders text[], from_day date, to_day date)
RETURNS TABLE (
  mtu           timestamptz,
  delivery_day  date,
  border        text,
  from_zone     text,
  to_zone       text,
  value_mw      double precision,
  revision      integer,
  first_seen_at timestamptz,
  valid_from    timestamptz,
  valid_to      timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.mtu, (v.mtu AT TIME ZONE 'Europe/Amsterdam')::date, b.border, b.from_zone, b.to_zone, v.value_mw,
         v.revision, v.first_seen_at, v.valid_from, v.valid_to
    FROM (
      SELECT c.series_id, c.mtu, c.value_mw, c.revision, c.first_seen_at, c.updated_at AS valid_from,
             NULL::timestamptz AS valid_to
        FROM jao.max_exchanges_values c
       WHERE CASE WHEN $1 IS NULL THEN true
                  WHEN cardinality($1) = 1
                    THEN c.series_id = (SELECT x.series_id FROM jao.max_exchanges_borders x WHERE x.border = $1[1])
                  ELSE c.series_id = ANY (ARRAY(SELECT x.series_id FROM jao.max_exchanges_borders x
                                                  WHERE x.border = ANY ($1)))
             END
         AND ($2 IS NULL OR c.mtu >= $2::timestamp AT TIME ZONE 'Europe/Amsterdam')
         AND ($3 IS NULL OR c.mtu < ($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
      UNION ALL
      SELECT h.series_id, h.mtu, h.value_mw, h.revision, h.first_seen_at, h.valid_from, h.valid_to
        FROM jao.max_exchanges_superseded h
       WHERE CASE WHEN $1 IS NULL THEN true
                  WHEN cardinality($1) = 1
                    THEN h.series_id = (SELECT x.series_id FROM jao.max_exchanges_borders x WHERE x.border = $1[1])
                  ELSE h.series_id = ANY (ARRAY(SELECT x.series_id FROM jao.max_exchanges_borders x
                                                  WHERE x.border = ANY ($1)))
             END
         AND ($2 IS NULL OR h.mtu >= $2::timestamp AT TIME ZONE 'Europe/Amsterdam')
         AND ($3 IS NULL OR h.mtu < ($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
    ) AS v
    LEFT JOIN jao.max_exchanges_borders b ON b.series_id = v.series_id
   WHERE $1 IS NOT NULL OR b.series_id IS NOT NULL
$$;

-- The values of `borders` for from_day..to_day as known at `at` (jao.max_exchanges_as_of for a range).
CREATE OR REPLACE FUNCTION jao.max_exchanges_range_as_of(borders text[], from_day date, to_day date,
                                                         at timestamptz)
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
         v.valid_from
    FROM jao.max_exchanges_history_range($1, $2, $3) v
   WHERE v.valid_from <= $4
     AND (v.valid_to IS NULL OR v.valid_to > $4)
$$;

-- The views of 009, now on both engines: each selected day's values are one LATERAL subquery bounded by its
-- window (its ORDER BY keeps the planner from flattening it into a join over every value).
CREATE OR REPLACE VIEW jao.max_exchanges AS
SELECT v.mtu,
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
 ) AS v
 WHERE d.dataset = 'maxExchanges';

CREATE OR REPLACE VIEW jao.max_exchanges_history AS
SELECT c.mtu, c.delivery_day, c.border, c.from_zone, c.to_zone, c.value_mw, c.revision, c.first_seen_at,
       c.updated_at AS valid_from,
       NULL::timestamptz AS valid_to
  FROM jao.max_exchanges c
UNION ALL
SELECT h.mtu,
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
 ) AS h
 WHERE d.dataset = 'maxExchanges';

GRANT SELECT ON jao.max_exchanges_values, jao.max_exchanges_superseded TO jao_reader, jao_writer;
REVOKE ALL ON FUNCTION jao.max_exchanges_range(text[], date, date),
                       jao.max_exchanges_history_range(text[], date, date),
                       jao.max_exchanges_range_as_of(text[], date, date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.max_exchanges_range(text[], date, date),
                          jao.max_exchanges_history_range(text[], date, date),
                          jao.max_exchanges_range_as_of(text[], date, date, timestamptz) TO jao_reader, jao_writer;

DO $migration$
DECLARE
  adjacent record;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_database d JOIN pg_roles r ON r.rolname = current_user
              WHERE d.datname = current_database() AND (d.datdba = r.oid OR r.rolsuper)) THEN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
  ELSE
    RAISE NOTICE 'jit stays as configured: % may not alter database %', current_user, current_database();
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;
  PERFORM set_chunk_time_interval('jao.observation', INTERVAL '365 days');
  PERFORM set_chunk_time_interval('jao.observation_history', INTERVAL '365 days');

  -- Runs of directly adjacent chunks in one 365-day slot, all compressed or all not: one merge each.
  FOR adjacent IN
    WITH chunk AS (
      SELECT c.hypertable_name, c.is_compressed, c.range_start, c.range_end,
             format('%I.%I', c.chunk_schema, c.chunk_name)::regclass AS relation,
             floor(extract(epoch FROM c.range_start) / extract(epoch FROM INTERVAL '365 days')) AS slot_number
        FROM timescaledb_information.chunks c
       WHERE c.hypertable_schema = 'jao' AND c.hypertable_name IN ('observation', 'observation_history')
    ),
    marked AS (
      SELECT chunk.*,
             CASE WHEN lag(range_end) OVER w = range_start
                   AND lag(slot_number) OVER w = slot_number
                   AND lag(is_compressed) OVER w = is_compressed THEN 0 ELSE 1 END AS starts_run
        FROM chunk
      WINDOW w AS (PARTITION BY hypertable_name ORDER BY range_start)
    ),
    numbered AS (
      SELECT marked.*,
             sum(starts_run) OVER (PARTITION BY hypertable_name ORDER BY range_start) AS run
        FROM marked
    )
    SELECT array_agg(relation ORDER BY range_start) AS chunks
      FROM numbered
     GROUP BY hypertable_name, run
    HAVING count(*) > 1
  LOOP
    CALL merge_chunks(adjacent.chunks);
  END LOOP;
END
$migration$;

-- The series catalogue's times are the same whatever order the writes of different days commit in (a restore applies
-- days in parallel): first_seen_at is the earliest write that changed the series, last_seen_at the earliest such
-- write of the latest clock hour (UTC). Moving first_seen_at back needs an UPDATE the writer may not make
-- (jao_writer may update last_seen_at alone), so one function makes the catalogue's move for a write, SECURITY
-- DEFINER: it touches those two columns of the given series, first_seen_at only ever back, rows locked in id order.
-- Expand-only: a release before this one keeps its own statement and runs on this database as before.
CREATE OR REPLACE FUNCTION jao.touch_series(series_ids int[], written_at timestamptz) RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
  WITH stale AS (
    SELECT s.series_id FROM jao.series s
     WHERE s.series_id = ANY (series_ids)
       AND (s.first_seen_at > written_at
            OR date_trunc('hour', s.last_seen_at, 'UTC') < date_trunc('hour', written_at, 'UTC')
            OR (date_trunc('hour', s.last_seen_at, 'UTC') = date_trunc('hour', written_at, 'UTC')
                AND s.last_seen_at > written_at))
     ORDER BY s.series_id
       FOR NO KEY UPDATE
  ),
  touched AS (
    UPDATE jao.series s
       SET first_seen_at = LEAST(s.first_seen_at, written_at),
           last_seen_at = CASE
             WHEN date_trunc('hour', s.last_seen_at, 'UTC') < date_trunc('hour', written_at, 'UTC')
               OR (date_trunc('hour', s.last_seen_at, 'UTC') = date_trunc('hour', written_at, 'UTC')
                   AND s.last_seen_at > written_at)
             THEN written_at ELSE s.last_seen_at END
      FROM stale
     WHERE s.series_id = stale.series_id
    RETURNING 1
  )
  SELECT count(*)::int FROM touched
$$;

REVOKE ALL ON FUNCTION jao.touch_series(int[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.touch_series(int[], timestamptz) TO jao_writer;

COMMENT ON FUNCTION jao.touch_series(int[], timestamptz) IS
  'moves the catalogue times of the series a write changed: first_seen_at back to the earliest such write, last_seen_at to the earliest of the latest UTC hour';

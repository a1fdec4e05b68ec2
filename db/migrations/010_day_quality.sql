-- The quality record of each delivery day (DESIGN.md §6 jao.day_quality). Stored per day by the write path, in
-- the same transaction as the day's values: what the latest answer that decided the day's status carried
-- (a re-check that brings nothing keeps the record of the stored values). Derived in the view: the key set's
-- differences to the latest earlier day with stored values, and the missing MTUs of a day without values.

-- Key sets, one row per distinct sorted set of a dataset's keys (a handful over the years): a day points to
-- its set, so comparing two days is comparing two ids, and the view diffs the arrays only when they differ.
CREATE TABLE IF NOT EXISTS jao.key_set (
  key_set_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset       text NOT NULL,
  keys          text[] NOT NULL,                     -- sorted, as published (border_AT_BE)
  keys_sha256   text NOT NULL,                       -- of the keys joined by newlines
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT key_set_dataset_sha256_key UNIQUE (dataset, keys_sha256)
);

ALTER TABLE jao.delivery_day
  ADD COLUMN IF NOT EXISTS resolution_minutes integer,
  -- UTC starts of the expected MTUs without any accepted value in the answer
  ADD COLUMN IF NOT EXISTS missing_mtus timestamptz[] NOT NULL DEFAULT '{}',
  ADD COLUMN IF NOT EXISTS key_set_id integer,
  ADD COLUMN IF NOT EXISTS null_values integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS duplicate_rows integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS conflicting_rows integer NOT NULL DEFAULT 0,
  -- every refusal of the answer (values, keys, rows; nulls included); jao.rejection keeps the first 1,000
  ADD COLUMN IF NOT EXISTS rejected_values integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS unknown_fields text[] NOT NULL DEFAULT '{}',
  -- one sentence saying why the day is not complete; null when it is
  ADD COLUMN IF NOT EXISTS reason text;

-- One row per (dataset, day). The previous day is found by a backward primary-key scan of jao.delivery_day
-- (usually the day before); the key arrays are compared only when the two days' key sets differ.
CREATE OR REPLACE VIEW jao.day_quality AS
SELECT d.dataset,
       d.day,
       d.status,
       d.expected_mtus,
       d.received_mtus,
       CASE WHEN d.revision_count > 0 THEN d.missing_mtus
            ELSE ARRAY(SELECT generate_series(
                   d.window_from,
                   d.window_to - make_interval(mins => COALESCE(d.resolution_minutes, 60)),
                   make_interval(mins => COALESCE(d.resolution_minutes, 60))))
       END AS missing_mtus,
       d.resolution_minutes,
       cardinality(ks.keys) AS keys,
       diff.keys_added,
       diff.keys_vanished,
       d.null_values,
       d.duplicate_rows,
       d.conflicting_rows,
       d.rejected_values,
       d.unknown_fields,
       CASE WHEN d.status <> 'complete' THEN COALESCE(d.reason, d.last_error) END AS reason,
       -- drift against the previous stored day: 'resolution', 'keys_added', 'keys_vanished'
       array_remove(ARRAY[
         CASE WHEN d.resolution_minutes <> prev.resolution_minutes THEN 'resolution' END,
         CASE WHEN cardinality(diff.keys_added) > 0 THEN 'keys_added' END,
         CASE WHEN cardinality(diff.keys_vanished) > 0 THEN 'keys_vanished' END], NULL) AS drift,
       prev.day AS previous_day,
       prev.resolution_minutes AS previous_resolution_minutes,
       d.revision_count,
       d.last_checked_at,
       d.last_error,
       d.last_build_id,
       d.content_build_id
  FROM jao.delivery_day d
  LEFT JOIN jao.key_set ks ON ks.key_set_id = d.key_set_id
  LEFT JOIN LATERAL (
    SELECT p.day, p.resolution_minutes, p.key_set_id
      FROM jao.delivery_day p
     WHERE p.dataset = d.dataset AND p.day < d.day AND p.revision_count > 0
     ORDER BY p.day DESC
     LIMIT 1
  ) AS prev ON true
  LEFT JOIN jao.key_set pks ON pks.key_set_id = prev.key_set_id
  LEFT JOIN LATERAL (
    SELECT CASE WHEN ks.key_set_id IS NULL OR pks.key_set_id IS NULL THEN NULL
                WHEN ks.key_set_id = pks.key_set_id THEN '{}'::text[]
                ELSE ARRAY(SELECT x.k FROM (SELECT unnest(ks.keys) EXCEPT SELECT unnest(pks.keys)) AS x(k)
                           ORDER BY x.k COLLATE "C")
           END AS keys_added,
           CASE WHEN ks.key_set_id IS NULL OR pks.key_set_id IS NULL THEN NULL
                WHEN ks.key_set_id = pks.key_set_id THEN '{}'::text[]
                ELSE ARRAY(SELECT x.k FROM (SELECT unnest(pks.keys) EXCEPT SELECT unnest(ks.keys)) AS x(k)
                           ORDER BY x.k COLLATE "C")
           END AS keys_vanished
  ) AS diff ON true;

GRANT SELECT ON jao.day_quality TO jao_reader, jao_writer;
GRANT SELECT, INSERT ON jao.key_set TO jao_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA jao TO jao_writer;

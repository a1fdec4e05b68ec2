-- Keys a dataset publishes empty on purpose (domain/datasets: publishedEmpty; Core atc's Italian borders): the
-- quality record of each day names those the answer published null at every MTU, and those of them that carried
-- values, which is drift ('empty_keys_filled'). Expand-only: two columns with a constant default (no rewrite of
-- jao.delivery_day, a moment's lock under the migration's lock timeout), and the view gains two columns at its end,
-- so a release before this one reads and writes as it did.
ALTER TABLE jao.delivery_day
  ADD COLUMN IF NOT EXISTS published_empty_keys text[] NOT NULL DEFAULT '{}',
  ADD COLUMN IF NOT EXISTS empty_keys_with_values text[] NOT NULL DEFAULT '{}';

COMMENT ON COLUMN jao.delivery_day.published_empty_keys IS
  'keys the dataset declares published empty that the day''s answer published null at every MTU';
COMMENT ON COLUMN jao.delivery_day.empty_keys_with_values IS
  'keys the dataset declares published empty that carried values in the day''s answer (drift)';

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
       -- drift against the previous stored day ('resolution', 'keys_added', 'keys_vanished') and against the
       -- declaration ('empty_keys_filled')
       array_remove(ARRAY[
         CASE WHEN d.resolution_minutes <> prev.resolution_minutes THEN 'resolution' END,
         CASE WHEN cardinality(diff.keys_added) > 0 THEN 'keys_added' END,
         CASE WHEN cardinality(diff.keys_vanished) > 0 THEN 'keys_vanished' END,
         CASE WHEN cardinality(d.empty_keys_with_values) > 0 THEN 'empty_keys_filled' END], NULL) AS drift,
       prev.day AS previous_day,
       prev.resolution_minutes AS previous_resolution_minutes,
       d.revision_count,
       d.last_checked_at,
       d.last_error,
       d.last_build_id,
       d.content_build_id,
       d.last_changed_at,
       d.published_empty_keys,
       d.empty_keys_with_values
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

COMMENT ON COLUMN jao.day_quality.published_empty_keys IS
  'keys the dataset declares published empty (JAO publishes them null on purpose) that the day''s answer published null at every MTU; no value is expected of them';
COMMENT ON COLUMN jao.day_quality.empty_keys_with_values IS
  'keys the dataset declares published empty that carried values in the day''s answer: drift empty_keys_filled';

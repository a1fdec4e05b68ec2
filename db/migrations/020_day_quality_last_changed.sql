-- jao.day_quality gains last_changed_at (appended, so CREATE OR REPLACE keeps every earlier column and its
-- position): when the day's stored content last changed, which the status page shows beside the revision count.
-- The rest of the view is migration 010's, unchanged.
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
       d.content_build_id,
       -- when the day's stored content last changed (issue 19: the status page's "last change")
       d.last_changed_at
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

COMMENT ON COLUMN jao.day_quality.last_changed_at IS 'when a write last changed the day''s stored values (NULL before any)';

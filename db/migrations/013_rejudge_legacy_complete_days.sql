-- Days stored as `complete` before 010 (key_set_id NULL: written before days recorded their key set) were judged
-- by an earlier, too lenient rule. Each is re-judged here from its stored values, by the rule of domain/dayStatus.ts
-- (DESIGN.md §5): no stored value → `invalid`; fewer values than expected MTUs × keys stored, or fewer MTUs with a
-- value than expected → `partial`, with the MTUs without a value listed; otherwise the day stays `complete`,
-- untouched.
-- A re-judged day's reason starts with 're-judged by migration 013:' (see README, Upgrading), and its received MTUs
-- and points count what is stored. Days written since 010 carry a key set and are left alone; a re-judged day is
-- no longer `complete`, so a second run changes nothing.
--
-- Plain SQL for both engines. Each day's values are read by a LATERAL subquery bounded by that day's window (as
-- in 009): TimescaleDB excludes every other chunk at run time, and compressed chunks are only read.
WITH stored AS (
  SELECT d.dataset, d.day, d.expected_mtus, v.points, v.keys, v.mtus,
         CASE WHEN d.expected_mtus > 0
                   AND (extract(epoch FROM d.window_to - d.window_from) / d.expected_mtus) % 60 = 0
              THEN ARRAY(
                SELECT g.mtu
                  FROM generate_series(
                         d.window_from,
                         d.window_to - make_interval(secs => extract(epoch FROM d.window_to - d.window_from)
                                                             / d.expected_mtus),
                         make_interval(secs => extract(epoch FROM d.window_to - d.window_from) / d.expected_mtus))
                       AS g(mtu)
                 WHERE g.mtu <> ALL (v.present)
                 ORDER BY g.mtu)
              ELSE '{}'::timestamptz[]
         END AS missing_mtus
    FROM jao.delivery_day d
   CROSS JOIN LATERAL (
     SELECT count(*)::int AS points,
            count(DISTINCT o.series_id)::int AS keys,
            count(DISTINCT o.mtu)::int AS mtus,
            COALESCE(array_agg(DISTINCT o.mtu), '{}') AS present
       FROM jao.observation o
       JOIN jao.series s ON s.series_id = o.series_id
      WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
   ) AS v
   WHERE d.status = 'complete' AND d.key_set_id IS NULL
),
judged AS (
  SELECT st.*,
         CASE WHEN st.points = 0 THEN 'invalid'
              WHEN st.points < st.expected_mtus * st.keys OR st.mtus < st.expected_mtus THEN 'partial'
         END AS status
    FROM stored st
)
UPDATE jao.delivery_day d
   SET status = j.status,
       received_mtus = j.mtus,
       points = j.points,
       missing_mtus = j.missing_mtus,
       reason = CASE
         WHEN j.status = 'invalid'
           THEN format('re-judged by migration 013: no value stored (%s MTUs expected)', j.expected_mtus)
         ELSE format('re-judged by migration 013: %s of %s values stored (%s keys × %s MTUs)',
                     j.points, j.expected_mtus * j.keys, j.keys, j.expected_mtus)
              || CASE WHEN j.mtus < j.expected_mtus
                      THEN format('; %s of %s MTUs have values', j.mtus, j.expected_mtus)
                      ELSE ''
                 END
       END
  FROM judged j
 WHERE d.dataset = j.dataset AND d.day = j.day AND j.status IS NOT NULL;

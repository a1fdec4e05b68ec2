-- Archived answers of the flow-based domain are gzip-compressed objects (archive/format.ts: answers/<sha256>.gz, the
-- name still the sha256 of the bytes as stored). jao.drop_archived_raw_bodies (migration 007) accepts that object as
-- it accepts answers/<sha256>: the shipper read it back, decompressed, with the right hash. Nothing else changes;
-- the function is replaced in place. Idempotent.
CREATE OR REPLACE FUNCTION jao.drop_archived_raw_bodies(verified_ids bigint[], keep_days integer)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  WITH dropped AS (
    UPDATE jao.raw_response r
       SET body = NULL, archive_verified_at = now()
     WHERE r.raw_response_id = ANY (verified_ids)
       AND r.body IS NOT NULL
       AND keep_days >= 0
       AND r.last_fetched_at < now() - make_interval(days => keep_days)
       AND r.archive_key IN ('answers/' || encode(sha256(r.body), 'hex'),
                             'answers/' || encode(sha256(r.body), 'hex') || '.gz')
       AND EXISTS (SELECT 1 FROM jao.raw_response n
                    WHERE n.dataset = r.dataset AND n.day = r.day AND n.raw_response_id > r.raw_response_id)
    RETURNING 1)
  SELECT count(*) FROM dropped
$$;

REVOKE ALL ON FUNCTION jao.drop_archived_raw_bodies(bigint[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.drop_archived_raw_bodies(bigint[], integer) TO jao_writer;

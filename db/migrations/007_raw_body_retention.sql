-- Retention of raw bodies (docs/archive.md "Retention"): once a raw answer is in the archive and its object was read
-- back with the right hash, the database may drop the answer's bytes (RAW_RETENTION_DAYS). Its hash, size, request
-- and fetch times stay; the archive object that holds the bytes is recorded beside them, and lineage names it.
-- Idempotent: running it twice changes nothing.

-- The archive object holding the answer's bytes (answers/<sha256 of the stored bytes>), set when a write that judged
-- the answer was shipped (or restored); and when that object was last read back and found to hold these bytes.
ALTER TABLE jao.raw_response ADD COLUMN IF NOT EXISTS archive_key text;
ALTER TABLE jao.raw_response ADD COLUMN IF NOT EXISTS archive_verified_at timestamptz;
ALTER TABLE jao.raw_response ALTER COLUMN body DROP NOT NULL;

-- A body may be missing only where the archive holds it, read back and checked: no answer is ever lost.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint
                  WHERE conname = 'raw_response_body_or_archive' AND conrelid = 'jao.raw_response'::regclass) THEN
    ALTER TABLE jao.raw_response ADD CONSTRAINT raw_response_body_or_archive
      CHECK (body IS NOT NULL OR (archive_key IS NOT NULL AND archive_verified_at IS NOT NULL));
  END IF;
END
$migration$;

-- Answers archived before this migration: their writes' journal entries name them, and their object is named by the
-- hash of the bytes the database holds (archive/format.ts answerKey).
UPDATE jao.raw_response r
   SET archive_key = 'answers/' || encode(sha256(r.body), 'hex')
 WHERE r.archive_key IS NULL
   AND EXISTS (SELECT 1 FROM jao.day_write w
                WHERE w.raw_response_id = r.raw_response_id AND w.archived_at IS NOT NULL);

-- The one way a body leaves the database. jao_writer cannot UPDATE raw_response.body (raw answers stay append-only
-- for it); it calls this function with the answers whose archive object it has just read back with the right hash.
-- The database checks again what it can: the recorded object is named by the hash of the bytes it holds, the
-- answer was last fetched more than `keep_days` days ago by the database clock, and it is not its day's newest
-- answer (every re-check compares with, and judges, the day's newest answer: that one keeps its bytes).
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
       AND r.archive_key = 'answers/' || encode(sha256(r.body), 'hex')
       AND EXISTS (SELECT 1 FROM jao.raw_response n
                    WHERE n.dataset = r.dataset AND n.day = r.day AND n.raw_response_id > r.raw_response_id)
    RETURNING 1)
  SELECT count(*) FROM dropped
$$;

REVOKE ALL ON FUNCTION jao.drop_archived_raw_bodies(bigint[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.drop_archived_raw_bodies(bigint[], integer) TO jao_writer;
-- The shipper (and a restore) records the object an answer went to.
GRANT UPDATE (archive_key) ON jao.raw_response TO jao_writer;

COMMENT ON COLUMN jao.raw_response.body IS 'the answer''s bytes as received; NULL once dropped under RAW_RETENTION_DAYS, the archive object archive_key then holds them';
COMMENT ON COLUMN jao.raw_response.archive_key IS 'the archive object holding these bytes (answers/<sha256>, relative to ARCHIVE_URL); NULL while no write that judged the answer was archived';
COMMENT ON COLUMN jao.raw_response.archive_verified_at IS 'when the archive object was read back and found to hold these bytes, just before the body was dropped';
COMMENT ON FUNCTION jao.drop_archived_raw_bodies(bigint[], integer) IS 'Drops the bodies of the given raw answers whose archive object was read back with the right hash, last fetched over $2 days ago and not their day''s newest answer; returns how many.';

-- Lineage names the archive object of each value's raw answer (a new last column; the others are unchanged).
CREATE OR REPLACE VIEW jao.max_exchanges_lineage AS
SELECT v.mtu,
       (v.mtu AT TIME ZONE 'Europe/Amsterdam')::date AS delivery_day,
       s.border,
       s.from_zone,
       s.to_zone,
       v.revision,
       v.value AS value_mw,
       v.valid_from,
       v.valid_to,
       v.valid_to IS NULL AS is_current,
       v.derivation_id IS NOT NULL AS lineage_known,
       v.derivation_id,
       d.kind,
       d.reason,
       d.build_id,
       d.workflow_id,
       d.raw_response_id,
       r.fetched_at,
       r.sha256,
       r.archive_key AS archive_object
  FROM (SELECT o.series_id, o.mtu, o.value, o.revision, o.updated_at AS valid_from,
               NULL::timestamptz AS valid_to, o.derivation_id
          FROM jao.observation o
        UNION ALL
        SELECT h.series_id, h.mtu, h.value, h.revision, h.valid_from, h.valid_to, h.derivation_id
          FROM jao.observation_history h) AS v
  JOIN jao.series s ON s.series_id = v.series_id
  LEFT JOIN jao.derivation d ON d.derivation_id = v.derivation_id
  LEFT JOIN jao.raw_response r ON r.raw_response_id = d.raw_response_id
 WHERE s.dataset = 'maxExchanges';

COMMENT ON COLUMN jao.max_exchanges_lineage.archive_object IS 'the archive object holding that raw answer''s bytes (answers/<sha256>, relative to ARCHIVE_URL); NULL while it is not archived';

-- A function's result columns cannot change in place: dropped and created again with the new last column, its
-- privileges and comment as 001 gave them.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_proc p
                   JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'jao' AND p.proname = 'value_lineage'
                    AND 'archive_object' = ANY (p.proargnames)) THEN
    DROP FUNCTION IF EXISTS jao.value_lineage(text, timestamptz);
    CREATE FUNCTION jao.value_lineage(border text, mtu timestamptz)
    RETURNS TABLE (
      revision        integer,
      value_mw        double precision,
      valid_from      timestamptz,
      valid_to        timestamptz,
      is_current      boolean,
      lineage_known   boolean,
      raw_response_id bigint,
      fetched_at      timestamptz,
      sha256          text,
      build_id        text,
      reason          text,
      kind            text,
      workflow_id     text,
      delivery_day    date,
      archive_object  text
    )
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $function$
      SELECT l.revision, l.value_mw, l.valid_from, l.valid_to, l.is_current, l.lineage_known, l.raw_response_id,
             l.fetched_at, l.sha256, l.build_id, l.reason, l.kind, l.workflow_id, l.delivery_day, l.archive_object
        FROM jao.max_exchanges_lineage l
       WHERE l.border = $1 AND l.mtu = $2
       ORDER BY l.revision
    $function$;
    REVOKE ALL ON FUNCTION jao.value_lineage(text, timestamptz) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION jao.value_lineage(text, timestamptz) TO jao_reader, jao_writer;
    COMMENT ON FUNCTION jao.value_lineage(text, timestamptz) IS 'Where a value comes from: one row per revision of border $1 at MTU $2 (current and superseded), oldest first.';
  END IF;
END
$migration$;

-- Lineage of every stored value (docs/design.md §13; docs/desk.md, "Where a value comes from"). Each write that
-- changes a day's values records one derivation: the raw answer it derived them from, the worker build, the
-- workflow run, why (a fetch from JAO, or the reprocessing of a stored answer by a later build) and when. Every
-- value revision, current (jao.observation) or superseded (jao.observation_history), points to the derivation
-- that produced it; a superseded value keeps its own. One bigint per value, not three text columns: the build id
-- and the reason are the same for the thousands of values one write produces.
--
-- derivation_id NULL on a value means "stored before lineage was recorded" (before this migration): not guessed.
-- The columns are nullable without a default, which TimescaleDB allows on compressed hypertables (no chunk is
-- rewritten or decompressed; docs/timescaledb.md).

CREATE SEQUENCE IF NOT EXISTS jao.derivation_id_seq AS bigint;

CREATE TABLE IF NOT EXISTS jao.derivation (
  -- taken by the write from the sequence before it knows whether anything changes: ids have gaps
  derivation_id   bigint PRIMARY KEY DEFAULT nextval('jao.derivation_id_seq'),
  dataset         text NOT NULL,
  day             date NOT NULL,
  kind            text NOT NULL CONSTRAINT derivation_kind_check CHECK (kind IN ('fetch', 'reprocess')),
  -- the stored answer the values were derived from; NULL: written without one (values written directly)
  raw_response_id bigint REFERENCES jao.raw_response (raw_response_id),
  build_id        text,                                -- the worker build that derived them
  workflow_id     text,                                -- the workflow run that wrote them
  reason          text NOT NULL,                       -- one sentence: a fetch, or a reprocessing naming its build
  derived_at      timestamptz NOT NULL                 -- the write's transaction time (valid_from of its values)
);
ALTER SEQUENCE jao.derivation_id_seq OWNED BY jao.derivation.derivation_id;
CREATE INDEX IF NOT EXISTS derivation_day_idx ON jao.derivation (dataset, day, derived_at);

ALTER TABLE jao.observation ADD COLUMN IF NOT EXISTS derivation_id bigint;
ALTER TABLE jao.observation_history ADD COLUMN IF NOT EXISTS derivation_id bigint;

-- Every revision of every maxExchanges value, current and superseded, with where it came from. A filter on
-- border and mtu reads each table by its primary key (mtu, series_id); name the delivery day too on TimescaleDB
-- for a range of MTUs.
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
       r.sha256
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

-- "Where does this value come from": one row per revision of one border's value at one MTU, oldest first. A plain
-- SQL function (inlined by the planner, like jao.max_exchanges_as_of): callers need only SELECT on the view.
CREATE OR REPLACE FUNCTION jao.value_lineage(border text, mtu timestamptz)
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
  delivery_day    date
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT l.revision, l.value_mw, l.valid_from, l.valid_to, l.is_current, l.lineage_known, l.raw_response_id,
         l.fetched_at, l.sha256, l.build_id, l.reason, l.kind, l.workflow_id, l.delivery_day
    FROM jao.max_exchanges_lineage l
   WHERE l.border = $1 AND l.mtu = $2
   ORDER BY l.revision
$$;

COMMENT ON TABLE jao.derivation IS
  'One row per write that changed a day''s values: the raw answer they were derived from, the build, the run and why.';
COMMENT ON COLUMN jao.observation.derivation_id IS
  'The write that produced this revision (jao.derivation); NULL: stored before lineage was recorded (migration 016).';
COMMENT ON COLUMN jao.observation_history.derivation_id IS
  'The write that produced this revision (jao.derivation); NULL: stored before lineage was recorded (migration 016).';
COMMENT ON VIEW jao.max_exchanges_lineage IS
  'Every revision of every value (current and superseded) with the raw answer and the build that produced it.';
COMMENT ON COLUMN jao.max_exchanges_lineage.is_current IS 'true for the current value (valid_to is NULL)';
COMMENT ON COLUMN jao.max_exchanges_lineage.lineage_known IS
  'false for revisions stored before lineage was recorded (migration 016): their origin is unknown, not guessed';
COMMENT ON COLUMN jao.max_exchanges_lineage.kind IS
  '''fetch'' (derived from a new answer of JAO) or ''reprocess'' (re-derived from a stored answer by a later build)';
COMMENT ON COLUMN jao.max_exchanges_lineage.reason IS
  'why this revision was written, in one sentence (a reprocessing names its build)';
COMMENT ON COLUMN jao.max_exchanges_lineage.build_id IS 'the worker build that derived the value';
COMMENT ON COLUMN jao.max_exchanges_lineage.workflow_id IS 'the workflow run that wrote it';
COMMENT ON COLUMN jao.max_exchanges_lineage.raw_response_id IS
  'the stored raw answer it was derived from (NULL: written without one)';
COMMENT ON COLUMN jao.max_exchanges_lineage.fetched_at IS 'when that raw answer was first received from JAO';
COMMENT ON COLUMN jao.max_exchanges_lineage.sha256 IS 'sha256 of that raw answer, byte for byte as received';
COMMENT ON FUNCTION jao.value_lineage(text, timestamptz) IS
  'Where a value comes from: one row per revision of border $1 at MTU $2 (current and superseded), oldest first.';

GRANT SELECT, INSERT ON jao.derivation TO jao_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA jao TO jao_writer;
GRANT SELECT ON jao.max_exchanges_lineage TO jao_reader, jao_writer;
REVOKE ALL ON FUNCTION jao.value_lineage(text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.value_lineage(text, timestamptz) TO jao_reader, jao_writer;

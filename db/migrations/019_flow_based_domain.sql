-- Core's flow-based domain (docs/flow-based.md): the presolved constraints of each MTU with every field JAO
-- publishes, every version kept with its transaction time, as the border values are (jao.observation and its
-- history). A constraint is one identity across versions (jao.flow_constraint); per (constraint, MTU) one current
-- version (jao.constraint_value) and every superseded or vanished one (jao.constraint_value_history). PTDFs are a
-- list of (hub, value) per version: a hub JAO adds (Advanced Hybrid Coupling) is a new entry, never a new column.
-- New tables and views only (expand-only): nothing an earlier release reads changes. Idempotent.

CREATE TABLE IF NOT EXISTS jao.flow_constraint (
  constraint_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset           text NOT NULL,
  -- the identity as one text (domain/flowBased/constraintKey.ts): a JSON array of the fields below
  constraint_key    text NOT NULL,
  tso               text,
  cne_eic           text,
  cne_name          text,
  direction         text,
  contingency_eics  text[] NOT NULL,
  first_seen_at     timestamptz NOT NULL,
  last_seen_at      timestamptz NOT NULL,
  CONSTRAINT flow_constraint_dataset_key UNIQUE (dataset, constraint_key)
);

CREATE TABLE IF NOT EXISTS jao.constraint_value (
  constraint_id     bigint NOT NULL,
  mtu               timestamptz NOT NULL,
  dataset           text NOT NULL,
  delivery_day      date NOT NULL,
  -- JAO's row id in the answer that carried this version: lineage only, not stable across republication
  jao_id            bigint,
  presolved         boolean NOT NULL,
  ram               double precision,
  min_ram_target    double precision,
  min_ram_factor    double precision,
  imax              double precision,
  u                 double precision,
  fmax              double precision,
  frm               double precision,
  fref_init         double precision,
  fnrao             double precision,
  fref              double precision,
  fcore             double precision,
  fall              double precision,
  fuaf              double precision,
  amr               double precision,
  lta_margin        double precision,
  cva               double precision,
  iva               double precision,
  ftotal_ltn        double precision,
  fltn              double precision,
  cne_status        text,
  hub_from          text,
  hub_to            text,
  substation_from   text,
  substation_to     text,
  element_type      text,
  fmax_type         text,
  cont_tso          text,
  cont_name         text,
  justification     text,
  contingencies     jsonb NOT NULL,
  ptdf_hubs         text[] NOT NULL,
  ptdf_values       double precision[] NOT NULL,
  -- row fields JAO sent that this build does not know, kept as sent
  extra             jsonb,
  -- sha256 of the version's content (every field but jao_id): a new version only when it differs
  content_sha256    text NOT NULL,
  revision          integer NOT NULL CHECK (revision >= 1),
  first_seen_at     timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  derivation_id     bigint,
  CONSTRAINT constraint_value_pkey PRIMARY KEY (mtu, constraint_id),
  CONSTRAINT constraint_value_ptdfs_check CHECK (cardinality(ptdf_hubs) = cardinality(ptdf_values))
);
CREATE INDEX IF NOT EXISTS constraint_value_day_idx ON jao.constraint_value (dataset, delivery_day);
CREATE INDEX IF NOT EXISTS constraint_value_constraint_idx ON jao.constraint_value (constraint_id, mtu);

CREATE TABLE IF NOT EXISTS jao.constraint_value_history (
  LIKE jao.constraint_value,
  valid_from        timestamptz NOT NULL,
  valid_to          timestamptz NOT NULL,
  CONSTRAINT constraint_value_history_pkey PRIMARY KEY (mtu, constraint_id, revision),
  CONSTRAINT constraint_value_history_interval_check CHECK (valid_from <= valid_to)
);
CREATE INDEX IF NOT EXISTS constraint_value_history_day_idx
  ON jao.constraint_value_history (dataset, delivery_day);
CREATE INDEX IF NOT EXISTS constraint_value_history_constraint_idx
  ON jao.constraint_value_history (constraint_id, mtu);

-- Pages of a paged answer as fetched, one request each, until the day's answer is assembled from one consistent
-- set of them (jao.raw_response then holds every page verbatim); the assembly deletes them.
CREATE TABLE IF NOT EXISTS jao.raw_page (
  raw_page_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset       text NOT NULL,
  day           date NOT NULL,
  skip          integer NOT NULL,
  take          integer NOT NULL,
  http_status   integer NOT NULL,
  body          bytea NOT NULL,
  sha256        text NOT NULL,
  total_rows_with_filter integer,
  fetched_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS raw_page_day_idx ON jao.raw_page (dataset, day);

-- TimescaleDB only (a no-op on plain PostgreSQL): the versions on hypertables by MTU, compressed per constraint
-- once the day is 60 days old (a revision later still works: DML on compressed chunks decompresses the
-- constraint's batches only, every statement of the write being bounded by the day's window). A month of the
-- presolved domain is about 110,000 versions: chunks of 30 days.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;
  PERFORM create_hypertable('jao.constraint_value', 'mtu',
    chunk_time_interval => INTERVAL '30 days', create_default_indexes => false,
    if_not_exists => true, migrate_data => true);
  PERFORM create_hypertable('jao.constraint_value_history', 'mtu',
    chunk_time_interval => INTERVAL '180 days', create_default_indexes => false,
    if_not_exists => true, migrate_data => true);
  ALTER TABLE jao.constraint_value SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'constraint_id',
    timescaledb.compress_orderby = 'mtu DESC');
  ALTER TABLE jao.constraint_value_history SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'constraint_id',
    timescaledb.compress_orderby = 'mtu DESC, revision DESC');
  PERFORM add_compression_policy('jao.constraint_value', compress_after => INTERVAL '60 days',
    if_not_exists => true);
  PERFORM add_compression_policy('jao.constraint_value_history', compress_after => INTERVAL '180 days',
    if_not_exists => true);
END
$$;

GRANT SELECT, INSERT, UPDATE (last_seen_at, first_seen_at) ON jao.flow_constraint TO jao_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON jao.constraint_value TO jao_writer;
GRANT SELECT, INSERT ON jao.constraint_value_history TO jao_writer;
GRANT SELECT, INSERT, DELETE ON jao.raw_page TO jao_writer;

-- The desk's reads. Every version's columns, named once.
CREATE OR REPLACE VIEW jao.constraint_history AS
  SELECT c.dataset, v.delivery_day, v.mtu, v.constraint_id, c.tso, c.cne_eic, c.cne_name, c.direction,
         c.contingency_eics, v.presolved, v.ram, v.min_ram_target, v.min_ram_factor, v.imax, v.u, v.fmax, v.frm,
         v.fref_init, v.fnrao, v.fref, v.fcore, v.fall, v.fuaf, v.amr, v.lta_margin, v.cva, v.iva, v.ftotal_ltn,
         v.fltn, v.cne_status, v.hub_from, v.hub_to, v.substation_from, v.substation_to, v.element_type,
         v.fmax_type, v.cont_tso, v.cont_name, v.justification, v.contingencies, v.ptdf_hubs, v.ptdf_values,
         v.extra, v.jao_id, v.revision, v.first_seen_at, v.updated_at AS valid_from,
         NULL::timestamptz AS valid_to, v.derivation_id
    FROM jao.constraint_value v
    JOIN jao.flow_constraint c USING (constraint_id)
  UNION ALL
  SELECT c.dataset, h.delivery_day, h.mtu, h.constraint_id, c.tso, c.cne_eic, c.cne_name, c.direction,
         c.contingency_eics, h.presolved, h.ram, h.min_ram_target, h.min_ram_factor, h.imax, h.u, h.fmax, h.frm,
         h.fref_init, h.fnrao, h.fref, h.fcore, h.fall, h.fuaf, h.amr, h.lta_margin, h.cva, h.iva, h.ftotal_ltn,
         h.fltn, h.cne_status, h.hub_from, h.hub_to, h.substation_from, h.substation_to, h.element_type,
         h.fmax_type, h.cont_tso, h.cont_name, h.justification, h.contingencies, h.ptdf_hubs, h.ptdf_values,
         h.extra, h.jao_id, h.revision, h.first_seen_at, h.valid_from, h.valid_to, h.derivation_id
    FROM jao.constraint_value_history h
    JOIN jao.flow_constraint c USING (constraint_id);

CREATE OR REPLACE VIEW jao.constraints AS
  SELECT c.dataset, v.delivery_day, v.mtu, v.constraint_id, c.tso, c.cne_eic, c.cne_name, c.direction,
         c.contingency_eics, v.presolved, v.ram, v.min_ram_target, v.min_ram_factor, v.imax, v.u, v.fmax, v.frm,
         v.fref_init, v.fnrao, v.fref, v.fcore, v.fall, v.fuaf, v.amr, v.lta_margin, v.cva, v.iva, v.ftotal_ltn,
         v.fltn, v.cne_status, v.hub_from, v.hub_to, v.substation_from, v.substation_to, v.element_type,
         v.fmax_type, v.cont_tso, v.cont_name, v.justification, v.contingencies, v.ptdf_hubs, v.ptdf_values,
         v.extra, v.jao_id, v.revision, v.first_seen_at, v.updated_at
    FROM jao.constraint_value v
    JOIN jao.flow_constraint c USING (constraint_id);

-- The domain as known at `at`: the version of each (constraint, MTU) current then (none for one not yet seen or
-- vanished by then).
CREATE OR REPLACE FUNCTION jao.constraints_as_of(at timestamptz)
RETURNS SETOF jao.constraints
LANGUAGE sql STABLE AS $$
  SELECT dataset, delivery_day, mtu, constraint_id, tso, cne_eic, cne_name, direction, contingency_eics, presolved,
         ram, min_ram_target, min_ram_factor, imax, u, fmax, frm, fref_init, fnrao, fref, fcore, fall, fuaf, amr,
         lta_margin, cva, iva, ftotal_ltn, fltn, cne_status, hub_from, hub_to, substation_from, substation_to,
         element_type, fmax_type, cont_tso, cont_name, justification, contingencies, ptdf_hubs, ptdf_values, extra,
         jao_id, revision, first_seen_at, valid_from AS updated_at
    FROM jao.constraint_history
   WHERE valid_from <= at AND (valid_to IS NULL OR valid_to > at)
$$;

-- PTDFs in long form: one row per (constraint, MTU, hub) of the current domain, in the published hub order.
CREATE OR REPLACE VIEW jao.constraint_ptdfs AS
  SELECT v.dataset, v.delivery_day, v.mtu, v.constraint_id, c.tso, c.cne_name, c.direction, p.hub, p.ptdf,
         p.ordinality::int AS hub_order, v.revision
    FROM jao.constraint_value v
    JOIN jao.flow_constraint c USING (constraint_id)
    CROSS JOIN LATERAL unnest(v.ptdf_hubs, v.ptdf_values) WITH ORDINALITY AS p(hub, ptdf, ordinality);

GRANT SELECT ON jao.flow_constraint, jao.constraints, jao.constraint_history, jao.constraint_ptdfs TO jao_reader;
GRANT EXECUTE ON FUNCTION jao.constraints_as_of(timestamptz) TO jao_reader;
GRANT SELECT ON jao.constraints, jao.constraint_history, jao.constraint_ptdfs TO jao_writer;

COMMENT ON TABLE jao.flow_constraint IS 'one row per constraint of the flow-based domain (CNEC) across its versions: TSO, element EIC and name, direction and contingency branch EICs (docs/flow-based.md, "Identity"); JAO''s row id is not part of it';
COMMENT ON TABLE jao.constraint_value IS 'the current version of each (constraint, MTU) of the flow-based domain, every field as published; PTDFs as parallel lists of hubs and values';
COMMENT ON TABLE jao.constraint_value_history IS 'every superseded or vanished version of a (constraint, MTU), current during [valid_from, valid_to) in transaction time';
COMMENT ON TABLE jao.raw_page IS 'pages of a paged JAO answer fetched one request each, until the day''s answer is assembled from one consistent set (then in jao.raw_response)';
COMMENT ON VIEW jao.constraints IS 'the current presolved flow-based domain: one row per constraint and MTU, every published field, revision and times';
COMMENT ON VIEW jao.constraint_history IS 'every version of every (constraint, MTU): current ones with valid_to NULL';
COMMENT ON VIEW jao.constraint_ptdfs IS 'the current domain''s PTDFs in long form: one row per (constraint, MTU, hub)';
COMMENT ON FUNCTION jao.constraints_as_of(timestamptz) IS 'the flow-based domain as known at an instant: the columns of jao.constraints';
COMMENT ON COLUMN jao.constraint_value.ptdf_hubs IS 'the hubs whose PTDFs the version carries, in JAO''s order (ptdf_<hub> fields); the set grows with Advanced Hybrid Coupling (2026-06-11)';
COMMENT ON COLUMN jao.constraint_value.ptdf_values IS 'the PTDF of each hub of ptdf_hubs, same position; NULL where JAO published null';
COMMENT ON COLUMN jao.constraint_value.contingencies IS 'the contingency''s outaged branches as published (number 1..k and their fields); the N state is one entry';
COMMENT ON COLUMN jao.constraint_value.jao_id IS 'JAO''s row id in the answer that carried the version: lineage only, not stable across republication';
COMMENT ON COLUMN jao.constraint_value.content_sha256 IS 'sha256 of the version''s content (every field but jao_id)';

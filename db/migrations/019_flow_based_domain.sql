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
  -- the identities between the published fields that this version breaks (stored as published, flagged)
  identity_breaks   jsonb,
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

-- Pages of a paged answer as fetched, one request each, until the day's answer assembled from one consistent set
-- of them (jao.raw_response then holds every page verbatim) is written; the write drops them.
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
GRANT SELECT, USAGE ON SEQUENCE jao.flow_constraint_constraint_id_seq, jao.raw_page_raw_page_id_seq TO jao_writer;

-- The desk's reads. Every version's columns, named once.
CREATE OR REPLACE VIEW jao.constraint_history AS
  SELECT c.dataset, v.delivery_day, v.mtu, v.constraint_id, c.tso, c.cne_eic, c.cne_name, c.direction,
         c.contingency_eics, v.presolved, v.ram, v.min_ram_target, v.min_ram_factor, v.imax, v.u, v.fmax, v.frm,
         v.fref_init, v.fnrao, v.fref, v.fcore, v.fall, v.fuaf, v.amr, v.lta_margin, v.cva, v.iva, v.ftotal_ltn,
         v.fltn, v.cne_status, v.hub_from, v.hub_to, v.substation_from, v.substation_to, v.element_type,
         v.fmax_type, v.cont_tso, v.cont_name, v.justification, v.contingencies, v.ptdf_hubs, v.ptdf_values,
         v.extra, v.identity_breaks, v.jao_id, v.revision, v.first_seen_at, v.updated_at AS valid_from,
         NULL::timestamptz AS valid_to, v.derivation_id
    FROM jao.constraint_value v
    JOIN jao.flow_constraint c USING (constraint_id)
  UNION ALL
  SELECT c.dataset, h.delivery_day, h.mtu, h.constraint_id, c.tso, c.cne_eic, c.cne_name, c.direction,
         c.contingency_eics, h.presolved, h.ram, h.min_ram_target, h.min_ram_factor, h.imax, h.u, h.fmax, h.frm,
         h.fref_init, h.fnrao, h.fref, h.fcore, h.fall, h.fuaf, h.amr, h.lta_margin, h.cva, h.iva, h.ftotal_ltn,
         h.fltn, h.cne_status, h.hub_from, h.hub_to, h.substation_from, h.substation_to, h.element_type,
         h.fmax_type, h.cont_tso, h.cont_name, h.justification, h.contingencies, h.ptdf_hubs, h.ptdf_values,
         h.extra, h.identity_breaks, h.jao_id, h.revision, h.first_seen_at, h.valid_from, h.valid_to, h.derivation_id
    FROM jao.constraint_value_history h
    JOIN jao.flow_constraint c USING (constraint_id);

CREATE OR REPLACE VIEW jao.constraints AS
  SELECT c.dataset, v.delivery_day, v.mtu, v.constraint_id, c.tso, c.cne_eic, c.cne_name, c.direction,
         c.contingency_eics, v.presolved, v.ram, v.min_ram_target, v.min_ram_factor, v.imax, v.u, v.fmax, v.frm,
         v.fref_init, v.fnrao, v.fref, v.fcore, v.fall, v.fuaf, v.amr, v.lta_margin, v.cva, v.iva, v.ftotal_ltn,
         v.fltn, v.cne_status, v.hub_from, v.hub_to, v.substation_from, v.substation_to, v.element_type,
         v.fmax_type, v.cont_tso, v.cont_name, v.justification, v.contingencies, v.ptdf_hubs, v.ptdf_values,
         v.extra, v.identity_breaks, v.jao_id, v.revision, v.first_seen_at, v.updated_at
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
         identity_breaks, jao_id, revision, first_seen_at, valid_from AS updated_at
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

-- A day's revisions of the domain, constraint by constraint: per (constraint, MTU) and write after the day's first,
-- whether the constraint appeared (no version just before: new, or back after it vanished), changed (its RAM shown
-- before and after; another field may be what moved) or vanished.
CREATE OR REPLACE VIEW jao.constraint_changes AS
  WITH first_content AS (
    SELECT dataset, delivery_day, min(valid_from) AS at FROM jao.constraint_history GROUP BY dataset, delivery_day
  )
  SELECT h.dataset, h.delivery_day, h.mtu, h.constraint_id, h.tso, h.cne_name, h.direction, h.contingency_eics,
         h.valid_to AS changed_at, CASE WHEN n.constraint_id IS NULL THEN 'vanished' ELSE 'changed' END AS change,
         h.ram AS ram_before, n.ram AS ram_after, h.revision AS revision_before, n.revision AS revision_after
    FROM jao.constraint_history h
    LEFT JOIN jao.constraint_history n
      ON n.constraint_id = h.constraint_id AND n.mtu = h.mtu AND n.valid_from = h.valid_to
   WHERE h.valid_to IS NOT NULL
  UNION ALL
  SELECT v.dataset, v.delivery_day, v.mtu, v.constraint_id, v.tso, v.cne_name, v.direction, v.contingency_eics,
         v.valid_from, 'appeared', NULL, v.ram, NULL, v.revision
    FROM jao.constraint_history v
    JOIN first_content f ON f.dataset = v.dataset AND f.delivery_day = v.delivery_day
   WHERE v.valid_from > f.at
     AND NOT EXISTS (SELECT 1 FROM jao.constraint_history p
                      WHERE p.constraint_id = v.constraint_id AND p.mtu = v.mtu AND p.valid_to = v.valid_from);

-- A day's presolved domain joined to the net positions (coreNetPos) and MaxBEX (maxExchanges) of its hour: per
-- constraint, hour and net-position MTU in that hour (four quarter-hours from 2025-10-01, one hour before), the flow
-- the net positions induce on the constraint (the sum over its hubs of PTDF times net position; a hub without a
-- PTDF, or without a stored net position, adds nothing and the latter is named), its RAM, the margin left, and the
-- MaxBEX of the constraint's own border where it is a Core border. The check a fundamental analyst makes first: the
-- market's net positions lie inside the domain, margin_mw >= 0 within rounding.
CREATE OR REPLACE VIEW jao.constraint_flows AS
  SELECT c.dataset, c.delivery_day, c.mtu, f.net_position_mtu, c.constraint_id, c.tso, c.cne_name, c.direction,
         c.contingency_eics, c.hub_from, c.hub_to, c.ram, f.flow_mw, c.ram - f.flow_mw AS margin_mw,
         f.hubs_without_net_position,
         (SELECT m.value_mw FROM jao.dataset_values m
           WHERE m.dataset = 'maxExchanges' AND m.mtu = c.mtu AND m.border = c.hub_from || '_' || c.hub_to)
           AS max_exchange_mw
    FROM jao.constraints c
    CROSS JOIN LATERAL (
      -- the hour's net positions, one object per MTU (hub → MW), read once per constraint and hour
      SELECT n.mtu, jsonb_object_agg(substr(n.border, 5), n.value_mw) AS positions
        FROM jao.dataset_values n
       WHERE n.dataset = 'coreNetPos' AND n.mtu >= c.mtu AND n.mtu < c.mtu + interval '1 hour'
       GROUP BY n.mtu
    ) AS q
    CROSS JOIN LATERAL (
      SELECT q.mtu AS net_position_mtu,
             COALESCE(sum(p.ptdf * (q.positions ->> p.hub)::double precision), 0) AS flow_mw,
             COALESCE(array_agg(p.hub ORDER BY p.hub) FILTER (WHERE NOT q.positions ? p.hub AND p.ptdf <> 0), '{}')
               AS hubs_without_net_position
        FROM unnest(c.ptdf_hubs, c.ptdf_values) AS p(hub, ptdf)
       WHERE p.ptdf IS NOT NULL
    ) AS f;

GRANT SELECT ON jao.flow_constraint, jao.constraints, jao.constraint_history, jao.constraint_ptdfs, jao.constraint_flows,
  jao.constraint_changes TO jao_reader;
GRANT EXECUTE ON FUNCTION jao.constraints_as_of(timestamptz) TO jao_reader;
GRANT SELECT ON jao.constraints, jao.constraint_history, jao.constraint_ptdfs, jao.constraint_flows,
  jao.constraint_changes TO jao_writer;

COMMENT ON TABLE jao.flow_constraint IS 'one row per constraint of the flow-based domain (CNEC) across its versions: TSO, element EIC and name, direction and contingency branch EICs (docs/flow-based.md, "Identity"); JAO''s row id is not part of it';
COMMENT ON TABLE jao.constraint_value IS 'the current version of each (constraint, MTU) of the flow-based domain, every field as published; PTDFs as parallel lists of hubs and values';
COMMENT ON TABLE jao.constraint_value_history IS 'every superseded or vanished version of a (constraint, MTU), current during [valid_from, valid_to) in transaction time';
COMMENT ON TABLE jao.raw_page IS 'pages of a paged JAO answer fetched one request each, until the day''s answer assembled from one consistent set (in jao.raw_response) is written';
COMMENT ON VIEW jao.constraints IS 'the current presolved flow-based domain: one row per constraint and MTU, every published field, revision and times';
COMMENT ON VIEW jao.constraint_history IS 'every version of every (constraint, MTU): current ones with valid_to NULL';
COMMENT ON VIEW jao.constraint_changes IS 'the revisions of a day''s domain constraint by constraint: per (constraint, MTU) and write after the day''s first, appeared, changed (RAM before and after) or vanished';
COMMENT ON VIEW jao.constraint_flows IS 'the presolved domain joined to the net positions (coreNetPos) and MaxBEX (maxExchanges) of its hour: per constraint and net-position MTU, the flow the net positions induce (sum of PTDF times net position), RAM and the margin left';
COMMENT ON VIEW jao.constraint_ptdfs IS 'the current domain''s PTDFs in long form: one row per (constraint, MTU, hub)';
COMMENT ON FUNCTION jao.constraints_as_of(timestamptz) IS 'the flow-based domain as known at an instant: the columns of jao.constraints';
COMMENT ON COLUMN jao.constraint_value.ptdf_hubs IS 'the hubs whose PTDFs the version carries, in JAO''s order (ptdf_<hub> fields); the set grows with Advanced Hybrid Coupling (2026-06-11)';
COMMENT ON COLUMN jao.constraint_value.ptdf_values IS 'the PTDF of each hub of ptdf_hubs, same position; NULL where JAO published null';
COMMENT ON COLUMN jao.constraint_value.contingencies IS 'the contingency''s outaged branches as published (number 1..k and their fields); the N state is one entry';
COMMENT ON COLUMN jao.constraint_value.jao_id IS 'JAO''s row id in the answer that carried the version: lineage only, not stable across republication';
COMMENT ON COLUMN jao.constraint_value.content_sha256 IS 'sha256 of the version''s content (every field but jao_id)';

-- Each column of the domain's tables and views described once, for the data dictionary (`jao catalogue`); the
-- meanings follow JAO's fields (docs/flow-based.md, "The answer").
DO $$
DECLARE
  described record;
  relation text;
BEGIN
  FOR described IN
    SELECT * FROM (VALUES
      ('dataset', 'the dataset (coreFinalComputation, corePreFinalComputation, coreInitialComputation)'),
      ('delivery_day', 'the Europe/Amsterdam delivery day of the MTU'),
      ('mtu', 'the MTU''s start (UTC); the domain is hourly'),
      ('constraint_id', 'the constraint across its versions (jao.flow_constraint)'),
      ('constraint_key', 'the constraint''s identity as one text: a JSON array of tso, cne_eic, cne_name, direction and contingency_eics'),
      ('tso', 'the TSO publishing the constraint, as published ("NA" for equality and other constraints)'),
      ('cne_eic', 'the critical network element''s EIC, as published ("NA" for external constraints)'),
      ('cne_name', 'the critical network element''s name, as published (often with a trailing space)'),
      ('direction', 'the direction monitored: DIRECT, OPPOSITE or "NA", as published'),
      ('contingency_eics', 'the EICs of the contingency''s outaged branches by number; one null in the N state'),
      ('presolved', 'JAO''s presolved flag: the constraint survived presolve (is non-redundant)'),
      ('ram', 'remaining available margin, MW'),
      ('min_ram_target', 'the minimum RAM target, a fraction: max(0.2, min_ram_factor/100 - fuaf/fmax)'),
      ('min_ram_factor', 'the minimum RAM factor, percent (70, or a derogated value)'),
      ('imax', 'the element''s current limit, A'),
      ('u', 'the element''s nominal voltage, kV'),
      ('fmax', 'maximum admissible flow, MW'),
      ('frm', 'flow reliability margin, MW'),
      ('fref_init', 'D-2 reference flow, MW'),
      ('fnrao', 'flow change from non-costly remedial actions, MW'),
      ('fref', 'reference flow, MW (fref_init - fnrao)'),
      ('fcore', 'flow with Core exchanges at zero, MW (fall + fuaf)'),
      ('fall', 'flow with all exchanges at zero, MW'),
      ('fuaf', 'flow from exchanges outside Core, MW'),
      ('amr', 'adjustment to reach the minimum RAM, MW'),
      ('lta_margin', 'long-term allocation margin, MW'),
      ('cva', 'coordinated validation reduction, MW'),
      ('iva', 'individual validation reduction, MW'),
      ('ftotal_ltn', 'flow with long-term nominations, MW (fcore + fltn)'),
      ('fltn', 'flow from long-term nominations, MW'),
      ('cne_status', 'the row''s CRA state, as published (no CRA, …)'),
      ('hub_from', 'the bidding zone at the element''s first end, as published'),
      ('hub_to', 'the bidding zone at the element''s other end, as published'),
      ('substation_from', 'the substation at the element''s first end, as published'),
      ('substation_to', 'the substation at the element''s other end, as published'),
      ('element_type', 'the element''s type: Line, TieLine, PST, Transformer, …, as published'),
      ('fmax_type', 'how Fmax is set: FIXED, SEASONAL or DYNAMIC, as published'),
      ('cont_tso', 'the TSO of the contingency, as published'),
      ('cont_name', 'the contingency as free text, as published; null in the N state'),
      ('justification', 'the TSO''s text for its minimum RAM target, as published'),
      ('contingencies', 'the contingency''s outaged branches as published (number 1..k and their fields); the N state is one entry'),
      ('ptdf_hubs', 'the hubs whose PTDFs the version carries, in JAO''s order; the set grows with Advanced Hybrid Coupling (2026-06-11)'),
      ('ptdf_values', 'the zone-to-slack PTDF of each hub of ptdf_hubs, same position, MW per MW of net position; NULL where JAO published null'),
      ('extra', 'row fields JAO sent that this build does not know, as sent; NULL when none'),
      ('identity_breaks', 'the identities between the published fields the version breaks beyond their tolerance (identity, published minus computed): stored as published, flagged; NULL when none'),
      ('jao_id', 'JAO''s row id in the answer that carried the version: lineage only, not stable across republication'),
      ('content_sha256', 'sha256 of the version''s content (every field but jao_id)'),
      ('revision', 'the version of this (constraint, MTU): 1 first seen, +1 at each change'),
      ('first_seen_at', 'when this (constraint, MTU) was first stored (transaction time)'),
      ('last_seen_at', 'when the constraint was last stored, within the hour (transaction time)'),
      ('updated_at', 'when the current version was stored (transaction time)'),
      ('valid_from', 'when the version became current (transaction time)'),
      ('valid_to', 'when the version stopped being current (transaction time); NULL while it is'),
      ('derivation_id', 'the write that stored the version (jao.derivation: raw answer, build, workflow)'),
      ('hub', 'the hub of the PTDF (ptdf_<hub> in JAO''s answer)'),
      ('ptdf', 'the zone-to-slack PTDF of the hub, MW per MW of its net position; NULL where JAO published null'),
      ('hub_order', 'the hub''s position in JAO''s order of PTDF columns, from 1'),
      ('changed_at', 'the transaction time of the write that made the change'),
      ('change', 'appeared (no version just before: new, or back after it vanished), changed or vanished'),
      ('ram_before', 'RAM of the version the change ended, MW; NULL when the constraint appeared'),
      ('ram_after', 'RAM of the version the change began, MW; NULL when the constraint vanished'),
      ('revision_before', 'the revision the change ended; NULL when the constraint appeared'),
      ('revision_after', 'the revision the change began; NULL when the constraint vanished'),
      ('net_position_mtu', 'the MTU of the net positions (coreNetPos) within the constraint''s hour: four quarter-hours from 2025-10-01, the hour before'),
      ('flow_mw', 'the flow the net positions induce on the constraint: the sum over its hubs of PTDF times net position, MW'),
      ('margin_mw', 'ram minus flow_mw: what the net positions leave of the margin, MW (negative: outside the domain)'),
      ('hubs_without_net_position', 'hubs with a non-zero PTDF and no stored net position at that MTU: they add nothing to flow_mw'),
      ('max_exchange_mw', 'MaxBEX (maxExchanges) of the constraint''s own border hub_from to hub_to at the hour, where it is a Core border')
    ) AS d(column_name, description)
  LOOP
    FOREACH relation IN ARRAY ARRAY['flow_constraint', 'constraint_value', 'constraint_value_history', 'constraints',
                                    'constraint_history', 'constraint_ptdfs', 'constraint_flows',
                                    'constraint_changes'] LOOP
      IF EXISTS (SELECT 1 FROM information_schema.columns
                  WHERE table_schema = 'jao' AND table_name = relation AND column_name = described.column_name) THEN
        EXECUTE format('COMMENT ON COLUMN jao.%I.%I IS %L', relation, described.column_name, described.description);
      END IF;
    END LOOP;
  END LOOP;
END
$$;

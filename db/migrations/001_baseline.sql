-- The 1.0.0 baseline: the whole schema of jao-scraper as the 0.x migrations (001 to 021) left it, in one migration.
-- Every schema change after 1.0.0 is a new migration on top of this one; this file is never edited
-- (docs/development.md, "Migrations"). A database migrated by every 0.x migration records this baseline as applied
-- without running it (db/migrate.ts); scripts/compare-baseline.ts checks that both build the same catalog.
--
-- One transaction. TimescaleDB parts run only where the extension is installed, and the extension is created only
-- where the server preloads its library: creating it elsewhere ends the connection with FATAL, which no handler
-- catches. Plain PostgreSQL gets the same tables, views and functions (docs/timescaledb.md).

-- TimescaleDB when the server offers it and preloads it (the setting below exists only when the loader is
-- preloaded, the probe of db/engine.ts). When CREATE EXTENSION fails for lack of privilege, the schema falls back
-- to plain PostgreSQL and says why in a warning instead of failing the migration.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('timescaledb.bgw_launcher_poll_time', true) IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'jao: timescaledb is available but could not be created (%); using plain PostgreSQL', SQLERRM;
    END;
  END IF;
END
$$;

-- Cluster-wide roles, created idempotently and race-safely: several databases of one cluster (parallel test
-- runs, several workers) may run this at the same moment, and the per-database migration lock does not
-- cover them. An existing role is left exactly as it is (no ALTER ROLE: concurrent ALTERs of one role fail
-- with "tuple concurrently updated"). LOGIN without a password: passwords come from the environment
-- (JAO_WRITER_PASSWORD / JAO_READER_PASSWORD, applied by db/migrate.ts) in deployment.
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['jao_writer', 'jao_reader'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- created concurrently by another migrator
      END;
    END IF;
  END LOOP;
END
$$;

-- The pipeline's tables (DESIGN.md §6). Plain PostgreSQL DDL; the block after them turns the two time-series tables
-- into hypertables when TimescaleDB is installed. Every unique index of observation and observation_history
-- includes `mtu`, their partitioning column, as TimescaleDB requires. They have no foreign key to
-- jao.series on purpose: on a hypertable every new chunk copies the constraint, which takes a
-- SHARE ROW EXCLUSIVE lock on jao.series and deadlocks with a concurrent write registering a series; the
-- write path takes every series_id from jao.series in the same transaction, and series are never deleted.

-- Series catalog: one row per (dataset, published key).
CREATE TABLE jao.series (
  series_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset       text NOT NULL,
  key           text NOT NULL,                       -- as published: border_AT_BE
  border        text NOT NULL GENERATED ALWAYS AS (regexp_replace(key, '^border_', '')) STORED,
  from_zone     text NOT NULL,
  to_zone       text NOT NULL,
  unit          text NOT NULL DEFAULT 'MW',
  first_seen_at timestamptz NOT NULL,                -- transaction time of the first write that stored it
  last_seen_at  timestamptz NOT NULL,                -- last write that stored a change of it (1 h granularity)
  CONSTRAINT series_dataset_key_key UNIQUE (dataset, key)
);

-- Current value per (series, MTU). revision: 1 for the first version seen, +1 at each change (continuing
-- after a value vanished and came back). updated_at: transaction time at which this value became current.
CREATE TABLE jao.observation (
  series_id     integer NOT NULL,
  mtu           timestamptz NOT NULL,
  value         double precision NOT NULL,
  revision      integer NOT NULL CHECK (revision >= 1),
  first_seen_at timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  derivation_id bigint,                              -- the write that produced this revision (jao.derivation)
  CONSTRAINT observation_pkey PRIMARY KEY (mtu, series_id)
);

-- Every superseded or vanished value, with the transaction-time interval [valid_from, valid_to) during
-- which it was the current one.
CREATE TABLE jao.observation_history (
  series_id     integer NOT NULL,
  mtu           timestamptz NOT NULL,
  value         double precision NOT NULL,
  revision      integer NOT NULL CHECK (revision >= 1),
  first_seen_at timestamptz NOT NULL,
  valid_from    timestamptz NOT NULL,
  valid_to      timestamptz NOT NULL,
  derivation_id bigint,
  CONSTRAINT observation_history_pkey PRIMARY KEY (mtu, series_id, revision),
  CONSTRAINT observation_history_interval_check CHECK (valid_from <= valid_to)
);

-- One row per (dataset, delivery day): the outcome of the last run and the day's lifetime counters.
CREATE TABLE jao.delivery_day (
  dataset              text NOT NULL,
  day                  date NOT NULL,
  status               text NOT NULL
    CONSTRAINT delivery_day_status_check
    CHECK (status IN ('not_published', 'complete', 'partial', 'invalid', 'failed')),
  expected_mtus        integer NOT NULL,
  received_mtus        integer NOT NULL DEFAULT 0,   -- distinct MTUs of the stored content
  points               integer NOT NULL DEFAULT 0,   -- values of the stored content
  content_hash         text,                         -- sha256 of the normalized points last stored
  revision_count       integer NOT NULL DEFAULT 0,   -- 0 before content, 1 at first content, +1 per change
  first_complete_at    timestamptz,
  last_changed_at      timestamptz,
  last_checked_at      timestamptz,
  attempts             integer NOT NULL DEFAULT 0,
  last_error           text,
  last_workflow_id     text,
  last_raw_response_id bigint,
  -- the day's UTC window: the consumer views join values to their day by it
  window_from          timestamptz GENERATED ALWAYS AS ((day::timestamp) AT TIME ZONE 'Europe/Amsterdam') STORED,
  window_to            timestamptz GENERATED ALWAYS AS (((day + 1)::timestamp) AT TIME ZONE 'Europe/Amsterdam') STORED,
  last_build_id        text,                         -- the worker build of the day's last run
  content_build_id     text,                         -- the build that wrote its stored content
  resolution_minutes   integer,
  -- UTC starts of the expected MTUs without any accepted value in the answer
  missing_mtus         timestamptz[] NOT NULL DEFAULT '{}',
  key_set_id           integer,
  null_values          integer NOT NULL DEFAULT 0,
  duplicate_rows       integer NOT NULL DEFAULT 0,
  conflicting_rows     integer NOT NULL DEFAULT 0,
  -- every refusal of the answer (values, keys, rows; nulls included); jao.rejection keeps the first 1,000
  rejected_values      integer NOT NULL DEFAULT 0,
  unknown_fields       text[] NOT NULL DEFAULT '{}',
  -- one sentence saying why the day is not complete; null when it is
  reason               text,
  CONSTRAINT delivery_day_pkey PRIMARY KEY (dataset, day)
);
CREATE INDEX delivery_day_status_idx ON jao.delivery_day (dataset, status, day);

-- Raw payloads as fetched, before validation. A new row only when the body's sha256 differs from the
-- day's previous row; an identical re-fetch bumps last_fetched_at and fetch_count of that row.
CREATE TABLE jao.raw_response (
  raw_response_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset         text NOT NULL,
  day             date NOT NULL,
  request_from    timestamptz NOT NULL,
  request_to      timestamptz NOT NULL,
  http_status     integer NOT NULL,
  body            bytea NOT NULL,                    -- UTF-8 bytes exactly as received (may be malformed)
  sha256          text NOT NULL,
  bytes           integer NOT NULL,
  fetched_at      timestamptz NOT NULL,
  last_fetched_at timestamptz NOT NULL,
  fetch_count     integer NOT NULL DEFAULT 1,
  -- an answer larger than JAO_MAX_BODY_BYTES: `body` holds only its first 64 KiB, `bytes` and `sha256` describe
  -- what was read before reading stopped, and this column says why. Null: `body` is the whole answer.
  truncated_reason text,
  -- what the answer was, so the publication of a day can be dated (between the last empty answer and the first
  -- answer with data)
  answer          text CONSTRAINT raw_response_answer_check
    CHECK (answer IN ('data', 'not_published', 'malformed', 'oversized', 'rejected'))
);
CREATE INDEX raw_response_day_idx ON jao.raw_response (dataset, day, raw_response_id);

-- Every value or row refused by validation, with the rule and the raw text.
CREATE TABLE jao.rejection (
  rejection_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset         text NOT NULL,
  day             date NOT NULL,
  raw_response_id bigint REFERENCES jao.raw_response (raw_response_id),
  workflow_id     text,
  row_index       integer,
  key             text,
  mtu             timestamptz,
  rule            text NOT NULL,
  raw             text NOT NULL,
  rejected_at     timestamptz NOT NULL
);
CREATE INDEX rejection_day_idx ON jao.rejection (dataset, day);
CREATE INDEX rejection_raw_idx ON jao.rejection (raw_response_id);

-- Key sets, one row per distinct sorted set of a dataset's keys (a handful over the years): a day points to
-- its set, so comparing two days is comparing two ids, and the view diffs the arrays only when they differ.
CREATE TABLE jao.key_set (
  key_set_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset       text NOT NULL,
  keys          text[] NOT NULL,                     -- sorted, as published (border_AT_BE)
  keys_sha256   text NOT NULL,                       -- of the keys joined by newlines
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT key_set_dataset_sha256_key UNIQUE (dataset, keys_sha256)
);

-- Two writes of one day (and two raw stores of one day) serialize on a row lock of this table. An advisory lock
-- can be taken by any role, jao_reader included, and would stall ingestion; a row lock here needs UPDATE on
-- the table, which only jao_writer has. One row per (dataset, day, purpose), created by the first lock.
CREATE TABLE jao.day_lock (
  dataset   text NOT NULL,
  day       date NOT NULL,
  purpose   text NOT NULL CONSTRAINT day_lock_purpose_check CHECK (purpose IN ('write', 'raw')),
  locked_at timestamptz NOT NULL DEFAULT now(),   -- when the lock was last taken
  CONSTRAINT day_lock_pkey PRIMARY KEY (dataset, day, purpose)
);

-- API keys of `jao api` (docs/design.md §13): only the sha256 of each key is stored; the key itself is printed
-- once by `jao api-key create`. Each key reads the datasets it names; a revoked key is kept for the record.
CREATE TABLE jao.api_key (
  key_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  key_sha256  text NOT NULL,                         -- hex sha256 of the whole key as sent by the client
  datasets    text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  CONSTRAINT api_key_sha256_key UNIQUE (key_sha256)
);

-- The live feed of `jao api` (/v1/events): one row per stored, revised or failed day, inserted by the write
-- path in the day's transaction together with a NOTIFY on channel jao_day_event, so a listener hears only
-- committed days and a client resumes from any event_id (Last-Event-ID) after a reconnect or an API restart.
CREATE TABLE jao.day_event (
  event_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       text NOT NULL CONSTRAINT day_event_type_check
    CHECK (type IN ('day.stored', 'day.revised', 'day.failed')),
  dataset    text NOT NULL,
  day        date NOT NULL,
  status     text NOT NULL,                          -- the day's status after the write
  revision   integer NOT NULL,                       -- the day's revision_count after the write
  build_id   text,                                   -- the worker build that wrote it
  raised_at  timestamptz NOT NULL
);

-- Lineage of every stored value (docs/desk.md, "Where a value comes from"): each write that changes a day's values
-- records one derivation (the raw answer, the worker build, the workflow run, why and when), and every value
-- revision, current or superseded, points to the one that produced it (observation.derivation_id).
CREATE SEQUENCE jao.derivation_id_seq AS bigint;

CREATE TABLE jao.derivation (
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
CREATE INDEX derivation_day_idx ON jao.derivation (dataset, day, derived_at);

-- Where each dataset comes from and when it is published: written by the worker at start-up from its
-- configuration (JAO_BASE_URL and the dataset's path; PUBLICATION_WINDOW, PUBLICATION_POLL_INTERVAL,
-- FRESHNESS_DEADLINE, POLL_INTERVAL, POLL_LOOKBACK_DAYS). The row below holds the defaults until a worker starts.
CREATE TABLE jao.dataset_source (
  dataset              text PRIMARY KEY,
  title                text NOT NULL,
  endpoint             text NOT NULL,
  publication_window   text NOT NULL,
  freshness_deadline   text NOT NULL,
  publication_schedule text NOT NULL,
  recorded_at          timestamptz NOT NULL,
  recorded_by          text
);
INSERT INTO jao.dataset_source (dataset, title, endpoint, publication_window, freshness_deadline,
                                publication_schedule, recorded_at, recorded_by)
VALUES ('maxExchanges',
        'JAO Core maximum bilateral exchanges (MaxBEX), MW per border and MTU',
        'https://publicationtool.jao.eu/core/api/data/maxExchanges',
        '08:00-11:00',
        '12:00',
        'day D is published on D-1 (JAO: typically 07:30-08:30 UTC); checked every 30 s within 08:00-11:00 Europe/Amsterdam on D-1 until complete, expected by 12:00; tomorrow and the last 3 days re-checked every 10 min',
        now(),
        NULL)
ON CONFLICT (dataset) DO NOTHING;

-- TimescaleDB only (a no-op on plain PostgreSQL): hypertables on `mtu`, compression segmented by series.
--
-- Chunks of 365 days for both: a filter on delivery_day fixes the day's window only at run time, so the planner
-- plans every chunk of the hypertable, and many small chunks cost more than reading the day (docs/timescaledb.md).
-- Compressed batches hold up to 1,000 rows of one series, with their first and last mtu as an index of the
-- compressed chunk. The hypertables are created with the intervals of 0.x (30 and 180 days) and then set to 365
-- days, as 0.x did, so that whatever TimescaleDB derives from the interval at creation is what 0.x databases have.
--
-- Compression starts 60 days after the MTU: revisions and re-runs of recent days hit uncompressed chunks;
-- later ones still work (TimescaleDB >= 2.11 supports INSERT ... ON CONFLICT, UPDATE and DELETE on
-- compressed chunks, decompressing only the affected series' batches).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;

  PERFORM create_hypertable('jao.observation', 'mtu',
    chunk_time_interval => INTERVAL '30 days', create_default_indexes => false,
    if_not_exists => true, migrate_data => true);
  PERFORM create_hypertable('jao.observation_history', 'mtu',
    chunk_time_interval => INTERVAL '180 days', create_default_indexes => false,
    if_not_exists => true, migrate_data => true);

  ALTER TABLE jao.observation SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'series_id',
    timescaledb.compress_orderby = 'mtu DESC');
  ALTER TABLE jao.observation_history SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'series_id',
    timescaledb.compress_orderby = 'mtu DESC, revision DESC');

  PERFORM add_compression_policy('jao.observation', compress_after => INTERVAL '60 days',
    if_not_exists => true);
  PERFORM add_compression_policy('jao.observation_history', compress_after => INTERVAL '180 days',
    if_not_exists => true);

  PERFORM set_chunk_time_interval('jao.observation', INTERVAL '365 days');
  PERFORM set_chunk_time_interval('jao.observation_history', INTERVAL '365 days');
END
$$;

-- Consumer interface (DESIGN.md §6). delivery_day is the Europe/Amsterdam date of the MTU; border is the published
-- key without its `border_` prefix (AT_BE). Each selected delivery day's values are one LATERAL subquery bounded by
-- that day's window: on TimescaleDB every chunk outside it is excluded at run time, on plain PostgreSQL the day is a
-- primary-key range. The subquery's ORDER BY keeps the planner from flattening it into a join over every value.
CREATE VIEW jao.max_exchanges AS
SELECT v.mtu,
       d.day AS delivery_day,
       v.border,
       v.from_zone,
       v.to_zone,
       v.value_mw,
       v.revision,
       v.first_seen_at,
       v.updated_at
  FROM jao.delivery_day d
 CROSS JOIN LATERAL (
   SELECT o.mtu, s.border, s.from_zone, s.to_zone, o.value AS value_mw, o.revision, o.first_seen_at,
          o.updated_at
     FROM jao.observation o
     JOIN jao.series s ON s.series_id = o.series_id
    WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
    ORDER BY o.mtu
 ) AS v
 WHERE d.dataset = 'maxExchanges';

-- Every version of every value, current ones included (valid_to NULL): the full revision history, and
-- the base of max_exchanges_as_of. [valid_from, valid_to) is the transaction-time interval during which
-- the version was the current value.
CREATE VIEW jao.max_exchanges_history AS
SELECT c.mtu, c.delivery_day, c.border, c.from_zone, c.to_zone, c.value_mw, c.revision, c.first_seen_at,
       c.updated_at AS valid_from,
       NULL::timestamptz AS valid_to
  FROM jao.max_exchanges c
UNION ALL
SELECT h.mtu,
       d.day,
       h.border,
       h.from_zone,
       h.to_zone,
       h.value,
       h.revision,
       h.first_seen_at,
       h.valid_from,
       h.valid_to
  FROM jao.delivery_day d
 CROSS JOIN LATERAL (
   SELECT o.mtu, s.border, s.from_zone, s.to_zone, o.value, o.revision, o.first_seen_at, o.valid_from,
          o.valid_to
     FROM jao.observation_history o
     JOIN jao.series s ON s.series_id = o.series_id
    WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
    ORDER BY o.mtu
 ) AS h
 WHERE d.dataset = 'maxExchanges';

-- What was known at `at`: for each border and MTU the version current at that instant; nothing for
-- values first seen after it, nor for values that had vanished at it. updated_at is when that version
-- became current. A plain SQL function (STABLE, not STRICT, not SECURITY DEFINER) so the planner inlines
-- it: filters on mtu / border / delivery_day reach the indexes, and callers need only SELECT on
-- jao.max_exchanges_history (whose view owner reads the tables).
CREATE FUNCTION jao.max_exchanges_as_of(at timestamptz)
RETURNS TABLE (
  mtu           timestamptz,
  delivery_day  date,
  border        text,
  from_zone     text,
  to_zone       text,
  value_mw      double precision,
  revision      integer,
  first_seen_at timestamptz,
  updated_at    timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision,
         v.first_seen_at, v.valid_from
    FROM jao.max_exchanges_history v
   WHERE v.valid_from <= $1
     AND (v.valid_to IS NULL OR v.valid_to > $1)
$$;

-- The quality record of each delivery day (DESIGN.md §6 jao.day_quality), stored per day by the write path in the
-- same transaction as its values. Derived here: the key set's differences to the latest earlier day with stored
-- values (found by a backward primary-key scan of jao.delivery_day; the key arrays are compared only when the two
-- days' key sets differ), and the missing MTUs of a day without values.
CREATE VIEW jao.day_quality AS
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

-- The series catalogue as consumers see it (`GET /v1/datasets/maxExchanges/series` and its border checks): the
-- published borders of maxExchanges, with the series id the range functions use.
CREATE VIEW jao.max_exchanges_borders AS
SELECT s.border, s.key, s.from_zone, s.to_zone, s.unit, s.first_seen_at, s.series_id
  FROM jao.series s
 WHERE s.dataset = 'maxExchanges';

-- Every revision of every maxExchanges value, current and superseded, with where it came from. A filter on
-- border and mtu reads each table by its primary key (mtu, series_id); name the delivery day too on TimescaleDB
-- for a range of MTUs.
CREATE VIEW jao.max_exchanges_lineage AS
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

-- One row per series (dataset and published key). Computed from the days' records, not from the values: each
-- stored day points to the key set of the answer that decided it, so a series' first and last
-- day and its complete days are a few aggregates over jao.delivery_day, however many values are stored. Days
-- stored before key sets were recorded and never re-written since are not counted (`npx jao reprocess`
-- re-judges them and records their key set).
CREATE VIEW jao.catalog AS
WITH stored_days AS (
  SELECT d.dataset, d.key_set_id, min(d.day) AS first_day, max(d.day) AS last_day,
         count(*) FILTER (WHERE d.status = 'complete') AS complete_days,
         max(d.last_changed_at) AS last_changed_at
    FROM jao.delivery_day d
   WHERE d.revision_count > 0 AND d.key_set_id IS NOT NULL
   GROUP BY d.dataset, d.key_set_id
),
by_key AS (
  SELECT sd.dataset, k.key, min(sd.first_day) AS first_day, max(sd.last_day) AS last_day,
         sum(sd.complete_days)::int AS complete_days, max(sd.last_changed_at) AS last_changed_at
    FROM stored_days sd
    JOIN jao.key_set ks ON ks.key_set_id = sd.key_set_id
   CROSS JOIN LATERAL unnest(ks.keys) AS k(key)
   GROUP BY sd.dataset, k.key
),
latest AS (
  SELECT DISTINCT ON (d.dataset) d.dataset, d.resolution_minutes
    FROM jao.delivery_day d
   WHERE d.revision_count > 0 AND d.resolution_minutes IS NOT NULL
   ORDER BY d.dataset, d.day DESC
)
SELECT s.dataset,
       s.key,
       s.border,
       s.from_zone,
       s.to_zone,
       s.unit,
       l.resolution_minutes,
       k.first_day,
       k.last_day,
       (k.last_day - k.first_day + 1) AS days_in_span,
       COALESCE(k.complete_days, 0) AS complete_days,
       round(k.complete_days::numeric / (k.last_day - k.first_day + 1), 4) AS complete_share,
       k.last_changed_at,
       src.endpoint AS source_endpoint,
       src.publication_schedule,
       s.first_seen_at
  FROM jao.series s
  LEFT JOIN by_key k ON k.dataset = s.dataset AND k.key = s.key
  LEFT JOIN latest l ON l.dataset = s.dataset
  LEFT JOIN jao.dataset_source src ON src.dataset = s.dataset;

-- The stored rows behind the range functions: current values, and the values they superseded.
CREATE VIEW jao.max_exchanges_values AS
SELECT o.series_id, o.mtu, o.value AS value_mw, o.revision, o.first_seen_at, o.updated_at
  FROM jao.observation o;

CREATE VIEW jao.max_exchanges_superseded AS
SELECT h.series_id, h.mtu, h.value AS value_mw, h.revision, h.first_seen_at, h.valid_from, h.valid_to
  FROM jao.observation_history h;

-- Current values of `borders` (NULL: every border) for the delivery days from_day..to_day (NULL: open end).
CREATE FUNCTION jao.max_exchanges_range(borders text[], from_day date, to_day date)
RETURNS TABLE (
  mtu           timestamptz,
  delivery_day  date,
  border        text,
  from_zone     text,
  to_zone       text,
  value_mw      double precision,
  revision      integer,
  first_seen_at timestamptz,
  updated_at    timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.mtu, (v.mtu AT TIME ZONE 'Europe/Amsterdam')::date, b.border, b.from_zone, b.to_zone, v.value_mw,
         v.revision, v.first_seen_at, v.updated_at
    FROM jao.max_exchanges_values v
    LEFT JOIN jao.max_exchanges_borders b ON b.series_id = v.series_id
   WHERE ($1 IS NOT NULL OR b.series_id IS NOT NULL)
     AND CASE WHEN $1 IS NULL THEN true
              WHEN cardinality($1) = 1
                THEN v.series_id = (SELECT x.series_id FROM jao.max_exchanges_borders x WHERE x.border = $1[1])
              ELSE v.series_id = ANY (ARRAY(SELECT x.series_id FROM jao.max_exchanges_borders x
                                              WHERE x.border = ANY ($1)))
         END
     AND ($2 IS NULL OR v.mtu >= $2::timestamp AT TIME ZONE 'Europe/Amsterdam')
     AND ($3 IS NULL OR v.mtu < ($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
$$;

-- Every version of the values of `borders` for from_day..to_day: current ones (valid_to NULL) and superseded ones,
-- each with the transaction-time interval [valid_from, valid_to) during which it was the current value. The two
-- tables' rows meet before their one join with the catalogue (one join to plan, not two).
CREATE FUNCTION jao.max_exchanges_history_range(borders text[], from_day date, to_day date)
RETURNS TABLE (
  mtu           timestamptz,
  delivery_day  date,
  border        text,
  from_zone     text,
  to_zone       text,
  value_mw      double precision,
  revision      integer,
  first_seen_at timestamptz,
  valid_from    timestamptz,
  valid_to      timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.mtu, (v.mtu AT TIME ZONE 'Europe/Amsterdam')::date, b.border, b.from_zone, b.to_zone, v.value_mw,
         v.revision, v.first_seen_at, v.valid_from, v.valid_to
    FROM (
      SELECT c.series_id, c.mtu, c.value_mw, c.revision, c.first_seen_at, c.updated_at AS valid_from,
             NULL::timestamptz AS valid_to
        FROM jao.max_exchanges_values c
       WHERE CASE WHEN $1 IS NULL THEN true
                  WHEN cardinality($1) = 1
                    THEN c.series_id = (SELECT x.series_id FROM jao.max_exchanges_borders x WHERE x.border = $1[1])
                  ELSE c.series_id = ANY (ARRAY(SELECT x.series_id FROM jao.max_exchanges_borders x
                                                  WHERE x.border = ANY ($1)))
             END
         AND ($2 IS NULL OR c.mtu >= $2::timestamp AT TIME ZONE 'Europe/Amsterdam')
         AND ($3 IS NULL OR c.mtu < ($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
      UNION ALL
      SELECT h.series_id, h.mtu, h.value_mw, h.revision, h.first_seen_at, h.valid_from, h.valid_to
        FROM jao.max_exchanges_superseded h
       WHERE CASE WHEN $1 IS NULL THEN true
                  WHEN cardinality($1) = 1
                    THEN h.series_id = (SELECT x.series_id FROM jao.max_exchanges_borders x WHERE x.border = $1[1])
                  ELSE h.series_id = ANY (ARRAY(SELECT x.series_id FROM jao.max_exchanges_borders x
                                                  WHERE x.border = ANY ($1)))
             END
         AND ($2 IS NULL OR h.mtu >= $2::timestamp AT TIME ZONE 'Europe/Amsterdam')
         AND ($3 IS NULL OR h.mtu < ($3 + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
    ) AS v
    LEFT JOIN jao.max_exchanges_borders b ON b.series_id = v.series_id
   WHERE $1 IS NOT NULL OR b.series_id IS NOT NULL
$$;

-- The values of `borders` for from_day..to_day as known at `at` (jao.max_exchanges_as_of for a range).
CREATE FUNCTION jao.max_exchanges_range_as_of(borders text[], from_day date, to_day date,
                                                         at timestamptz)
RETURNS TABLE (
  mtu           timestamptz,
  delivery_day  date,
  border        text,
  from_zone     text,
  to_zone       text,
  value_mw      double precision,
  revision      integer,
  first_seen_at timestamptz,
  updated_at    timestamptz
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at,
         v.valid_from
    FROM jao.max_exchanges_history_range($1, $2, $3) v
   WHERE v.valid_from <= $4
     AND (v.valid_to IS NULL OR v.valid_to > $4)
$$;

-- Daily min / avg / max per border and delivery day, right after every committed write, without a refresh in the
-- write path (docs/timescaledb.md "The daily aggregate"). Buckets are Europe/Amsterdam days (23, 24 or 25 hours).
--
-- Plain PostgreSQL: a view that aggregates each selected day in a LATERAL subquery bounded by its window.
--
-- TimescaleDB: the continuous aggregate jao.max_exchanges_daily_materialized (materialized rows only, owned by the
-- migrations' role, read by nobody else), and jao.max_exchanges_daily a view that takes each day from it unless the
-- day changed after it was materialized: such a day (jao.delivery_day.last_changed_at, written in the same
-- transaction as the values, later than the change recorded for the day in jao.max_exchanges_daily_refreshed) is
-- aggregated from its values at query time. The job jao.refresh_max_exchanges_daily (every minute) materializes the
-- changed days, consecutive days together, and records the change it included for each; it re-materializes with
-- force => true, then refreshes what TimescaleDB's own invalidation log still holds (values changed outside the write
-- path). WITH NO DATA: a continuous aggregate created with data cannot be created inside a transaction.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $view$
      CREATE VIEW jao.max_exchanges_daily AS
      SELECT d.day AS delivery_day, v.border, v.from_zone, v.to_zone, v.min_mw, v.avg_mw, v.max_mw, v.mtus
        FROM jao.delivery_day d
       CROSS JOIN LATERAL (
         SELECT s.border, s.from_zone, s.to_zone, min(o.value) AS min_mw, avg(o.value) AS avg_mw,
                max(o.value) AS max_mw, count(*) AS mtus
           FROM jao.observation o
           JOIN jao.series s ON s.series_id = o.series_id
          WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
          GROUP BY s.series_id, s.border, s.from_zone, s.to_zone
       ) AS v
       WHERE d.dataset = 'maxExchanges'
    $view$;
    RETURN;
  END IF;

  EXECUTE $aggregate$
    CREATE MATERIALIZED VIEW jao.max_exchanges_daily_materialized
    WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
    SELECT (time_bucket(INTERVAL '1 day', o.mtu, 'Europe/Amsterdam') AT TIME ZONE 'Europe/Amsterdam')::date
             AS delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           min(o.value) AS min_mw,
           avg(o.value) AS avg_mw,
           max(o.value) AS max_mw,
           count(*) AS mtus
      FROM jao.observation o
      JOIN jao.series s ON s.series_id = o.series_id
     WHERE s.dataset = 'maxExchanges'
     GROUP BY time_bucket(INTERVAL '1 day', o.mtu, 'Europe/Amsterdam'), s.border, s.from_zone, s.to_zone
    WITH NO DATA
  $aggregate$;
  -- 0.x created the aggregate while the observations' chunks spanned 30 days: its own chunks span ten times that.
  PERFORM set_chunk_time_interval('jao.max_exchanges_daily_materialized', INTERVAL '300 days');
  REVOKE ALL ON jao.max_exchanges_daily_materialized FROM jao_reader, jao_writer;

  -- Reads filter on delivery_day (and border), which the materialization's own indexes (on its bucket) cannot serve.
  EXECUTE 'CREATE INDEX max_exchanges_daily_materialized_day_idx
             ON jao.max_exchanges_daily_materialized (delivery_day, border)';
  EXECUTE 'CREATE INDEX max_exchanges_daily_materialized_border_idx
             ON jao.max_exchanges_daily_materialized (border, delivery_day)';

  -- Per day, the last change (jao.delivery_day.last_changed_at) the materialized rows include.
  CREATE TABLE jao.max_exchanges_daily_refreshed (
    dataset         text NOT NULL,
    day             date NOT NULL,
    changed_at      timestamptz NOT NULL,
    materialized_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT max_exchanges_daily_refreshed_pkey PRIMARY KEY (dataset, day)
  );
  REVOKE ALL ON jao.max_exchanges_daily_refreshed FROM PUBLIC;

  EXECUTE $view$
    CREATE VIEW jao.max_exchanges_daily AS
    SELECT m.delivery_day, m.border, m.from_zone, m.to_zone, m.min_mw, m.avg_mw, m.max_mw, m.mtus
      FROM jao.max_exchanges_daily_materialized m
     WHERE NOT EXISTS (
       SELECT 1
         FROM jao.delivery_day d
         LEFT JOIN jao.max_exchanges_daily_refreshed r ON r.dataset = d.dataset AND r.day = d.day
        WHERE d.dataset = 'maxExchanges' AND d.day = m.delivery_day
          AND d.last_changed_at > COALESCE(r.changed_at, '-infinity'))
    UNION ALL
    SELECT d.day, v.border, v.from_zone, v.to_zone, v.min_mw, v.avg_mw, v.max_mw, v.mtus
      FROM jao.delivery_day d
      LEFT JOIN jao.max_exchanges_daily_refreshed r ON r.dataset = d.dataset AND r.day = d.day
     CROSS JOIN LATERAL (
       SELECT s.border, s.from_zone, s.to_zone, min(o.value) AS min_mw, avg(o.value) AS avg_mw,
              max(o.value) AS max_mw, count(*) AS mtus
         FROM jao.observation o
         JOIN jao.series s ON s.series_id = o.series_id
        WHERE s.dataset = d.dataset AND o.mtu >= d.window_from AND o.mtu < d.window_to
        GROUP BY s.series_id, s.border, s.from_zone, s.to_zone
     ) AS v
     WHERE d.dataset = 'maxExchanges' AND d.last_changed_at > COALESCE(r.changed_at, '-infinity')
  $view$;

  -- Materializes the days changed since their last materialization, at most 31 consecutive days per refresh, each
  -- run of days committed with the changes it included. Called by its job, or by hand: CALL jao.refresh_max_exchanges_daily().
  EXECUTE $procedure$
    CREATE PROCEDURE jao.refresh_max_exchanges_daily(job_id integer DEFAULT NULL, config jsonb DEFAULT NULL)
    LANGUAGE plpgsql
    AS $body$
    DECLARE
      runs jsonb;
      run jsonb;
    BEGIN
      SELECT jsonb_agg(jsonb_build_object('from', f, 'to', t, 'days', days) ORDER BY f) INTO runs
        FROM (
          SELECT min(window_from) AS f, max(window_to) AS t,
                 jsonb_agg(jsonb_build_object('day', day, 'changed_at', last_changed_at)) AS days
            FROM (
              SELECT d.day, d.window_from, d.window_to, d.last_changed_at,
                     (d.day - (row_number() OVER (ORDER BY d.day))::integer) AS island,
                     ((row_number() OVER (ORDER BY d.day) - 1) / 31) AS part
                FROM jao.delivery_day d
                LEFT JOIN jao.max_exchanges_daily_refreshed r ON r.dataset = d.dataset AND r.day = d.day
               WHERE d.dataset = 'maxExchanges' AND d.last_changed_at > COALESCE(r.changed_at, '-infinity')
            ) AS pending
           GROUP BY island, part
        ) AS grouped;
      FOR i IN 0 .. COALESCE(jsonb_array_length(runs), 0) - 1 LOOP
        run := runs -> i;
        CALL refresh_continuous_aggregate('jao.max_exchanges_daily_materialized',
                                          (run ->> 'from')::timestamptz, (run ->> 'to')::timestamptz,
                                          force => true);
        INSERT INTO jao.max_exchanges_daily_refreshed AS r (dataset, day, changed_at, materialized_at)
        SELECT 'maxExchanges', x.day, x.changed_at, now()
          FROM jsonb_to_recordset(run -> 'days') AS x(day date, changed_at timestamptz)
        ON CONFLICT (dataset, day) DO UPDATE
          SET changed_at = GREATEST(r.changed_at, EXCLUDED.changed_at), materialized_at = EXCLUDED.materialized_at;
        COMMIT;
      END LOOP;
      -- Whatever TimescaleDB itself found invalidated and no day's change accounts for (values changed outside
      -- the write path): materialized as the refresh policy would have.
      CALL refresh_continuous_aggregate('jao.max_exchanges_daily_materialized', NULL, NULL);
    END
    $body$
  $procedure$;
  REVOKE ALL ON PROCEDURE jao.refresh_max_exchanges_daily(integer, jsonb) FROM PUBLIC;

  PERFORM add_job('jao.refresh_max_exchanges_daily', INTERVAL '1 minute');
END
$migration$;

-- Privileges. jao_reader: the consumer interface, the day status and quality, the catalogue, the live feed and the
-- API's keys, read-only. jao_writer: the pipeline; it owns nothing, so it cannot DROP or ALTER anything, and it
-- appends history, raw answers, rejections, derivations and events but cannot rewrite or delete them (it updates
-- only raw_response.last_fetched_at / fetch_count, series.last_seen_at and day_lock.locked_at). Current values
-- (jao.observation) and the day status stay writable: they are state. Neither gets CREATE on schema jao. The day
-- locks: a row lock needs UPDATE on jao.day_lock, which only jao_writer has (an advisory lock could be taken by any
-- role, jao_reader included, and stall ingestion).
REVOKE ALL ON SCHEMA jao FROM PUBLIC;
GRANT USAGE ON SCHEMA jao TO jao_reader, jao_writer;
REVOKE ALL ON jao.day_lock FROM PUBLIC;

GRANT SELECT ON jao.max_exchanges, jao.max_exchanges_history, jao.max_exchanges_daily, jao.delivery_day
  TO jao_reader;
GRANT SELECT ON jao.max_exchanges, jao.max_exchanges_history, jao.max_exchanges_daily, jao.schema_migrations
  TO jao_writer;
GRANT SELECT, INSERT ON jao.series, jao.observation_history, jao.raw_response, jao.rejection TO jao_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON jao.observation TO jao_writer;
GRANT SELECT, INSERT, UPDATE ON jao.delivery_day TO jao_writer;
GRANT UPDATE (last_fetched_at, fetch_count) ON jao.raw_response TO jao_writer;
GRANT UPDATE (last_seen_at) ON jao.series TO jao_writer;
GRANT SELECT, INSERT ON jao.key_set, jao.day_lock, jao.day_event, jao.derivation TO jao_writer;
GRANT UPDATE (locked_at) ON jao.day_lock TO jao_writer;
GRANT SELECT ON jao.day_quality, jao.max_exchanges_lineage, jao.max_exchanges_borders, jao.catalog,
                jao.dataset_source, jao.max_exchanges_values, jao.max_exchanges_superseded
  TO jao_reader, jao_writer;
GRANT INSERT, UPDATE ON jao.dataset_source TO jao_writer;
-- The API connects as jao_reader: it looks keys up and checks it is migrated (/readyz). It never writes.
GRANT SELECT ON jao.api_key, jao.schema_migrations, jao.day_event TO jao_reader;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA jao TO jao_writer;

REVOKE ALL ON FUNCTION jao.max_exchanges_as_of(timestamptz),
                       jao.value_lineage(text, timestamptz),
                       jao.max_exchanges_range(text[], date, date),
                       jao.max_exchanges_history_range(text[], date, date),
                       jao.max_exchanges_range_as_of(text[], date, date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.max_exchanges_as_of(timestamptz),
                          jao.value_lineage(text, timestamptz),
                          jao.max_exchanges_range(text[], date, date),
                          jao.max_exchanges_history_range(text[], date, date),
                          jao.max_exchanges_range_as_of(text[], date, date, timestamptz) TO jao_reader, jao_writer;

-- The data dictionary (`npx jao catalogue --markdown`): what each object jao_reader may read, and each of its
-- columns, holds. A column name means the same wherever it appears.
COMMENT ON TABLE jao.api_key IS 'Keys of the API (sha256 only); read by the API to check a key, not data.';
COMMENT ON COLUMN jao.api_key.key_id IS 'the id `jao api-key revoke` takes';
COMMENT ON COLUMN jao.api_key.name IS 'who the key was created for';
COMMENT ON COLUMN jao.api_key.key_sha256 IS 'sha256 of the key (the key itself is never stored)';
COMMENT ON COLUMN jao.api_key.datasets IS 'the datasets the key may read';
COMMENT ON COLUMN jao.api_key.created_at IS 'when it was created';
COMMENT ON COLUMN jao.api_key.revoked_at IS 'when it was revoked; NULL while it is valid';
COMMENT ON VIEW jao.catalog IS 'The catalogue: one row per series (dataset and published key) with its unit, resolution, first and last day, share of complete days, source and publication schedule.';
COMMENT ON COLUMN jao.catalog.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.catalog.key IS 'the key as JAO publishes it (border_AT_BE)';
COMMENT ON COLUMN jao.catalog.border IS 'the key without its prefix (AT_BE): the border column of the consumer views';
COMMENT ON COLUMN jao.catalog.from_zone IS 'bidding zone the exchange leaves (DE stands for DE-LU)';
COMMENT ON COLUMN jao.catalog.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.catalog.unit IS 'unit of the values (MW)';
COMMENT ON COLUMN jao.catalog.resolution_minutes IS 'length of one MTU in the latest stored day, in minutes';
COMMENT ON COLUMN jao.catalog.first_day IS 'first stored delivery day whose answer carried this key';
COMMENT ON COLUMN jao.catalog.last_day IS 'last stored delivery day whose answer carried this key';
COMMENT ON COLUMN jao.catalog.days_in_span IS 'delivery days from first_day to last_day, both included';
COMMENT ON COLUMN jao.catalog.complete_days IS 'days of the span that are complete and carry this key';
COMMENT ON COLUMN jao.catalog.complete_share IS 'complete_days / days_in_span (a day missing from the store counts as not complete)';
COMMENT ON COLUMN jao.catalog.last_changed_at IS 'latest change of a stored day carrying this key (the day''s last_changed_at)';
COMMENT ON COLUMN jao.catalog.source_endpoint IS 'the URL the pipeline fetches the dataset from';
COMMENT ON COLUMN jao.catalog.publication_schedule IS 'when JAO publishes a day and when the pipeline looks for it';
COMMENT ON COLUMN jao.catalog.first_seen_at IS 'when the pipeline first stored a value of this series';
COMMENT ON TABLE jao.dataset_source IS 'Where each dataset comes from and when it is published, as the worker was configured at its last start.';
COMMENT ON COLUMN jao.dataset_source.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.dataset_source.title IS 'what the dataset is';
COMMENT ON COLUMN jao.dataset_source.endpoint IS 'JAO_BASE_URL and the dataset''s path';
COMMENT ON COLUMN jao.dataset_source.publication_window IS 'PUBLICATION_WINDOW: local hours (Europe/Amsterdam) on D-1 in which day D is looked for';
COMMENT ON COLUMN jao.dataset_source.freshness_deadline IS 'FRESHNESS_DEADLINE: day D is late when not complete by this local time on D-1';
COMMENT ON COLUMN jao.dataset_source.publication_schedule IS 'the schedule in one sentence';
COMMENT ON COLUMN jao.dataset_source.recorded_at IS 'when a worker last recorded this row';
COMMENT ON COLUMN jao.dataset_source.recorded_by IS 'the build of that worker (NULL: the defaults of migration 017)';
COMMENT ON TABLE jao.day_event IS 'The live feed: one row per stored, revised or failed day, raised in the write''s transaction (GET /v1/events).';
COMMENT ON COLUMN jao.day_event.event_id IS 'increasing id: the Last-Event-ID a client of the live feed resumes from';
COMMENT ON COLUMN jao.day_event.type IS 'day.stored (a day''s first values), day.revised (changed values) or day.failed';
COMMENT ON COLUMN jao.day_event.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.day_event.day IS 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.day_event.status IS 'the day''s status: complete, partial, not_published, invalid or failed (docs/design.md §5)';
COMMENT ON COLUMN jao.day_event.revision IS 'the day''s revision_count after the write';
COMMENT ON COLUMN jao.day_event.build_id IS 'the worker build that wrote it';
COMMENT ON COLUMN jao.day_event.raised_at IS 'the write''s transaction time';
COMMENT ON VIEW jao.day_quality IS 'One row per dataset and delivery day: status, missing MTUs, resolution, key-set drift, refused values and why.';
COMMENT ON COLUMN jao.day_quality.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.day_quality.day IS 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.day_quality.status IS 'the day''s status: complete, partial, not_published, invalid or failed (docs/design.md §5)';
COMMENT ON COLUMN jao.day_quality.expected_mtus IS 'MTUs of the day: its length divided by the resolution';
COMMENT ON COLUMN jao.day_quality.received_mtus IS 'MTUs with at least one stored value';
COMMENT ON COLUMN jao.day_quality.missing_mtus IS 'starts of the expected MTUs without any stored value';
COMMENT ON COLUMN jao.day_quality.resolution_minutes IS 'length of one MTU, in minutes';
COMMENT ON COLUMN jao.day_quality.keys IS 'keys of the answer that decided the day';
COMMENT ON COLUMN jao.day_quality.keys_added IS 'keys not in previous_day';
COMMENT ON COLUMN jao.day_quality.keys_vanished IS 'keys of previous_day missing here';
COMMENT ON COLUMN jao.day_quality.null_values IS 'values published as null';
COMMENT ON COLUMN jao.day_quality.duplicate_rows IS 'rows that repeated another row of their MTU exactly (collapsed into it)';
COMMENT ON COLUMN jao.day_quality.conflicting_rows IS 'rows of MTUs published twice with different values (all refused)';
COMMENT ON COLUMN jao.day_quality.rejected_values IS 'every value, key or row refused by validation';
COMMENT ON COLUMN jao.day_quality.unknown_fields IS 'row fields other than id, dateTimeUtc and border_* (sorted)';
COMMENT ON COLUMN jao.day_quality.reason IS 'why the day is not complete (NULL when it is)';
COMMENT ON COLUMN jao.day_quality.drift IS 'resolution, keys_added, keys_vanished: changes against previous_day';
COMMENT ON COLUMN jao.day_quality.previous_day IS 'the latest earlier day with stored values';
COMMENT ON COLUMN jao.day_quality.previous_resolution_minutes IS 'resolution of previous_day, in minutes';
COMMENT ON COLUMN jao.day_quality.revision_count IS '0 before content, 1 at the first content, +1 at each revision';
COMMENT ON COLUMN jao.day_quality.last_checked_at IS 'when JAO was last asked for the day';
COMMENT ON COLUMN jao.day_quality.last_error IS 'what the last check met, when it went wrong';
COMMENT ON COLUMN jao.day_quality.last_build_id IS 'the worker build of the day''s last run';
COMMENT ON COLUMN jao.day_quality.content_build_id IS 'the worker build that last changed the day''s values';
COMMENT ON COLUMN jao.day_quality.last_changed_at IS 'when a write last changed the day''s stored values (NULL before any)';
COMMENT ON TABLE jao.delivery_day IS 'One row per dataset and delivery day: its status, counts, revision count and the outcome of its last check.';
COMMENT ON COLUMN jao.delivery_day.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.delivery_day.day IS 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.delivery_day.status IS 'complete, partial, not_published, invalid or failed (docs/design.md §5)';
COMMENT ON COLUMN jao.delivery_day.expected_mtus IS 'MTUs of the day: its length divided by the resolution';
COMMENT ON COLUMN jao.delivery_day.received_mtus IS 'MTUs with at least one stored value';
COMMENT ON COLUMN jao.delivery_day.points IS 'values stored for the day';
COMMENT ON COLUMN jao.delivery_day.content_hash IS 'sha256 of the stored values, normalized';
COMMENT ON COLUMN jao.delivery_day.revision_count IS '0 before content, 1 at the first content, +1 at each revision';
COMMENT ON COLUMN jao.delivery_day.first_complete_at IS 'when the day was first stored complete';
COMMENT ON COLUMN jao.delivery_day.last_changed_at IS 'when the day''s values last changed';
COMMENT ON COLUMN jao.delivery_day.last_checked_at IS 'when JAO was last asked for the day';
COMMENT ON COLUMN jao.delivery_day.attempts IS 'writes of the day''s record: checks of JAO and reprocessings that changed it';
COMMENT ON COLUMN jao.delivery_day.last_error IS 'what the last check met, when it went wrong';
COMMENT ON COLUMN jao.delivery_day.last_workflow_id IS 'the workflow run that last wrote the day''s record';
COMMENT ON COLUMN jao.delivery_day.last_raw_response_id IS 'the raw answer the day''s last check stored or found';
COMMENT ON COLUMN jao.delivery_day.window_from IS 'start of the day''s UTC window';
COMMENT ON COLUMN jao.delivery_day.window_to IS 'end of the day''s UTC window (excluded)';
COMMENT ON COLUMN jao.delivery_day.last_build_id IS 'the worker build of the day''s last run';
COMMENT ON COLUMN jao.delivery_day.content_build_id IS 'the worker build that last changed its values';
COMMENT ON COLUMN jao.delivery_day.resolution_minutes IS 'length of one MTU, in minutes';
COMMENT ON COLUMN jao.delivery_day.missing_mtus IS 'starts of the expected MTUs without any accepted value';
COMMENT ON COLUMN jao.delivery_day.key_set_id IS 'the key set of the answer that decided the day (internal id)';
COMMENT ON COLUMN jao.delivery_day.null_values IS 'values published as null';
COMMENT ON COLUMN jao.delivery_day.duplicate_rows IS 'rows that repeated another row of their MTU exactly (collapsed into it)';
COMMENT ON COLUMN jao.delivery_day.conflicting_rows IS 'rows of MTUs published twice with different values (all refused)';
COMMENT ON COLUMN jao.delivery_day.rejected_values IS 'every value, key or row refused by validation';
COMMENT ON COLUMN jao.delivery_day.unknown_fields IS 'row fields other than id, dateTimeUtc and border_* (sorted)';
COMMENT ON COLUMN jao.delivery_day.reason IS 'why the day is not complete, in one sentence';
COMMENT ON TABLE jao.derivation IS 'One row per write that changed a day''s values: the raw answer they were derived from, the build, the run and why.';
COMMENT ON VIEW jao.max_exchanges IS 'Current value of every border at every MTU (MaxBEX, MW).';
COMMENT ON COLUMN jao.max_exchanges.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges.delivery_day IS 'the Europe/Amsterdam date of the MTU (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.max_exchanges.border IS 'FROM_TO zones (AT_BE)';
COMMENT ON COLUMN jao.max_exchanges.from_zone IS 'bidding zone the exchange leaves';
COMMENT ON COLUMN jao.max_exchanges.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.max_exchanges.value_mw IS 'maximum bilateral exchange, MW';
COMMENT ON COLUMN jao.max_exchanges.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges.first_seen_at IS 'when the first version of this value was stored';
COMMENT ON COLUMN jao.max_exchanges.updated_at IS 'when this version became current';
COMMENT ON VIEW jao.max_exchanges_borders IS 'The published borders of maxExchanges (the API''s border list).';
COMMENT ON COLUMN jao.max_exchanges_borders.border IS 'FROM_TO zones of the published key (AT_BE)';
COMMENT ON COLUMN jao.max_exchanges_borders.key IS 'the key as JAO publishes it (border_AT_BE)';
COMMENT ON COLUMN jao.max_exchanges_borders.from_zone IS 'bidding zone the exchange leaves (DE stands for DE-LU)';
COMMENT ON COLUMN jao.max_exchanges_borders.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.max_exchanges_borders.unit IS 'unit of the values (MW)';
COMMENT ON COLUMN jao.max_exchanges_borders.first_seen_at IS 'when the pipeline first stored it';
COMMENT ON COLUMN jao.max_exchanges_borders.series_id IS 'the series id the range functions and the stored rows use';
COMMENT ON VIEW jao.max_exchanges_daily IS 'Minimum, mean and maximum per border and delivery day (a continuous aggregate on TimescaleDB).';
COMMENT ON COLUMN jao.max_exchanges_daily.delivery_day IS 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.max_exchanges_daily.border IS 'FROM_TO zones of the published key (AT_BE)';
COMMENT ON COLUMN jao.max_exchanges_daily.from_zone IS 'bidding zone the exchange leaves (DE stands for DE-LU)';
COMMENT ON COLUMN jao.max_exchanges_daily.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.max_exchanges_daily.min_mw IS 'smallest value of the day, MW';
COMMENT ON COLUMN jao.max_exchanges_daily.avg_mw IS 'mean of the day''s values, MW';
COMMENT ON COLUMN jao.max_exchanges_daily.max_mw IS 'largest value of the day, MW';
COMMENT ON COLUMN jao.max_exchanges_daily.mtus IS 'MTUs with a current value';
COMMENT ON VIEW jao.max_exchanges_history IS 'Every version of every value, the current ones included (valid_to NULL): the full revision history.';
COMMENT ON COLUMN jao.max_exchanges_history.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges_history.delivery_day IS 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.max_exchanges_history.border IS 'FROM_TO zones of the published key (AT_BE)';
COMMENT ON COLUMN jao.max_exchanges_history.from_zone IS 'bidding zone the exchange leaves (DE stands for DE-LU)';
COMMENT ON COLUMN jao.max_exchanges_history.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.max_exchanges_history.value_mw IS 'maximum bilateral exchange, MW';
COMMENT ON COLUMN jao.max_exchanges_history.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges_history.first_seen_at IS 'when the pipeline first stored it';
COMMENT ON COLUMN jao.max_exchanges_history.valid_from IS 'when this version became current (transaction time)';
COMMENT ON COLUMN jao.max_exchanges_history.valid_to IS 'when it stopped being current; NULL for the current version';
COMMENT ON VIEW jao.max_exchanges_lineage IS 'Every revision of every value (current and superseded) with the raw answer and the build that produced it.';
COMMENT ON COLUMN jao.max_exchanges_lineage.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges_lineage.delivery_day IS 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.max_exchanges_lineage.border IS 'FROM_TO zones of the published key (AT_BE)';
COMMENT ON COLUMN jao.max_exchanges_lineage.from_zone IS 'bidding zone the exchange leaves (DE stands for DE-LU)';
COMMENT ON COLUMN jao.max_exchanges_lineage.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.max_exchanges_lineage.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges_lineage.value_mw IS 'maximum bilateral exchange, MW';
COMMENT ON COLUMN jao.max_exchanges_lineage.valid_from IS 'when this version became current (transaction time)';
COMMENT ON COLUMN jao.max_exchanges_lineage.valid_to IS 'when it stopped being current; NULL for the current version';
COMMENT ON COLUMN jao.max_exchanges_lineage.is_current IS 'true for the current value (valid_to is NULL)';
COMMENT ON COLUMN jao.max_exchanges_lineage.lineage_known IS 'false for revisions stored before lineage was recorded (migration 016): their origin is unknown, not guessed';
COMMENT ON COLUMN jao.max_exchanges_lineage.derivation_id IS 'the write that produced this revision (jao.derivation); NULL: stored before lineage';
COMMENT ON COLUMN jao.max_exchanges_lineage.kind IS '''fetch'' (derived from a new answer of JAO) or ''reprocess'' (re-derived from a stored answer by a later build)';
COMMENT ON COLUMN jao.max_exchanges_lineage.reason IS 'why this revision was written, in one sentence (a reprocessing names its build)';
COMMENT ON COLUMN jao.max_exchanges_lineage.build_id IS 'the worker build that derived the value';
COMMENT ON COLUMN jao.max_exchanges_lineage.workflow_id IS 'the workflow run that wrote it';
COMMENT ON COLUMN jao.max_exchanges_lineage.raw_response_id IS 'the stored raw answer it was derived from (NULL: written without one)';
COMMENT ON COLUMN jao.max_exchanges_lineage.fetched_at IS 'when that raw answer was first received from JAO';
COMMENT ON COLUMN jao.max_exchanges_lineage.sha256 IS 'sha256 of that raw answer, byte for byte as received';
COMMENT ON VIEW jao.max_exchanges_superseded IS 'Superseded values by series id (behind jao.max_exchanges_history_range and the as-of reads).';
COMMENT ON COLUMN jao.max_exchanges_superseded.series_id IS 'the series (jao.max_exchanges_borders.series_id)';
COMMENT ON COLUMN jao.max_exchanges_superseded.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges_superseded.value_mw IS 'the value of this version, MW';
COMMENT ON COLUMN jao.max_exchanges_superseded.revision IS 'the revision number of this version';
COMMENT ON COLUMN jao.max_exchanges_superseded.first_seen_at IS 'when the first version of this value was stored';
COMMENT ON COLUMN jao.max_exchanges_superseded.valid_from IS 'when this version became current';
COMMENT ON COLUMN jao.max_exchanges_superseded.valid_to IS 'when the next version replaced it';
COMMENT ON VIEW jao.max_exchanges_values IS 'Current values by series id (the stored rows behind jao.max_exchanges_range); join jao.max_exchanges_borders for the border.';
COMMENT ON COLUMN jao.max_exchanges_values.series_id IS 'the series (jao.max_exchanges_borders.series_id)';
COMMENT ON COLUMN jao.max_exchanges_values.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges_values.value_mw IS 'maximum bilateral exchange, MW';
COMMENT ON COLUMN jao.max_exchanges_values.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges_values.first_seen_at IS 'when the first version of this value was stored';
COMMENT ON COLUMN jao.max_exchanges_values.updated_at IS 'when this version became current';
COMMENT ON COLUMN jao.observation.derivation_id IS 'The write that produced this revision (jao.derivation); NULL: stored before lineage was recorded (migration 016).';
COMMENT ON COLUMN jao.observation_history.derivation_id IS 'The write that produced this revision (jao.derivation); NULL: stored before lineage was recorded (migration 016).';
COMMENT ON TABLE jao.schema_migrations IS 'The migrations applied to this database, in order.';
COMMENT ON COLUMN jao.schema_migrations.name IS 'its name';
COMMENT ON COLUMN jao.schema_migrations.checksum IS 'sha256 of the file as applied (an applied migration is never edited)';
COMMENT ON COLUMN jao.schema_migrations.outcome IS 'applied, or not_applicable on this engine';
COMMENT ON COLUMN jao.schema_migrations.applied_at IS 'when it was applied';
COMMENT ON FUNCTION jao.max_exchanges_as_of(timestamp with time zone) IS 'The values as known at an instant (the columns of jao.max_exchanges): back-tests without look-ahead.';
COMMENT ON FUNCTION jao.max_exchanges_history_range(text[],date,date) IS 'Every version (current and superseded) of the given borders'' values over the delivery days from_day..to_day; the columns of jao.max_exchanges_history.';
COMMENT ON FUNCTION jao.max_exchanges_range(text[],date,date) IS 'Current values of the given borders (NULL: every border) for the delivery days from_day..to_day (NULL: open end), at primary-key speed; the columns of jao.max_exchanges.';
COMMENT ON FUNCTION jao.max_exchanges_range_as_of(text[],date,date,timestamp with time zone) IS 'The given borders'' values over the delivery days from_day..to_day as they were known at `at`; the columns of jao.max_exchanges.';
COMMENT ON FUNCTION jao.value_lineage(text,timestamp with time zone) IS 'Where a value comes from: one row per revision of border $1 at MTU $2 (current and superseded), oldest first.';

-- TimescaleDB: the continuous aggregate behind jao.max_exchanges_daily describes itself as the view does.
DO $comments$
DECLARE
  col record;
BEGIN
  IF to_regclass('jao.max_exchanges_daily_materialized') IS NULL THEN
    RETURN;
  END IF;
  EXECUTE format('COMMENT ON VIEW jao.max_exchanges_daily_materialized IS %L',
                 obj_description('jao.max_exchanges_daily'::regclass, 'pg_class'));
  FOR col IN
    SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
      FROM pg_attribute a
     WHERE a.attrelid = 'jao.max_exchanges_daily'::regclass AND a.attnum > 0 AND NOT a.attisdropped
  LOOP
    EXECUTE format('COMMENT ON COLUMN jao.max_exchanges_daily_materialized.%I IS %L', col.attname, col.description);
  END LOOP;
END
$comments$;

-- JIT compilation off for this database (when the migration's role may set it): the planner's estimate for a day's
-- window given at run time is 0.5 % of every value, so a month of days crosses jit_above_cost and JIT then compiles
-- for 0.1-1.5 s to answer in a few milliseconds.
DO $jit$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_database d JOIN pg_roles r ON r.rolname = current_user
              WHERE d.datname = current_database() AND (d.datdba = r.oid OR r.rolsuper)) THEN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
  ELSE
    RAISE NOTICE 'jit stays as configured: % may not alter database %', current_user, current_database();
  END IF;
END
$jit$;

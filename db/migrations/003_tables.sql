-- The pipeline's tables (DESIGN.md §6). Plain PostgreSQL DDL; 004 turns the two time-series tables into
-- hypertables when TimescaleDB is installed. Every unique index of observation and observation_history
-- includes `mtu`, their partitioning column, as TimescaleDB requires. They have no foreign key to
-- jao.series on purpose: on a hypertable every new chunk copies the constraint, which takes a
-- SHARE ROW EXCLUSIVE lock on jao.series and deadlocks with a concurrent write registering a series; the
-- write path takes every series_id from jao.series in the same transaction, and series are never deleted.

-- Series catalog: one row per (dataset, published key).
CREATE TABLE IF NOT EXISTS jao.series (
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
CREATE TABLE IF NOT EXISTS jao.observation (
  series_id     integer NOT NULL,
  mtu           timestamptz NOT NULL,
  value         double precision NOT NULL,
  revision      integer NOT NULL CHECK (revision >= 1),
  first_seen_at timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  CONSTRAINT observation_pkey PRIMARY KEY (mtu, series_id)
);

-- Every superseded or vanished value, with the transaction-time interval [valid_from, valid_to) during
-- which it was the current one.
CREATE TABLE IF NOT EXISTS jao.observation_history (
  series_id     integer NOT NULL,
  mtu           timestamptz NOT NULL,
  value         double precision NOT NULL,
  revision      integer NOT NULL CHECK (revision >= 1),
  first_seen_at timestamptz NOT NULL,
  valid_from    timestamptz NOT NULL,
  valid_to      timestamptz NOT NULL,
  CONSTRAINT observation_history_pkey PRIMARY KEY (mtu, series_id, revision),
  CONSTRAINT observation_history_interval_check CHECK (valid_from <= valid_to)
);

-- One row per (dataset, delivery day): the outcome of the last run and the day's lifetime counters.
CREATE TABLE IF NOT EXISTS jao.delivery_day (
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
  -- the day's UTC window: the consumer views join values to their day by it (see 005)
  window_from          timestamptz GENERATED ALWAYS AS ((day::timestamp) AT TIME ZONE 'Europe/Amsterdam') STORED,
  window_to            timestamptz GENERATED ALWAYS AS (((day + 1)::timestamp) AT TIME ZONE 'Europe/Amsterdam') STORED,
  CONSTRAINT delivery_day_pkey PRIMARY KEY (dataset, day)
);
CREATE INDEX IF NOT EXISTS delivery_day_status_idx ON jao.delivery_day (dataset, status, day);

-- Raw payloads as fetched, before validation. A new row only when the body's sha256 differs from the
-- day's previous row; an identical re-fetch bumps last_fetched_at and fetch_count of that row.
CREATE TABLE IF NOT EXISTS jao.raw_response (
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
  fetch_count     integer NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS raw_response_day_idx ON jao.raw_response (dataset, day, raw_response_id);

-- Every value or row refused by validation, with the rule and the raw text.
CREATE TABLE IF NOT EXISTS jao.rejection (
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
CREATE INDEX IF NOT EXISTS rejection_day_idx ON jao.rejection (dataset, day);
CREATE INDEX IF NOT EXISTS rejection_raw_idx ON jao.rejection (raw_response_id);

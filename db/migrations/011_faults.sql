-- Issue 13 (nothing lost under faults): day locks that only the pipeline can take, raw answers refused for
-- their size, and history that jao_writer can append to but not rewrite.

-- Two writes of one day (and two raw stores of one day) serialize on a row lock of this table. An advisory lock
-- can be taken by any role, jao_reader included, and would stall ingestion; a row lock here needs UPDATE on
-- the table, which only jao_writer has. One row per (dataset, day, purpose), created by the first lock.
CREATE TABLE IF NOT EXISTS jao.day_lock (
  dataset   text NOT NULL,
  day       date NOT NULL,
  purpose   text NOT NULL CONSTRAINT day_lock_purpose_check CHECK (purpose IN ('write', 'raw')),
  locked_at timestamptz NOT NULL DEFAULT now(),   -- when the lock was last taken
  CONSTRAINT day_lock_pkey PRIMARY KEY (dataset, day, purpose)
);
REVOKE ALL ON jao.day_lock FROM PUBLIC;

-- An answer larger than JAO_MAX_BODY_BYTES: `body` holds only its first 64 KiB, `bytes` and `sha256` describe
-- what was read before reading stopped, and this column says why. Null: `body` is the whole answer.
ALTER TABLE jao.raw_response ADD COLUMN IF NOT EXISTS truncated_reason text;

-- jao_writer appends history, raw answers and rejections but cannot rewrite or delete them. The write path
-- updates only these columns: raw_response.last_fetched_at / fetch_count (an identical re-fetch) and
-- series.last_seen_at. Current values (jao.observation) and the day status stay writable: they are state.
REVOKE UPDATE, DELETE ON jao.observation_history, jao.rejection, jao.raw_response, jao.series FROM jao_writer;
REVOKE DELETE ON jao.delivery_day FROM jao_writer;
GRANT UPDATE (last_fetched_at, fetch_count) ON jao.raw_response TO jao_writer;
GRANT UPDATE (last_seen_at) ON jao.series TO jao_writer;
GRANT SELECT, INSERT ON jao.day_lock TO jao_writer;
GRANT UPDATE (locked_at) ON jao.day_lock TO jao_writer;

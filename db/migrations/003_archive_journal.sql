-- The archive of raw answers (docs/archive.md): every committed write of a day is journaled in its own transaction,
-- so that the archive can carry, beside each raw answer, what a restore needs to repeat that write at its original
-- instant (its transaction time, its answer and that answer's fetch time, who wrote it and why).
-- Idempotent: running it twice changes nothing.

CREATE TABLE IF NOT EXISTS jao.day_write (
  write_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset          text NOT NULL,
  day              date NOT NULL,
  -- the write's transaction time (jao.derivation.derived_at, valid_from of the values it changed)
  written_at       timestamptz NOT NULL,
  kind             text NOT NULL CONSTRAINT day_write_kind_check CHECK (kind IN ('fetch', 'reprocess', 'failure')),
  -- the answer the write judged (NULL for a recorded failure), and when that answer was last fetched at the write
  raw_response_id  bigint REFERENCES jao.raw_response (raw_response_id),
  raw_fetched_at   timestamptz,
  status           text NOT NULL,
  expected_mtus    integer NOT NULL,
  workflow_id      text,
  build_id         text,
  error            text,
  reason           text,
  derivation_kind  text NOT NULL,
  derivation_reason text NOT NULL,
  -- the archive object that holds this write's journal entry, once shipped (or the one it was restored from)
  archive_key      text,
  archived_at      timestamptz
);
CREATE INDEX IF NOT EXISTS day_write_unarchived_idx ON jao.day_write (write_id) WHERE archived_at IS NULL;
CREATE INDEX IF NOT EXISTS day_write_archive_key_idx ON jao.day_write (archive_key);

COMMENT ON TABLE jao.day_write IS 'The journal of every committed write of a day: what the archive ships beside the raw answers, so that a restore repeats each write at its original instant (docs/archive.md).';
COMMENT ON COLUMN jao.day_write.archived_at IS 'when the write''s journal entry (and its raw answer) reached the archive; NULL: not yet (the archive''s lag)';

-- The pipeline journals its writes and marks what it shipped; consumers read none of it.
GRANT SELECT, INSERT ON jao.day_write TO jao_writer;
GRANT UPDATE (archive_key, archived_at) ON jao.day_write TO jao_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA jao TO jao_writer;

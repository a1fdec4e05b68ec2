-- Declared extra row fields per MTU (domain/datasets: extraRowFields, Nordic's lastModifiedOn) and re-publication
-- of a day (docs/datasets.md, "Re-published days"): an answer whose values are all unchanged but whose extra fields
-- moved is counted on the day, not as a revision. Idempotent: running it twice changes nothing.

-- Every version of each declared extra field of each MTU, append-only: a version is added only when the published
-- text differs from the field's latest one (first_seen_at: the write that saw it). A table of its own rather than a
-- column on jao.observation: the field belongs to the row of an MTU, not to each of its 62 values, and moving it
-- must not make a value revision.
CREATE TABLE IF NOT EXISTS jao.mtu_field (
  dataset         text NOT NULL,
  day             date NOT NULL,
  mtu             timestamptz NOT NULL,
  field           text NOT NULL,
  value           text,
  first_seen_at   timestamptz NOT NULL,
  raw_response_id bigint,
  CONSTRAINT mtu_field_pkey PRIMARY KEY (dataset, field, mtu, first_seen_at)
);
CREATE INDEX IF NOT EXISTS mtu_field_day_idx ON jao.mtu_field (dataset, day);

-- How often the day was published again with the same values, and when last.
ALTER TABLE jao.delivery_day ADD COLUMN IF NOT EXISTS republished_count integer NOT NULL DEFAULT 0;
ALTER TABLE jao.delivery_day ADD COLUMN IF NOT EXISTS last_republished_at timestamptz;

ALTER TABLE jao.day_event DROP CONSTRAINT IF EXISTS day_event_type_check;
ALTER TABLE jao.day_event ADD CONSTRAINT day_event_type_check
  CHECK (type IN ('day.stored', 'day.revised', 'day.republished', 'day.failed', 'day.recheck_failed'));

GRANT SELECT, INSERT ON jao.mtu_field TO jao_writer;
GRANT SELECT ON jao.mtu_field TO jao_reader;

COMMENT ON TABLE jao.mtu_field IS 'Every version of each declared extra row field per MTU (Nordic lastModifiedOn), append-only; the latest first_seen_at is current';
COMMENT ON COLUMN jao.mtu_field.dataset IS 'the dataset whose declaration names the field (domain/datasets)';
COMMENT ON COLUMN jao.mtu_field.day IS 'the delivery day of the MTU';
COMMENT ON COLUMN jao.mtu_field.mtu IS 'the MTU''s start (UTC)';
COMMENT ON COLUMN jao.mtu_field.field IS 'the row field as JAO names it (lastModifiedOn)';
COMMENT ON COLUMN jao.mtu_field.raw_response_id IS 'the raw answer that carried this version (jao.raw_response); NULL when written without one';
COMMENT ON COLUMN jao.mtu_field.value IS 'the field as published (lastModifiedOn: a UTC instant written without a zone); NULL when the row did not carry it as text';
COMMENT ON COLUMN jao.mtu_field.first_seen_at IS 'the transaction time of the write that first saw this version';
COMMENT ON COLUMN jao.delivery_day.republished_count IS 'answers that moved an extra row field (lastModifiedOn) of the day without changing a value: re-publications, not revisions';
COMMENT ON COLUMN jao.delivery_day.last_republished_at IS 'the transaction time of the day''s last re-publication';
COMMENT ON COLUMN jao.day_event.type IS 'day.stored (a day''s first values), day.revised (changed values), day.republished (same values, extra row fields moved), day.failed (a day without stored values failed) or day.recheck_failed (a re-check of a stored day failed; its values stay)';

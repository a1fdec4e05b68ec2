-- The live feed tells a failed re-check of a stored day (docs/desk.md, /v1/events): `day.recheck_failed`, carrying
-- what the re-check met (the day's last_error) in `error`. The day keeps its stored values and status.
-- Idempotent: a database whose 0.x migrations are adopted as the baseline runs it like a fresh one, and running it
-- twice changes nothing. jao_reader's table-wide SELECT on jao.day_event covers the new column.

ALTER TABLE jao.day_event ADD COLUMN IF NOT EXISTS error text;

ALTER TABLE jao.day_event DROP CONSTRAINT IF EXISTS day_event_type_check;
ALTER TABLE jao.day_event ADD CONSTRAINT day_event_type_check
  CHECK (type IN ('day.stored', 'day.revised', 'day.failed', 'day.recheck_failed'));

-- A failed re-check always says what it met; the other events carry no error.
ALTER TABLE jao.day_event DROP CONSTRAINT IF EXISTS day_event_error_check;
ALTER TABLE jao.day_event ADD CONSTRAINT day_event_error_check
  CHECK ((type = 'day.recheck_failed') = (error IS NOT NULL));

COMMENT ON TABLE jao.day_event IS 'The live feed: one row per stored, revised or failed day, and per failed re-check of a stored day, raised in the write''s transaction (GET /v1/events).';
COMMENT ON COLUMN jao.day_event.type IS 'day.stored (a day''s first values), day.revised (changed values), day.failed (a day without stored values failed) or day.recheck_failed (a re-check of a stored day failed; its values stay)';
COMMENT ON COLUMN jao.day_event.error IS 'what a failed re-check met (the day''s last_error); NULL for the other events';

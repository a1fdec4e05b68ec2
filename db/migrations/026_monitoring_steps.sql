-- JAO's monitoring answers (docs/monitoring.md), kept with their versions as the revision history keeps values: one
-- row per version of a (region, business day, step), valid from the reading that first saw it until the reading
-- that saw it change (valid_to NULL: current). So what JAO said about a step is answerable as of any instant, and
-- "when did JAO say it had it" is the valid_from of its first Received version. jao.monitoring_reading keeps each
-- reading's outcome (read, failed, unreadable): the mode a region is in comes from it.
-- Expand-only: new tables, a view and functions; nothing a previous release reads changes.
CREATE TABLE IF NOT EXISTS jao.monitoring_step (
  region text NOT NULL,
  business_day date NOT NULL,
  page text NOT NULL,
  version int NOT NULL CHECK (version >= 1),
  status text NOT NULL CHECK (status IN ('Received', 'Pending')),
  deadline timestamptz,
  last_modified_on timestamptz,
  follow_up_action_initiated boolean,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (region, business_day, page, version),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE UNIQUE INDEX IF NOT EXISTS monitoring_step_current
  ON jao.monitoring_step (region, business_day, page) WHERE valid_to IS NULL;

COMMENT ON TABLE jao.monitoring_step IS
  'versions of JAO''s monitoring rows: one per (region, business day, page) and change, valid [valid_from, valid_to)';

COMMENT ON COLUMN jao.monitoring_step.region IS 'the JAO region whose monitoring answer it is (core, nordic, coreID)';
COMMENT ON COLUMN jao.monitoring_step.business_day IS 'the business day the row names, read as the Europe/Amsterdam delivery day';
COMMENT ON COLUMN jao.monitoring_step.page IS 'the publication step as JAO names it (Final Computation, …)';
COMMENT ON COLUMN jao.monitoring_step.version IS '1 for the first version read, +1 at each change';
COMMENT ON COLUMN jao.monitoring_step.status IS 'Received (JAO has it) or Pending (not yet)';
COMMENT ON COLUMN jao.monitoring_step.deadline IS 'JAO''s deadline for the step';
COMMENT ON COLUMN jao.monitoring_step.last_modified_on IS 'when JAO last changed the step (its lastModifiedOn)';
COMMENT ON COLUMN jao.monitoring_step.follow_up_action_initiated IS 'JAO''s followUpActionInitiated';
COMMENT ON COLUMN jao.monitoring_step.valid_from IS 'when a reading first saw this version';
COMMENT ON COLUMN jao.monitoring_step.valid_to IS 'when a reading saw it change; NULL while it is current';
COMMENT ON COLUMN jao.monitoring_step.last_seen_at IS 'the latest reading that saw this version';

CREATE TABLE IF NOT EXISTS jao.monitoring_reading (
  region text NOT NULL,
  read_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('read', 'failed', 'unreadable')),
  detail text,
  steps int NOT NULL DEFAULT 0,
  changed int NOT NULL DEFAULT 0,
  PRIMARY KEY (region, read_at)
);

COMMENT ON TABLE jao.monitoring_reading IS
  'each reading of JAO''s monitoring answer per region: read, failed (transport) or unreadable (zod), and how many steps changed';

COMMENT ON COLUMN jao.monitoring_reading.region IS 'the JAO region read';
COMMENT ON COLUMN jao.monitoring_reading.read_at IS 'when the reading was made';
COMMENT ON COLUMN jao.monitoring_reading.outcome IS 'read, failed (no answer) or unreadable (an answer zod refused)';
COMMENT ON COLUMN jao.monitoring_reading.detail IS 'why a reading failed or was unreadable; NULL when read';
COMMENT ON COLUMN jao.monitoring_reading.steps IS 'steps the answer held';
COMMENT ON COLUMN jao.monitoring_reading.changed IS 'steps that turned Received or whose lastModifiedOn moved';

CREATE OR REPLACE VIEW jao.monitoring_steps AS
  SELECT region, business_day, page, version, status, deadline, last_modified_on, follow_up_action_initiated,
         valid_from, last_seen_at
    FROM jao.monitoring_step
   WHERE valid_to IS NULL;

COMMENT ON VIEW jao.monitoring_steps IS 'what JAO''s monitoring says of every step now: the current version of each';
COMMENT ON COLUMN jao.monitoring_steps.region IS 'the JAO region whose monitoring answer it is (core, nordic, coreID)';
COMMENT ON COLUMN jao.monitoring_steps.business_day IS 'the business day the row names, read as the Europe/Amsterdam delivery day';
COMMENT ON COLUMN jao.monitoring_steps.page IS 'the publication step as JAO names it (Final Computation, …)';
COMMENT ON COLUMN jao.monitoring_steps.version IS '1 for the first version read, +1 at each change';
COMMENT ON COLUMN jao.monitoring_steps.status IS 'Received (JAO has it) or Pending (not yet)';
COMMENT ON COLUMN jao.monitoring_steps.deadline IS 'JAO''s deadline for the step';
COMMENT ON COLUMN jao.monitoring_steps.last_modified_on IS 'when JAO last changed the step (its lastModifiedOn)';
COMMENT ON COLUMN jao.monitoring_steps.follow_up_action_initiated IS 'JAO''s followUpActionInitiated';
COMMENT ON COLUMN jao.monitoring_steps.valid_from IS 'when a reading first saw this version';
COMMENT ON COLUMN jao.monitoring_steps.last_seen_at IS 'the latest reading that saw this version';

CREATE OR REPLACE FUNCTION jao.monitoring_steps_as_of(at timestamptz)
RETURNS TABLE (region text, business_day date, page text, version int, status text, deadline timestamptz,
               last_modified_on timestamptz, follow_up_action_initiated boolean, valid_from timestamptz)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT s.region, s.business_day, s.page, s.version, s.status, s.deadline, s.last_modified_on,
         s.follow_up_action_initiated, s.valid_from
    FROM jao.monitoring_step s
   WHERE s.valid_from <= at AND (s.valid_to IS NULL OR s.valid_to > at)
$$;

COMMENT ON FUNCTION jao.monitoring_steps_as_of(timestamptz) IS
  'what JAO''s monitoring said of every step as last read at or before the instant';

CREATE OR REPLACE FUNCTION jao.monitoring_received_at(region text, business_day date, page text)
RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT min(s.valid_from) FROM jao.monitoring_step s
   WHERE s.region = $1 AND s.business_day = $2 AND s.page = $3 AND s.status = 'Received'
$$;

COMMENT ON FUNCTION jao.monitoring_received_at(text, date, text) IS
  'when the pipeline first read that JAO had received the step (NULL: never)';

GRANT SELECT, INSERT, UPDATE ON jao.monitoring_step, jao.monitoring_reading TO jao_writer;
GRANT SELECT ON jao.monitoring_step, jao.monitoring_reading, jao.monitoring_steps TO jao_reader;
GRANT SELECT ON jao.monitoring_steps TO jao_writer;
GRANT EXECUTE ON FUNCTION jao.monitoring_steps_as_of(timestamptz), jao.monitoring_received_at(text, date, text)
  TO jao_reader, jao_writer;

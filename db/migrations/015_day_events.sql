-- The live feed of `jao api` (/v1/events): one row per stored, revised or failed day, inserted by the write
-- path in the day's transaction together with a NOTIFY on channel jao_day_event, so a listener hears only
-- committed days and a client resumes from any event_id (Last-Event-ID) after a reconnect or an API restart.
CREATE TABLE IF NOT EXISTS jao.day_event (
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

GRANT SELECT, INSERT ON jao.day_event TO jao_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA jao TO jao_writer;
GRANT SELECT ON jao.day_event TO jao_reader;

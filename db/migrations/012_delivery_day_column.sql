-- Every value stores its delivery day (expand, the first of 012-015; docs/timescaledb.md "Plain SQL on the views"), so
-- that plain SQL on the consumer views reads what the range functions read, on TimescaleDB as on plain PostgreSQL.
--
-- Online, while the previous release keeps writing: `delivery_day` is a plain nullable column, which PostgreSQL and
-- TimescaleDB add to the catalog without rewriting a row (a moment's lock, under the migration's lock timeout), never a
-- generated column (that rewrote both tables under an exclusive lock, and decompressed every chunk on TimescaleDB).
-- - This release's write path writes the day with every value (db/valuesMerge.ts).
-- - A writer that does not know the column (the previous release, during the upgrade or after a rollback) leaves it
--   empty; the trigger below sets it after each such row, so that no value is ever without its day once this
--   migration has committed. It costs nothing to a write that carries the day: its condition is false, no event is
--   queued, and COPY keeps batching its rows (an AFTER trigger does not stop that, a BEFORE one would).
-- - The values stored before this migration get their day from 013 (in batches, resumable), the index from 014, and
--   the views read the column from 015 on, once every value has it.

ALTER TABLE jao.observation ADD COLUMN IF NOT EXISTS delivery_day date;
ALTER TABLE jao.observation_history ADD COLUMN IF NOT EXISTS delivery_day date;

COMMENT ON COLUMN jao.observation.delivery_day IS
  'the delivery day of the value: the Europe/Amsterdam date of mtu (written with the value)';
COMMENT ON COLUMN jao.observation_history.delivery_day IS
  'the delivery day of the value: the Europe/Amsterdam date of mtu (written with the value)';

-- SECURITY DEFINER: jao_writer may not UPDATE jao.observation_history (it is append-only for the writer); the
-- function sets the one column of the row just inserted, and nothing else.
CREATE OR REPLACE FUNCTION jao.observation_set_delivery_day() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  UPDATE jao.observation
     SET delivery_day = (NEW.mtu AT TIME ZONE 'Europe/Amsterdam')::date
   WHERE mtu = NEW.mtu AND series_id = NEW.series_id AND delivery_day IS NULL;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION jao.observation_history_set_delivery_day() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  UPDATE jao.observation_history
     SET delivery_day = (NEW.mtu AT TIME ZONE 'Europe/Amsterdam')::date
   WHERE mtu = NEW.mtu AND series_id = NEW.series_id AND revision = NEW.revision AND delivery_day IS NULL;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION jao.observation_set_delivery_day() FROM PUBLIC;
REVOKE ALL ON FUNCTION jao.observation_history_set_delivery_day() FROM PUBLIC;

DROP TRIGGER IF EXISTS observation_set_delivery_day ON jao.observation;
CREATE TRIGGER observation_set_delivery_day
  AFTER INSERT ON jao.observation
  FOR EACH ROW WHEN (NEW.delivery_day IS NULL)
  EXECUTE FUNCTION jao.observation_set_delivery_day();

DROP TRIGGER IF EXISTS observation_history_set_delivery_day ON jao.observation_history;
CREATE TRIGGER observation_history_set_delivery_day
  AFTER INSERT ON jao.observation_history
  FOR EACH ROW WHEN (NEW.delivery_day IS NULL)
  EXECUTE FUNCTION jao.observation_history_set_delivery_day();

-- Where a migration step that works in batches has got to (013 and later): run again, it resumes after that point.
CREATE TABLE IF NOT EXISTS jao.migration_step_progress (
  name         text PRIMARY KEY,
  done_through timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The oldest release that may run on this database (docs/deployment.md "Rolling back"). Within a minor line the schema
-- only grows, so the release before keeps running on it and this table stays empty. A later migration that makes the
-- schema one an older release would read or write wrongly records that release's successor here, and every build
-- from 1.1.0 on refuses to start below it, in one line (db/releaseFloor.ts). Read by every role at start-up.
CREATE TABLE IF NOT EXISTS jao.release_floor (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  oldest_release text NOT NULL CHECK (oldest_release ~ '^\d+\.\d+\.\d+$'),
  reason         text NOT NULL,
  recorded_by    text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE jao.release_floor IS
  'the oldest release of jao-scraper that may run on this database (none: any release since the baseline)';

GRANT SELECT ON jao.release_floor TO jao_writer, jao_reader;
COMMENT ON COLUMN jao.release_floor.singleton IS 'always true: the table holds one row at most';
COMMENT ON COLUMN jao.release_floor.oldest_release IS 'the oldest release (X.Y.Z) that may run on this database';
COMMENT ON COLUMN jao.release_floor.reason IS 'why an older release may not: what it would read or write wrongly';
COMMENT ON COLUMN jao.release_floor.recorded_by IS 'the migration that recorded the floor';
COMMENT ON COLUMN jao.release_floor.recorded_at IS 'when the floor was recorded';

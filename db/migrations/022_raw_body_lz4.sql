-- Raw answers' bytes compressed with lz4 instead of pglz where the server has it (PostgreSQL 14 and later, built with
-- lz4, as Debian's and TimescaleDB's images are): a day of the flow-based domain is about 3 MB of JSON, which pglz
-- compresses at some 30 MB/s on the write of every fetch and every restored answer; lz4 takes a fifth of that time,
-- for about a fifth more disk. Only values written from now on use it: stored bodies stay as they are, and read as
-- they were (each value names its own method). Online: a change of the catalog alone, under the migration's lock
-- timeout. Without lz4 the bodies stay with pglz, and the migration says so. Idempotent.
DO $migration$
BEGIN
  ALTER TABLE jao.raw_response ALTER COLUMN body SET COMPRESSION lz4;
  ALTER TABLE jao.raw_page ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'this server has no lz4 (%): raw answers stay compressed with pglz', SQLERRM;
END
$migration$;

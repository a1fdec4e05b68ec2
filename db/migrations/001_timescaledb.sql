-- TimescaleDB when the server offers it (pg_available_extensions). The extension must also be preloaded
-- (shared_preload_libraries); when CREATE EXTENSION fails for that or for lack of privilege, the schema
-- falls back to plain PostgreSQL and says why in a warning instead of failing the migration.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'jao: timescaledb is available but could not be created (%); using plain PostgreSQL', SQLERRM;
    END;
  END IF;
END
$$;

-- Cluster-wide roles, created idempotently and race-safely: several databases of one cluster (parallel test
-- runs, several workers) may run this at the same moment, and the per-database migration lock does not
-- cover them. An existing role is left exactly as it is (no ALTER ROLE: concurrent ALTERs of one role fail
-- with "tuple concurrently updated"). LOGIN without a password: passwords come from the environment
-- (JAO_WRITER_PASSWORD / JAO_READER_PASSWORD, applied by db/migrate.ts) in deployment.
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['jao_writer', 'jao_reader'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- created concurrently by another migrator
      END;
    END IF;
  END LOOP;
END
$$;

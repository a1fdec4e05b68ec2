-- New raw answers' bodies are compressed with LZ4 rather than pglz where the server was built with it (PostgreSQL 14+
-- with --with-lz4, as Debian's and the TimescaleDB images' are): a Core maxExchanges answer (about 95 kB of JSON)
-- is compressed several times faster, which a restore and a backfill pay once per stored answer. Bodies stored
-- before keep pglz until rewritten; both read back the same bytes. A server without LZ4 keeps pglz.
-- Online: a catalog change only (no row is rewritten); its lock on jao.raw_response lasts as long as that change,
-- under the runner's lock timeout, and no value table is touched.
DO $$
BEGIN
  ALTER TABLE jao.raw_response ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'jao.raw_response.body stays pglz: %', SQLERRM;
END $$;

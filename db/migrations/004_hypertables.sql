-- TimescaleDB only (a no-op on plain PostgreSQL): hypertables on `mtu`, compression segmented by series.
--
-- Sizing: ~150 hourly series give ~3,600 rows a day (~0.4 MB with the primary key). 30-day chunks hold
-- ~110k rows (~12 MB), far below the "chunk + indexes within 25 % of memory" guidance, and give each
-- series 720 rows per chunk: one compressed batch (max. 1,000 rows) per series and chunk. History is much
-- sparser (only superseded values), so its chunks span 180 days.
--
-- Compression starts 60 days after the MTU: revisions and re-runs of recent days hit uncompressed chunks;
-- later ones still work (TimescaleDB >= 2.11 supports INSERT ... ON CONFLICT, UPDATE and DELETE on
-- compressed chunks, decompressing only the affected series' batches).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    RETURN;
  END IF;

  PERFORM create_hypertable('jao.observation', 'mtu',
    chunk_time_interval => INTERVAL '30 days', create_default_indexes => false,
    if_not_exists => true, migrate_data => true);
  PERFORM create_hypertable('jao.observation_history', 'mtu',
    chunk_time_interval => INTERVAL '180 days', create_default_indexes => false,
    if_not_exists => true, migrate_data => true);

  ALTER TABLE jao.observation SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'series_id',
    timescaledb.compress_orderby = 'mtu DESC');
  ALTER TABLE jao.observation_history SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'series_id',
    timescaledb.compress_orderby = 'mtu DESC, revision DESC');

  PERFORM add_compression_policy('jao.observation', compress_after => INTERVAL '60 days',
    if_not_exists => true);
  PERFORM add_compression_policy('jao.observation_history', compress_after => INTERVAL '180 days',
    if_not_exists => true);
END
$$;

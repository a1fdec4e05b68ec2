-- Every value stores its delivery day, so that plain SQL on the consumer views reads what the range functions read on
-- TimescaleDB as on plain PostgreSQL (docs/timescaledb.md "Plain SQL on the views").
--
-- jao.observation and jao.observation_history gain `delivery_day`, the Europe/Amsterdam date of the MTU (every
-- declared dataset's delivery day is a Europe/Amsterdam date: domain/datasets/declarationSchema.ts), as a stored
-- generated column: PostgreSQL computes it in every INSERT and COPY, so no write, seed or restore can leave it out or
-- get it wrong, and a COPY keeps batching its rows (a trigger would stop that). On TimescaleDB a compressed chunk
-- keeps each batch's first and last `delivery_day` beside its first and last `mtu` (the index on the column makes
-- TimescaleDB record them), so a filter on the day bounds the batches read, as one on `mtu` does.
--
-- The consumer views then take each value's delivery_day from that column, on both backends (until now the 1.0.0
-- and 008 views stayed on TimescaleDB), so a filter on delivery_day, an equality or a range, is a condition on the
-- values themselves: series by series on TimescaleDB, values first (004's form) on plain PostgreSQL (below). The index
-- on (delivery_day, series_id) replaces 004's index on the expression, which said the same.
--
-- On TimescaleDB, PostgreSQL cannot add a generated column to a hypertable whose columnstore is enabled: each
-- hypertable's compressed chunks are decompressed, its compression policy and settings set aside, the column added,
-- and the same settings, policy and compressed chunks restored. That rewrites every chunk once (20 s for 1,630 days of
-- Core on a small machine; the migration says which chunk it is at). Same columns, same rows in every view. Idempotent:
-- a table that has the column is left as it is, the views are replaced, the indexes created when missing.

DO $migration$
DECLARE
  target_table text;
  timescale boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb');
  compressed_chunks regclass[];
  chunk regclass;
  segment_by text;
  order_by text;
  policy jsonb;
  policy_schedule interval;
  policy_scheduled boolean;
  policy_next_start timestamptz;
BEGIN
  IF timescale THEN
    PERFORM set_config('timescaledb.enable_chunk_skipping', 'on', true);
  END IF;
  FOREACH target_table IN ARRAY ARRAY['observation', 'observation_history'] LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_attribute
                           WHERE attrelid = format('jao.%I', target_table)::regclass
                             AND attname = 'delivery_day' AND NOT attisdropped);
    compressed_chunks := '{}';
    segment_by := NULL;
    policy := NULL;
    IF timescale THEN
      SELECT s.segmentby, s.orderby INTO segment_by, order_by
        FROM timescaledb_information.hypertable_compression_settings s
       WHERE s.hypertable = format('jao.%I', target_table)::regclass;
      SELECT j.config, j.schedule_interval, j.scheduled, j.next_start
        INTO policy, policy_schedule, policy_scheduled, policy_next_start
        FROM timescaledb_information.jobs j
       WHERE j.proc_name = 'policy_compression' AND j.hypertable_schema = 'jao' AND j.hypertable_name = target_table;
      compressed_chunks := ARRAY(
        SELECT format('%I.%I', c.chunk_schema, c.chunk_name)::regclass
          FROM timescaledb_information.chunks c
         WHERE c.hypertable_schema = 'jao' AND c.hypertable_name = target_table AND c.is_compressed
         ORDER BY c.range_start);
      FOREACH chunk IN ARRAY compressed_chunks LOOP
        RAISE NOTICE 'jao: 012 decompresses % of jao.%', chunk, target_table;
        PERFORM decompress_chunk(chunk);
      END LOOP;
      IF policy IS NOT NULL THEN
        PERFORM remove_compression_policy(format('jao.%I', target_table)::regclass);
      END IF;
      IF segment_by IS NOT NULL OR order_by IS NOT NULL THEN
        EXECUTE format('ALTER TABLE jao.%I SET (timescaledb.compress = false)', target_table);
      END IF;
    END IF;

    RAISE NOTICE 'jao: 012 adds delivery_day to jao.%', target_table;
    EXECUTE format($add$
      ALTER TABLE jao.%I ADD COLUMN delivery_day date
        GENERATED ALWAYS AS ((mtu AT TIME ZONE 'Europe/Amsterdam')::date) STORED
    $add$, target_table);

    IF segment_by IS NOT NULL OR order_by IS NOT NULL THEN
      EXECUTE format('ALTER TABLE jao.%I SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '
                     'timescaledb.compress_orderby = %L)', target_table, segment_by, order_by);
    END IF;
    IF policy IS NOT NULL THEN
      PERFORM alter_job(add_compression_policy(format('jao.%I', target_table)::regclass,
                                               compress_after => (policy ->> 'compress_after')::interval),
                        schedule_interval => policy_schedule, scheduled => policy_scheduled,
                        next_start => policy_next_start);
    END IF;

    -- A day's values of every series are one range of the index, a series' days one range whose other series' entries
    -- the index itself passes over (a second index led by the series cost the first write of a day a quarter more, and
    -- every query of bench:query met its target without it). On TimescaleDB the index also makes compression record each batch's first and
    -- last delivery_day, and chunk skipping each compressed chunk's: both exist before the chunks are compressed again.
    EXECUTE format('DROP INDEX IF EXISTS jao.%I', target_table || '_delivery_day_idx');
    EXECUTE format('CREATE INDEX %I ON jao.%I (delivery_day, series_id)', target_table || '_delivery_day_idx',
                   target_table);
    -- Chunk skipping is read only with timescaledb.enable_chunk_skipping on, which every migrate run sets for the
    -- database (db/databaseSettings.ts).
    IF timescale THEN
      PERFORM enable_chunk_skipping(format('jao.%I', target_table)::regclass, 'delivery_day', if_not_exists => true);
    END IF;
    FOREACH chunk IN ARRAY compressed_chunks LOOP
      RAISE NOTICE 'jao: 012 compresses % of jao.% again', chunk, target_table;
      PERFORM compress_chunk(chunk);
    END LOOP;
  END LOOP;

  COMMENT ON COLUMN jao.observation.delivery_day IS
    'the delivery day of the value: the Europe/Amsterdam date of mtu (generated by PostgreSQL)';
  COMMENT ON COLUMN jao.observation_history.delivery_day IS
    'the delivery day of the value: the Europe/Amsterdam date of mtu (generated by PostgreSQL)';

  ANALYZE jao.observation;
  ANALYZE jao.observation_history;
END
$migration$;

-- The consumer views, with each value's stored delivery_day, which meets its jao.delivery_day row by equality (a
-- value whose day has no row is left out, as before). Their form follows how each backend keeps the values.
--
-- TimescaleDB, series by series: compressed values are segmented by series, and each series of the dataset (those a
-- filter on `border` or `dataset` leaves) reads its own values in a LATERAL subquery, into which PostgreSQL moves the
-- filters on `mtu` and `delivery_day` (they name the subquery's columns), so the series id and those bounds reach the
-- compressed batches together as constants, whatever the planner estimates. The subquery's ORDER BY (on its one series
-- id: it sorts nothing) keeps it from being flattened into a join of every value with the series, which TimescaleDB
-- chose whenever it estimated a month of compressed history at one batch (it compares a range of MTUs with each
-- batch's latest MTU only), decompressing the month's values of every border for one border's.
--
-- Plain PostgreSQL, values first (004's form): the heap holds the values day by day, so a series read on its own
-- would visit a page per value; the values are joined to the series and days instead, and a filter on `border`
-- becomes the series id of the index scan. The window says the same as the day's date again, for the planner.
DO $views$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values AS
    SELECT s.dataset,
           o.mtu,
           o.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           o.value AS value_mw,
           o.revision,
           o.first_seen_at,
           o.updated_at
      FROM jao.series s
     CROSS JOIN LATERAL (
       SELECT o.mtu, o.delivery_day, o.value, o.revision, o.first_seen_at, o.updated_at
         FROM jao.observation o
        WHERE o.series_id = s.series_id
        ORDER BY o.series_id
     ) AS o
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = o.delivery_day
    $view$;
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values_history AS
    SELECT s.dataset,
           v.mtu,
           v.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           v.value_mw,
           v.revision,
           v.first_seen_at,
           v.valid_from,
           v.valid_to
      FROM jao.series s
     CROSS JOIN LATERAL (
       SELECT u.mtu, u.delivery_day, u.value_mw, u.revision, u.first_seen_at, u.valid_from, u.valid_to
         FROM (SELECT o.series_id, o.mtu, o.delivery_day, o.value AS value_mw, o.revision, o.first_seen_at,
                      o.updated_at AS valid_from, NULL::timestamptz AS valid_to
                 FROM jao.observation o
               UNION ALL
               SELECT h.series_id, h.mtu, h.delivery_day, h.value, h.revision, h.first_seen_at, h.valid_from,
                      h.valid_to
                 FROM jao.observation_history h) AS u
        WHERE u.series_id = s.series_id
        ORDER BY u.series_id
     ) AS v
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = v.delivery_day
    $view$;
  ELSE
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values AS
    SELECT s.dataset,
           o.mtu,
           o.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           o.value AS value_mw,
           o.revision,
           o.first_seen_at,
           o.updated_at
      FROM jao.observation o
      JOIN jao.series s ON s.series_id = o.series_id
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = o.delivery_day
       AND o.mtu >= d.window_from AND o.mtu < d.window_to
    $view$;
    EXECUTE $view$
    CREATE OR REPLACE VIEW jao.dataset_values_history AS
    SELECT s.dataset,
           v.mtu,
           v.delivery_day,
           s.border,
           s.from_zone,
           s.to_zone,
           v.value_mw,
           v.revision,
           v.first_seen_at,
           v.valid_from,
           v.valid_to
      FROM (SELECT o.series_id, o.mtu, o.delivery_day, o.value AS value_mw, o.revision, o.first_seen_at,
                   o.updated_at AS valid_from, NULL::timestamptz AS valid_to
              FROM jao.observation o
            UNION ALL
            SELECT h.series_id, h.mtu, h.delivery_day, h.value, h.revision, h.first_seen_at, h.valid_from, h.valid_to
              FROM jao.observation_history h) AS v
      JOIN jao.series s ON s.series_id = v.series_id
      JOIN jao.delivery_day d
        ON d.dataset = s.dataset
       AND d.day = v.delivery_day
       AND v.mtu >= d.window_from AND v.mtu < d.window_to
    $view$;
  END IF;
END
$views$;

-- Core maxExchanges' views are every dataset's, narrowed to it (the filter on `dataset` reaches jao.series).
CREATE OR REPLACE VIEW jao.max_exchanges AS
SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at, v.updated_at
  FROM jao.dataset_values v
 WHERE v.dataset = 'maxExchanges';

CREATE OR REPLACE VIEW jao.max_exchanges_history AS
SELECT v.mtu, v.delivery_day, v.border, v.from_zone, v.to_zone, v.value_mw, v.revision, v.first_seen_at, v.valid_from,
       v.valid_to
  FROM jao.dataset_values_history v
 WHERE v.dataset = 'maxExchanges';

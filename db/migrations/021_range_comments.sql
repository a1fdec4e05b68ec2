-- The data dictionary (`npx jao catalogue --markdown`, migration 017) describes every object jao_reader may read:
-- the relations and functions that 018 and 019 added get their descriptions here.

COMMENT ON VIEW jao.max_exchanges_values IS
  'Current values by series id (the stored rows behind jao.max_exchanges_range); join jao.max_exchanges_borders for the border.';
COMMENT ON COLUMN jao.max_exchanges_values.series_id IS 'the series (jao.max_exchanges_borders.series_id)';
COMMENT ON COLUMN jao.max_exchanges_values.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges_values.value_mw IS 'maximum bilateral exchange, MW';
COMMENT ON COLUMN jao.max_exchanges_values.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges_values.first_seen_at IS 'when the first version of this value was stored';
COMMENT ON COLUMN jao.max_exchanges_values.updated_at IS 'when this version became current';

COMMENT ON VIEW jao.max_exchanges_superseded IS
  'Superseded values by series id (behind jao.max_exchanges_history_range and the as-of reads).';
COMMENT ON COLUMN jao.max_exchanges_superseded.series_id IS 'the series (jao.max_exchanges_borders.series_id)';
COMMENT ON COLUMN jao.max_exchanges_superseded.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges_superseded.value_mw IS 'the value of this version, MW';
COMMENT ON COLUMN jao.max_exchanges_superseded.revision IS 'the revision number of this version';
COMMENT ON COLUMN jao.max_exchanges_superseded.first_seen_at IS 'when the first version of this value was stored';
COMMENT ON COLUMN jao.max_exchanges_superseded.valid_from IS 'when this version became current';
COMMENT ON COLUMN jao.max_exchanges_superseded.valid_to IS 'when the next version replaced it';

COMMENT ON COLUMN jao.max_exchanges_borders.series_id IS 'the series id the range functions and the stored rows use';

COMMENT ON FUNCTION jao.max_exchanges_range(text[], date, date) IS
  'Current values of the given borders (NULL: every border) for the delivery days from_day..to_day (NULL: open end), at primary-key speed; the columns of jao.max_exchanges.';
COMMENT ON FUNCTION jao.max_exchanges_history_range(text[], date, date) IS
  'Every version (current and superseded) of the given borders'' values over the delivery days from_day..to_day; the columns of jao.max_exchanges_history.';
COMMENT ON FUNCTION jao.max_exchanges_range_as_of(text[], date, date, timestamptz) IS
  'The given borders'' values over the delivery days from_day..to_day as they were known at `at`; the columns of jao.max_exchanges.';

-- TimescaleDB (019): jao.max_exchanges_daily became a view over the continuous aggregate, which kept the comments.
DO $$
DECLARE
  materialized regclass := to_regclass('jao.max_exchanges_daily_materialized');
  col record;
BEGIN
  IF materialized IS NULL THEN
    RETURN;
  END IF;
  EXECUTE format('COMMENT ON VIEW jao.max_exchanges_daily IS %L',
                 coalesce(obj_description(materialized, 'pg_class'),
                          'Daily min/avg/max per border, right as soon as a write commits.'));
  FOR col IN
    SELECT a.attname, col_description(materialized, m.attnum) AS description
      FROM pg_attribute a
      JOIN pg_attribute m ON m.attrelid = materialized AND m.attname = a.attname AND NOT m.attisdropped
     WHERE a.attrelid = 'jao.max_exchanges_daily'::regclass AND a.attnum > 0 AND NOT a.attisdropped
  LOOP
    IF col.description IS NOT NULL THEN
      EXECUTE format('COMMENT ON COLUMN jao.max_exchanges_daily.%I IS %L', col.attname, col.description);
    END IF;
  END LOOP;
END $$;

-- Keys of every family (domain/seriesKeys.ts): a series' key is a family prefix followed by what it names, an ordered
-- pair of zones (`border_AT_BE`, `shadowPrice_AT_BE`, `grossBorder_DE_DK1`) in from_zone/to_zone, or one hub, zone or
-- TSO (`hub_AT`, `minAT`, `min_NO2_SK`, `verticalLoad_50Hertz`) in from_zone with to_zone NULL; a plain key (`alphaFactor`:
-- one value per MTU, no key in JAO's row) names itself in from_zone. The stored key stays the published key. Names and
-- keys keep to letters, digits and underscores, so the API's NDJSON written by PostgreSQL stays JSON (011, 020).
-- Expand-only and online, as 020: the looser check replaces the old one under the migration's lock timeout, added
-- NOT VALID and validated apart (every stored series is a border or hub series, which it accepts). A release before
-- this one writes border and hub series only, which the check accepts. Idempotent: running it twice changes nothing.
ALTER TABLE jao.series DROP CONSTRAINT IF EXISTS series_plain_names;
ALTER TABLE jao.series ADD CONSTRAINT series_plain_names CHECK (
  key ~ '^[A-Za-z][A-Za-z0-9_]*$'
  AND (
    (to_zone IS NOT NULL AND from_zone ~ '^[A-Z0-9]+$' AND to_zone ~ '^[A-Z0-9]+$'
     AND right(key, length(from_zone) + length(to_zone) + 1) = from_zone || '_' || to_zone
     AND length(key) > length(from_zone) + length(to_zone) + 1)
    OR (to_zone IS NULL AND from_zone ~ '^[A-Za-z0-9][A-Za-z0-9_]*$' AND right(key, length(from_zone)) = from_zone)
  )
) NOT VALID;
ALTER TABLE jao.series VALIDATE CONSTRAINT series_plain_names;

COMMENT ON COLUMN jao.series.unit IS
  'the unit of the series'' values: MW, EUR/MWh, EUR, EUR/MW or dimensionless (domain/datasets: unit, patternUnits)';
COMMENT ON COLUMN jao.series.to_zone IS
  'the zone a pair key''s exchange enters (border_AT_BE, shadowPrice_AT_BE); NULL for a key of one name or a plain key';

COMMENT ON COLUMN jao.catalog.key IS 'the key as JAO publishes it (border_AT_BE, hub_AT, minAT, shadowPrice_AT_BE, alphaFactor)';
COMMENT ON COLUMN jao.catalog.from_zone IS
  'the zone an exchange leaves (DE stands for DE-LU); for a key of one name, the hub, zone or TSO; for a plain key, the key';
COMMENT ON COLUMN jao.catalog.to_zone IS 'the zone an exchange enters; NULL for a key of one name or a plain key';
COMMENT ON COLUMN jao.catalog.unit IS 'unit of the values: MW, EUR/MWh, EUR, EUR/MW or dimensionless';
COMMENT ON COLUMN jao.dataset_borders.unit IS 'the unit of the values: MW, EUR/MWh, EUR, EUR/MW or dimensionless';
COMMENT ON COLUMN jao.dataset_values.value_mw IS
  'the value, in the series'' unit (jao.dataset_borders.unit: MW for most datasets; the name is 1.x''s)';
COMMENT ON COLUMN jao.dataset_values_history.value_mw IS
  'the value, in the series'' unit (jao.dataset_borders.unit: MW for most datasets; the name is 1.x''s)';

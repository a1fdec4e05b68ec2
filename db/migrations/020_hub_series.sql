-- Hub series (domain/hubs.ts: `hub_{HUB}`, Core netPos): a series names one hub instead of a border. jao.series keeps
-- it with its hub in from_zone and to_zone NULL; a hub name holds letters of either case, digits and underscores
-- (DE_DK1_VH, NL_NO2_NorNed), none of which JSON or CSV escapes, so the API's NDJSON written by PostgreSQL stays JSON
-- (011). Its `border` (the key without `border_`) is the key itself, `hub_AT`: no border name starts so.
-- Expand-only and online: dropping NOT NULL and swapping the check for a looser one change the catalog alone, under
-- the migration's lock timeout; the check (011's name, so a refusal reads as before) is added NOT VALID and validated
-- apart (every stored series is a border series, which it accepts). A release before this one writes border series only, which the check accepts,
-- and reads hub series only of a dataset it does not know. Idempotent: running it twice changes nothing.
ALTER TABLE jao.series ALTER COLUMN to_zone DROP NOT NULL;

ALTER TABLE jao.series DROP CONSTRAINT IF EXISTS series_plain_names;
ALTER TABLE jao.series ADD CONSTRAINT series_plain_names CHECK (
  (to_zone IS NOT NULL AND from_zone ~ '^[A-Z0-9]+$' AND to_zone ~ '^[A-Z0-9]+$'
   AND key = 'border_' || from_zone || '_' || to_zone)
  OR (to_zone IS NULL AND from_zone ~ '^[A-Za-z0-9][A-Za-z0-9_]*$' AND key = 'hub_' || from_zone)
) NOT VALID;
ALTER TABLE jao.series VALIDATE CONSTRAINT series_plain_names;

COMMENT ON COLUMN jao.series.to_zone IS 'the zone a border series'' exchange enters; NULL for a hub series';

COMMENT ON COLUMN jao.catalog.key IS 'the key as JAO publishes it (border_AT_BE, hub_AT)';
COMMENT ON COLUMN jao.catalog.border IS
  'the key without its border_ prefix (AT_BE; a hub''s key as published, hub_AT): the border column of the consumer views';
COMMENT ON COLUMN jao.catalog.from_zone IS
  'bidding zone the exchange leaves (DE stands for DE-LU); for a hub series, the hub';
COMMENT ON COLUMN jao.catalog.to_zone IS 'bidding zone the exchange enters; NULL for a hub series';

COMMENT ON COLUMN jao.dataset_borders.border IS
  'the published key without its border_ prefix (AT_BE); a hub''s key as published (hub_AT)';
COMMENT ON COLUMN jao.dataset_borders.key IS 'the key as JAO publishes it (border_AT_BE, hub_AT)';
COMMENT ON COLUMN jao.dataset_borders.from_zone IS 'the zone the exchange leaves; for a hub series, the hub';
COMMENT ON COLUMN jao.dataset_borders.to_zone IS 'the zone the exchange enters; NULL for a hub series';

COMMENT ON COLUMN jao.dataset_values.border IS
  'the published key without its border_ prefix (AT_BE); a hub''s key as published (hub_AT)';
COMMENT ON COLUMN jao.dataset_values.from_zone IS 'the zone the exchange leaves; for a hub series, the hub';
COMMENT ON COLUMN jao.dataset_values.to_zone IS 'the zone the exchange enters; NULL for a hub series';

COMMENT ON COLUMN jao.dataset_values_history.border IS
  'the published key without its border_ prefix (AT_BE); a hub''s key as published (hub_AT)';
COMMENT ON COLUMN jao.dataset_values_history.from_zone IS 'the zone the exchange leaves; for a hub series, the hub';
COMMENT ON COLUMN jao.dataset_values_history.to_zone IS 'the zone the exchange enters; NULL for a hub series';

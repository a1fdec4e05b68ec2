-- API keys of `jao api` (docs/design.md §13): only the sha256 of each key is stored; the key itself is printed
-- once by `jao api-key create`. Each key reads the datasets it names; a revoked key is kept for the record.
CREATE TABLE IF NOT EXISTS jao.api_key (
  key_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  key_sha256  text NOT NULL,                         -- hex sha256 of the whole key as sent by the client
  datasets    text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  CONSTRAINT api_key_sha256_key UNIQUE (key_sha256)
);

-- The API connects as jao_reader: it looks keys up and checks it is migrated (/readyz). It never writes.
GRANT SELECT ON jao.api_key, jao.schema_migrations TO jao_reader;

-- The series catalogue as consumers see it (`GET /v1/datasets/maxExchanges/series` and its border checks): the
-- published borders of maxExchanges, without the internal series ids.
CREATE OR REPLACE VIEW jao.max_exchanges_borders AS
SELECT s.border, s.key, s.from_zone, s.to_zone, s.unit, s.first_seen_at
  FROM jao.series s
 WHERE s.dataset = 'maxExchanges';

GRANT SELECT ON jao.max_exchanges_borders TO jao_reader, jao_writer;

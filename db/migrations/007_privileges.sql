-- Privileges. jao_reader: the consumer interface and the day status, read-only. jao_writer: read and write
-- the pipeline's tables; owns nothing, so it cannot DROP or ALTER them. Neither gets CREATE on schema jao.
REVOKE ALL ON SCHEMA jao FROM PUBLIC;
GRANT USAGE ON SCHEMA jao TO jao_reader, jao_writer;

GRANT SELECT ON jao.max_exchanges, jao.max_exchanges_history, jao.max_exchanges_daily, jao.delivery_day
  TO jao_reader;
REVOKE ALL ON FUNCTION jao.max_exchanges_as_of(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jao.max_exchanges_as_of(timestamptz) TO jao_reader, jao_writer;

GRANT SELECT, INSERT, UPDATE, DELETE
  ON jao.series, jao.observation, jao.observation_history, jao.delivery_day, jao.raw_response, jao.rejection
  TO jao_writer;
GRANT SELECT ON jao.max_exchanges, jao.max_exchanges_history, jao.max_exchanges_daily, jao.schema_migrations
  TO jao_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA jao TO jao_writer;

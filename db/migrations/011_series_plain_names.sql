-- A series' key and zones are the plain names the write path accepts (domain/borders.ts: `border_{FROM}_{TO}`, zone
-- codes of upper-case letters and digits), now held by the database as well: the API's NDJSON lines are written by
-- PostgreSQL (api/valueRows.ts), which quotes the border and zones without escaping them, and that is JSON only while
-- no name holds a character JSON escapes. Every series the pipeline stored passed that check, so the constraint
-- validates. Idempotent: running it twice changes nothing.
ALTER TABLE jao.series DROP CONSTRAINT IF EXISTS series_plain_names;
ALTER TABLE jao.series ADD CONSTRAINT series_plain_names CHECK (
  from_zone ~ '^[A-Z0-9]+$' AND to_zone ~ '^[A-Z0-9]+$' AND key = 'border_' || from_zone || '_' || to_zone
);

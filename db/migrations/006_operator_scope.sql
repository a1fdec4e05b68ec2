-- Acting from the status page (docs/operations.md "The status page"): keys that may start runs, and the publication
-- facts the page's freshness line reads.
-- Idempotent: running it twice changes nothing.

-- The operator scope: granted only explicitly (`jao api-key create --operator`); reader keys never carry it.
ALTER TABLE jao.api_key ADD COLUMN IF NOT EXISTS operator boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN jao.api_key.operator IS 'the key may start runs (re-runs, backfills) and read run histories through the API; false for a reader key';

-- When each recorded day was first seen with data, the last empty answer before that (the publication happened in
-- between) and when it was first stored complete: what `jao status` prints as freshness, from raw_response's
-- metadata (never its bodies), so that jao_reader (the API) reads it too.
CREATE OR REPLACE VIEW jao.day_publication AS
SELECT d.dataset, d.day, empty.at AS published_after, seen.fetched_at AS seen_at, d.first_complete_at AS stored_at
  FROM jao.delivery_day d
  LEFT JOIN LATERAL (
    SELECT r.raw_response_id, r.fetched_at FROM jao.raw_response r
     WHERE r.dataset = d.dataset AND r.day = d.day AND r.answer = 'data'
     ORDER BY r.raw_response_id LIMIT 1) seen ON true
  LEFT JOIN LATERAL (
    SELECT max(r.last_fetched_at) AS at FROM jao.raw_response r
     WHERE r.dataset = d.dataset AND r.day = d.day AND r.answer = 'not_published'
       AND r.raw_response_id < seen.raw_response_id) empty ON true;

GRANT SELECT ON jao.day_publication TO jao_reader, jao_writer;

COMMENT ON VIEW jao.day_publication IS 'Publication facts of each recorded day: when JAO''s answer first carried data, the last empty answer before it, and when the day was first stored complete (jao status, the status page''s freshness).';
COMMENT ON COLUMN jao.day_publication.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.day_publication.day IS 'the delivery day (Europe/Amsterdam)';
COMMENT ON COLUMN jao.day_publication.published_after IS 'the last answer before seen_at that was still empty: JAO published after it; NULL when the first answer already carried data';
COMMENT ON COLUMN jao.day_publication.seen_at IS 'when an answer for the day first carried data; NULL while none did';
COMMENT ON COLUMN jao.day_publication.stored_at IS 'when the day was first stored complete; NULL while it never was';

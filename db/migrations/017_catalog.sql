-- The catalogue (docs/design.md §13; docs/desk.md, "The catalogue"): what exists, in what unit and resolution,
-- since when, how complete, where it comes from and when it is published, readable by jao_reader in one view,
-- jao.catalog. `npx jao catalogue --markdown` prints it, with every consumer object and the COMMENTs below, as the
-- data dictionary; the API's series endpoint serves its fields.

-- Where each dataset comes from and when it is published: written by the worker at start-up from its
-- configuration (JAO_BASE_URL and the dataset's path; PUBLICATION_WINDOW, PUBLICATION_POLL_INTERVAL,
-- FRESHNESS_DEADLINE, POLL_INTERVAL, POLL_LOOKBACK_DAYS). The row below holds the defaults until a worker starts.
CREATE TABLE IF NOT EXISTS jao.dataset_source (
  dataset              text PRIMARY KEY,
  title                text NOT NULL,
  endpoint             text NOT NULL,
  publication_window   text NOT NULL,
  freshness_deadline   text NOT NULL,
  publication_schedule text NOT NULL,
  recorded_at          timestamptz NOT NULL,
  recorded_by          text
);
INSERT INTO jao.dataset_source (dataset, title, endpoint, publication_window, freshness_deadline,
                                publication_schedule, recorded_at, recorded_by)
VALUES ('maxExchanges',
        'JAO Core maximum bilateral exchanges (MaxBEX), MW per border and MTU',
        'https://publicationtool.jao.eu/core/api/data/maxExchanges',
        '08:00-11:00',
        '12:00',
        'day D is published on D-1 (JAO: typically 07:30-08:30 UTC); checked every 30 s within 08:00-11:00 Europe/Amsterdam on D-1 until complete, expected by 12:00; tomorrow and the last 3 days re-checked every 10 min',
        now(),
        NULL)
ON CONFLICT (dataset) DO NOTHING;

-- One row per series (dataset and published key). Computed from the days' records, not from the values: each
-- stored day points to the key set of the answer that decided it (migration 010), so a series' first and last
-- day and its complete days are a few aggregates over jao.delivery_day, however many values are stored. Days
-- stored before key sets were recorded and never re-written since are not counted (`npx jao reprocess`
-- re-judges them and records their key set).
CREATE OR REPLACE VIEW jao.catalog AS
WITH stored_days AS (
  SELECT d.dataset, d.key_set_id, min(d.day) AS first_day, max(d.day) AS last_day,
         count(*) FILTER (WHERE d.status = 'complete') AS complete_days,
         max(d.last_changed_at) AS last_changed_at
    FROM jao.delivery_day d
   WHERE d.revision_count > 0 AND d.key_set_id IS NOT NULL
   GROUP BY d.dataset, d.key_set_id
),
by_key AS (
  SELECT sd.dataset, k.key, min(sd.first_day) AS first_day, max(sd.last_day) AS last_day,
         sum(sd.complete_days)::int AS complete_days, max(sd.last_changed_at) AS last_changed_at
    FROM stored_days sd
    JOIN jao.key_set ks ON ks.key_set_id = sd.key_set_id
   CROSS JOIN LATERAL unnest(ks.keys) AS k(key)
   GROUP BY sd.dataset, k.key
),
latest AS (
  SELECT DISTINCT ON (d.dataset) d.dataset, d.resolution_minutes
    FROM jao.delivery_day d
   WHERE d.revision_count > 0 AND d.resolution_minutes IS NOT NULL
   ORDER BY d.dataset, d.day DESC
)
SELECT s.dataset,
       s.key,
       s.border,
       s.from_zone,
       s.to_zone,
       s.unit,
       l.resolution_minutes,
       k.first_day,
       k.last_day,
       (k.last_day - k.first_day + 1) AS days_in_span,
       COALESCE(k.complete_days, 0) AS complete_days,
       round(k.complete_days::numeric / (k.last_day - k.first_day + 1), 4) AS complete_share,
       k.last_changed_at,
       src.endpoint AS source_endpoint,
       src.publication_schedule,
       s.first_seen_at
  FROM jao.series s
  LEFT JOIN by_key k ON k.dataset = s.dataset AND k.key = s.key
  LEFT JOIN latest l ON l.dataset = s.dataset
  LEFT JOIN jao.dataset_source src ON src.dataset = s.dataset;

GRANT SELECT ON jao.catalog, jao.dataset_source TO jao_reader, jao_writer;
GRANT INSERT, UPDATE ON jao.dataset_source TO jao_writer;

-- The data dictionary's text: what each consumer object and column holds.
COMMENT ON VIEW jao.catalog IS
  'The catalogue: one row per series (dataset and published key) with its unit, resolution, first and last day, share of complete days, source and publication schedule.';
COMMENT ON COLUMN jao.catalog.dataset IS 'the JAO dataset (maxExchanges)';
COMMENT ON COLUMN jao.catalog.key IS 'the key as JAO publishes it (border_AT_BE)';
COMMENT ON COLUMN jao.catalog.border IS 'the key without its prefix (AT_BE): the border column of the consumer views';
COMMENT ON COLUMN jao.catalog.from_zone IS 'bidding zone the exchange leaves (DE stands for DE-LU)';
COMMENT ON COLUMN jao.catalog.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.catalog.unit IS 'unit of the values (MW)';
COMMENT ON COLUMN jao.catalog.resolution_minutes IS 'length of one MTU in the latest stored day, in minutes';
COMMENT ON COLUMN jao.catalog.first_day IS 'first stored delivery day whose answer carried this key';
COMMENT ON COLUMN jao.catalog.last_day IS 'last stored delivery day whose answer carried this key';
COMMENT ON COLUMN jao.catalog.days_in_span IS 'delivery days from first_day to last_day, both included';
COMMENT ON COLUMN jao.catalog.complete_days IS 'days of the span that are complete and carry this key';
COMMENT ON COLUMN jao.catalog.complete_share IS 'complete_days / days_in_span (a day missing from the store counts as not complete)';
COMMENT ON COLUMN jao.catalog.last_changed_at IS 'latest change of a stored day carrying this key (the day''s last_changed_at)';
COMMENT ON COLUMN jao.catalog.source_endpoint IS 'the URL the pipeline fetches the dataset from';
COMMENT ON COLUMN jao.catalog.publication_schedule IS 'when JAO publishes a day and when the pipeline looks for it';
COMMENT ON COLUMN jao.catalog.first_seen_at IS 'when the pipeline first stored a value of this series';

COMMENT ON TABLE jao.dataset_source IS
  'Where each dataset comes from and when it is published, as the worker was configured at its last start.';
COMMENT ON COLUMN jao.dataset_source.endpoint IS 'JAO_BASE_URL and the dataset''s path';
COMMENT ON COLUMN jao.dataset_source.publication_window IS 'PUBLICATION_WINDOW: local hours (Europe/Amsterdam) on D-1 in which day D is looked for';
COMMENT ON COLUMN jao.dataset_source.freshness_deadline IS 'FRESHNESS_DEADLINE: day D is late when not complete by this local time on D-1';
COMMENT ON COLUMN jao.dataset_source.publication_schedule IS 'the schedule in one sentence';
COMMENT ON COLUMN jao.dataset_source.recorded_at IS 'when a worker last recorded this row';
COMMENT ON COLUMN jao.dataset_source.recorded_by IS 'the build of that worker (NULL: the defaults of migration 017)';

COMMENT ON VIEW jao.max_exchanges IS 'Current value of every border at every MTU (MaxBEX, MW).';
COMMENT ON COLUMN jao.max_exchanges.mtu IS 'start of the market time unit (UTC)';
COMMENT ON COLUMN jao.max_exchanges.delivery_day IS 'the Europe/Amsterdam date of the MTU (23, 24 or 25 hours)';
COMMENT ON COLUMN jao.max_exchanges.border IS 'FROM_TO zones (AT_BE)';
COMMENT ON COLUMN jao.max_exchanges.from_zone IS 'bidding zone the exchange leaves';
COMMENT ON COLUMN jao.max_exchanges.to_zone IS 'bidding zone the exchange enters';
COMMENT ON COLUMN jao.max_exchanges.value_mw IS 'maximum bilateral exchange, MW';
COMMENT ON COLUMN jao.max_exchanges.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges.first_seen_at IS 'when the first version of this value was stored';
COMMENT ON COLUMN jao.max_exchanges.updated_at IS 'when this version became current';

COMMENT ON VIEW jao.max_exchanges_history IS
  'Every version of every value, the current ones included (valid_to NULL): the full revision history.';
COMMENT ON COLUMN jao.max_exchanges_history.valid_from IS 'when this version became current (transaction time)';
COMMENT ON COLUMN jao.max_exchanges_history.valid_to IS 'when it stopped being current; NULL for the current version';
COMMENT ON COLUMN jao.max_exchanges_history.revision IS '1 for the first version seen, +1 at each change';
COMMENT ON COLUMN jao.max_exchanges_history.value_mw IS 'maximum bilateral exchange, MW';

COMMENT ON FUNCTION jao.max_exchanges_as_of(timestamptz) IS
  'The values as known at an instant (the columns of jao.max_exchanges): back-tests without look-ahead.';

COMMENT ON TABLE jao.delivery_day IS
  'One row per dataset and delivery day: its status, counts, revision count and the outcome of its last check.';
COMMENT ON COLUMN jao.delivery_day.status IS 'complete, partial, not_published, invalid or failed (docs/design.md §5)';
COMMENT ON COLUMN jao.delivery_day.expected_mtus IS 'MTUs of the day: its length divided by the resolution';
COMMENT ON COLUMN jao.delivery_day.received_mtus IS 'MTUs with at least one stored value';
COMMENT ON COLUMN jao.delivery_day.points IS 'values stored for the day';
COMMENT ON COLUMN jao.delivery_day.revision_count IS '0 before content, 1 at the first content, +1 at each revision';
COMMENT ON COLUMN jao.delivery_day.last_changed_at IS 'when the day''s values last changed';
COMMENT ON COLUMN jao.delivery_day.last_checked_at IS 'when JAO was last asked for the day';
COMMENT ON COLUMN jao.delivery_day.last_error IS 'what the last check met, when it went wrong';
COMMENT ON COLUMN jao.delivery_day.last_raw_response_id IS 'the raw answer the day''s last check stored or found';
COMMENT ON COLUMN jao.delivery_day.last_build_id IS 'the worker build of the day''s last run';
COMMENT ON COLUMN jao.delivery_day.content_build_id IS 'the worker build that last changed its values';
COMMENT ON COLUMN jao.delivery_day.reason IS 'why the day is not complete, in one sentence';

COMMENT ON VIEW jao.day_quality IS
  'One row per dataset and delivery day: status, missing MTUs, resolution, key-set drift, refused values and why.';
COMMENT ON COLUMN jao.day_quality.missing_mtus IS 'starts of the expected MTUs without any stored value';
COMMENT ON COLUMN jao.day_quality.keys IS 'keys of the answer that decided the day';
COMMENT ON COLUMN jao.day_quality.keys_added IS 'keys not in previous_day';
COMMENT ON COLUMN jao.day_quality.keys_vanished IS 'keys of previous_day missing here';
COMMENT ON COLUMN jao.day_quality.drift IS 'resolution, keys_added, keys_vanished: changes against previous_day';
COMMENT ON COLUMN jao.day_quality.previous_day IS 'the latest earlier day with stored values';
COMMENT ON COLUMN jao.day_quality.null_values IS 'values published as null';
COMMENT ON COLUMN jao.day_quality.rejected_values IS 'every value, key or row refused by validation';
COMMENT ON COLUMN jao.day_quality.reason IS 'why the day is not complete (NULL when it is)';

COMMENT ON COLUMN jao.day_event.event_id IS 'increasing id: the Last-Event-ID a client of the live feed resumes from';
COMMENT ON COLUMN jao.day_event.type IS 'day.stored (a day''s first values), day.revised (changed values) or day.failed';
COMMENT ON COLUMN jao.day_event.revision IS 'the day''s revision_count after the write';
COMMENT ON COLUMN jao.day_event.raised_at IS 'the write''s transaction time';
COMMENT ON COLUMN jao.api_key.key_id IS 'the id `jao api-key revoke` takes';
COMMENT ON COLUMN jao.api_key.name IS 'who the key was created for';
COMMENT ON COLUMN jao.api_key.key_sha256 IS 'sha256 of the key (the key itself is never stored)';
COMMENT ON COLUMN jao.api_key.datasets IS 'the datasets the key may read';
COMMENT ON COLUMN jao.api_key.revoked_at IS 'when it was revoked; NULL while it is valid';
COMMENT ON COLUMN jao.schema_migrations.outcome IS 'applied, or not_applicable on this engine';
COMMENT ON COLUMN jao.schema_migrations.checksum IS 'sha256 of the file as applied (an applied migration is never edited)';
COMMENT ON COLUMN jao.dataset_source.title IS 'what the dataset is';
COMMENT ON VIEW jao.max_exchanges_borders IS 'The published borders of maxExchanges (the API''s border list).';
COMMENT ON TABLE jao.day_event IS
  'The live feed: one row per stored, revised or failed day, raised in the write''s transaction (GET /v1/events).';
COMMENT ON TABLE jao.api_key IS 'Keys of the API (sha256 only); read by the API to check a key, not data.';
COMMENT ON TABLE jao.schema_migrations IS 'The migrations applied to this database, in order.';

-- The daily aggregate is a continuous aggregate owned by jao_writer on TimescaleDB (migration 009): commented
-- where the migrating role may (its owner, or a superuser).
DO $comments$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'jao' AND c.relname = 'max_exchanges_daily'
                AND pg_has_role(current_user, c.relowner, 'USAGE')) THEN
    EXECUTE $sql$COMMENT ON VIEW jao.max_exchanges_daily IS
      'Minimum, mean and maximum per border and delivery day (a continuous aggregate on TimescaleDB).'$sql$;
    EXECUTE $sql$COMMENT ON COLUMN jao.max_exchanges_daily.mtus IS 'MTUs with a current value'$sql$;
  END IF;
END
$comments$;

-- The remaining columns mean the same wherever they appear: one vocabulary, applied to every column of a consumer
-- object that has no comment of its own (and that the migrating role may comment on).
DO $vocabulary$
DECLARE
  col record;
BEGIN
  FOR col IN
    SELECT c.relname, a.attname, v.description
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN (VALUES
        ('dataset', 'the JAO dataset (maxExchanges)'),
        ('day', 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)'),
        ('delivery_day', 'the delivery day: a Europe/Amsterdam date (23, 24 or 25 hours)'),
        ('status', 'the day''s status: complete, partial, not_published, invalid or failed (docs/design.md §5)'),
        ('mtu', 'start of the market time unit (UTC)'),
        ('border', 'FROM_TO zones of the published key (AT_BE)'),
        ('key', 'the key as JAO publishes it (border_AT_BE)'),
        ('from_zone', 'bidding zone the exchange leaves (DE stands for DE-LU)'),
        ('to_zone', 'bidding zone the exchange enters'),
        ('unit', 'unit of the values (MW)'),
        ('value_mw', 'maximum bilateral exchange, MW'),
        ('revision', '1 for the first version seen, +1 at each change'),
        ('first_seen_at', 'when the pipeline first stored it'),
        ('valid_from', 'when this version became current (transaction time)'),
        ('valid_to', 'when it stopped being current; NULL for the current version'),
        ('min_mw', 'smallest value of the day, MW'),
        ('avg_mw', 'mean of the day''s values, MW'),
        ('max_mw', 'largest value of the day, MW'),
        ('expected_mtus', 'MTUs of the day: its length divided by the resolution'),
        ('received_mtus', 'MTUs with at least one stored value'),
        ('resolution_minutes', 'length of one MTU, in minutes'),
        ('previous_resolution_minutes', 'resolution of previous_day, in minutes'),
        ('missing_mtus', 'starts of the expected MTUs without any accepted value'),
        ('null_values', 'values published as null'),
        ('duplicate_rows', 'rows that repeated another row of their MTU exactly (collapsed into it)'),
        ('conflicting_rows', 'rows of MTUs published twice with different values (all refused)'),
        ('rejected_values', 'every value, key or row refused by validation'),
        ('unknown_fields', 'row fields other than id, dateTimeUtc and border_* (sorted)'),
        ('revision_count', '0 before content, 1 at the first content, +1 at each revision'),
        ('attempts', 'writes of the day''s record: checks of JAO and reprocessings that changed it'),
        ('content_hash', 'sha256 of the stored values, normalized'),
        ('first_complete_at', 'when the day was first stored complete'),
        ('last_checked_at', 'when JAO was last asked for the day'),
        ('last_error', 'what the last check met, when it went wrong'),
        ('last_workflow_id', 'the workflow run that last wrote the day''s record'),
        ('last_build_id', 'the worker build of the day''s last run'),
        ('content_build_id', 'the worker build that last changed the day''s values'),
        ('key_set_id', 'the key set of the answer that decided the day (internal id)'),
        ('window_from', 'start of the day''s UTC window'),
        ('window_to', 'end of the day''s UTC window (excluded)'),
        ('derivation_id', 'the write that produced this revision (jao.derivation); NULL: stored before lineage'),
        ('build_id', 'the worker build that wrote it'),
        ('created_at', 'when it was created'),
        ('applied_at', 'when it was applied'),
        ('name', 'its name')
      ) AS v(name, description) ON v.name = a.attname
     WHERE n.nspname = 'jao' AND c.relkind IN ('r', 'p', 'v', 'm')
       AND has_table_privilege('jao_reader', c.oid, 'SELECT')
       AND col_description(c.oid, a.attnum) IS NULL
       AND pg_has_role(current_user, c.relowner, 'USAGE')
  LOOP
    EXECUTE format('COMMENT ON COLUMN jao.%I.%I IS %L', col.relname, col.attname, col.description);
  END LOOP;
END
$vocabulary$;

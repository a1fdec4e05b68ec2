-- Build lineage: the worker build (version, commit, workflow bundle hash) of the day's last run, and the build
-- that wrote its stored content (changes only when the content changes).
ALTER TABLE jao.delivery_day ADD COLUMN IF NOT EXISTS last_build_id text;
ALTER TABLE jao.delivery_day ADD COLUMN IF NOT EXISTS content_build_id text;

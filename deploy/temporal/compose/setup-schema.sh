#!/bin/sh
# The compose `temporal-schema` job (temporalio/admin-tools): creates Temporal's two databases when missing and
# brings their schemas to the newest version built into temporal-sql-tool, as `jao cluster up` does
# (devstack/cluster/databases.ts). Idempotent: `setup-schema -v 0.0` only adds the versioning tables when absent.
# The password comes from SQL_PASSWORD, which temporal-sql-tool reads.
set -eu
sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" --port "$DB_PORT" --user "$POSTGRES_USER" "$@"
}
for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
  database=${pair%%:*}
  schema=postgresql/v12/${pair#*:}
  if ! created=$(sql --db "$database" create-database 2>&1); then
    case $created in *'already exists'*) ;; *) echo "$created" >&2; exit 1 ;; esac
  fi
  sql --db "$database" setup-schema -v 0.0
  sql --db "$database" update-schema --schema-name "$schema"
  echo "temporal-schema: $database is at the newest $schema version"
done

#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at DATABASE_URL's host (default 127.0.0.1:5432).
# Starts the machine's local cluster when it is installed but stopped; installs it from Debian's packages when absent.
set -euo pipefail

url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
hostport="${url#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=5432

answers() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if command -v pg_isready >/dev/null && answers; then
  echo "postgres: answering at $host:$port"
  exit 0
fi

if [ "$host" != "127.0.0.1" ] && [ "$host" != "localhost" ]; then
  echo "postgres: nothing answers at $host:$port and it is not local: start it, or point DATABASE_URL elsewhere" >&2
  exit 1
fi

if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "postgres: not installed; installing Debian's postgresql package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
echo "postgres: nothing answered at $host:$port; starting local cluster $version/main"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  answers && { echo "postgres: answering at $host:$port"; exit 0; }
  sleep 1
done
echo "postgres: the local cluster did not come up at $host:$port" >&2
exit 1

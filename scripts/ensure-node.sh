#!/usr/bin/env bash
# Prints the directory of a Node.js 24 for the front of PATH (.ci/run runs every step on it). The machine's `node`
# when it is a Node.js 24; otherwise the pinned NODE_VERSION, installed once from the npm registry's `node` package
# into ${XDG_CACHE_HOME:-~/.cache}/jao-scraper/node-<version>/ (outside the repository, beside the Temporal CLI,
# devstack/toolCache.ts) and reused by every later run and clone. Needs the machine's npm.
set -euo pipefail

NODE_VERSION=24.21.0

log() { echo "ensure-node: $*" >&2; }

if machine=$(node -p 'process.versions.node' 2>/dev/null) && [ "${machine%%.*}" = 24 ]; then
  log "the machine's Node.js $machine"
  dirname "$(command -v node)"
  exit 0
fi

dir=${XDG_CACHE_HOME:-$HOME/.cache}/jao-scraper/node-$NODE_VERSION
installed() { [ "$("$1/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; }

if ! installed "$dir"; then
  log "the machine's Node.js is ${machine:-absent}; installing Node.js $NODE_VERSION from the npm registry into $dir"
  partial=$dir.partial.$$
  rm -rf "$partial"
  mkdir -p "$partial/bin"
  trap 'rm -rf "$partial"' EXIT
  # The package's preinstall script fetches the platform's binary (node-<os>-<arch>); npm 11 runs a dependency's
  # install script only where allowScripts approves it.
  cat >"$partial/package.json" <<EOF
{ "private": true, "dependencies": { "node": "$NODE_VERSION" }, "allowScripts": { "node": true } }
EOF
  npm install --prefix "$partial" --ignore-scripts=false --no-package-lock --no-audit --no-fund >&2
  ln -s ../node_modules/node/bin/node "$partial/bin/node"
  installed "$partial" || { log "the installed node does not print v$NODE_VERSION"; exit 1; }
  # another run may have finished first
  if ! installed "$dir"; then
    rm -rf "$dir"
    mv "$partial" "$dir"
  fi
fi
log "Node.js $NODE_VERSION"
echo "$dir/bin"

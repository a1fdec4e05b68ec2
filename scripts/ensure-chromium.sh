#!/usr/bin/env bash
# Makes sure Chromium is there for the status page's browser tests (test/browser/) and bench:page: Debian's
# chromium package, installed when absent. CHROMIUM_PATH names another build; playwright-core downloads none.
# .ci/run and the set-up of npm run test:e2e (test/helpers/globalSetupE2e.ts) call it.
set -euo pipefail

path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$path" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "chromium: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    exit 1
  fi
  echo "chromium: not installed; installing Debian's chromium package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# Debian's wrapper script prints noise on some shells; the version line is what counts.
"$path" --version 2>/dev/null | head -n 1

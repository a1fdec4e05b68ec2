#!/usr/bin/env bash
# Makes sure promtool is on PATH (npm test checks the Prometheus rules of deploy/prometheus/ with it); installs
# Debian's prometheus package, which provides it, when absent. .ci/run and the test set-up
# (test/helpers/globalSetup.ts) call it.
set -euo pipefail

if ! command -v promtool >/dev/null; then
  echo "promtool: not installed; installing Debian's prometheus package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
# The package also starts a Prometheus server where an init system runs; the tests need only the binary.
promtool --version | head -n 1

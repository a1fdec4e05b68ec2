#!/usr/bin/env bash
# Makes sure nginx is there for test:temporal-auth, which runs it in the foreground as a TLS and an mTLS front
# (grpc_pass) of the Temporal server it starts: Debian's nginx-core (HTTP/2, gRPC proxy, SSL). Installs it where it
# is absent and apt-get can. The package's own service is not started: where the machine has no policy-rc.d, one
# that refuses every service start is in place for the installation only. .ci/run calls it before test:temporal-auth.
set -euo pipefail

found() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }

if ! found; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "nginx: not installed, and apt-get cannot run here: install nginx (Debian: nginx-core)" >&2
    exit 1
  fi
  echo "nginx: installing Debian's nginx-core"
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
    nginx-core >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
"$nginx_bin" -v 2>&1

#!/usr/bin/env bash
# Provisions the container engine that the compose test (`test/compose/run.ts`) runs docker-compose.yml on, as root on Debian bookworm:
# podman (runc, cgroupfs, host rlimits), its Docker-compatible socket, Docker Compose v2 built with Go, and a
# minimal Debian base image made with debootstrap. Idempotent: every step checks before it acts; the builds are
# cached under ${XDG_CACHE_HOME:-~/.cache}/jao-scraper, outside the repository. Prints `KEY=value` lines last.
set -euo pipefail

COMPOSE_VERSION=2.28.1
DEBIAN_IMAGE=localhost/debian-minbase:bookworm
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/jao-scraper
SOCKET=/run/podman/podman.sock

log() { echo "provision: $*" >&2; }
[ "$(id -u)" = 0 ] || { echo "provision: must run as root (podman runs the containers as root here)" >&2; exit 1; }

# 1. podman, runc, netavark with aardvark-dns (service names resolve between containers) and debootstrap, from Debian
missing=()
for pkg in podman runc netavark aardvark-dns debootstrap; do
  dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

# 2. runc (crun refuses this machine's hybrid cgroup layout) with cgroupfs; containers keep the host's rlimits,
#    because raising them is not permitted here (podman would otherwise raise nofile for every container)
CONF=/etc/containers/containers.conf
WANTED_CONF='# Written by deploy/compose-test/provision.sh (jao-scraper)
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"'
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$WANTED_CONF" ]; then
  [ -f "$CONF" ] && ! grep -q 'provision.sh (jao-scraper)' "$CONF" && cp "$CONF" "$CONF.orig"
  log "writing $CONF"
  printf '%s\n' "$WANTED_CONF" > "$CONF"
fi

# 3. the Docker-compatible API that Compose talks to: `podman system service` on a unix socket, left running
if ! curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then
  log "starting podman system service on $SOCKET"
  mkdir -p "$(dirname "$SOCKET")"
  rm -f "$SOCKET"
  setsid nohup podman system service --time=0 "unix://$SOCKET" >"$CACHE.podman-service.log" 2>&1 < /dev/null &
  for _ in $(seq 1 50); do
    curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null || { echo "provision: podman system service did not answer on $SOCKET" >&2; exit 1; }
fi

# 3b. health checks: podman schedules them with systemd timers; without systemd as PID 1, health-ticker.sh runs them
TICKER_PID=/run/podman/health-ticker.pid
if [ "$(ps -p 1 -o comm=)" != systemd ] && ! { [ -f "$TICKER_PID" ] && kill -0 "$(cat "$TICKER_PID")" 2>/dev/null; }; then
  log "starting the health-check ticker (no systemd here)"
  setsid nohup bash "$(dirname "$0")/health-ticker.sh" >/dev/null 2>&1 < /dev/null &
  echo $! > "$TICKER_PID"
fi

# 4. Docker Compose v2, built once with Go (the last release whose go.mod lets `go install …@version` build it)
mkdir -p "$CACHE"
COMPOSE_BIN=$CACHE/docker-compose-$COMPOSE_VERSION/docker-compose
if [ ! -x "$COMPOSE_BIN" ]; then
  GO=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$GO" ] || { echo "provision: Go is needed to build Docker Compose v$COMPOSE_VERSION" >&2; exit 1; }
  log "building Docker Compose v$COMPOSE_VERSION with Go (first run only)"
  staging=$(mktemp -d "$CACHE/docker-compose-build.XXXXXX")
  GOBIN=$staging GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-mod=mod \
    nice -n 10 "$GO" install "github.com/docker/compose/v2/cmd@v$COMPOSE_VERSION" >&2
  mkdir -p "$(dirname "$COMPOSE_BIN")"
  mv "$staging/cmd" "$COMPOSE_BIN"
  rmdir "$staging"
fi

# 5. the Debian base image of every stand-in: debootstrap's minimal bookworm, imported once
if ! podman image exists "$DEBIAN_IMAGE"; then
  ROOTFS_TAR=$CACHE/debian-bookworm-minbase.tar
  if [ ! -f "$ROOTFS_TAR" ]; then
    log "debootstrap --variant=minbase bookworm (first run only)"
    rootfs=$(mktemp -d "$CACHE/debootstrap.XXXXXX")
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >&2
    # the same sources as Debian's official image, security updates included
    printf '%s\n' 'deb http://deb.debian.org/debian bookworm main' \
      'deb http://deb.debian.org/debian bookworm-updates main' \
      'deb http://deb.debian.org/debian-security bookworm-security main' > "$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$ROOTFS_TAR.partial" .
    mv "$ROOTFS_TAR.partial" "$ROOTFS_TAR"
    rm -rf "$rootfs"
  fi
  log "importing $DEBIAN_IMAGE"
  podman import --change 'CMD ["/bin/bash"]' "$ROOTFS_TAR" "$DEBIAN_IMAGE" >&2
fi

echo "DOCKER_HOST=unix://$SOCKET"
echo "COMPOSE_BIN=$COMPOSE_BIN"
echo "DEBIAN_IMAGE=$DEBIAN_IMAGE"

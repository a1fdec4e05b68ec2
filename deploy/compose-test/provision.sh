#!/usr/bin/env bash
# Provisions the container engine that the compose test (`npm run test:compose`) runs docker-compose.yml on, as root
# on Debian bookworm: podman (runc, cgroupfs, host rlimits), its Docker-compatible socket, Docker Compose v2 (Debian's
# package of the pinned release, or built with Go), and a minimal Debian base image made with debootstrap.
# Idempotent: every step checks before it acts; what it downloads or builds is cached under
# ${XDG_CACHE_HOME:-~/.cache}/jao-scraper, outside the repository. Logs each step's time on stderr and prints
# `KEY=value` lines last.
set -euo pipefail

# The newest Compose v2 release that works with podman 4.3's Docker API (1.41): docs/deployment.md
COMPOSE_VERSION=2.40.3
# Debian's package of that release (in Debian's testing suite, forky): a prebuilt binary, minutes of Go build saved
COMPOSE_DEB_VERSION=$COMPOSE_VERSION-3
COMPOSE_DEB_URL=http://deb.debian.org/debian/pool/main/d/docker-compose/docker-compose_${COMPOSE_DEB_VERSION}_amd64.deb
COMPOSE_DEB_SHA256=e7603d5e6df0f8404f7b03da478022b87d7b50644cffe68884b071e5cfc17fd3
DEBIAN_IMAGE=localhost/debian-minbase:bookworm
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/jao-scraper
RUN_DIR=/run/podman
SOCKET=$RUN_DIR/podman.sock
HERE=$(cd "$(dirname "$0")" && pwd)

log() { echo "provision: $*" >&2; }
fail() { echo "provision: $*" >&2; exit 1; }
timed() { local started=$SECONDS rc=0; "$@" || rc=$?; log "${1#step_}: $((SECONDS - started)) s"; return $rc; }
[ "$(id -u)" = 0 ] || fail "must run as root (podman runs the containers as root here)"
[ -r /etc/debian_version ] || fail "needs Debian (podman, runc and debootstrap come from its packages)"
mkdir -p "$CACHE" "$RUN_DIR"
# shellcheck source=go-build.sh
. "$HERE/go-build.sh"

# Starts a daemon detached from this script and from the checkout: cwd /, its own session, stdin from /dev/null,
# output to a log file. A daemon that kept the checkout as its working directory breaks once the checkout is
# deleted (podman's containers then fail with "write child: broken pipe"), and one that kept this script's
# descriptors would hold the caller's pipes open.
start_detached() { # <pid file> <log file> <command...>
  local pid_file=$1 log_file=$2
  shift 2
  (cd / && exec setsid "$@" </dev/null >>"$log_file" 2>&1) &
  echo $! >"$pid_file"
}

# The pid in <pid file> when that process runs and its working directory still exists
alive_with_cwd() { # <pid file>
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == *" (deleted)" ]]; then
    log "process $pid ($1) runs in a deleted directory: restarting it"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    return 1
  fi
}

# 1. podman, runc, netavark with aardvark-dns (service names resolve between containers) and iptables (netavark
#    sets up the bridge's NAT with it), debootstrap, from Debian
step_packages() {
  local missing=() pkg
  for pkg in podman runc netavark aardvark-dns iptables debootstrap curl; do
    dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
      || { apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
      || fail "apt-get install ${missing[*]} failed"
  fi
}

# 2. runc (crun refuses this machine's hybrid cgroup layout) with cgroupfs; containers keep the host's rlimits,
#    because raising them is not permitted here (podman would otherwise raise nofile for every container)
step_containers_conf() {
  local conf=/etc/containers/containers.conf wanted
  wanted='# Written by deploy/compose-test/provision.sh (jao-scraper)
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"'
  if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$wanted" ]; then
    if [ -f "$conf" ] && ! grep -q 'provision.sh (jao-scraper)' "$conf"; then cp "$conf" "$conf.orig"; fi
    log "writing $conf"
    mkdir -p "$(dirname "$conf")"
    printf '%s\n' "$wanted" >"$conf"
  fi
}

# 3. the Docker-compatible API that Compose talks to: `podman system service` on a unix socket, left running
step_podman_service() {
  local pid_file=$RUN_DIR/jao-podman-service.pid
  if alive_with_cwd "$pid_file" && curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then return; fi
  # a service this script did not record (an older version of it started one without a pid file)
  local other
  for other in $(pgrep -f "^podman system service --time=0 unix://$SOCKET\$" || true); do
    echo "$other" >"$pid_file"
    if alive_with_cwd "$pid_file" && curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then return; fi
  done
  log "starting podman system service on $SOCKET"
  rm -f "$SOCKET"
  start_detached "$pid_file" "$CACHE/podman-service.log" podman system service --time=0 "unix://$SOCKET"
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && return
    sleep 0.2
  done
  fail "podman system service did not answer on $SOCKET (log: $CACHE/podman-service.log)"
}

# 3b. health checks: podman schedules them with systemd timers; without systemd as PID 1, health-ticker.sh runs
#     them. It runs from a copy outside the checkout, so deleting the checkout does not stop it.
step_health_ticker() {
  [ "$(ps -p 1 -o comm=)" != systemd ] || return 0
  local pid_file=$RUN_DIR/health-ticker.pid script=$RUN_DIR/jao-health-ticker.sh
  if ! cmp -s "$HERE/health-ticker.sh" "$script"; then
    cp "$HERE/health-ticker.sh" "$script.new" && mv "$script.new" "$script"
    [ -f "$pid_file" ] && kill "$(cat "$pid_file")" 2>/dev/null || true
  fi
  alive_with_cwd "$pid_file" && return
  log "starting the health-check ticker (no systemd here)"
  start_detached "$pid_file" /dev/null bash "$script"
}

# 4. Docker Compose v2: Debian's package of the pinned release (a ready binary, checked against its SHA-256), or,
#    where that package is gone from Debian's pool, built once with Go from the module's source (its go.mod has
#    `exclude` directives)
step_compose() {
  local target=$CACHE/docker-compose-$COMPOSE_VERSION
  [ -x "$target/docker-compose" ] && return
  compose_from_debian "$target" && return
  log "Debian's docker-compose $COMPOSE_DEB_VERSION is not available: building Compose v$COMPOSE_VERSION with Go"
  go_build_module "github.com/docker/compose/v2@v$COMPOSE_VERSION" "$target" \
    "-X github.com/docker/compose/v2/internal.Version=v$COMPOSE_VERSION" ./cmd=docker-compose \
    || fail "could not build Docker Compose v$COMPOSE_VERSION with Go"
}

compose_from_debian() { # <target dir>
  local target=$1 work
  work=$(mktemp -d "$CACHE/docker-compose-deb.XXXXXX")
  local deb=$work/docker-compose.deb binary=$work/root/usr/libexec/docker/cli-plugins/docker-compose
  if curl -sfL --retry 2 -m 300 -o "$deb" "$COMPOSE_DEB_URL" \
    && echo "$COMPOSE_DEB_SHA256  $deb" | sha256sum -c --quiet - >&2 \
    && dpkg-deb -x "$deb" "$work/root" \
    && "$binary" version | grep -q "version $COMPOSE_DEB_VERSION\$"; then
    mkdir -p "$target"
    mv -f "$binary" "$target/docker-compose"
    rm -rf "$work"
    log "Docker Compose $COMPOSE_DEB_VERSION from Debian's package"
    return 0
  fi
  rm -rf "$work"
  return 1
}

# 5. the Debian base image of every stand-in: debootstrap's minimal bookworm, imported once
step_debian_image() {
  podman image exists "$DEBIAN_IMAGE" && return
  local rootfs_tar=$CACHE/debian-bookworm-minbase.tar
  if [ ! -f "$rootfs_tar" ]; then
    log "debootstrap --variant=minbase bookworm (first run only)"
    local rootfs
    rootfs=$(mktemp -d "$CACHE/debootstrap.XXXXXX")
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1 \
      || { rm -rf "$rootfs"; fail "debootstrap failed (log: $CACHE/debootstrap.log)"; }
    # the same sources as Debian's official image, security updates included
    printf '%s\n' 'deb http://deb.debian.org/debian bookworm main' \
      'deb http://deb.debian.org/debian bookworm-updates main' \
      'deb http://deb.debian.org/debian-security bookworm-security main' >"$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$rootfs_tar.partial" .
    mv "$rootfs_tar.partial" "$rootfs_tar"
    rm -rf "$rootfs"
  fi
  log "importing $DEBIAN_IMAGE"
  podman import --change 'CMD ["/bin/bash"]' "$rootfs_tar" "$DEBIAN_IMAGE" >&2
}

timed step_packages
timed step_containers_conf
timed step_podman_service
timed step_health_ticker
# debootstrap waits on the network and the disk, the Compose build on the CPU: side by side
timed step_debian_image &
debian_job=$!
timed step_compose
wait "$debian_job" || fail "the Debian base image was not made"

echo "DOCKER_HOST=unix://$SOCKET"
echo "COMPOSE_BIN=$CACHE/docker-compose-$COMPOSE_VERSION/docker-compose"
echo "DEBIAN_IMAGE=$DEBIAN_IMAGE"

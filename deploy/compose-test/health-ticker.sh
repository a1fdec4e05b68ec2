#!/usr/bin/env bash
# podman runs a container's health check from a systemd timer; where systemd is not PID 1 (this machine) nothing
# runs them, a container stays "starting" forever, and compose's `condition: service_healthy` never holds. This loop
# takes the timer's place: every 3 s it runs the check of each running container that has one. Started, once, by
# provision.sh; stop it with `kill $(cat /run/podman/health-ticker.pid)`.
set -u
while :; do
  for id in $(podman ps --quiet --filter health=starting --filter health=healthy --filter health=unhealthy 2>/dev/null); do
    podman healthcheck run "$id" >/dev/null 2>&1 || true
  done
  sleep 3
done

#!/bin/sh
# The compose `temporal-namespace` job (temporalio/admin-tools): waits up to 3 minutes for the server to answer,
# then registers TEMPORAL_NAMESPACE with DEFAULT_NAMESPACE_RETENTION when it does not exist yet. Idempotent.
set -eu
tries=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 90 ] || { echo "temporal-namespace: $TEMPORAL_ADDRESS did not answer within 3 minutes" >&2; exit 1; }
  sleep 2
done
if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "temporal-namespace: $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace "$TEMPORAL_NAMESPACE" \
    --retention "$DEFAULT_NAMESPACE_RETENTION"
  echo "temporal-namespace: registered $TEMPORAL_NAMESPACE (retention $DEFAULT_NAMESPACE_RETENTION)"
fi

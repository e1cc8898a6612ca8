#!/usr/bin/env bash
# Builds gitops/verdicts (kstatus from sigs.k8s.io/cli-utils and the Argo CD health check run in
# gopher-lua) from its pinned Go modules into a cache outside the repository, keyed by its
# sources. A second run is a no-op. Prints the binary's path on the last line of stdout.
#
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail
cd "$(dirname "$0")/../gitops/verdicts"

CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
command -v go >/dev/null || { echo "[gitops-verdicts] go is required (see README prerequisites)" >&2; exit 1; }
key="$( (cat go.mod go.sum main.go; go env GOVERSION) | sha256sum | cut -c1-16)"
BIN="$CACHE_ROOT/tools/verdicts-$key/verdicts"
if [[ ! -x "$BIN" ]]; then
  echo "[gitops-verdicts] building $BIN" >&2
  mkdir -p "$(dirname "$BIN")"
  CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=readonly" \
    go build -trimpath -ldflags "-s -w" -o "$BIN.tmp" .
  mv "$BIN.tmp" "$BIN"
fi
echo "$BIN"

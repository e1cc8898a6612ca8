#!/usr/bin/env bash
# Builds Kueue's controller (sigs.k8s.io/kueue/cmd/kueue) from its Go module into a version-keyed
# cache outside the repository and copies the module's CRDs beside it; the operator's Kueue tests
# run it against the test cluster. A second run is a no-op. Prints the directory on the last line.
#
#   KUEUE_VERSION      sigs.k8s.io/kueue version (default below)
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail

KUEUE_VERSION="${KUEUE_VERSION:-v0.17.0}"
CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
DIR="$CACHE_ROOT/tools/kueue-$KUEUE_VERSION"

if [[ -x "$DIR/kueue" && -d "$DIR/crds" ]]; then
  echo "$DIR"
  exit 0
fi
command -v go >/dev/null || { echo "[kueue] go is required (see README prerequisites)" >&2; exit 1; }
echo "[kueue] building kueue $KUEUE_VERSION into $DIR" >&2
mkdir -p "$DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
GOBIN="$WORK" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
  go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kueue/cmd/kueue@$KUEUE_VERSION"
src="$(go env GOMODCACHE)/sigs.k8s.io/kueue@$KUEUE_VERSION/config/components/crd/bases"
rm -rf "$DIR/crds.tmp" && mkdir -p "$DIR/crds.tmp"
cp "$src"/*.yaml "$DIR/crds.tmp/"
chmod -R u+w "$DIR/crds.tmp"
mv "$WORK/kueue" "$DIR/kueue"
rm -rf "$DIR/crds" && mv "$DIR/crds.tmp" "$DIR/crds"
echo "$DIR"

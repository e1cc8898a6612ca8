#!/usr/bin/env bash
# Builds JobSet's controller (sigs.k8s.io/jobset, the module's main package) from its Go module into
# a version-keyed cache outside the repository and copies the module's CRDs beside it; the JobSet
# comparison benchmark runs it against the test cluster. A second run is a no-op. Prints the
# directory on the last line.
#
#   JOBSET_VERSION     sigs.k8s.io/jobset version (default below)
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail

JOBSET_VERSION="${JOBSET_VERSION:-v0.10.1}"
CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
DIR="$CACHE_ROOT/tools/jobset-$JOBSET_VERSION"

if [[ -x "$DIR/jobset" && -d "$DIR/crds" ]]; then
  echo "$DIR"
  exit 0
fi
command -v go >/dev/null || { echo "[jobset] go is required (see README prerequisites)" >&2; exit 1; }
echo "[jobset] building jobset $JOBSET_VERSION into $DIR" >&2
mkdir -p "$DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# `go install pkg@version` asks the proxy for the module's version list, which it refuses for this
# module; a consuming module with a fixed requirement does not.
cd "$WORK"
go mod init archipelago.dev/tools/jobset >/dev/null 2>&1
cat >tools.go <<'GO'
//go:build tools

package tools

import _ "sigs.k8s.io/jobset"
GO
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=mod"
go get "sigs.k8s.io/jobset@$JOBSET_VERSION" >/dev/null 2>&1
go build -trimpath -ldflags "-s -w" -tags tools -o "$WORK/jobset" sigs.k8s.io/jobset
src="$(go env GOMODCACHE)/sigs.k8s.io/jobset@$JOBSET_VERSION/config/components/crd/bases"
rm -rf "$DIR/crds" && mkdir -p "$DIR/crds"
cp "$src"/*.yaml "$DIR/crds/"
chmod -R u+w "$DIR/crds"
mv "$WORK/jobset" "$DIR/jobset"
echo "$DIR"

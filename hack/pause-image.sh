#!/usr/bin/env bash
# Builds the kubelet's sandbox ("pause") image from hack/pause/ (a static Go program that waits
# for SIGTERM) as a one-layer `docker save`-style archive, for containerd's `sandbox_image` on a
# node that reaches no registry. Cached outside the repository under a key of the program's
# source; a second run is a no-op. Prints the archive path on the last line of stdout;
# `hack/pause-image.sh name` prints only the image name (for containerd's config) and builds nothing.
#
#   PAUSE_IMAGE        image name in the archive (default archipelago.dev/pause:3.10-local)
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail
source "$(dirname "$0")/lib/oci.sh"
SRC="$(cd "$(dirname "$0")/pause" && pwd)"

REF="${PAUSE_IMAGE:-archipelago.dev/pause:3.10-local}"
if [[ "${1:-}" == name ]]; then
  echo "$REF"
  exit 0
fi
ARCHIVE="$OCI_IMAGE_DIR/pause-$(oci_key "$REF" "$(oci_arch)" "$(cat "$SRC/go.mod" "$SRC/main.go")").tar"

log() { echo "[pause-image] $*" >&2; }

if [[ -s "$ARCHIVE" ]]; then
  log "cached: $ARCHIVE"
  echo "$ARCHIVE"
  exit 0
fi

command -v go >/dev/null || { log "go is required (see README prerequisites)"; exit 1; }
oci_require umoci skopeo
mkdir -p "$OCI_IMAGE_DIR"
WORK="$(mktemp -d "$OCI_IMAGE_DIR/.pause.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

mkdir "$WORK/root"
(cd "$SRC" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w" \
  -o "$WORK/root/pause" .)
tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$WORK/root" -cf "$WORK/layer.tar" pause

# 65535 is the uid the upstream pause image runs as: the sandbox needs no privilege.
oci_pack "$WORK/layer.tar" "$REF" "$ARCHIVE" \
  --config.entrypoint /pause --config.user 65535:65535
log "built $REF: $(du -h "$ARCHIVE" | cut -f1)"
echo "$ARCHIVE"

#!/usr/bin/env bash
# A Python environment with the real `webdataset` library (and Pillow, numpy) in a version-keyed
# cache outside the repository; the trainer's WebDataset tests write shards with it, as users do.
# A second run is a no-op. Prints the environment's python on the last line.
#
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail

WEBDATASET_VERSION=1.0.2
PILLOW_VERSION=11.3.0
NUMPY_VERSION=2.2.6
BRACEEXPAND_VERSION=0.1.7
PYYAML_VERSION=6.0.2
CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
DIR="$CACHE_ROOT/tools/webdataset-$WEBDATASET_VERSION-pillow-$PILLOW_VERSION-numpy-$NUMPY_VERSION"

if [[ -x "$DIR/bin/python" ]] && "$DIR/bin/python" -c "import webdataset, PIL, numpy" 2>/dev/null; then
  echo "$DIR/bin/python"
  exit 0
fi
command -v python3 >/dev/null || { echo "[webdataset] python3 is required (see README prerequisites)" >&2; exit 1; }
if ! python3 -m venv --help >/dev/null 2>&1 && [[ $EUID -eq 0 ]]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
echo "[webdataset] creating $DIR" >&2
rm -rf "$DIR.tmp"
python3 -m venv "$DIR.tmp"
"$DIR.tmp/bin/pip" install -q --disable-pip-version-check \
  "webdataset==$WEBDATASET_VERSION" "pillow==$PILLOW_VERSION" "numpy==$NUMPY_VERSION" \
  "braceexpand==$BRACEEXPAND_VERSION" "pyyaml==$PYYAML_VERSION"
# Moved into place whole, so a failed install never looks ready (only python is used from it).
rm -rf "$DIR" && mv "$DIR.tmp" "$DIR"
echo "$DIR/bin/python"

#!/usr/bin/env bash
# The main job: runs a DDMRun manifest on this machine with `archipelago local run` (default: the
# quickstart), after building the trainer (Maven; a no-op when nothing changed). Extra arguments go
# to `local run`, e.g. `hack/local-run.sh examples/quickstart.yaml --serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "missing prerequisite: $tool (see README.md)" >&2; exit 1; }
done

manifest=${1:-examples/quickstart.yaml}
shift $(( $# > 0 ? 1 : 0 ))

echo "[local-run] building the trainer..." >&2
mvn -B -ntp -q -pl trainer-image -am package -DskipUTs -DskipITs

# DJL unpacks the bundled PyTorch native library here once and never downloads anything.
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.cache/archipelago/djl}
exec java -Dai.djl.offline=true -jar trainer-image/target/archipelago-trainer.jar \
  local run -f "$manifest" "$@"

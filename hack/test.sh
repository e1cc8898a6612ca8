#!/usr/bin/env bash
# The one test command: builds the test cluster's binaries (cached after the first run), then
# builds every module and runs every test layer: unit tests (*Test) and integration tests (*IT)
# against a real kube-apiserver. Extra arguments go to Maven, e.g. `hack/test.sh -pl e2e-tests -am`.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn go; do
  command -v "$tool" >/dev/null || { echo "missing prerequisite: $tool (see README.md)" >&2; exit 1; }
done

start=$SECONDS
bash hack/cluster-binaries.sh >/dev/null
echo "[test] cluster binaries ready after $((SECONDS - start))s"

mvn -B -ntp verify "$@"
echo "[test] done in $((SECONDS - start))s"

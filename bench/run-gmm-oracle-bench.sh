#!/usr/bin/env bash
# The oracle experiment on a Gaussian mixture (trainer-image GmmOracleBench): the exact router and
# exact experts, sampled with every serving strategy, so each strategy's own bias shows without any
# learning error. Prints a markdown table; results in bench/GMM.md. Not part of `mvn verify`.
#
#   bench/run-gmm-oracle-bench.sh                         # K=4, d=16, separation 2.5
#   COMPONENTS=8 bench/run-gmm-oracle-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

COMPONENTS=${COMPONENTS:-4}
DIMENSION=${DIMENSION:-16}
SEPARATION=${SEPARATION:-2.5}
COUNT=${COUNT:-4000}
SEEDS=${SEEDS:-5}
STEPS=${STEPS:-50}
THREADS=${THREADS:-2}

source bench/java-env.sh
java -Xmx2g -cp "$classpath" dev.archipelago.trainer.bench.GmmOracleBench \
  "$COMPONENTS" "$DIMENSION" "$SEPARATION" "$COUNT" "$SEEDS" "$STEPS"

#!/usr/bin/env bash
# The routing table on a Gaussian mixture, trained for real and FLOP-matched (trainer-image
# GmmTableBench): a K-expert DDM (k-means) sampled top-1/top-2/full/sample, the same with a random
# split, a monolith trained K x the expert steps plus the router's share, and the oracle. Paired
# noise, same data, batch, sampler and steps per arm; mean +- sd over seeds. Results in
# bench/GMM.md. Not part of `mvn verify`.
#
#   bench/run-gmm-table-bench.sh                     # K=4, separation 2.5, 8192 samples, 300 steps, 2 seeds
#   SEEDS=3 EXPERT_STEPS=600 bench/run-gmm-table-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

COMPONENTS=${COMPONENTS:-4}
SEPARATION=${SEPARATION:-2.5}
SAMPLES=${SAMPLES:-8192}
EXPERT_STEPS=${EXPERT_STEPS:-300}
SEEDS=${SEEDS:-2}
THREADS=${THREADS:-2}

source bench/java-env.sh
echo "start: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.archipelago.trainer.bench.GmmTableBench \
  "$COMPONENTS" "$SEPARATION" "$SAMPLES" "$EXPERT_STEPS" "$SEEDS"
echo "end: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

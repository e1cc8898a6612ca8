#!/usr/bin/env bash
# The routing table on shapes, trained for real and FLOP-matched, every arm measured by
# `archipelago evaluate` (trainer-image ShapesTableBench): a 4-expert DDM (k-means) sampled
# top-1/top-2/full/sample, one expert alone, the same DDM on a random split, and a monolith trained
# 4 x the expert steps plus the router's share, its EMA horizon the same fraction of training.
# Same data, batch, sampler, steps and paired noise per arm; mean +- sd over seeds. The shapes
# classifier is trained once (16 px) and cached. Results in bench/SHAPES.md. Not part of
# `mvn verify`.
#
#   bench/run-shapes-table-bench.sh                 # 20000 samples, 500 steps, lr 2e-3, 3 seeds
#   LEARNING_RATE=1e-3 bench/run-shapes-table-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLES=${SAMPLES:-20000}
EXPERT_STEPS=${EXPERT_STEPS:-500}
LEARNING_RATE=${LEARNING_RATE:-2e-3}
SEEDS=${SEEDS:-3}
COUNT=${COUNT:-1000}
THREADS=${THREADS:-2}
CLASSIFIER=${CLASSIFIER:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago/shapes-classifier-16}

source bench/java-env.sh
run() {
  java -Xmx6g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
    -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "$classpath" "$@"
}
echo "start: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ! -f "$CLASSIFIER/classifier.json" ]]; then
  run dev.archipelago.trainer.cli.Archipelago train-classifier --out "$CLASSIFIER" --image-size 16
fi
run dev.archipelago.trainer.bench.ShapesTableBench \
  "$CLASSIFIER" "$SAMPLES" "$EXPERT_STEPS" "$LEARNING_RATE" "$SEEDS" "$COUNT"
echo "end: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

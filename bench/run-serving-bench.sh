#!/usr/bin/env bash
# Generation latency of the served ensemble (trainer-image ServingLatencyBench): K experts of one
# size and a small router, single expert vs top-1 / top-2 / full, and top-1 over the distributed
# topology's HTTP wire. Prints a table; results in bench/SERVING.md. Not part of `mvn verify`.
#
#   bench/run-serving-bench.sh                          # 4 x S experts, tiny router, 32x32, batch 8
#   EXPERT=tiny BATCH=16 STEPS=10 bench/run-serving-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

EXPERT=${EXPERT:-s}
ROUTER=${ROUTER:-tiny}
EXPERTS=${EXPERTS:-4}
IMAGE_SIZE=${IMAGE_SIZE:-32}
BATCH=${BATCH:-8}
STEPS=${STEPS:-10}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}

source bench/java-env.sh
echo "start: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.archipelago.trainer.bench.ServingLatencyBench \
  "$EXPERT" "$ROUTER" "$EXPERTS" "$IMAGE_SIZE" "$BATCH" "$STEPS" "$ROUNDS"
echo "end: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

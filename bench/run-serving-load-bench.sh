#!/usr/bin/env bash
# Serving under concurrent load (trainer-image ServingThroughputBench): trains a 4-expert run for
# real, then images/s and p50/p95 latency at concurrency 1, 4 and 16 for top-1 with and without
# batching across requests, one expert alone on the batched server, and the distributed topology.
# Prints a table; results in bench/SERVING.md. Not part of `mvn verify`.
#
#   bench/run-serving-load-bench.sh                      # 4 experts, 16x16, 32 requests per level
#   REQUESTS=64 COUNT=2 bench/run-serving-load-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

EXPERTS=${EXPERTS:-4}
IMAGE_SIZE=${IMAGE_SIZE:-16}
EXPERT_STEPS=${EXPERT_STEPS:-150}
ROUTER_STEPS=${ROUTER_STEPS:-200}
STEPS=${STEPS:-10}
REQUESTS=${REQUESTS:-32}
COUNT=${COUNT:-1}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}

source bench/java-env.sh
echo "start: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx3g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.archipelago.trainer.bench.ServingThroughputBench \
  "$EXPERTS" "$IMAGE_SIZE" "$EXPERT_STEPS" "$ROUTER_STEPS" "$STEPS" "$REQUESTS" "$COUNT" "$ROUNDS"
echo "end: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

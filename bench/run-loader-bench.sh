#!/usr/bin/env bash
# The data loader against the step it feeds, in one run: images/s with 1, 2 and 4 decode threads
# for 32 px and 256 px JPEG shards, the tiny and S step rates at 32 px, and a tiny training loop's
# share of time waiting for data. See bench/DATA.md. Not part of `mvn verify`.
#
#   bench/run-loader-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
source bench/java-env.sh
java -Xmx3g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.archipelago.trainer.bench.LoaderBench | grep '^RESULT'

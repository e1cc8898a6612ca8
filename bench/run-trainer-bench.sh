#!/usr/bin/env bash
# Expert training-step time, DJL (trainer-image's FlowMatchingTrainer) against the same DiT in
# PyTorch eager (bench/dit_reference.py), on this machine's CPU, both with the same intra-op threads.
# Prints a table; see bench/RESULTS.md. Not part of `mvn verify`.
#
#   bench/run-trainer-bench.sh                 # tiny and S, batch 32, 2 rounds
#   PRESETS="s" ROUNDS=1 S_STEPS="3 3" bench/run-trainer-bench.sh    # "WARMUP TIMED"
set -euo pipefail
cd "$(dirname "$0")/.."

PRESETS=${PRESETS:-"tiny s"}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
BATCH=${BATCH:-32}
IMAGE_SIZE=${IMAGE_SIZE:-32}
CLASSES=${CLASSES:-5}   # the shapes data set's classes
TORCH_VERSION=2.7.1     # the libtorch DJL 0.36 bundles: same kernels on both sides

# "warm-up timed" steps per preset (S takes seconds per step on two cores)
steps_for() { case "$1" in tiny) echo "${TINY_STEPS:-5 10}" ;; *) echo "${S_STEPS:-1 3}" ;; esac; }

venv=bench/.venv
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "installing torch==$TORCH_VERSION into $venv (PyPI's wheel pulls CUDA wheels, ~4 GB)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "torch==$TORCH_VERSION" numpy
fi

# One thread pool size for both: libtorch reads OMP/MKL variables, DJL its own properties.
source bench/java-env.sh

run_djl() {
  java -Xmx2g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
    -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "$classpath" dev.archipelago.trainer.bench.TrainerStepBench \
    "$1" "$BATCH" "$IMAGE_SIZE" "$CLASSES" $(steps_for "$1")
}
run_torch() {
  "$venv/bin/python" bench/dit_reference.py "$1" "$BATCH" "$IMAGE_SIZE" "$CLASSES" \
    $(steps_for "$1") --threads "$THREADS" "${@:2}"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
echo "start: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
for round in $(seq 1 "$ROUNDS"); do
  for preset in $PRESETS; do
    # Alternate which side goes first, so a drift in machine load does not favour one side.
    if (( round % 2 )); then
      run_djl "$preset" | tee -a "$results"; run_torch "$preset" | tee -a "$results"
    else
      run_torch "$preset" | tee -a "$results"; run_djl "$preset" | tee -a "$results"
    fi
  done
done
for preset in $PRESETS; do
  run_torch "$preset" --attention sdpa | tee -a "$results"
done
echo "end: $(date -u +%FT%TZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
echo
"$venv/bin/python" bench/bench_table.py "$results" "$BATCH" "$IMAGE_SIZE" "$CLASSES"

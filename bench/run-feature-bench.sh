#!/usr/bin/env bash
# Features/s of the partition's TorchScript path against eager PyTorch on the same encoder, batch
# and thread count, in one run: a DINOv2-S/14-shaped ViT (bench/vit_encoder.py, random weights)
# over 256 px JPEG shards decoded at its 224 px input with ImageNet statistics. Prints the encoder
# alone, image decoding alone, and the whole scan (decode overlapped with the encoder). See
# bench/DATA.md. Not part of `mvn verify`.
#
#   bench/run-feature-bench.sh        # THREADS=2 BATCH=32 IMAGES=256 by default
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
BATCH=${BATCH:-32}
IMAGES=${IMAGES:-256}
TORCH_VERSION=2.7.1
venv=${BENCH_VENV:-bench/.venv}
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "installing torch==$TORCH_VERSION into $venv (PyPI's wheel pulls CUDA wheels, ~4 GB)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "torch==$TORCH_VERSION" numpy
fi
source bench/java-env.sh
encoder=$(mktemp -d)/vit-s14.pt
torch_rate=$(OMP_NUM_THREADS=$THREADS "$venv/bin/python" bench/vit_encoder.py "$encoder" "$THREADS" "$BATCH" \
  | sed -n 's/^RESULT torch features\/s //p')
java -Xmx4g -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.archipelago.trainer.bench.FeatureBench "$encoder" "$THREADS" "$BATCH" "$IMAGES" "$torch_rate" \
  | grep '^RESULT'

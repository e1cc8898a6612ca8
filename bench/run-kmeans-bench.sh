#!/usr/bin/env bash
# The partition's k-means against faiss-cpu on the same data, in one run: N x D float32 rows
# (default 1M x 256, a mixture of 64 Gaussians) into FINE (1024) fine centroids for ITER
# iterations, then K (8) clusters of the fine centroids weighted by their counts. Prints both
# sides' wall time and peak RSS and the ratio. Not part of `mvn verify`. See bench/DATA.md.
#
#   bench/run-kmeans-bench.sh                  # N=1000000 D=256 FINE=1024 K=8 ITER=5
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000} D=${D:-256} FINE=${FINE:-1024} K=${K:-8} ITER=${ITER:-5} SEED=${SEED:-1}
THREADS=${THREADS:-2}
FAISS_VERSION=1.12.0 NUMPY_VERSION=2.2.6
CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
venv="$CACHE_ROOT/tools/faiss-cpu-$FAISS_VERSION-numpy-$NUMPY_VERSION"
if ! "$venv/bin/python" -c "import faiss, numpy" 2>/dev/null; then
  echo "installing faiss-cpu==$FAISS_VERSION into $venv" >&2
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "faiss-cpu==$FAISS_VERSION" "numpy==$NUMPY_VERSION"
fi
source bench/java-env.sh
data="$(mktemp -d)/rows.f32"
trap 'rm -rf "$(dirname "$data")"' EXIT
"$venv/bin/python" bench/kmeans_faiss.py generate "$data" "$N" "$D" "$SEED"
echo "start: $(date -u +%FT%TZ), $N x $D rows into $FINE then $K, $ITER iterations, $THREADS threads"
faiss=$(OMP_NUM_THREADS=$THREADS "$venv/bin/python" bench/kmeans_faiss.py fit "$data" "$N" "$D" "$FINE" "$K" "$ITER" "$SEED")
echo "$faiss"
ours=$(java -Xmx2g -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$classpath" dev.archipelago.trainer.partition.KMeansBench "$data" "$N" "$D" "$FINE" "$K" "$ITER" "$SEED" | grep '^RESULT')
echo "$ours"
f=$(sed -E 's/.*total ([0-9.]+) s.*/\1/' <<<"$faiss")
a=$(sed -E 's/.*k-means ([0-9.]+) s.*/\1/' <<<"$ours")
awk -v a="$a" -v f="$f" 'BEGIN { printf "RESULT ratio archipelago / faiss: %.2f (goal <= 1.5)\n", a / f }'

#!/usr/bin/env bash
# Builds the base of the GPU trainer image without a container engine or a registry: the JRE base
# (hack/base-image.sh) plus one layer holding a CUDA libtorch, the one inside PyPI's torch wheel
# with the nvidia-* wheels it pins (CUDA 12.6 user-space libraries, cuDNN, NCCL), in their
# site-packages layout so that libtorch's RPATH ($ORIGIN/../../nvidia/...) finds them. No CUDA
# native jar is published where this project builds; DJL loads this libtorch through
# PYTORCH_LIBRARY_PATH instead (trainer-image profile `cuda`). The node's driver (libcuda.so.1)
# comes from the NVIDIA container toolkit at run time, as for any CUDA image.
#
# Cached outside the repository under a key of the recipe; a second run is a no-op. About 2.8 GB
# of wheels are downloaded once (pip's cache) and the archive is about 3 GB. Prints the archive
# path on the last line of stdout.
#
#   TORCH_VERSION      torch wheel version (default 2.7.1, the libtorch DJL 0.36's JNI is built for)
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail
source "$(dirname "$0")/lib/oci.sh"

TORCH="${TORCH_VERSION:-2.7.1}"
SITE=/opt/torch/site-packages
REF="archipelago.dev/jre-cuda-base:17-torch$TORCH"
# Which devices a container sees is the device plugin's to say (it sets NVIDIA_VISIBLE_DEVICES for
# the GPUs it allocated); an image-wide "all" would hand every GPU to pods that asked for none.
ENV_DRIVER="NVIDIA_DRIVER_CAPABILITIES=compute,utility"
log() { echo "[cuda-base-image] $*" >&2; }

base="$(bash "$(dirname "$0")/base-image.sh" | tail -n 1)"
ARCHIVE="$OCI_IMAGE_DIR/jre-cuda-base-$(oci_key "$REF" "$(basename "$base")" "$SITE" "$ENV_DRIVER" "$(oci_arch)").tar"
if [[ -s "$ARCHIVE" ]]; then
  log "cached: $ARCHIVE"
  echo "$ARCHIVE"
  exit 0
fi

command -v pip >/dev/null || { log "pip is required (Python 3)"; exit 1; }
oci_require umoci skopeo unzip
mkdir -p "$OCI_IMAGE_DIR"
WORK="$(mktemp -d "$OCI_IMAGE_DIR/.cuda.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
start=$SECONDS

# The wheel's own pins decide the nvidia-* versions; only their shared libraries are kept.
log "fetching torch==$TORCH and the nvidia-* wheels it pins"
[[ "$(oci_arch)" == amd64 ]] || { log "the CUDA wheels are for x86_64 only"; exit 1; }
# This machine's Python picks the wheels; their shared libraries are the same for every Python.
pip download --quiet --only-binary=:all: -d "$WORK/wheels" "torch==$TORCH" >&2
root="$WORK/root$SITE"
mkdir -p "$root"
# libtorch without its Python binding, then each nvidia-* wheel's libraries.
unzip -q -o "$WORK"/wheels/torch-*.whl 'torch/lib/*' -x 'torch/lib/libtorch_python.so' -d "$root"
for wheel in "$WORK"/wheels/nvidia_*.whl; do unzip -q -o "$wheel" '*/lib/*' -d "$root"; done
ls "$root/torch/lib/libtorch_cuda.so" >/dev/null
tar --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$WORK/root" -cf "$WORK/layer.tar" opt
log "libtorch layer: $(du -sh "$WORK/root" | cut -f1)"

skopeo --insecure-policy copy --quiet "docker-archive:$base" "oci:$WORK/oci:image" >&2
umoci raw add-layer --image "$WORK/oci:image" --history.created_by "archipelago hack/cuda-base-image.sh" \
  "$WORK/layer.tar"
umoci config --image "$WORK/oci:image" --config.env "$ENV_DRIVER"
skopeo --insecure-policy copy --quiet "oci:$WORK/oci:image" "docker-archive:$WORK/image.tar:$REF" >&2
mv "$WORK/image.tar" "$ARCHIVE"
log "built $REF in $((SECONDS - start)) s: $(du -h "$ARCHIVE" | cut -f1)"
echo "$ARCHIVE"

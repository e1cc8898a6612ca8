# Shared by hack/base-image.sh and hack/pause-image.sh (sourced, not run): image archives built
# without a container engine or a registry. A layer is a plain tar; umoci wraps it in an OCI
# layout and skopeo writes that as a `docker save`-style archive, which Jib takes as a `tar://`
# base and `ctr images import` / `docker load` take as an image.

OCI_CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
OCI_IMAGE_DIR="$OCI_CACHE_ROOT/images"

# Installs the Debian packages that provide the given commands when any is missing.
oci_require() {
  local missing=()
  for cmd in "$@"; do command -v "$cmd" >/dev/null || missing+=("$cmd"); done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "missing: ${missing[*]} (Debian packages of the same names; see README prerequisites)" >&2
    return 1
  fi
  echo "installing ${missing[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# oci_pack LAYER_TAR IMAGE_NAME:TAG ARCHIVE [umoci config options...]
# Writes a one-layer image to ARCHIVE (atomically: a crash leaves no half-written cache entry).
oci_pack() {
  local layer=$1 ref=$2 archive=$3
  shift 3
  local work
  work="$(mktemp -d "$OCI_IMAGE_DIR/.pack.XXXXXX")"
  local oci="$work/oci:image"
  umoci init --layout "$work/oci"
  umoci new --image "$oci"
  umoci raw add-layer --image "$oci" --history.created_by "archipelago hack/$(basename "$0")" "$layer"
  umoci config --image "$oci" --os linux --architecture "$(oci_arch)" "$@"
  # Both ends are local files: there is no signature to verify, so skopeo needs no trust policy.
  skopeo --insecure-policy copy --quiet "oci:$oci" "docker-archive:$work/image.tar:$ref" >&2
  mv "$work/image.tar" "$archive"
  rm -rf "$work"
}

# The image architecture in OCI terms (amd64, arm64), which Debian's architecture names match.
oci_arch() {
  if command -v dpkg >/dev/null; then
    dpkg --print-architecture
  else
    case "$(uname -m)" in x86_64) echo amd64 ;; aarch64) echo arm64 ;; *) uname -m ;; esac
  fi
}

# A short key of the given strings, for cache file names that change when a recipe does.
oci_key() {
  printf '%s\n' "$@" | sha256sum | cut -c1-12
}

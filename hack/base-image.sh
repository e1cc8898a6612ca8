#!/usr/bin/env bash
# Builds the JRE base image of the operator and trainer images from Debian packages, without a
# container engine or a registry: mmdebstrap installs openjdk-17-jre-headless into a root
# filesystem tarball, umoci and skopeo turn it into a `docker save`-style archive that Jib takes
# as its base (`-Darchipelago.image.base=tar://<archive>`; hack/images.sh does this). Users with a
# registry need none of this: the default base is eclipse-temurin:17-jre (root pom).
#
# The archive is cached outside the repository under a key of the recipe below; a second run is a
# no-op. Prints the archive path on the last line of stdout.
#
#   BASE_SUITE         Debian suite (default bookworm)
#   BASE_MIRROR        Debian mirror URI or sources file for mmdebstrap (default: mmdebstrap's)
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail
source "$(dirname "$0")/lib/oci.sh"

SUITE="${BASE_SUITE:-bookworm}"
PACKAGES="openjdk-17-jre-headless,ca-certificates"
# Documentation and translations are dropped (copyright files kept). /usr/share/man must stay:
# openjdk's postinst registers its man pages with update-alternatives and fails without them.
DPKG_OPTS=("path-exclude=/usr/share/doc/*" "path-include=/usr/share/doc/*/copyright"
  "path-exclude=/usr/share/locale/*")
REF="archipelago.dev/jre-base:17-$SUITE"
ARCHIVE="$OCI_IMAGE_DIR/jre-base-$SUITE-$(oci_key "$SUITE" "$PACKAGES" "${DPKG_OPTS[@]}" "$(oci_arch)").tar"

log() { echo "[base-image] $*" >&2; }

if [[ -s "$ARCHIVE" ]]; then
  log "cached: $ARCHIVE"
  echo "$ARCHIVE"
  exit 0
fi

oci_require mmdebstrap umoci skopeo
mkdir -p "$OCI_IMAGE_DIR"
WORK="$(mktemp -d "$OCI_IMAGE_DIR/.base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

start=$SECONDS
log "installing $PACKAGES from Debian $SUITE"
dpkg_args=()
for o in "${DPKG_OPTS[@]}"; do dpkg_args+=(--dpkgopt="$o"); done
# --variant=apt: the Essential set plus apt (a shell and coreutils, as eclipse-temurin has).
# mmdebstrap's default clean-up removes apt's lists and package cache from the tarball.
mmdebstrap --quiet --variant=apt --include="$PACKAGES" --aptopt='APT::Install-Recommends "false"' \
  "${dpkg_args[@]}" "$SUITE" "$WORK/rootfs.tar" ${BASE_MIRROR:+"$BASE_MIRROR"} >&2

# Debian installs the JRE under an architecture-named directory; /usr/bin/java links to it.
java_home="/usr/lib/jvm/java-17-openjdk-$(oci_arch)"
tar -tf "$WORK/rootfs.tar" >"$WORK/rootfs.list"
grep -qx "\.\?$java_home/bin/java" "$WORK/rootfs.list" \
  || { log "no $java_home/bin/java in the root filesystem"; exit 1; }

oci_pack "$WORK/rootfs.tar" "$REF" "$ARCHIVE" \
  --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=$java_home" \
  --config.env "LANG=C.UTF-8"
log "built $REF in $((SECONDS - start)) s: $(du -h "$ARCHIVE" | cut -f1)"
echo "$ARCHIVE"

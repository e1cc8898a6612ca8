#!/usr/bin/env bash
# The one test command: builds the test cluster's binaries (cached after the first run) and the
# JRE base image (cached), then builds every module, the operator and trainer image tarballs, and
# runs every test layer: unit tests (*Test), integration tests (*IT) against a real
# kube-apiserver, and the tests of real containers on the cluster's real kubelet node (root; the
# Debian packages it needs are installed when missing). Extra arguments go to Maven, e.g.
# `hack/test.sh -pl e2e-tests -am`; `-Darchipelago.test.realNode=false` leaves out the real node
# and the images (a machine without root).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn go; do
  command -v "$tool" >/dev/null || { echo "missing prerequisite: $tool (see README.md)" >&2; exit 1; }
done

start=$SECONDS
bash hack/cluster-binaries.sh >/dev/null
bash hack/gitops-verdicts.sh >/dev/null
bash hack/kueue.sh >/dev/null
bash hack/webdataset-python.sh >/dev/null
# The Kueue tests serve with a self-signed certificate.
if ! command -v openssl >/dev/null && [[ $EUID -eq 0 ]]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi
echo "[test] cluster binaries, GitOps verdict tool, Kueue and the webdataset library ready after $((SECONDS - start))s"

images=()
if [[ " $* " != *" -Darchipelago.test.realNode=false "* ]]; then
  base="$(bash hack/base-image.sh | tail -n 1)"
  bash hack/pause-image.sh >/dev/null
  images=(-Pimage-tarballs "-Darchipelago.image.base=tar://$base" -Djib.console=plain)
  echo "[test] base images ready after $((SECONDS - start))s"
fi

mvn -B -ntp verify "${images[@]}" "$@"
echo "[test] done in $((SECONDS - start))s"

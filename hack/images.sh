#!/usr/bin/env bash
# Builds the operator and trainer images as tarballs with no container engine and no registry:
# the JRE base from Debian packages (hack/base-image.sh, cached), then Jib from the Maven build
# (the same definition a user pushes with `jib:build`, see README "Install on a cluster"). Unit
# tests are skipped (hack/test.sh runs them). Extra arguments go to Maven, e.g.
# `-Darchipelago.image.registry=registry.example.com/archipelago`.
#
# Prints the two tarballs (`docker save` format: `ctr images import`, `docker load`), operator
# first, on the last two lines of stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "missing prerequisite: $tool (see README.md)" >&2; exit 1; }
done

start=$SECONDS
base="$(bash hack/base-image.sh | tail -n 1)"
echo "[images] base image ready after $((SECONDS - start)) s" >&2

mvn -B -ntp -q -pl operator,trainer-image -am package jib:buildTar -DskipUTs \
  -Darchipelago.image.base="tar://$base" -Djib.console=plain "$@" >&2
echo "[images] done in $((SECONDS - start)) s" >&2
for module in operator trainer-image; do
  echo "$PWD/$module/target/jib-image.tar"
done

#!/usr/bin/env bash
# Builds the test cluster's binaries from Go modules (no other downloads) into a
# version-keyed cache outside the repository. A second run with the same versions
# is a no-op. Prints the binary directory on the last line of stdout.
#
#   KUBE_VERSION   k8s.io/kubernetes version   (kube-apiserver, -controller-manager, -scheduler, kubectl,
#                  and kubelet + kube-proxy for the test cluster's real node)
#   ETCD_VERSION   go.etcd.io/etcd/server/v3 version
#   KWOK_VERSION   sigs.k8s.io/kwok version    (kwok, kwokctl)
#   HELM_VERSION   helm.sh/helm/v3 version     (helm; the chart's tests drive the real CLI)
#   KUBE_ROUTER_VERSION  github.com/cloudnativelabs/kube-router/v2 version (the real node's
#                  NetworkPolicy enforcer; test use only: its advisories are for its BGP and proxy
#                  parts, which the test node leaves off)
#   ARCHIPELAGO_CACHE  cache root (default: $XDG_CACHE_HOME/archipelago or ~/.cache/archipelago)
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${KWOK_VERSION:-v0.7.0}"
HELM_VERSION="${HELM_VERSION:-v3.19.5}"
KUBE_ROUTER_VERSION="${KUBE_ROUTER_VERSION:-v2.1.0}"
CACHE_ROOT="${ARCHIPELAGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archipelago}"
BIN_DIR="$CACHE_ROOT/cluster-bin/kube-${KUBE_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
BINARIES=("${KUBE_BINARIES[@]}" etcd kwok kwokctl helm kube-router)

log() { echo "[cluster-binaries] $*" >&2; }

# helm is not part of the directory's key (adding it would rebuild Kubernetes): a marker file
# records which version the cached binary is.
helm_current() {
  [[ -x "$BIN_DIR/helm" && "$(cat "$BIN_DIR/helm.version" 2>/dev/null)" == "$HELM_VERSION" ]]
}

# Kubernetes binaries carry their version (`kubectl version`, the node's kubeletVersion); ones
# built before that was stamped in are rebuilt once, found by this marker.
KUBE_STAMP="$KUBE_VERSION stamped"
kube_current() {
  [[ "$(cat "$BIN_DIR/kube.stamp" 2>/dev/null)" == "$KUBE_STAMP" ]]
}

kube_router_current() {
  [[ -x "$BIN_DIR/kube-router" && "$(cat "$BIN_DIR/kube-router.version" 2>/dev/null)" == "$KUBE_ROUTER_VERSION" ]]
}

complete() {
  for b in "${BINARIES[@]}"; do [[ -x "$BIN_DIR/$b" ]] || return 1; done
  helm_current && kube_current && kube_router_current
}

if complete; then
  log "cached: $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null || { log "go is required (see README prerequisites)"; exit 1; }
mkdir -p "$BIN_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false"
BUILD_FLAGS=(-trimpath -ldflags "-s -w")

# k8s.io/kubernetes replaces its staging modules with local paths; a consumer must
# replace each with the published v0.x release of the same minor (as library users do).
build_kubernetes() {
  local mod="$WORK/kube" staging="v0.${KUBE_VERSION#v1.}"
  mkdir -p "$mod" && cd "$mod"
  go mod init archipelago.dev/cluster-bin/kube >/dev/null 2>&1
  go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" >/dev/null
  local gomod
  gomod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBE_VERSION.mod"
  grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging' "$gomod" | awk '{print $1}' | while read -r m; do
    go mod edit -replace "$m=$m@$staging"
  done
  go mod edit -require "k8s.io/kubernetes@$KUBE_VERSION"
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
  go mod tidy -e >/dev/null 2>&1 || true
  go mod download
  local minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  local v="k8s.io/component-base/version"
  local ldflags="-s -w -X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor"
  ldflags+=" -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  kube_current || for c in "${KUBE_BINARIES[@]}"; do rm -f "$BIN_DIR/$c"; done
  # Only what is missing: a cache from before the real node gains kubelet and kube-proxy alone.
  for c in "${KUBE_BINARIES[@]}"; do
    [[ -x "$BIN_DIR/$c" ]] && continue
    log "building $c $KUBE_VERSION"
    go build -trimpath -ldflags "$ldflags" -tags tools -o "$BIN_DIR/$c.tmp" "k8s.io/kubernetes/cmd/$c"
    mv "$BIN_DIR/$c.tmp" "$BIN_DIR/$c"
  done
  echo "$KUBE_STAMP" >"$BIN_DIR/kube.stamp"
}

# etcd's root module carries replace directives, so `go install` refuses it; a tiny
# main that calls etcdmain is the same program.
build_etcd() {
  local mod="$WORK/etcd"
  mkdir -p "$mod" && cd "$mod"
  go mod init archipelago.dev/cluster-bin/etcd >/dev/null 2>&1
  cat >main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null 2>&1
  go mod tidy >/dev/null 2>&1
  log "building etcd $ETCD_VERSION"
  go build "${BUILD_FLAGS[@]}" -o "$BIN_DIR/etcd.tmp" .
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
}

build_kwok() {
  local mod="$WORK/kwok"
  mkdir -p "$mod" && cd "$mod"
  go mod init archipelago.dev/cluster-bin/kwok >/dev/null 2>&1
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
	_ "sigs.k8s.io/kwok/cmd/kwokctl"
)
GO
  go get "sigs.k8s.io/kwok@$KWOK_VERSION" >/dev/null
  go mod tidy -e >/dev/null 2>&1 || true
  for c in kwok kwokctl; do
    log "building $c $KWOK_VERSION"
    go build "${BUILD_FLAGS[@]}" -tags tools -o "$BIN_DIR/$c.tmp" "sigs.k8s.io/kwok/cmd/$c"
    mv "$BIN_DIR/$c.tmp" "$BIN_DIR/$c"
  done
}

# helm's go.mod has no replace directives, so `go install` of the published module works; the
# ldflags are those of helm's Makefile (its version and the Kubernetes minor it was built against).
build_helm() {
  local mod="$WORK/helm" pkg="helm.sh/helm/v3"
  mkdir -p "$mod" && cd "$mod"
  go mod download -json "$pkg@$HELM_VERSION" >/dev/null
  local src client_go
  src="$(go env GOMODCACHE)/$pkg@$HELM_VERSION"
  client_go="$(grep -oE 'k8s.io/client-go v0\.[0-9]+' "$src/go.mod" | head -1)"
  local kube_minor="${client_go##*.}"
  log "building helm $HELM_VERSION (Kubernetes 1.$kube_minor capabilities)"
  GOBIN="$mod/bin" go install -trimpath -ldflags "-s -w \
    -X $pkg/internal/version.version=$HELM_VERSION \
    -X $pkg/internal/version.metadata= \
    -X $pkg/pkg/lint/rules.k8sVersionMajor=1 -X $pkg/pkg/lint/rules.k8sVersionMinor=$kube_minor \
    -X $pkg/pkg/chartutil.k8sVersionMajor=1 -X $pkg/pkg/chartutil.k8sVersionMinor=$kube_minor" \
    "$pkg/cmd/helm@$HELM_VERSION"
  mv "$mod/bin/helm" "$BIN_DIR/helm.tmp" && mv "$BIN_DIR/helm.tmp" "$BIN_DIR/helm"
  echo "$HELM_VERSION" >"$BIN_DIR/helm.version"
}

# Its go.mod has no replace directives: `go install` of the published module is its own build.
build_kube_router() {
  local mod="$WORK/kube-router" pkg="github.com/cloudnativelabs/kube-router/v2"
  mkdir -p "$mod" && cd "$mod"
  log "building kube-router $KUBE_ROUTER_VERSION"
  GOBIN="$mod/bin" go install -trimpath \
    -ldflags "-s -w -X $pkg/pkg/version.Version=$KUBE_ROUTER_VERSION" "$pkg/cmd/kube-router@$KUBE_ROUTER_VERSION"
  mv "$mod/bin/kube-router" "$BIN_DIR/kube-router.tmp" && mv "$BIN_DIR/kube-router.tmp" "$BIN_DIR/kube-router"
  echo "$KUBE_ROUTER_VERSION" >"$BIN_DIR/kube-router.version"
}

start=$SECONDS
[[ -x "$BIN_DIR/etcd" ]] || build_etcd
[[ -x "$BIN_DIR/kwokctl" && -x "$BIN_DIR/kwok" ]] || build_kwok
helm_current || build_helm
kube_router_current || build_kube_router
kube_built=true
for c in "${KUBE_BINARIES[@]}"; do [[ -x "$BIN_DIR/$c" ]] || kube_built=false; done
{ $kube_built && kube_current; } || build_kubernetes
complete || { log "incomplete build in $BIN_DIR"; exit 1; }
log "built in $((SECONDS - start))s: $BIN_DIR"
echo "$BIN_DIR"

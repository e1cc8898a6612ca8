#!/usr/bin/env bash
# One real Kubernetes node on this machine, joined to a running control plane: containerd + runc
# and the CNI plugins (Debian packages, installed when missing), a kubelet and kube-proxy built by
# hack/cluster-binaries.sh. Needs root: cgroups, iptables, mounts and network devices are host-wide,
# so there is one real node per machine and everything it creates is named here and removed by
# `down` (which `up` also runs first, to clean up after a run that crashed).
#
#   hack/real-node.sh up KUBECONFIG [IMAGE.tar ...]   start the node, import the image archives
#   hack/real-node.sh down [KUBECONFIG]               stop it and remove what it created
#
# The node is tainted and labelled like a GPU node pool and advertises fake nvidia.com/gpu devices
# (an extended resource patched onto its status): containers on it run on the CPU.
#
#   REAL_NODE_NAME   node name              (default archipelago-real-node)
#   REAL_NODE_POOL   cloud.google.com/gke-nodepool label (default real-pool)
#   REAL_NODE_GPUS   nvidia.com/gpu to advertise (default 4)
#   REAL_NODE_STATE  state directory        (default /var/lib/archipelago-real-node)
set -euo pipefail
cd "$(dirname "$0")/.."

NODE="${REAL_NODE_NAME:-archipelago-real-node}"
POOL="${REAL_NODE_POOL:-real-pool}"
GPUS="${REAL_NODE_GPUS:-4}"
STATE="${REAL_NODE_STATE:-/var/lib/archipelago-real-node}"
# The bridge and pod subnet; the control plane's Service range (10.0.0.0/24) lies elsewhere.
BRIDGE=archi0
POD_CIDR=10.244.77.0/24
GATEWAY=10.244.77.1
# Host-wide values the kubelet, kube-proxy and the bridge plugin change; `down` puts them back.
SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory net.ipv4.ip_forward
  net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables)
PACKAGES=(containerd runc containernetworking-plugins iptables ipset)
# The API server's Service range (kwokctl's default); kube-router's firewall keeps it apart.
SERVICE_CIDR=10.0.0.0/24
SOCK="$STATE/containerd/containerd.sock"

log() { echo "[real-node] $*" >&2; }
die() { log "$*"; exit 1; }

bin_dir() { bash hack/cluster-binaries.sh 2>/dev/null | tail -n 1; }

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

host_ip() {
  local dev
  dev="$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1); exit}')"
  ip -4 -o addr show dev "${dev:-eth0}" | awk '{print $4}' | cut -d/ -f1 | head -n 1
}

# Saved once: a crashed run's originals must survive the next `up`.
save_sysctls() {
  [[ -f "$STATE/sysctl.orig" ]] && return
  for s in "${SYSCTLS[@]}"; do
    v="$(sysctl -n "$s" 2>/dev/null)" && echo "$s=$v" >>"$STATE/sysctl.orig"
  done
}

restore_sysctls() {
  [[ -f "$STATE/sysctl.orig" ]] || return 0
  while IFS= read -r line; do sysctl -q -w "$line" >/dev/null 2>&1 || log "cannot restore $line"; done \
    <"$STATE/sysctl.orig"
}

write_containerd_config() {
  mkdir -p "$STATE/containerd" "$STATE/cni/net.d"
  cat >"$STATE/containerd/config.toml" <<TOML
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
# Root's bounding set lacks CAP_SYS_RESOURCE here: no negative oom_score_adj anywhere.
oom_score = 0
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  disable_apparmor = true
  enable_selinux = false
  tolerate_missing_hugetlb_controller = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
TOML
  cat >"$STATE/cni/net.d/10-archipelago.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "archipelago",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "hairpinMode": true,
      "ipam": {"type": "host-local", "dataDir": "$STATE/cni/ipam",
               "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

write_kubelet_config() {
  mkdir -p "$STATE/kubelet"
  cat >"$STATE/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$SOCK
# containerd 1.6 has no RuntimeConfig RPC to tell the driver; this host has no systemd.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
cgroupsPerQOS: true
enforceNodeAllocatable: [pods]
oomScoreAdj: 0
podLogsDir: $STATE/pod-logs
# The test control plane has no kubelet client certificate: anonymous, allowed (test cluster only).
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
readOnlyPort: 0
serializeImagePulls: false
# Shared build machines: never evict the tests' pods for a full disk or busy memory.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
YAML
  cat >"$STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $STATE/kubeconfig}
hostnameOverride: $NODE
mode: iptables
clusterCIDR: $POD_CIDR
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# Leave the host's conntrack and localnet sysctls as they are.
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false}
YAML
}

start_daemon() { # name, command...
  local name=$1
  shift
  setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
}

stop_daemon() { # name, seconds to wait before SIGKILL
  local pidfile="$STATE/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $(($2 * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "timed out after ${seconds}s waiting for $what (logs in $STATE)"
}

ctr_() { ctr --address "$SOCK" -n k8s.io "$@"; }

up() {
  local kubeconfig=$1
  shift
  [[ $EUID -eq 0 ]] || die "the real node needs root (cgroups, iptables, mounts); run the other tests with -Darchipelago.test.realNode=false"
  [[ -f "$kubeconfig" ]] || die "no kubeconfig at $kubeconfig"
  install_packages
  down_node
  local bins ip
  bins="$(bin_dir)"
  ip="$(host_ip)"
  [[ -n "$ip" ]] || die "cannot find this host's address"
  PAUSE_IMAGE="$(bash hack/pause-image.sh name)"
  mkdir -p "$STATE"
  save_sysctls
  cp "$kubeconfig" "$STATE/kubeconfig"
  write_containerd_config
  write_kubelet_config

  # The bridge plugin would make it with the first pod; made now, servers of the host (the tests'
  # object store) can listen on the gateway address before any pod exists.
  ip link add "$BRIDGE" type bridge
  ip addr add "$GATEWAY/${POD_CIDR#*/}" dev "$BRIDGE"
  ip link set "$BRIDGE" up

  start_daemon containerd containerd --config "$STATE/containerd/config.toml"
  wait_for 30 containerd ctr --address "$SOCK" version
  for archive in "$(bash hack/pause-image.sh)" "$@"; do
    log "importing $(basename "$archive")"
    ctr_ images import --no-unpack=false "$archive" >/dev/null
  done

  start_daemon kubelet "$bins/kubelet" --config="$STATE/kubelet/config.yaml" \
    --kubeconfig="$STATE/kubeconfig" --root-dir="$STATE/kubelet/root" --cert-dir="$STATE/kubelet/pki" \
    --hostname-override="$NODE" --node-ip="$ip" \
    --node-labels="cloud.google.com/gke-nodepool=$POOL,nvidia.com/gpu.present=true,archipelago.dev/real-node=true" \
    --register-with-taints="nvidia.com/gpu=present:NoSchedule"
  local kubectl=("$bins/kubectl" --kubeconfig="$STATE/kubeconfig")
  wait_for 60 "node $NODE Ready" bash -c \
    "[[ \"\$(${kubectl[*]} get node $NODE -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}')\" == True ]]"
  # The kubelet sets these once at start (protectKernelDefaults=false); the host keeps its own.
  restore_sysctls
  "${kubectl[@]}" patch node "$NODE" --subresource=status --type=json \
    -p "[{\"op\":\"add\",\"path\":\"/status/capacity/nvidia.com~1gpu\",\"value\":\"$GPUS\"}]" >/dev/null
  # The kubelet copies it to allocatable at its next status update; the scheduler reads that.
  wait_for 60 "allocatable nvidia.com/gpu" bash -c \
    "[[ \"\$(${kubectl[*]} get node $NODE -o jsonpath='{.status.allocatable.nvidia\\.com/gpu}')\" == $GPUS ]]"

  start_daemon kube-proxy "$bins/kube-proxy" --config="$STATE/kube-proxy.yaml"
  wait_for 30 kube-proxy curl -fsS http://127.0.0.1:10256/healthz

  # NetworkPolicy enforcement, which the bridge plugin lacks: kube-router's firewall alone (no BGP
  # routing, no service proxy, no CNI of its own), iptables and ipsets, as on a node of a cluster
  # that runs it beside another CNI. It reads the node's pod range from its spec.
  "${kubectl[@]}" patch node "$NODE" --type=merge \
    -p "{\"spec\":{\"podCIDR\":\"$POD_CIDR\",\"podCIDRs\":[\"$POD_CIDR\"]}}" >/dev/null
  start_daemon kube-router "$bins/kube-router" --kubeconfig="$STATE/kubeconfig" \
    --hostname-override="$NODE" --run-firewall=true --run-router=false --run-service-proxy=false \
    --enable-cni=false --service-cluster-ip-range="$SERVICE_CIDR" --health-port=20244 --metrics-port=0
  wait_for 60 "kube-router's firewall" curl -fsS http://127.0.0.1:20244/healthz
  log "node $NODE Ready at $ip, pods on $POD_CIDR, $GPUS fake GPUs (logs in $STATE)"
}

# Pods first, while the kubelet still runs, so their mounts, network and cgroups go the normal way.
drain_pods() {
  local kubeconfig=$1 bins
  [[ -f "$kubeconfig" ]] || return 0
  bins="$(bin_dir)"
  timeout 90 "$bins/kubectl" --kubeconfig="$kubeconfig" delete pods -A --field-selector "spec.nodeName=$NODE" \
    --grace-period=10 --wait=true >/dev/null 2>&1 || log "could not drain pods through the API (cluster gone?)"
  timeout 10 "$bins/kubectl" --kubeconfig="$kubeconfig" delete node "$NODE" --wait=false >/dev/null 2>&1 || true
}

down_node() {
  local bins
  bins="$(bin_dir)"
  if [[ -f "$STATE/kube-proxy.yaml" ]]; then
    "$bins/kube-proxy" --config="$STATE/kube-proxy.yaml" --cleanup >/dev/null 2>&1 || true
  fi
  stop_daemon kube-proxy 5
  stop_daemon kube-router 5
  if [[ -f "$STATE/kube-router.log" ]]; then
    "$bins/kube-router" --cleanup-config >/dev/null 2>&1 || true
  fi
  stop_daemon kubelet 10
  if [[ -S "$SOCK" ]]; then
    for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    sleep 0.5
    for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks rm -f "$t" >/dev/null 2>&1 || true; done
    for c in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers rm "$c" >/dev/null 2>&1 || true; done
  fi
  stop_daemon containerd 10
  pkill -KILL -f "containerd-shim-runc-v2 .*$STATE" 2>/dev/null || true
  # Deepest first: overlay rootfs, emptyDirs, netns bind mounts.
  local mounts
  mounts="$(awk -v state="$STATE" 'index($2, state) == 1 {print $2}' /proc/mounts | sort -r)"
  for m in $mounts; do umount -l "$m" 2>/dev/null || true; done
  if awk -v state="$STATE" 'index($2, state) == 1 {found = 1} END {exit !found}' /proc/mounts; then
    die "mounts remain under $STATE; not removing it"
  fi
  for root in /sys/fs/cgroup/*/; do
    if [[ -d "$root/kubepods" ]]; then
      find "$root/kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null || log "cgroups remain in $root/kubepods"
    fi
  done
  ip link delete "$BRIDGE" 2>/dev/null || true
  # Whatever kube-proxy, kube-router and the CNI plugins left: their chains and every jump to them,
  # table by table, in one restore (rules of other software stay as they are).
  for save in iptables-save ip6tables-save; do
    command -v "$save" >/dev/null || continue
    local restore="${save/-save/-restore}"
    for table in $("$save" 2>/dev/null | sed -n 's/^\*//p'); do
      "$save" -t "$table" | grep -v -E -- '^:(KUBE|CNI)-|^-A (KUBE|CNI)-|-j (KUBE|CNI)-' \
        | "$restore" -T "$table" 2>/dev/null || log "could not clean $save -t $table"
    done
  done
  if command -v ipset >/dev/null; then
    for set in $(ipset list -n 2>/dev/null | grep -i '^kube-'); do ipset destroy "$set" 2>/dev/null || true; done
  fi
  restore_sysctls
  rm -rf /var/lib/kubelet/device-plugins /var/lib/kubelet/pod-resources
  rmdir /var/lib/kubelet 2>/dev/null || true
  [[ -d "$STATE" ]] && rm -rf "$STATE"
  return 0
}

case "${1:-}" in
  up)
    [[ $# -ge 2 ]] || die "usage: $0 up KUBECONFIG [IMAGE.tar ...]"
    shift
    up "$@"
    ;;
  down)
    [[ $EUID -eq 0 ]] || die "the real node needs root"
    [[ -n "${2:-}" ]] && drain_pods "$2"
    down_node
    log "node $NODE removed"
    ;;
  *) die "usage: $0 up KUBECONFIG [IMAGE.tar ...] | down [KUBECONFIG]" ;;
esac

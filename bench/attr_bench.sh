#!/usr/bin/env bash
# Attribution cost at a steady 1,000 new connections per second (half TCP,
# half UDP) on the loopback of a fresh network namespace: CPU time of the
# attribution thread per back end, and how many connections it attributed.
# Needs root for eBPF and the namespace; without root only procfs runs, on
# the host's loopback.
#
#   bench/attr_bench.sh [RATE [SECONDS]]      (defaults 1000 5)
#   BUILD=build-asan bench/attr_bench.sh      another build directory
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BENCH=$BUILD/bench/attr_bench
RATE=${1:-1000}
SECS=${2:-5}

[ -x "$BENCH" ] || { echo "attr_bench: $BENCH is not built (make tests)"; exit 1; }

if [ "$(id -u)" != 0 ]; then
    echo "attr_bench: not root: procfs only, on the host's loopback"
    "$BENCH" --backend procfs --rate "$RATE" --seconds "$SECS"
    exit
fi

NS=wt-attr-bench-$$
trap 'ip netns del "$NS" 2>/dev/null' EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up || exit 1

for be in ebpf sock_diag procfs; do
    "$BENCH" --backend "$be" --rate "$RATE" --seconds "$SECS" --netns "/run/netns/$NS"
done
# every connection from its own short-lived process: names resolved per pid
"$BENCH" --backend ebpf --rate "$RATE" --seconds "$SECS" --netns "/run/netns/$NS" --fork

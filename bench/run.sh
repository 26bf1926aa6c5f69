#!/usr/bin/env bash
# `make bench`: the performance figures of docs/PERFORMANCE.md, reproduced.
#   bench/run.sh [--small] BIN
# 1. offline throughput and memory against the libpcap floor and ndpiReader
#    (../shared/bench/run_bench.sh), with DPI and with --no-dpi, on both
#    bench captures (1M packets / 10k flows; 5M / 200k, 4 GB, generated
#    once into the cache: --small leaves it out);
#    then per-packet cost as concurrent flows grow from 10k to 1M;
# 2. live: the default capture replayed at top speed through a veth pair in
#    namespaces made here, wiretop -i on the other end: drops and CPU;
# 3. the UI on a 100,000-connection capture, timed by wiretop itself
#    (--trace-ui: bench/ui_trace.sh), each figure beside its target;
# 4. the UI refresh benchmark and the attribution cost benchmark, when built.
# Parts whose tools are missing are skipped with a note.
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BIG=yes
[ "${1:-}" = "--small" ] && { BIG=; shift; }
BIN=$(realpath "${1:-build/wiretop}")
export WIRETOP_SHARED=${WIRETOP_SHARED:-../shared}
SHARED=$WIRETOP_SHARED
CACHE=${WIRETOP_BENCH_CACHE:-${TMPDIR:-/tmp}/wiretop-bench}

section() { printf '\n== %s\n' "$1"; }

# CAPTURE_NAME RUN_BENCH_ARGS...: run_bench.sh's table, then its figures
# beside the targets, and --no-dpi against the floor (5 pairs, medians).
offline() {
    local name=$1; shift
    local out f ratio ndpi bpf
    out=$(mktemp)
    "$SHARED/bench/run_bench.sh" "$@" --cache "$CACHE" "$BIN" | tee "$out"
    ratio=$(sed -n 's/.*(paired median): \([0-9.]*\)x.*/\1/p' "$out")
    ndpi=$(sed -n 's/.*vs ndpiReader: \([0-9.]*\)x.*/\1/p' "$out")
    bpf=$(sed -n 's/.*bytes per tracked flow: \([0-9]*\).*/\1/p' "$out")
    rm -f "$out"
    f=$CACHE/${name}_s1.pcap
    local dpi=() nodpi=() floor=() s e
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N); "$CACHE/pcap_floor" flow "$f" > /dev/null; e=$(date +%s%N); floor+=($(((e - s) / 1000000)))
        s=$(date +%s%N); "$BIN" --read "$f" --json > /dev/null; e=$(date +%s%N); dpi+=($(((e - s) / 1000000)))
        s=$(date +%s%N); "$BIN" --read "$f" --json --no-dpi > /dev/null; e=$(date +%s%N); nodpi+=($(((e - s) / 1000000)))
    done
    local fm dm nm
    fm=$(printf '%s\n' "${floor[@]}" | median) dm=$(printf '%s\n' "${dpi[@]}" | median)
    nm=$(printf '%s\n' "${nodpi[@]}" | median)
    echo "$name capture, targets:"
    row "wiretop / floor (paired median)" "${ratio:--}x" "<= 1.0x"
    row "throughput against ndpiReader" "${ndpi:--}x" ">= 6x"
    row "bytes per tracked flow" "${bpf:--} B" "<= 256 B"
    row "--no-dpi / floor (medians of 5)" "$(printf '%.2f' "$(echo "$nm / $fm" | bc -l)")x ($nm against $fm ms; DPI on $dm ms)" "well under 1.0x"
}

section "offline: wiretop vs the libpcap floor and ndpiReader"
if [ -x "$SHARED/bench/run_bench.sh" ]; then
    offline small
    if [ -n "$BIG" ]; then offline big --big --runs 3; else echo "(--small: the big capture left out)"; fi
else
    echo "skip: $SHARED/bench not present (the generator and the floor live there)"
fi

section "per-packet cost from 10k to 1M concurrent flows (10 packets per flow)"
bench/flow_growth.sh "$BIN" "$CACHE"

section "live: top-speed replay through a veth pair"
if [ -x bench/live_replay.sh ]; then
    bench/live_replay.sh "$BIN" "$CACHE/small_s1.pcap"
fi

section "UI on a 100,000-connection capture (--read --trace-ui)"
bench/ui_trace.sh "$BIN"

section "UI refresh with 100,000 connections"
if [ -x build/bench/ui_bench ]; then build/bench/ui_bench; else echo "skip: build/bench/ui_bench not built"; fi

section "attribution cost at 1,000 new connections per second"
if [ -x build/bench/attr_bench ]; then build/bench/attr_bench; else echo "skip: build/bench/attr_bench not built"; fi

#!/usr/bin/env bash
# `make bench`: the performance figures of docs/PERFORMANCE.md, reproduced.
#   bench/run.sh [--big] BIN
# 1. offline throughput and memory against the libpcap floor and ndpiReader
#    (../shared/bench/run_bench.sh), with DPI and with --no-dpi;
#    then per-packet cost as concurrent flows grow from 10k to 1M;
# 2. live: the default capture replayed at top speed through a veth pair in
#    namespaces made here, wiretop -i on the other end: drops and CPU;
# 3. the UI on a 100,000-connection capture, timed by wiretop itself
#    (--trace-ui: bench/ui_trace.sh), each figure beside its target;
# 4. the UI refresh benchmark and the attribution cost benchmark, when built.
# Parts whose tools are missing are skipped with a note.
set -uo pipefail
cd "$(dirname "$0")/.."
BIG=
[ "${1:-}" = "--big" ] && { BIG=--big; shift; }
BIN=$(realpath "${1:-build/wiretop}")
export WIRETOP_SHARED=${WIRETOP_SHARED:-../shared}
SHARED=$WIRETOP_SHARED
CACHE=${WIRETOP_BENCH_CACHE:-${TMPDIR:-/tmp}/wiretop-bench}

section() { printf '\n== %s\n' "$1"; }

section "offline: wiretop vs the libpcap floor and ndpiReader"
if [ -x "$SHARED/bench/run_bench.sh" ]; then
    "$SHARED/bench/run_bench.sh" $BIG --cache "$CACHE" "$BIN"
    section "DPI cost: --no-dpi on the same capture (median of 5)"
    f=$(ls "$CACHE"/small_s1.pcap 2>/dev/null | head -1)
    [ -n "$BIG" ] && f=$(ls "$CACHE"/big_s1.pcap 2>/dev/null | head -1)
    for mode in "" "--no-dpi"; do
        ts=()
        for _ in 1 2 3 4 5; do
            s=$(date +%s.%N); "$BIN" --read "$f" --json $mode > /dev/null; e=$(date +%s.%N)
            ts+=("$(echo "$e - $s" | bc)")
        done
        med=$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p)
        echo "wiretop ${mode:-(DPI on)}: median ${med}s"
    done
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

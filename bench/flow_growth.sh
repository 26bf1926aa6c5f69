#!/usr/bin/env bash
# Per-packet cost as the number of concurrent flows grows, everything else
# held fixed: three captures from ../shared/bench/gen_traffic with the same
# mix, seed and 10 packets per flow, all flows starting within 10 seconds so
# that nearly all of them are tracked at once (the peak is read from
# wiretop's own log), at 10k, 100k and 1M flows.
#   bench/flow_growth.sh BIN [CACHE]
# Prints, per capture: the peak of tracked flows, wiretop's median wall
# time, its cost per packet net of start-up (the median time on an empty
# capture), the libpcap floor's cost per packet, peak RSS and the bytes
# each further tracked flow added (peak RSS over the previous capture's,
# or the empty one's, over the added peak of tracked flows); then the
# growth of both from 10k to 1M flows, beside their targets.
set -uo pipefail
BIN=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
SHARED=${WIRETOP_SHARED:-$(dirname "$0")/../../shared}
CACHE=${2:-${WIRETOP_BENCH_CACHE:-${TMPDIR:-/tmp}/wiretop-bench}}
GEN_SRC=$SHARED/bench/gen_traffic.c FLOOR_SRC=$SHARED/bench/pcap_floor.c
if [ ! -f "$GEN_SRC" ] || [ ! -f "$FLOOR_SRC" ]; then
    echo "skip: $SHARED/bench not present (the generator and the floor live there)"; exit 0
fi
mkdir -p "$CACHE"
build() { # NAME SRC LIBS...
    local name=$1 src=$2; shift 2
    [ -x "$CACHE/$name" ] && [ "$CACHE/$name" -nt "$src" ] && return
    gcc -O2 -o "$CACHE/$name" "$src" "$@" || { echo "skip: cannot build $name"; exit 0; }
}
build gen_traffic "$GEN_SRC" -lcrypto -lm
build pcap_floor "$FLOOR_SRC" -lpcap

capture() { # NAME PACKETS FLOWS
    local f=$CACHE/$1.pcap
    if [ ! -s "$f" ] || [ "$GEN_SRC" -nt "$f" ]; then
        "$CACHE/gen_traffic" -o "$f.tmp" -n "$2" -f "$3" -s 1 -d 10 > /dev/null 2>&1 && mv "$f.tmp" "$f"
    fi
    echo "$f"
}

now_us() { local t; t=$(date +%s%N); echo $(( t / 1000 )); }

median_us() { # RUNS CMD... : median wall time in microseconds
    local runs=$1; shift
    local s e
    for _ in $(seq "$runs"); do
        s=$(now_us); "$@" > /dev/null 2>&1; e=$(now_us); echo $(( e - s ))
    done | median
}

peak_flows() { # CAPTURE: wiretop's own count of flows tracked at one time
    local d; d=$(mktemp -d)
    "$BIN" --read "$1" --json -l info --log-dir "$d" > /dev/null 2>&1
    grep -ho 'flows_peak=[0-9]*' "$d"/* | tail -1 | cut -d= -f2
    rm -rf "$d"
}

peak_rss_kb() {
    /usr/bin/time -f '%M' "$BIN" --read "$1" --json 2>&1 > /dev/null | tail -1
}

EMPTY=$CACHE/empty.pcap
head -c 24 "$(capture growth_10k 100000 10000)" > "$EMPTY"
START_US=$(median_us 21 "$BIN" --read "$EMPTY" --json)
EMPTY_KB=$(peak_rss_kb "$EMPTY")
echo "start-up on an empty capture: ${START_US} us (median of 21) and $((EMPTY_KB / 1024)) MB, subtracted below"
printf '%-8s %10s %10s %12s %12s %12s %10s %10s\n' flows packets peak wall_ms "ns/pkt" "floor ns/pkt" "RSS MB" "B/flow"

declare -A NS BPF
prev_kb=$EMPTY_KB prev_peak=0
for spec in "10k 100000 10000 21" "100k 1000000 100000 7" "1m 10000000 1000000 3"; do
    read -r tag packets flows runs <<< "$spec"
    f=$(capture "growth_$tag" "$packets" "$flows")
    cat "$f" > /dev/null # the page cache, not the disk, is what is measured
    peak=$(peak_flows "$f")
    wall=$(median_us "$runs" "$BIN" --read "$f" --json)
    floor=$(median_us "$runs" "$CACHE/pcap_floor" flow "$f")
    rss=$(peak_rss_kb "$f")
    NS[$tag]=$(( (wall - START_US) * 1000 / packets ))
    BPF[$tag]=$(( (rss - prev_kb) * 1024 / (${peak:-1} - prev_peak) ))
    prev_kb=$rss prev_peak=${peak:-0}
    printf '%-8s %10s %10s %12.1f %12s %12s %10.1f %10s\n' "$flows" "$packets" "$peak" \
        "$(echo "$wall / 1000" | bc -l)" "${NS[$tag]}" "$(( floor * 1000 / packets ))" \
        "$(echo "$rss / 1024" | bc -l)" "${BPF[$tag]}"
done
row "per-packet cost, 1M against 10k flows" \
    "$(printf '%.2fx (%s against %s ns)' "$(echo "${NS[1m]} / ${NS[10k]}" | bc -l)" "${NS[1m]}" "${NS[10k]}")" "<= 1.2x"
row "memory per added flow, 10k/100k/1M" \
    "$(printf '%s / %s / %s B (1M against 100k: %.2fx)' "${BPF[10k]}" "${BPF[100k]}" "${BPF[1m]}" \
        "$(echo "${BPF[1m]} / ${BPF[100k]}" | bc -l)")" "flat"

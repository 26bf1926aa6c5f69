#!/usr/bin/env bash
# flood_ui.sh - the UI under a SYN flood costs no more memory than a
# headless run: the same flood of FLOOD_SYNS (default 1,200,000; 300,000
# under AddressSanitizer) distinct spoofed sources is replayed twice
# against a connection cap of FLOOD_CAP (100,000), once to `wiretop
# --json` and once to the UI in a tmux pane, and the peak RSS (VmHWM) of
# each is read. Checks: the UI's peak is
# within 1.5x of the headless one; the UI dropped no packet internally
# (the worker kept up while rows were published); the cap evicts the
# excess under the UI, and its status bar (`N/M shown`) never counts more
# rows than the cap. Needs root, ip, tcpreplay, tmux and cc.
# The figures are printed for the record.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
CAP=${FLOOD_CAP:-100000}
SUITE=flood_ui
# AddressSanitizer's quarantine and shadow memory grow with what is freed,
# so the memory bound speaks of the plain build only; a sanitized build
# gets a flood still three times the cap, for the eviction and drop checks
sanitized=
ldd "$BIN" 2>/dev/null | grep -q libasan && sanitized=1
SYNS=${FLOOD_SYNS:-$([ -n "$sanitized" ] && echo 300000 || echo 1200000)}

. tests/need.sh
. tests/live/lib.sh
need_root "network namespace, capture"
need_tool ip tcpreplay tmux cc
[ -x "$BIN" ] || skip_suite "$BIN not built"

live_flood_setup fui
"$TMP/synflood" "$SYNS" "$TMP/syn.pcap" || fail_suite "cannot write the flood capture"
live_veth "$NS" "$A" "$B" || fail_suite "cannot create a network namespace and veth pair"

hwm=0 most_shown=0
sample() { # keeps the largest VmHWM (kB) and, for the UI, the largest row count shown
    local h n
    h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
    if [ "$1" = ui ]; then
        n=$(live_shown "$SOCK")
        n=${n#* }
        [ -n "$n" ] && [ "$n" -gt "$most_shown" ] && most_shown=$n
    fi
}

# Starts wiretop (MODE json or ui) in the namespace, replays the flood,
# lets the worker drain, stops it; leaves hwm and the log in $TMP/MODE.
flood() { # MODE
    local mode=$1
    local args=(-i "$B" --max-connections "$CAP" --log-dir "$TMP/$mode" --log-level info)
    mkdir "$TMP/$mode"
    hwm=0
    if [ "$mode" = json ]; then
        ip netns exec "$NS" "$BIN" "${args[@]}" --json >/dev/null 2>"$TMP/$mode/err" &
        pid=$!
    else
        tmux -L "$SOCK" new-session -d -x 250 -y 40 \
            "exec ip netns exec $NS $BIN ${args[*]} 2>$TMP/$mode/err" || return 1
        pid=$(tmux -L "$SOCK" display-message -p '#{pane_pid}')
    fi
    live_wait_capture "$NS"
    sleep 1
    timeout 300 tcpreplay --topspeed -i "$A" "$TMP/syn.pcap" >"$TMP/$mode/replay" 2>&1 &
    local rpid=$!
    while kill -0 "$rpid" 2>/dev/null; do sample "$mode"; sleep 0.2; done
    wait "$rpid"
    for _ in $(seq 15); do sample "$mode"; sleep 0.2; done # let the worker drain
    if [ "$mode" = json ]; then kill -INT "$pid"; else tmux -L "$SOCK" send-keys q q; fi
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || break
        sample "$mode"
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; echo "$mode: did not stop within 30 s" >>"$TMP/$mode/err"; }
    [ "$mode" = json ] && wait "$pid"
    pid=
    tmux_end "$SOCK"
    return 0
}

stat_of() { live_stat "$TMP/$1" "$2"; } # MODE KEY

flood json || fail_suite "cannot run the headless flood"
json_hwm=$hwm
flood ui || fail_suite "cannot start the UI in tmux"
ui_hwm=$hwm

for m in json ui; do
    echo "flood_ui: $m: sent $(sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' "$TMP/$m/replay") SYNs;" \
        "packets $(stat_of $m packets), connections $(stat_of $m flows_created)," \
        "evicted $(stat_of $m flows_evicted), kernel drops $(stat_of $m kernel_drops)," \
        "internal drops $(stat_of $m internal_drops)"
done
echo "flood_ui: peak RSS: --json $((json_hwm / 1024)) MB, UI $((ui_hwm / 1024)) MB" \
    "($(awk -v a="$ui_hwm" -v b="$json_hwm" 'BEGIN { if (b) printf "%.2f", a / b }')x);" \
    "most connections on the status bar $most_shown (cap $CAP)"

problems=()
[ -n "$(stat_of json packets)" ] || problems+=("the headless run left no closing counters: $(head -c 300 "$TMP/json/err")")
[ -n "$(stat_of ui packets)" ] || problems+=("the UI left no closing counters: $(head -c 300 "$TMP/ui/err")")
live_result "both runs end with their counters" "${problems[@]}"

problems=()
[ "$(stat_of ui flows_created)" -gt "$CAP" ] 2>/dev/null && [ "$(stat_of ui flows_evicted)" -gt 0 ] ||
    problems+=("connections $(stat_of ui flows_created), evicted $(stat_of ui flows_evicted)")
[ "$most_shown" -le "$CAP" ] || problems+=("the status bar counted $most_shown connections")
live_result "the cap evicts under the UI and bounds what it counts" "${problems[@]}"

problems=()
[ "$json_hwm" -gt 0 ] && [ "$ui_hwm" -gt 0 ] && [ $((ui_hwm * 2)) -le $((json_hwm * 3)) ] ||
    problems+=("UI $((ui_hwm / 1024)) MB against --json $((json_hwm / 1024)) MB")
if [ -n "$sanitized" ]; then
    echo "skip $SUITE: the 1.5x memory bound under AddressSanitizer (measured in the plain build)"
    skipped=$((skipped + 1))
else
    live_result "the UI's peak memory is within 1.5x of the headless run's" "${problems[@]}"
fi

problems=()
[ "$(stat_of ui internal_drops)" = 0 ] || problems+=("internal drops $(stat_of ui internal_drops)")
live_result "the UI drops no packet internally" "${problems[@]}"
live_summary

#!/usr/bin/env bash
# burst_ui.sh - honest counts under a burst: BURST_FLOWS (default 100,000)
# whole short TCP connections (handshake, 4 bytes each way, FIN both ways;
# six frames each, tests/live/synflood.c --flows) are replayed at top
# speed on a veth into a namespace where the UI captures, in a tmux pane.
# Closed connections are kept listed for the whole test (tcp_closed=60), so
# every connection sent is held when the burst ends. Checks:
# - every frame is accounted for: captured (those dropped internally
#   among them), or counted as a kernel drop;
# - the closing counters made one connection per connection sent (fewer
#   only by as many as frames were counted as dropped), and none evicted;
# - the status bar's "N/M shown" says M = the connections made, and the UI
#   comes to list them all (N = M) after the burst (how long it took is
#   printed: a refresh the workers answer late shows the rows published
#   before and counts the rest, so it varies with the machine's load);
# - the UI stayed responsive: a key pressed during the burst (p: port
#   numbers) shows within the refresh interval + 0.5 s, and q q quits
#   within 10 s.
# Needs root, ip, tcpreplay, tmux and cc.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
FLOWS=${BURST_FLOWS:-100000}
REFRESH_MS=1000
SUITE=burst_ui

. tests/need.sh
. tests/live/lib.sh
need_root "network namespace, capture"
need_tool ip tcpreplay tmux cc
[ -x "$BIN" ] || skip_suite "$BIN not built"

live_flood_setup bur
"$TMP/synflood" --flows "$FLOWS" "$TMP/flows.pcap" 10.77.0.2 8080 || fail_suite "cannot write the capture"
live_veth "$NS" "$A" "$B" || fail_suite "cannot create a network namespace and veth pair"

mkdir "$TMP/log"
tmux -L "$SOCK" new-session -d -x 250 -y 40 \
    "exec ip netns exec $NS $BIN -i $B --refresh-interval $REFRESH_MS --timeout tcp_closed=60 --log-dir $TMP/log --log-level info 2>$TMP/err" ||
    fail_suite "cannot start the UI in tmux"
pid=$(tmux -L "$SOCK" display-message -p '#{pane_pid}')
live_wait_capture "$NS" || fail_suite "the UI did not open its capture: $(head -c 300 "$TMP/err")"
sleep 0.5

now_ms() { date +%s%3N; }
{ timeout 60 tcpreplay --topspeed -i "$A" "$TMP/flows.pcap" >"$TMP/replay" 2>&1; now_ms >"$TMP/replay.end"; } &
rpid=$!
# A key during the burst: how long until the title says so.
sleep 0.2
key_ms=-1 during_burst=0
kill -0 "$rpid" 2>/dev/null && during_burst=1
sent_ms=$(now_ms)
tmux -L "$SOCK" send-keys p
for _ in $(seq 100); do
    if tmux -L "$SOCK" capture-pane -p 2>/dev/null | head -1 | grep -q 'ports: numbers'; then
        key_ms=$(($(now_ms) - sent_ms))
        break
    fi
    sleep 0.05
done
wait "$rpid"
end_ms=$(cat "$TMP/replay.end")
sent=$(sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' "$TMP/replay")

# After the burst: the status bar until it lists every connection it
# counts, all of them, or a count that stood still for 1.5 s (frames were
# dropped: a worker that cannot keep up, as under a sanitizer), or 10 s.
shown='' all_ms=-1 m_was=-1 m_since=0
for _ in $(seq 100); do
    shown=$(live_shown "$SOCK")
    read -r n m <<<"${shown:-0 -1}"
    [ "$m" != "$m_was" ] && m_was=$m m_since=$(now_ms)
    if [ "$n" = "$m" ] && { [ "$m" -ge "$FLOWS" ] || [ $(($(now_ms) - m_since)) -ge 1500 ]; }; then
        all_ms=$(($(now_ms) - end_ms))
        break
    fi
    sleep 0.1
done
sleep 0.5
shown=$(live_shown "$SOCK")
read -r n m <<<"${shown:-0 -1}"

quit_ms=-1
sent_ms=$(now_ms)
tmux -L "$SOCK" send-keys q q
for _ in $(seq 200); do
    if ! kill -0 "$pid" 2>/dev/null; then
        quit_ms=$(($(now_ms) - sent_ms))
        break
    fi
    sleep 0.05
done
[ "$quit_ms" -ge 0 ] || kill -9 "$pid" 2>/dev/null
pid=

stat() { live_stat "$TMP/log" "$1"; }
packets=$(stat packets) kd=$(stat kernel_drops) id=$(stat internal_drops)
created=$(stat flows_created) evicted=$(stat flows_evicted)
echo "burst_ui: $FLOWS connections in ${sent:-?} frames; captured $packets, kernel drops $kd," \
    "internal drops $id; connections $created, evicted $evicted; status bar $n/$m shown," \
    "all listed $all_ms ms after the burst; key shown after $key_ms ms" \
    "(pressed during the burst: $during_burst); quit took $quit_ms ms"

[ "$sent" = $((FLOWS * 6)) ] || fail_suite "tcpreplay sent ${sent:-nothing} of $((FLOWS * 6)) frames: $(tail -3 "$TMP/replay")"
[ -n "$packets" ] || fail_suite "the UI left no closing counters: $(head -c 300 "$TMP/err")"

problems=()
# (frames dropped internally were captured: they are among the packets)
[ $((packets + kd)) -eq "$sent" ] && [ "$id" -le "$packets" ] ||
    problems+=("$packets captured (internal drops $id among them) + $kd kernel drops of $sent sent")
live_result "every frame is captured or counted as dropped" "${problems[@]}"

problems=()
[ "$created" -le "$FLOWS" ] && [ $((created + kd + id)) -ge "$FLOWS" ] ||
    problems+=("$created connections of $FLOWS sent, $((kd + id)) frames dropped")
[ "$evicted" = 0 ] || problems+=("$evicted evicted below the cap")
live_result "one connection per connection sent, less only what was counted as dropped" "${problems[@]}"

problems=()
[ "$m" = "$created" ] || problems+=("the status bar counts $m connections, the tracker made $created")
[ "$n" = "$m" ] || problems+=("the status bar lists $n of $m")
[ "$all_ms" -ge 0 ] || problems+=("the UI did not list every connection within 10 s of the burst")
live_result "the status bar counts what the tracker holds, and the UI lists it all" "${problems[@]}"

problems=()
[ "$key_ms" -ge 0 ] && [ "$key_ms" -le $((REFRESH_MS + 500)) ] || problems+=("a key took $key_ms ms (-1: never shown)")
[ "$quit_ms" -ge 0 ] || problems+=("q q did not quit in 10 s")
if [ "$during_burst" = 1 ]; then
    live_result "the UI answers keys during the burst" "${problems[@]}"
else
    echo "skip $SUITE: the burst was over 0.2 s after it began, before a key could be pressed"
    skipped=$((skipped + 1))
fi
live_summary

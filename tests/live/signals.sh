#!/usr/bin/env bash
# A live `--json` run ends on SIGINT, SIGTERM and SIGHUP within a second,
# with status 0, after writing the record of a TCP connection that is
# still open (SIGHUP used to kill the process with status 129 and lose
# every record). Two network namespaces joined by a veth pair, made and
# removed here; wiretop captures in the first, a client there holds a
# connection to a server in the second. Needs root.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
SUITE=signals
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip python3
NA=wtsig_a_$$ NB=wtsig_b_$$ VA=wtsa$$ VB=wtsb$$
A=10.213.0.1 B=10.213.0.2
TMP=$(mktemp -d /tmp/wt-signals.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
{ ip netns add "$NA" && ip netns add "$NB" &&
    ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB"; } ||
    fail_suite "cannot create the namespaces and their veth pair"
ip -n "$NA" addr add $A/24 dev "$VA"; ip -n "$NB" addr add $B/24 dev "$VB"
ip -n "$NA" link set "$VA" up; ip -n "$NB" link set "$VB" up

# A server in B that accepts and keeps every connection open.
ip netns exec "$NB" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'$B'", 8097)); s.listen(8); held = []
while True:
    c, _ = s.accept(); held.append(c); c.sendall(b"hello")' &
pids+=($!)

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

port=41000
for sig in INT TERM HUP; do
    port=$((port + 1))
    probs=()
    ip netns exec "$NA" "$BIN" -i "$VA" --json --attr none >"$TMP/out" 2>"$TMP/err" &
    wt=$!
    pids+=("$wt")
    # nobody's uid: root dropped it, so the capture is open
    if ! live_wait_for_uid "$wt" "$(id -u nobody)"; then
        live_result "SIG$sig: wiretop starts" "did not start: $(head -c 200 "$TMP/err")"
        continue
    fi
    # A client that connects, sends, and holds the connection past the signal.
    rm -f "$TMP/ready"
    ip netns exec "$NA" python3 -c '
import socket, time
c = socket.create_connection(("'$B'", 8097), timeout=5, source_address=("'$A'", '$port'))
c.sendall(b"x" * 300); c.recv(5); open("'"$TMP/ready"'", "w").close(); time.sleep(30)' &
    cl=$!
    pids+=("$cl")
    for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
    sleep 0.3 # the last segments reach the capture
    t0=$(date +%s%N)
    kill -"$sig" "$wt"
    while kill -0 "$wt" 2>/dev/null && [ "$(ms_since "$t0")" -lt 5000 ]; do sleep 0.01; done
    took=$(ms_since "$t0")
    kill -9 "$wt" 2>/dev/null
    wait "$wt"
    rc=$?
    [ "$took" -lt 1000 ] || probs+=("took $took ms")
    [ "$rc" -eq 0 ] || probs+=("exit status $rc: $(head -c 200 "$TMP/err")")
    rec=$(grep "\"src_port\": $port," "$TMP/out")
    grep -q '"state": "ESTABLISHED"' <<<"$rec" ||
        probs+=("no ESTABLISHED record of the open connection: ${rec:-none}")
    grep -qE '"src_bytes": [0-9]+.*"dst_packets": [1-9]' <<<"$rec" ||
        probs+=("the record lacks its traffic both ways: ${rec:-none}")
    live_result "SIG$sig ends a live --json run within a second (${took} ms), status 0, the open connection written" \
        "${probs[@]}"
    kill "$cl" 2>/dev/null
    wait "$cl" 2>/dev/null
done
live_summary

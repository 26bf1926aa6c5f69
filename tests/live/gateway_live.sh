#!/usr/bin/env bash
# gateway_live.sh - connections to the default gateway are marked.
# `wiretop -i VA --json --duration 5` in a namespace whose default route
# goes via a peer (10.77.0.2) in another; the peer holds three addresses.
# UDP datagrams go to the gateway and to another address on the link;
# then the default route is replaced (via 10.77.0.4) while wiretop runs,
# and, once wiretop has read the routes again, datagrams go to the new
# gateway and to the old one. Checks that exactly the connections to the
# gateway of their time have "gateway": true (the others lack the key),
# and that the filter `gateway` keeps only those.
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
SUITE=gateway_live
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip python3
[ -x "$BIN" ] || skip_suite "$BIN is not built"

live_pair_setup gwy 10.77.0
live_ns_pair "$NA" "$NB" "$VA" "$VB" 10.77.0.1 10.77.0.2 &&
    ip -n "$NB" addr add 10.77.0.3/24 dev "$VB" && ip -n "$NB" addr add 10.77.0.4/24 dev "$VB" &&
    ip -n "$NA" route add default via 10.77.0.2 ||
    fail_suite "cannot make namespaces $NA and $NB with a default route"

# DST:PORT -> a datagram from the host namespace
send() {
    ip netns exec "$NA" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for a in sys.argv[1:]:
    host, port = a.split(":")
    s.sendto(b"x", (host, int(port)))
' "$@"
}

run() { # OUT-NAME WIRETOP-ARGS...
    local out=$1
    shift
    ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 5 --no-resolve \
        --log-dir "$TMP/log-$out" --log-level info "$@" >"$TMP/$out" 2>"$TMP/$out.err" &
    pids+=($!)
}

# the peer's addresses known without ARP: a datagram waiting for an
# answer would reach the wire only after the route change it was sent before
mac=$(ip -n "$NB" -o link show "$VB" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
for a in 10.77.0.2 10.77.0.3 10.77.0.4; do
    ip -n "$NA" neigh replace "$a" lladdr "$mac" dev "$VA" nud permanent ||
        fail_suite "cannot add a neighbour entry for $a"
done
mkdir -p "$TMP/log-all" "$TMP/log-filtered"
run all
run filtered --filter gateway
# the capture thread starts once the kernel filter is set (libpcap drops
# what came before it)
for p in "${pids[@]}"; do
    live_wait_capturing "$p" || fail_suite "wiretop $p did not start capturing"
done
send 10.77.0.2:4001 10.77.0.3:4002
ip -n "$NA" route replace default via 10.77.0.4 || fail_suite "cannot replace the default route"
# both wiretops have read the new routes: a line of their logs says so
for _ in $(seq 30); do
    [ "$(grep -l "routes changed" "$TMP"/log-*/*.log 2>/dev/null | wc -l)" -ge 2 ] && break
    sleep 0.1
done
send 10.77.0.4:4003 10.77.0.2:4004
for p in "${pids[@]}"; do wait "$p"; done
pids=()

# "PORT true|absent" for each UDP record of the host's datagrams
marks() {
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["proto"] == "UDP" and 4001 <= r["dst_port"] <= 4004:
        print(r["dst_port"], "true" if r.get("gateway") is True else
              "absent" if "gateway" not in r else "bad: %r" % r["gateway"])
' "$1" | sort
}

problems=()
grep -q "routes changed" "$TMP"/log-all/*.log 2>/dev/null ||
    problems+=("the log does not say the routes changed")
got=$(marks "$TMP/all")
want=$(printf '%s\n' "4001 true" "4002 absent" "4003 true" "4004 absent")
[ "$got" = "$want" ] || problems+=("marks: $(echo $got), want $(echo $want)" "$(head -3 "$TMP/all.err")")
live_result "the gateway's connections are marked, before and after the default route changed" \
    "${problems[@]}"

problems=()
got=$(marks "$TMP/filtered")
want=$(printf '%s\n' "4001 true" "4003 true")
[ "$got" = "$want" ] || problems+=("--filter gateway wrote: $(echo $got), want $(echo $want)")
live_result "--filter gateway keeps the gateway's connections only" "${problems[@]}"

live_summary

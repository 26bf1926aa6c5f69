#!/usr/bin/env bash
# lan_live.sh - the MACs of a connection's ends: the local end's from the
# connection's own frames, an on-link peer's learned passively from ARP and
# IPv6 neighbour discovery. `wiretop -i VA --json --duration 5` in a
# namespace joined by a veth pair to a peer with 10.78.0.2, 10.78.0.3 and
# fd00:78::2; once it captures, the host sends a UDP datagram to each of
# the peer's addresses (its neighbour table is empty for 10.78.0.2 and
# fd00:78::2: the kernel first sends an ARP request and a neighbour
# solicitation, and the peer answers; 10.78.0.3 it holds already, both
# ways, so no ARP names either end of that one), then the peer sends one
# to the host.
# Checks that the connections to 10.78.0.2 and fd00:78::2 have remote_mac
# equal to the peer's veth address as `ip link` shows it, and
# remote_mac_vendor "locally administered" (the kernel picks veth
# addresses at random, U/L bit set); that every connection, the one the
# peer began too (its local end received the frame), has local_mac equal
# to the host's, and those to 10.78.0.3 and to an address beyond the link
# (via the peer) no remote MAC; and that `--filter mac:ADDR` keeps the
# peer's.
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
SUITE=lan_live
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip python3
[ -x "$BIN" ] || skip_suite "$BIN is not built"

live_pair_setup lan 10.78.0
live_ns_pair "$NA" "$NB" "$VA" "$VB" 10.78.0.1 10.78.0.2 &&
    ip -n "$NA" addr add fd00:78::1/64 dev "$VA" nodad &&
    ip -n "$NB" addr add fd00:78::2/64 dev "$VB" nodad &&
    ip -n "$NB" addr add 10.78.0.3/24 dev "$VB" &&
    ip -n "$NA" route add 198.51.100.0/24 via 10.78.0.2 ||
    fail_suite "cannot make namespaces $NA and $NB"

mac_of() { # NS DEV
    ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\) .*/\1/p'
}
HOST_MAC=$(mac_of "$NA" "$VA") PEER_MAC=$(mac_of "$NB" "$VB")
[ -n "$HOST_MAC" ] && [ -n "$PEER_MAC" ] || fail_suite "ip link shows no MAC for $VA or $VB"
# 10.78.0.3 and the host know each other already: no ARP for them
ip -n "$NA" neigh replace 10.78.0.3 lladdr "$PEER_MAC" dev "$VA" nud permanent &&
    ip -n "$NB" neigh replace 10.78.0.1 lladdr "$HOST_MAC" dev "$VB" nud permanent ||
    fail_suite "cannot set the neighbours of $VA and $VB"

run() { # OUT-NAME WIRETOP-ARGS...
    local out=$1
    shift
    ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 5 --no-resolve --no-geoip \
        --oui-file tests/golden/oui.txt "$@" >"$TMP/$out" 2>"$TMP/$out.err" &
    pids+=($!)
}

run all
run filtered --filter "mac:$PEER_MAC"
for _ in $(seq 50); do
    [ "$(ip netns exec "$NA" cat /proc/net/packet | wc -l)" -ge 3 ] && break
    sleep 0.1
done
[ "$(ip netns exec "$NA" cat /proc/net/packet | wc -l)" -ge 3 ] || fail_suite "wiretop did not open its captures in $NA"
# the engine's threads run once the kernel filter is set: capturing
for p in "${pids[@]}"; do
    live_wait_capturing "$p" || fail_suite "wiretop $p did not start capturing"
done
sleep 0.3
ip netns exec "$NA" python3 -c '
import socket
for fam, host, port in ((socket.AF_INET, "10.78.0.2", 4001), (socket.AF_INET6, "fd00:78::2", 4002),
                        (socket.AF_INET, "198.51.100.7", 4003), (socket.AF_INET, "10.78.0.3", 4004)):
    socket.socket(fam, socket.SOCK_DGRAM).sendto(b"x", (host, port))
' || fail_suite "cannot send from $NA"
sleep 0.3
ip netns exec "$NB" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.78.0.2", 4005))
s.sendto(b"x", ("10.78.0.1", 4005))
' || fail_suite "cannot send from $NB"
# the peer answered both: the host's neighbour table holds it
sleep 0.5
ip -n "$NA" neigh show | grep -q "10.78.0.2 .*$PEER_MAC" && ip -n "$NA" neigh show | grep -q "fd00:78::2 .*$PEER_MAC" ||
    fail_suite "the host did not resolve the peer: $(ip -n "$NA" neigh show | tr '\n' ' ')"
for p in "${pids[@]}"; do wait "$p"; done
pids=()

# "PORT local_mac remote_mac vendor" for each UDP record of the datagrams
macs() {
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["proto"] == "UDP" and 4001 <= r["dst_port"] <= 4005:
        print(r["dst_port"], r.get("local_mac", "-"), r.get("remote_mac", "-"),
              r.get("remote_mac_vendor", "-").replace(" ", "_"))
' "$1" | sort
}

problems=()
got=$(macs "$TMP/all")
want=$(printf '%s\n' "4001 $HOST_MAC $PEER_MAC locally_administered" \
    "4002 $HOST_MAC $PEER_MAC locally_administered" "4003 $HOST_MAC - -" "4004 $HOST_MAC - -" \
    "4005 $HOST_MAC $PEER_MAC locally_administered")
[ "$got" = "$want" ] || problems+=("got: $(echo $got)" "want: $(echo $want)" "$(head -3 "$TMP/all.err")")
live_result "on-link peers have the MACs ip link shows (IPv4 from ARP, IPv6 from neighbour discovery); the local end its own, from its frames: routed, unheard in ARP, or answering" \
    "${problems[@]}"

problems=()
got=$(macs "$TMP/filtered" | cut -d' ' -f1 | tr '\n' ' ')
[ "$got" = "4001 4002 4005 " ] || problems+=("--filter mac:$PEER_MAC wrote ports: $got, want 4001 4002 4005")
live_result "--filter mac: finds the peer's connections" "${problems[@]}"

live_summary

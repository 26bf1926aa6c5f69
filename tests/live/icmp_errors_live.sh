#!/usr/bin/env bash
# icmp_errors_live.sh - ICMP errors the kernel sends are noted on the
# connection they quote. A host namespace (10.78.0.1) routes everything via
# a peer (10.78.0.2) that forwards, has no route to 10.79.0.0/16 (an
# "unreachable" route: host unreachable) and routes 10.80.0.0/16 via a
# neighbour on the link (the TTL runs out before it is looked for). The host sends UDP datagrams to a closed port on the peer
# (port unreachable, from the peer), to 10.79.0.9 (host unreachable, from
# the peer as a router: an address the connection does not have) and with
# TTL 1 to 10.80.0.9 (TTL exceeded in transit). `wiretop -i VA --json`
# runs with one worker and with four at once. Checks that in both each UDP
# record has its icmp_error, icmp_error_from and icmp_errors, and that the
# peer's ICMP record counts the three errors, once.
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
SUITE=icmp_errors_live
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip python3
[ -x "$BIN" ] || skip_suite "$BIN is not built"

live_pair_setup ier 10.78.0
live_ns_pair "$NA" "$NB" "$VA" "$VB" 10.78.0.1 10.78.0.2 &&
    ip -n "$NA" route add default via 10.78.0.2 &&
    ip netns exec "$NB" sysctl -qw net.ipv4.ip_forward=1 &&
    ip -n "$NB" route add unreachable 10.79.0.0/16 &&
    ip -n "$NB" route add 10.80.0.0/16 via 10.78.0.3 ||
    fail_suite "cannot make namespaces $NA and $NB with a forwarding peer"

for threads in 1 4; do
    ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 4 --no-resolve --threads "$threads" \
        >"$TMP/out$threads" 2>"$TMP/err$threads" &
    pids+=($!)
done
for p in "${pids[@]}"; do
    live_wait_capturing "$p" || fail_suite "wiretop $p did not start capturing"
done
live_wait_capture "$NA" || fail_suite "wiretop did not open its capture in $NA"
sleep 0.3
ip netns exec "$NA" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("10.78.0.2", 4001))
time.sleep(0.1)
s.sendto(b"x", ("10.79.0.9", 4002))
time.sleep(0.1)
t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
t.sendto(b"x", ("10.80.0.9", 4003))
' || fail_suite "the traffic script failed"
for p in "${pids[@]}"; do wait "$p"; done
pids=()

# one line per UDP record of the datagrams and for the peer's ICMP record
records() {
    python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["proto"] == "UDP" and 4001 <= r["dst_port"] <= 4003:
        print(r["dst_port"], r.get("icmp_error"), r.get("icmp_error_from"), r.get("icmp_errors"),
              r["src_packets"] + r["dst_packets"])
    elif r["proto"] == "ICMP":
        print("ICMP", r["src_ip"], r["dst_ip"], r["src_packets"], r["dst_packets"], r.get("icmp_errors"))
' "$1" | sort
}

want=$(printf '%s\n' "4001 port unreachable 10.78.0.2 1 1" "4002 host unreachable 10.78.0.2 1 1" \
    "4003 TTL exceeded in transit 10.78.0.2 1 1" "ICMP 10.78.0.2 10.78.0.1 3 0 None")
for threads in 1 4; do
    problems=()
    got=$(records "$TMP/out$threads")
    [ "$got" = "$want" ] ||
        problems+=("records: $(echo "$got" | tr '\n' ';') want: $(echo "$want" | tr '\n' ';')" "$(head -3 "$TMP/err$threads")")
    live_result "$threads worker(s): each datagram has its ICMP error, the ICMP record counts them once" \
        "${problems[@]}"
done
live_summary

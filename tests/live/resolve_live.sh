#!/usr/bin/env bash
# Reverse DNS, live: two network namespaces joined by a veth pair (made and
# removed here). B runs a small DNS server (python, port 53 of its own
# namespace) that answers PTR queries for B's address and counts them, and
# a TCP server; A's resolver configuration names B (/etc/netns/A/resolv.conf,
# which `ip netns exec` mounts over /etc/resolv.conf). `wiretop -i VETH
# --json` in A must name the connection to B from the PTR answer
# (dst_name_source "ptr") and never list its own queries to B:53; with
# --no-resolve it asks nothing and the name stays null. Needs root.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
SUITE=resolve_live
. tests/need.sh
. tests/live/lib.sh # live_ns_pair, live_wait_threads, live_result
need_root "network namespaces, capture"
PY=/usr/bin/python3 # not a version manager's shim: that takes a second to start
need_tool ip $PY
NA=wtrdns_a_$$ NB=wtrdns_b_$$ VA=wtra$$ VB=wtrb$$
A=10.213.0.1 B=10.213.0.2
TMP=$(mktemp -d)
cleanup() {
    [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
    ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null
    rm -rf "/etc/netns/$NA" "$TMP"
}
trap cleanup EXIT
live_ns_pair "$NA" "$NB" "$VA" "$VB" $A $B || fail_suite "cannot create network namespaces joined by a veth pair"
mkdir -p "/etc/netns/$NA" && echo "nameserver $B" > "/etc/netns/$NA/resolv.conf" ||
    fail_suite "cannot write /etc/netns/$NA/resolv.conf"

# B: the DNS server (a PTR answer naming B, each query's sender noted in
# $TMP/queries) and a TCP server that takes connections until they close.
ip netns exec "$NB" $PY - "$B" "$TMP/queries" <<'SERVER' &
import socket, struct, sys, threading
addr, log = sys.argv[1], sys.argv[2]

def tcp():
    t = socket.socket()
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 8099))
    t.listen(4)
    while True:
        c, _ = t.accept()
        threading.Thread(target=lambda c=c: (c.recv(10), c.close()), daemon=True).start()

def labels(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"

threading.Thread(target=tcp, daemon=True).start()
ptr = labels(".".join(reversed(addr.split("."))) + ".in-addr.arpa")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, 53))
open(log + ".ready", "w").close()
while True:
    q, peer = s.recvfrom(512)
    with open(log, "a") as fh:
        fh.write("%s\n" % peer[0])
    end = 12
    while q[end]:
        end += 1 + q[end]
    question = q[12:end + 5]
    if q[12:end + 1] == ptr:
        rdata = labels("server.resolve.test")
        answer = b"\xc0\x0c" + struct.pack(">HHIH", 12, 1, 300, len(rdata)) + rdata
        s.sendto(q[:2] + b"\x85\x80\x00\x01\x00\x01\x00\x00\x00\x00" + question + answer, peer)
    else:  # NXDOMAIN
        s.sendto(q[:2] + b"\x85\x83\x00\x01\x00\x00\x00\x00\x00\x00" + question, peer)
SERVER
SRV=$!
for _ in $(seq 50); do [ -e "$TMP/queries.ready" ] && break; sleep 0.1; done
[ -e "$TMP/queries.ready" ] || fail_suite "the DNS server did not start"

# One run: wiretop in A, a TCP connection to B held 1 s (time for the
# lookup to come back before the record is written), then SIGINT.
run() { # OUT [wiretop options...]
    local out=$1
    shift
    ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 20 "$@" > "$out" 2>"$out.err" &
    local wt=$!
    live_wait_capturing "$wt"
    sleep 0.2
    ip netns exec "$NA" $PY -c '
import socket, time
c = socket.create_connection(("'$B'", 8099), timeout=5)
time.sleep(1); c.sendall(b"bye"); c.close()'
    sleep 0.3
    kill -INT "$wt"
    wait "$wt"
}

# The problems, one a line, with the records in OUT: the connection to
# B:8099 named WANT ("null": none) from SOURCE, no lookup of B:53 listed.
check_records() { # OUT WANT SOURCE
    $PY - "$@" "$B" 2>&1 <<'CHECK'
import json, sys
out, want, source, b = sys.argv[1:]
want, source = (None, None) if want == "null" else (want, source)
recs = [json.loads(l) for l in open(out) if l.strip()]
tcp = [r for r in recs if r["proto"] == "TCP" and r["dst_ip"] == b and r["dst_port"] == 8099]
if len(tcp) != 1:
    print("want one record of the connection, got %d" % len(tcp))
for r in tcp:
    if (r["dst_name"], r["dst_name_source"]) != (want, source):
        print("dst_name %r, dst_name_source %r" % (r["dst_name"], r["dst_name_source"]))
    if r["src_name"] is not None:
        print("the local end got a name: %r" % r["src_name"])
for r in recs:
    if b in (r["src_ip"], r["dst_ip"]) and 53 in (r["src_port"], r["dst_port"]):
        print("its own lookup listed: %s:%d" % (r["src_ip"], r["src_port"]))
CHECK
}

run "$TMP/named.json"
mapfile -t probs < <(check_records "$TMP/named.json" server.resolve.test ptr)
live_result "the connection is named by its PTR record, the lookup unlisted" "${probs[@]}"
asked=$(sort -u "$TMP/queries" | tr '\n' ' ')
probs=()
[ "$asked" = "$A " ] || probs=("queries came from: '$asked'")
live_result "wiretop asked the configured server" "${probs[@]}"

: > "$TMP/queries"
run "$TMP/numeric.json" --no-resolve
mapfile -t probs < <(check_records "$TMP/numeric.json" null null)
live_result "--no-resolve leaves the name null" "${probs[@]}"
probs=()
[ -s "$TMP/queries" ] && probs=("it asked: $(cat "$TMP/queries")")
live_result "--no-resolve asks nothing" "${probs[@]}"
live_summary

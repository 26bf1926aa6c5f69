#!/usr/bin/env bash
# GeoIP, live and confined: two network namespaces joined by a veth pair
# (made and removed here) with addresses in 198.51.100.0/24, which the
# suite's own database places in the US, AS15169 "GOOGLE"
# (tests/cli/geoip_db.pl). `wiretop -i VETH --json --geoip DB` in A, run
# as root so it drops its privileges and enters its sandbox before the
# first packet, must still place both ends of a UDP exchange with B: the
# database is mapped before the sandbox closes the file system. Needs root.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
SUITE=geoip_live
. tests/need.sh
. tests/live/lib.sh # live_ns_pair, live_wait_threads, live_result
need_root "network namespaces, capture"
PY=/usr/bin/python3 # not a version manager's shim: that takes a second to start
need_tool ip perl $PY
NA=wtgeo_a_$$ NB=wtgeo_b_$$ VA=wtga$$ VB=wtgb$$
A=198.51.100.1 B=198.51.100.20
TMP=$(mktemp -d)
cleanup() {
    ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
perl tests/cli/geoip_db.pl "$TMP"
case $? in
0) ;;
3) skip_suite "libmaxmind-db-writer-perl not installed (scripts/install-deps.sh --test installs it)" ;;
*) fail_suite "geoip_db.pl could not write the test databases" ;;
esac
chmod -R a+rX "$TMP" # read by the user it drops to
live_ns_pair "$NA" "$NB" "$VA" "$VB" $A $B || fail_suite "cannot create network namespaces joined by a veth pair"

ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 20 --geoip "$TMP" > "$TMP/out.json" 2>"$TMP/err" &
wt=$!
live_wait_capturing "$wt" || fail_suite "wiretop did not start capturing: $(cat "$TMP/err")"
sleep 0.2
ip netns exec "$NA" $PY -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"where", ("'$B'", 9999))'
sleep 0.3
kill -INT "$wt"
wait "$wt"
rc=$?

mapfile -t probs < <($PY - "$TMP/out.json" "$A" "$B" "$rc" 2>&1 <<'CHECK'
import json, sys
out, a, b, rc = sys.argv[1:]
if rc != "0":
    print("wiretop exited with status %s" % rc)
recs = [json.loads(l) for l in open(out) if l.strip()]
udp = [r for r in recs if r["proto"] == "UDP" and (r["src_ip"], r["dst_ip"]) == (a, b)]
if len(udp) != 1:
    print("want one record of the datagram, got %d" % len(udp))
want = {"src_country": "US", "dst_country": "US", "src_asn": 15169, "dst_asn": 15169,
        "src_as_org": "GOOGLE", "dst_as_org": "GOOGLE"}
for r in udp:
    got = {k: r.get(k) for k in want}
    if got != want:
        print("places: %r" % got)
CHECK
)
live_result "a confined run places both ends" "${probs[@]}"
probs=()
grep -qi "sandbox\|seccomp\|landlock" "$TMP/err" && probs=("stderr: $(cat "$TMP/err")")
live_result "nothing on stderr about the sandbox" "${probs[@]}"
live_summary

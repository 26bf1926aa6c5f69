#!/usr/bin/env bash
# Live capture end to end: two network namespaces joined by a veth pair
# (made and removed here), real TCP, UDP and ICMP between them, and
# `wiretop -i VETH --json` must report each connection with the right state
# and the counts that were sent. It is ended with SIGINT once the traffic is
# done (--duration 30 bounds it): on a loaded machine starting the traffic
# takes seconds. Needs root.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
. tests/need.sh
. tests/live/lib.sh # live_ns_pair, live_wait_threads
need_root "network namespaces, capture"
need_tool ip python3
NA=wtlive_a_$$ NB=wtlive_b_$$ VA=wtla$$ VB=wtlb$$
A=10.211.0.1 B=10.211.0.2
OUT=$(mktemp)
cleanup() { ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null; rm -f "$OUT"; }
trap cleanup EXIT
live_ns_pair "$NA" "$NB" "$VA" "$VB" $A $B || fail_suite "cannot create network namespaces joined by a veth pair"

ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 30 > "$OUT" 2>/dev/null &
WT=$!
live_wait_capturing "$WT"
sleep 0.2
# TCP: a server in B that reads 1000 bytes, answers 500 and closes after the client
ip netns exec "$NB" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'$B'", 8099)); s.listen(1); s.settimeout(5)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("'$B'", 45556))  # no port unreachable
c, _ = s.accept(); n = 0
while n < 1000:
    d = c.recv(4096)
    if not d: break
    n += len(d)
c.sendall(b"r" * 500); c.recv(10); c.close()
import time; time.sleep(1.5)' &
SRV=$!
ip netns exec "$NA" python3 -c '
import socket, time
for attempt in range(50):  # until the server listens (a loaded machine is slow to start it)
    try:
        c = socket.create_connection(("'$B'", 8099), timeout=5)
        break
    except ConnectionRefusedError:
        time.sleep(0.1)
c.sendall(b"q" * 1000); n = 0
while n < 500:
    n += len(c.recv(4096))
c.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("'$A'", 45555))
for i in range(5):
    u.sendto(b"x" * 100, ("'$B'", 45556)); time.sleep(0.01)'
# ICMP echo: three requests from a raw socket, the kernel in B answers
ip netns exec "$NA" python3 -c '
import socket, struct, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for seq in range(3):
    h = struct.pack("!BBHHH", 8, 0, 0, 77, seq) + b"ping" * 8
    r.sendto(h[:2] + struct.pack("!H", csum(h)) + h[4:], ("'$B'", 0)); time.sleep(0.1)'
wait $SRV 2>/dev/null
sleep 0.5 # the last replies
kill -INT $WT
wait $WT
python3 - "$OUT" "$A" "$B" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
A, B = sys.argv[2], sys.argv[3]
def find(proto, **kw):  # the busiest match (a refused connect attempt is a record too)
    m = [r for r in recs if r["proto"] == proto and all(r.get(k) == v for k, v in kw.items())]
    return max(m, key=lambda r: r["src_bytes"]) if m else None
checks = []
t = find("TCP", src_ip=A, dst_ip=B, dst_port=8099)
checks.append(("tcp record", t is not None))
if t:
    checks.append(("tcp closed by the client: TIME_WAIT", t["state"] == "TIME_WAIT"))
    # 1000 payload bytes + headers one way, 500 + headers back
    checks.append(("tcp bytes sent >= 1000 + headers", t["src_bytes"] >= 1000 + 66 * t["src_packets"] - 66))
    checks.append(("tcp bytes back >= 500", t["dst_bytes"] >= 500))
    checks.append(("tcp handshake + data + close packets", t["src_packets"] >= 4 and t["dst_packets"] >= 3))
u = find("UDP", src_ip=A, dst_ip=B, src_port=45555, dst_port=45556)
checks.append(("udp record", u is not None))
if u:
    checks.append(("udp 5 datagrams of 142 bytes", (u["src_packets"], u["src_bytes"], u["dst_packets"]) == (5, 5 * 142, 0)))
    checks.append(("udp state", u["state"] == "UDP_ACTIVE"))
i = find("ICMP", src_ip=A, dst_ip=B)
checks.append(("icmp record", i is not None))
if i:
    checks.append(("icmp 3 requests, 3 replies", (i["src_packets"], i["dst_packets"]) == (3, 3)))
    checks.append(("icmp state", i["state"] == "ECHO_REPLY"))
p = f = 0
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
    p += ok; f += not ok
if f:
    print("records:"); [print("  ", json.dumps(r)) for r in recs]
print("%d passed, %d failed" % (p, f))
sys.exit(1 if f else 0)
PY

#!/usr/bin/env bash
# Tunnels and fragments from the kernel itself: two network namespaces
# joined by a veth pair, a VXLAN device (VNI 42, UDP 4789) over it in each,
# and `wiretop -i VETH --json` on the underlay. Through the tunnel: an HTTP
# request over TCP, and UDP datagrams of 4000 bytes that the kernel
# fragments inside the tunnel (the VXLAN device's MTU is 1450); beside it,
# on the underlay, 4000-byte datagrams fragmented on the veth. wiretop must
# report the inner connections with their tunnel (kind, VTEP addresses,
# VNI), inspect the HTTP inside, count each fragment as a packet, and leave
# the underlay's VXLAN flows as rows of their own. Needs root.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
. tests/need.sh
. tests/live/lib.sh # live_wait_threads
need_root "network namespaces, capture"
need_tool ip python3
NA=wttun_a_$$ NB=wttun_b_$$ VA=wtta$$ VB=wttb$$
A=10.212.0.1 B=10.212.0.2 IA=172.31.42.1 IB=172.31.42.2
OUT=$(mktemp)
cleanup() { ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null; rm -f "$OUT"; }
trap cleanup EXIT
ip netns add "$NA" && ip netns add "$NB" || fail_suite "cannot create network namespaces"
ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB" || fail_suite "cannot create a veth pair"
ip -n "$NA" addr add $A/24 dev "$VA"; ip -n "$NB" addr add $B/24 dev "$VB"
ip -n "$NA" link set "$VA" up; ip -n "$NB" link set "$VB" up
ip -n "$NA" link set lo up; ip -n "$NB" link set lo up
for side in A B; do
    ns=NA dev=VA local=A remote=B inner=IA
    [ $side = B ] && ns=NB dev=VB local=B remote=A inner=IB
    ip -n "${!ns}" link add vx42 type vxlan id 42 dstport 4789 local "${!local}" remote "${!remote}" \
        dev "${!dev}" 2>/dev/null || skip_suite "this kernel has no VXLAN"
    ip -n "${!ns}" addr add "${!inner}/24" dev vx42
    ip -n "${!ns}" link set vx42 up
done

ip netns exec "$NA" "$BIN" -i "$VA" --json --duration 30 > "$OUT" 2>/dev/null &
WT=$!
live_wait_capturing "$WT"
sleep 0.2
ip netns exec "$NB" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("'$IB'", 8080)); s.listen(1); s.settimeout(10)
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u1.bind(("'$IB'", 9001))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u2.bind(("'$B'", 9002))
c, _ = s.accept()
c.recv(4096); c.sendall(b"HTTP/1.1 204 No Content\r\n\r\n"); time.sleep(0.2); c.close()
time.sleep(2)' &
SRV=$!
ip netns exec "$NA" python3 -c '
import socket, time
for attempt in range(100):  # until the server listens and ARP through the tunnel is done
    try:
        c = socket.create_connection(("'$IB'", 8080), timeout=5)
        break
    except (ConnectionRefusedError, OSError):
        time.sleep(0.1)
c.sendall(b"GET /through HTTP/1.1\r\nHost: tunnel.live.test\r\n\r\n")
c.recv(4096); c.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("'$IA'", 9101))
for i in range(3):
    u.sendto(b"v" * 4000, ("'$IB'", 9001)); time.sleep(0.02)
w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
w.bind(("'$A'", 9102))
for i in range(2):
    w.sendto(b"w" * 4000, ("'$B'", 9002)); time.sleep(0.02)'
wait $SRV 2>/dev/null
sleep 0.5
kill -INT $WT 2>/dev/null
wait $WT
python3 - "$OUT" "$A" "$B" "$IA" "$IB" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
A, B, IA, IB = sys.argv[2:6]
def find(**kw):
    return next((r for r in recs if all(r.get(k) == v for k, v in kw.items())), None)
checks = []
tunnel = dict(tunnel="vxlan", tunnel_src_ip=A, tunnel_dst_ip=B, tunnel_id=42)
# the client may have been refused before the server listened: those are
# records of their own; the connection that carried the request is the longest
tcp = [r for r in recs if r["proto"] == "TCP" and r["src_ip"] == IA and r["dst_port"] == 8080]
t = max(tcp, key=lambda r: r["src_packets"]) if tcp else None
checks.append(("inner TCP record", t is not None))
if t:
    checks.append(("inner TCP carries its tunnel (vxlan, VTEPs, VNI 42)",
                   all(t.get(k) == v for k, v in tunnel.items())))
    checks.append(("HTTP inside the tunnel inspected", t.get("http_host") == "tunnel.live.test"
                   and t.get("http_path") == "/through"))
    checks.append(("inner TCP handshake and close counted", t["src_packets"] >= 4 and t["dst_packets"] >= 3))
u = find(proto="UDP", src_ip=IA, src_port=9101, dst_ip=IB, dst_port=9001)
checks.append(("inner UDP record", u is not None))
if u:
    checks.append(("inner UDP carries its tunnel", all(u.get(k) == v for k, v in tunnel.items())))
    # 4000 bytes + 8 UDP in 1430-byte inner fragments (MTU 1450 - 20): 3 each
    checks.append(("3 datagrams of 3 inner fragments each: 9 packets", u["src_packets"] == 9))
o = [r for r in recs if r["proto"] == "UDP" and r["dst_port"] == 4789 and r.get("tunnel") is None]
checks.append(("the VXLAN flows stay rows of their own", len(o) >= 1 and
               all(r["src_ip"] in (A, B) for r in o)))
f = find(proto="UDP", src_ip=A, src_port=9102, dst_ip=B, dst_port=9002)
checks.append(("underlay fragments reassembled: 2 datagrams of 3 fragments",
               f is not None and f["src_packets"] == 6 and f.get("tunnel") is None))
p = f_ = 0
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
    p += ok; f_ += not ok
if f_:
    print("records:"); [print("  ", json.dumps(r)) for r in recs]
print("%d passed, %d failed" % (p, f_))
sys.exit(1 if f_ else 0)
PY

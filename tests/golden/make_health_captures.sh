#!/bin/sh
# Golden capture of TCP with loss, reordering and a full receive window,
# made from real traffic: a client and a server namespace, each joined by a
# veth pair to a middle namespace where tests/golden/lossy_link.py forwards
# the frames between the two, delaying each by 10 ms and dropping or
# swapping some TCP segments (the kernel here has no netem). Python's
# socket module sends a few hundred kilobytes one way, then a receiver
# stops reading for a while (its window closes: zero windows and probes).
# tcpdump records the client's side, headers only.
#
# Run as root:  sh tests/golden/make_health_captures.sh
# writes tests/golden/captures/tcp_health.pcap. It has no .expect.json:
# tshark_health.py compares wiretop's figures with tshark's analysis of it.
set -eu
cd "$(dirname "$0")"
OUT=$PWD/captures/tcp_health.pcap
tag=$$
C=wthc$tag M=wthm$tag S=wths$tag
TMP=$(mktemp -d /tmp/wt-health.XXXXXX)
dump= relay=
cleanup() {
    [ -n "$dump" ] && kill "$dump" 2>/dev/null
    [ -n "$relay" ] && kill "$relay" 2>/dev/null
    for ns in "$C" "$M" "$S"; do ip netns del "$ns" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

for ns in "$C" "$M" "$S"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
ip link add c0 netns "$C" type veth peer name c1 netns "$M"
ip link add s0 netns "$S" type veth peer name s1 netns "$M"
ip -n "$C" addr add 10.78.0.1/24 dev c0
ip -n "$S" addr add 10.78.0.2/24 dev s0
# one segment per frame, so the link drops segments, not bursts of them
for end in "$C c0" "$S s0" "$M c1" "$M s1"; do
    set -- $end
    ip -n "$1" link set "$2" gso_max_segs 1 up
done

ip netns exec "$M" python3 lossy_link.py c1 s1 &
relay=$!
sleep 0.5

cat >"$TMP/server.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.78.0.2", 5001))
s.listen(4)
for mode in sys.argv[1:]:
    c, _ = s.accept()
    if mode == "bulk":         # the client uploads, then hears back
        while c.recv(65536):
            pass
        c.sendall(b"done")
    else:                      # we send; the client reads slowly
        c.sendall(b"y" * 200000)
    c.close()
PY
cat >"$TMP/client.py" <<'PY'
import socket, sys, time
for mode in sys.argv[1:]:
    c = socket.socket()
    if mode == "slow":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(("10.78.0.2", 5001))
    if mode == "bulk":
        c.sendall(b"x" * 300000)
        c.shutdown(socket.SHUT_WR)
        c.recv(16)
    else:
        time.sleep(0.5)            # the window fills and closes
        while c.recv(4096):
            time.sleep(0.002)
    c.close()
    time.sleep(0.3)
PY
ip netns exec "$C" tcpdump -i c0 -s 96 -U -w "$TMP/cap.pcap" tcp 2>/dev/null &
dump=$!
sleep 1
ip netns exec "$S" python3 "$TMP/server.py" bulk slow &
srv=$!
sleep 0.3
ip netns exec "$C" timeout 60 python3 "$TMP/client.py" bulk slow
wait $srv
sleep 1
kill "$dump"
wait "$dump" 2>/dev/null || true
dump=
cp "$TMP/cap.pcap" "$OUT"
echo "wrote $OUT ($(wc -c <"$OUT") bytes)"

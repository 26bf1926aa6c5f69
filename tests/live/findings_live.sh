#!/usr/bin/env bash
# findings_live.sh - `wiretop -i lo --findings --duration 3` in a network
# namespace of its own (root), while a client there connects to a closed
# TCP port (the kernel answers RST: tcp_refused), sends a UDP datagram to a
# closed port (ICMP port unreachable: icmp_unreachable, which lists that
# UDP connection), and has a
# connection reset by a server that closes with SO_LINGER 0 (tcp_reset).
# Checks that the run ends by itself after the duration, status 0, with
# those three findings about those endpoints and nothing else; and that a
# run without --duration ended by SIGHUP (no exporter to reopen files of)
# writes its findings and exits 0, as SIGINT and SIGTERM do; and that a
# link taken down and up twice is a link_down finding.
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
SUITE=findings_live
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip python3
[ -x "$BIN" ] || skip_suite "$BIN is not built"

NS=wt-fnd-$$
TMP=$(mktemp -d /tmp/wt-findings.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && { kill -9 "$pid" && wait "$pid"; } 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
ip netns add "$NS" && ip -n "$NS" link set lo up || fail_suite "cannot make namespace $NS"

start=$(date +%s%N)
ip netns exec "$NS" "$BIN" -i lo --findings --duration 3 --no-resolve >"$TMP/out" 2>"$TMP/err" &
pid=$!
live_wait_capture "$NS" || fail_suite "wiretop did not open its capture in $NS"
# nothing listens in a fresh namespace: every port but the server's is closed
ip netns exec "$NS" python3 - <<'EOF' >"$TMP/ports" || fail_suite "the traffic script failed"
import socket, struct
c = socket.socket()
try:
    c.connect(("127.0.0.1", 9))
except ConnectionRefusedError:
    pass
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"x", ("127.0.0.1", 10))
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
port = srv.getsockname()[1]
cli = socket.create_connection(("127.0.0.1", port))
conn, _ = srv.accept()
cli.sendall(b"hello")
conn.recv(5)
conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
conn.close()
print(port)
EOF
wait "$pid"
rc=$?
pid=
took_ms=$((($(date +%s%N) - start) / 1000000))
port=$(cat "$TMP/ports")

problems=()
[ "$rc" -eq 0 ] || problems+=("exit status $rc: $(head -3 "$TMP/err")")
[ "$took_ms" -lt 8000 ] || problems+=("took $took_ms ms for --duration 3")
live_result "--findings --duration 3 ends by itself, status 0" "${problems[@]}"

want=$(printf '%s\n' "tcp_refused TCP 127.0.0.1 9" "tcp_reset TCP 127.0.0.1 $port" \
    "icmp_unreachable ICMP 127.0.0.1 127.0.0.1")
got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)
    about = [f["proto"], f.get("src_ip") or f["dst_ip"], str(f.get("dst_port", f.get("dst_ip")))]
    ok = f["count"] == len(f["connections"]) >= 1 and f["first_seen"] <= f["last_seen"]
    print(" ".join([f["finding"]] + about) + ("" if ok else " (count or times wrong)"))
' "$TMP/out" 2>&1)
problems=()
[ "$got" = "$want" ] || problems+=("findings: $(echo "$got" | tr '\n' ';') want: $(echo "$want" | tr '\n' ';')")
live_result "a refused SYN, a reset and an ICMP port unreachable are the findings" "${problems[@]}"

# the kernel's port unreachable quotes the datagram: its UDP connection is
# listed with the ICMP exchange
got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)
    if f["finding"] == "icmp_unreachable":
        print(" ".join(sorted("%s:%s" % (c["proto"], c["dst_port"]) for c in f["connections"])))
' "$TMP/out" 2>&1)
problems=()
[ "$got" = "ICMP:0 UDP:10" ] || problems+=("icmp_unreachable lists: $got, want the ICMP exchange and UDP to port 10")
live_result "the port unreachable lists the UDP connection it quoted" "${problems[@]}"

ip netns exec "$NS" "$BIN" -i lo --findings --no-resolve >"$TMP/out2" 2>"$TMP/err2" &
pid=$!
live_wait_capture "$NS" || fail_suite "wiretop did not open its capture in $NS"
ip netns exec "$NS" python3 -c '
import socket
try:
    socket.create_connection(("127.0.0.1", 11))
except ConnectionRefusedError:
    pass'
sleep 0.3 # the capture thread hands the frames over
kill -HUP "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
problems=()
if kill -0 "$pid" 2>/dev/null; then
    problems+=("still running 5 s after SIGHUP")
else
    wait "$pid"
    rc=$?
    pid=
    [ "$rc" -eq 0 ] || problems+=("exit status $rc: $(head -3 "$TMP/err2")")
fi
grep -q '"finding": "tcp_refused".*"dst_ip": "127.0.0.1", "dst_port": 11,' "$TMP/out2" ||
    problems+=("no tcp_refused finding of port 11: $(head -c 300 "$TMP/out2")")
live_result "SIGHUP ends a --findings run with its findings, status 0" "${problems[@]}"
# The link going away twice during a run: one link_down finding about the
# interface, counted twice, its times those of the two drops (no
# connections behind it); nothing else on a quiet veth.
ip -n "$NS" link add wtfd0 type veth peer name wtfd1 && ip -n "$NS" link set wtfd1 up &&
    ip -n "$NS" link set wtfd0 up || fail_suite "cannot make a veth pair"
ip netns exec "$NS" "$BIN" -i wtfd0 --findings --duration 4 --no-resolve >"$TMP/out3" 2>"$TMP/err3" &
pid=$!
live_wait_capture "$NS" || fail_suite "wiretop did not open its capture on wtfd0"
sleep 0.3
t0=$(date +%s.%N)
for _ in 1 2; do
    ip -n "$NS" link set wtfd0 down
    sleep 0.7 # the link is looked at every 250 ms
    ip -n "$NS" link set wtfd0 up
    sleep 0.7
done
t1=$(date +%s.%N)
wait "$pid"
rc=$?
pid=
got=$(python3 -c '
import json, sys
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
for line in open(sys.argv[1]):
    f = json.loads(line)
    times = t0 <= f["first_seen"] < f["last_seen"] <= t1 if f["first_seen"] else False
    print(f["finding"], f["severity"], f["count"], f.get("interface"), len(f["connections"]),
          "times-ok" if times else "times %r %r not within %r %r" % (f["first_seen"], f["last_seen"], t0, t1))
' "$TMP/out3" "$t0" "$t1" 2>&1)
problems=()
[ "$rc" -eq 0 ] || problems+=("exit status $rc: $(head -3 "$TMP/err3")")
[ "$got" = "link_down warning 2 wtfd0 0 times-ok" ] || problems+=("findings: $got")
live_result "the link taken down twice is one link_down finding, count 2, at those times" "${problems[@]}"
live_summary

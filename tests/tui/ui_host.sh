#!/usr/bin/env bash
# The Host view, in tmux against the real program, as root in a network
# namespace made here: a TCP listener and a bound UDP socket of a python3
# process show with the port, pid and process `wiretop --listening
# --json` gives for them; a listener opened while the view shows appears,
# and one closed goes, at the next refreshes. Confined (privileges
# dropped, the default) the sockets still show. Capturing live on the
# namespace's loopback, confined: a listener of another user (nobody)
# shows its process (the attribution helper names it), the connections
# it accepted and the flows on its bound UDP socket with their bytes each
# way as tcpdump and tshark count the same frames, and since when: its
# process's start as ps has it (as `started` of --listening --json).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/screen_lib.sh
need_tool tmux python3 ip setpriv tcpdump tshark
need_root "a network namespace of its own"

BIN=${WIRETOP_BIN:-$BUILD/wiretop}
CAP=tests/golden/findings/clean.pcap
[ -x "$BIN" ] || { echo "no binary at $BIN"; echo "0 passed, 1 failed"; exit 1; }
TMP=$(mktemp -d)
SOCK="wt-host-$$"
NS="wthost$$"
pass=0 fail=0
pids=()

cleanup() {
    tmux_end "$SOCK"
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS" || fail_suite "cannot make network namespace $NS"
ip -n "$NS" link set lo up || fail_suite "cannot bring up lo in $NS"

keys() { T send-keys -t ui "$@"; sleep 0.2; }

listen() { # PROTO ADDR PORT: a python3 socket in the namespace; its pid in $last
    local ready="$TMP/ready.$3"
    ip netns exec "$NS" python3 -c '
import socket, sys, time
proto, addr, port, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
s.bind((addr, port))
if proto == "tcp":
    s.listen()
open(ready, "w").write("ok")
time.sleep(600)
' "$1" "$2" "$3" "$ready" &
    last=$!
    pids+=("$last")
    for _ in $(seq 50); do [ -s "$ready" ] && return 0; sleep 0.1; done
    fail_suite "python3 could not bind $1 $2:$3 in $NS"
}

# The Host view's line for PROTO PORT as "pid process" ("" when none).
owner_of() { # PROTO PORT
    screen | awk -v p="$1" -v port="$2" '$1 == p && $3 == port { print $4, $5; exit }'
}
wait_owner() { # PROTO PORT WANT [tenths]
    local i
    for ((i = 0; i < ${4:-50}; i++)); do
        [ "$(owner_of "$1" "$2")" = "$3" ] && return 0
        sleep 0.1
    done
    return 1
}
wait_listed() { # PROTO PORT [tenths]
    local i
    for ((i = 0; i < ${3:-50}; i++)); do
        [ -n "$(owner_of "$1" "$2")" ] && return 0
        sleep 0.1
    done
    return 1
}
wait_unlisted() { # PROTO PORT
    local i
    for ((i = 0; i < 50; i++)); do
        [ -z "$(owner_of "$1" "$2")" ] && return 0
        sleep 0.1
    done
    return 1
}

listen tcp 0.0.0.0 47123
tcp_pid=$last
listen udp 127.0.0.1 47124
udp_pid=$last

# What --listening says of them: "pid process".
ip netns exec "$NS" "$BIN" --listening --json >"$TMP/listening.json" 2>/dev/null ||
    fail_suite "--listening failed in $NS"
headless() { # PROTO PORT
    python3 - "$TMP/listening.json" "$1" "$2" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["proto"] == sys.argv[2] and r["port"] == int(sys.argv[3]):
        print(r["pid"], r["process"])
        break
PY
}
check "--listening names the TCP listener's owner" test "$(headless TCP 47123)" = "$tcp_pid python3"
check "--listening names the UDP socket's owner" test "$(headless UDP 47124)" = "$udp_pid python3"
# started: the process's start as ps has it (ps reckons from the boot
# second, wiretop from the boot clock: one second apart at most).
started_of() { # PID
    date -d "$(ps -o lstart= -p "$1")" +%s
}
json_started=$(python3 - "$TMP/listening.json" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["proto"] == "TCP" and r["port"] == 47123:
        print(int(r["started"] or 0))
PY
)
ps_started=$(started_of "$tcp_pid")
d=unknown # either one missing: the check fails, not the arithmetic
[ -n "$json_started" ] && [ -n "$ps_started" ] && d=$((json_started - ps_started))
check "--listening: started is the process's start (${json_started:-none} against ps ${ps_started:-none}: $d s off)" \
    test "$d" -ge -1 -a "$d" -le 1

# Unconfined, as root: every owner named.
T new-session -d -s ui -x 180 -y 40 "ip netns exec $NS $BIN --no-sandbox --no-priv-drop --read $CAP"
for _ in $(seq 100); do screen | grep -qF "(done)" && break; sleep 0.1; done
keys L
check "L opens the Host view" wait_owner TCP 47123 "$(headless TCP 47123)" 50
check "the bound UDP socket, as --listening has it" wait_owner UDP 47124 "$(headless UDP 47124)" 50
check "the address is shown" eval 'screen | grep -qE "^UDP +127\.0\.0\.1 +47124 "'
listen tcp 0.0.0.0 47125
new_pid=$last
check "a listener opened while the view shows appears" wait_owner TCP 47125 "$new_pid python3" 50
kill "$tcp_pid"
check "a listener closed goes" wait_unlisted TCP 47123
keys Space
listen tcp 0.0.0.0 47126
sleep 2.5
check "paused: the listing stays as it was" test -z "$(owner_of TCP 47126)"
keys Space
check "resumed: listed again" wait_listed TCP 47126 50
keys Tab
check "Tab from Host goes to Graph" eval 'screen | grep -qF "Received"'
keys C-c

# Confined, the default: the sockets still show (their owners as far as
# the dropped privileges let it see).
tmux_end "$SOCK"
T new-session -d -s ui -x 180 -y 40 "ip netns exec $NS $BIN --read $CAP"
for _ in $(seq 100); do screen | grep -qF "(done)" && break; sleep 0.1; done
keys L
check "confined: the UDP socket is listed" wait_listed UDP 47124 50
check "confined: the listener is listed" wait_listed TCP 47125 50
keys C-c

# Live and confined (the default): a server of user nobody accepts three
# TCP connections, each sends 300 bytes and is answered 1200, and they
# stay open; its bound UDP socket answers two clients' 100 bytes with 250.
tmux_end "$SOCK"
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
nobody_py=
for py in "$(command -v python3)" /usr/bin/python3; do
    as_nobody "$py" -c pass 2>/dev/null && { nobody_py=$py; break; }
done
[ -n "$nobody_py" ] || fail_suite "no python3 that user nobody may run"
chmod 711 "$TMP" && mkdir -m 777 "$TMP/nobody" # its ready file
ready="$TMP/nobody/ready"
ip netns exec "$NS" setpriv --reuid 65534 --regid 65534 --clear-groups "$nobody_py" -c '
import socket, sys, threading
def echo(u):
    while True:
        _, peer = u.recvfrom(2048)
        u.sendto(b"z" * 250, peer)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("0.0.0.0", 47131))
threading.Thread(target=echo, args=(u,), daemon=True).start()
s = socket.socket()
s.bind(("0.0.0.0", 47130))
s.listen()
open(sys.argv[1], "w").write("ok")
held = []
while True:
    c, _ = s.accept()
    got = b""
    while len(got) < 300:
        got += c.recv(300 - len(got))
    c.sendall(b"y" * 1200)
    held.append(c)
' "$ready" &
srv_pid=$!
pids+=("$srv_pid")
for _ in $(seq 50); do [ -s "$ready" ] && break; sleep 0.1; done
[ -s "$ready" ] || fail_suite "the server of user nobody did not start"
ip netns exec "$NS" tcpdump -i lo -U -w "$TMP/lo.pcap" "tcp port 47130 or udp port 47131" \
    2>"$TMP/tcpdump.err" &
dump_pid=$!
pids+=("$dump_pid")
for _ in $(seq 50); do grep -q "listening on" "$TMP/tcpdump.err" && break; sleep 0.1; done
T new-session -d -s ui -x 200 -y 40 "ip netns exec $NS $BIN -i lo"
. tests/live/lib.sh
live_wait_capture "$NS" || fail_suite "wiretop did not start capturing on lo in $NS"
keys L
check "confined, live: another user's listener shows its process" \
    wait_owner TCP 47130 "$srv_pid python3" 100
ip netns exec "$NS" python3 -c '
import socket, sys, time
held = []
for _ in range(3):
    c = socket.create_connection(("127.0.0.1", 47130))
    c.sendall(b"x" * 300)
    got = b""
    while len(got) < 1200:
        got += c.recv(1200 - len(got))
    held.append(c)
for _ in range(2):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect(("127.0.0.1", 47131))
    u.send(b"x" * 100)
    u.recv(2048)
    held.append(u)
open(sys.argv[1], "w").write("ok")
time.sleep(600)
' "$TMP/clients.done" &
pids+=("$!")
for _ in $(seq 50); do [ -s "$TMP/clients.done" ] && break; sleep 0.1; done
sleep 1 # the last ACKs
kill -INT "$dump_pid"
wait "$dump_pid" 2>/dev/null
# Per protocol, "connections in out": In, the frames the clients sent to
# the server's port; Out, those it sent back; written as the view writes
# bytes (x1000 units).
tshark -r "$TMP/lo.pcap" -T fields -E separator=, -e tcp.dstport -e udp.dstport -e frame.len \
    >"$TMP/frames.csv" 2>/dev/null
want_of() { # PROTO CONNECTIONS
    python3 - "$TMP/frames.csv" "$1" "$2" <<'PY'
import sys
proto, conns = sys.argv[2], sys.argv[3]
port = "47130" if proto == "TCP" else "47131"
inb = outb = 0
for line in open(sys.argv[1]):
    tcp, udp, n = line.strip().split(",")
    dport = tcp if proto == "TCP" else udp
    if not (tcp if proto == "TCP" else udp):
        continue
    if dport == port:
        inb += int(n)
    else:
        outb += int(n)
def fmt(v):
    if v < 1000:
        return "%.0fB" % v
    u = -1
    while v >= 1000:
        v /= 1000
        u += 1
    return ("%.2f%s" if v < 10 else "%.1f%s" if v < 100 else "%.0f%s") % (v, "kMGTP"[u])
print(conns, fmt(inb), fmt(outb))
PY
}
traffic_of() { # PROTO PORT
    screen | awk -v p="$1" -v port="$2" '$1 == p && $3 == port { print $7, $8, $9; exit }'
}
wait_traffic() { # PROTO PORT WANT
    for _ in $(seq 50); do [ "$(traffic_of "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
    return 1
}
want=$(want_of TCP 3)
check "three connections accepted, their bytes each way as tshark counts them ($want)" \
    wait_traffic TCP 47130 "$want"
want=$(want_of UDP 2)
check "two flows on the bound UDP socket, their bytes as tshark counts them ($want)" \
    wait_traffic UDP 47131 "$want"
# Since: the server's start, to the second (ps reckons from the boot
# second, the view from the boot clock: one second apart at most).
since=$(screen | awk '$1 == "TCP" && $3 == 47130 { print $10, $11; exit }')
started=$(started_of "$srv_pid")
shown=$(date -d "$since" +%s 2>/dev/null || echo 0)
check "since: the process's start ($since)" test $((shown - started)) -ge -1 -a $((shown - started)) -le 1
keys C-c

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

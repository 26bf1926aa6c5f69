#!/usr/bin/env bash
# The Host view, in tmux against the real program, as root in a network
# namespace made here: a TCP listener and a bound UDP socket of a python3
# process show with the port, pid and process `wiretop --listening
# --json` gives for them; a listener opened while the view shows appears,
# and one closed goes, at the next refreshes. Confined (privileges
# dropped, the default) the sockets still show.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

. tests/need.sh
need_tool tmux python3 ip
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
    tmux -L "$SOCK" kill-server 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS" || fail_suite "cannot make network namespace $NS"
ip -n "$NS" link set lo up || fail_suite "cannot bring up lo in $NS"

T() { tmux -L "$SOCK" "$@"; }
screen() { T capture-pane -p -t ui 2>/dev/null; }
keys() { T send-keys -t ui "$@"; sleep 0.2; }

check() { # NAME COMMAND...
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name"
        screen | sed 's/^/    | /'
    fi
}

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
T kill-session -t ui 2>/dev/null
T new-session -d -s ui -x 180 -y 40 "ip netns exec $NS $BIN --read $CAP"
for _ in $(seq 100); do screen | grep -qF "(done)" && break; sleep 0.1; done
keys L
check "confined: the UDP socket is listed" wait_listed UDP 47124 50
check "confined: the listener is listed" wait_listed TCP 47125 50
keys C-c

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

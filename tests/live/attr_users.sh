#!/usr/bin/env bash
# attr_users.sh - after the privilege drop, wiretop still names another
# user's process, and carries on, saying so, when the attribution helper is
# gone.
#
# Namespace A holds wiretop's interface (one end of a veth) and a TCP
# server running as nobody (setpriv), its name set to one of its own; a
# client in namespace B connects. wiretop starts as root with SUDO_UID (it
# drops to that user, neither root nor nobody) and --attr sock_diag, the UI
# in tmux:
# 1. the connection's row names the server, the status bar says the scans
#    run via the helper and see every process, and the Details view says
#    the owner is nobody;
# 2. the helper killed: within 5 s the status bar says the helper is gone
#    and attribution is partial (nobody's processes are hidden from the
#    dropped user), wiretop keeps running, and a new connection still
#    shows;
# 3. --json, the same drop: the record of a connection names the server and
#    its user; the helper killed mid-run, the run goes on, says so on
#    stderr once, and exits 0 with the records of later connections.
# Needs root, iproute2, tmux, python3 and setpriv.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
ID=4242
SUITE=attr_users
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces, privilege drop"
need_tool ip tmux python3 setpriv
[ -x "$BIN" ] || skip_suite "$BIN not built"

NA=wt-au-a-$$ NB=wt-au-b-$$
VA=wtua$$ VB=wtub$$
A=10.215.$(($$ % 250)).1 B=10.215.$(($$ % 250)).2
NAME=wtusrv$(($$ % 100000)) # the server's process name (15 bytes at most)
TMUX_SOCK=wt-au-$$
TMUX=(tmux -L "$TMUX_SOCK")
TMP=$(mktemp -d /tmp/wt-attr-users.XXXXXX)
pids=()
cleanup() {
    tmux_end "$TMUX_SOCK"
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    ip netns del "$NA" 2>/dev/null
    ip netns del "$NB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$NA" && ip netns add "$NB" || fail_suite "cannot create network namespaces"
ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB" &&
    ip -n "$NA" addr add "$A/24" dev "$VA" && ip -n "$NB" addr add "$B/24" dev "$VB" &&
    ip -n "$NA" link set "$VA" up && ip -n "$NB" link set "$VB" up &&
    ip -n "$NA" link set lo up && ip -n "$NB" link set lo up || fail_suite "cannot set up the veth pair"

# The server: accepts, answers, keeps each connection until its client
# closes; named $NAME (PR_SET_NAME) so its row cannot be anyone else's.
cat >"$TMP/server.py" <<'EOF'
import ctypes, socket, sys, threading
ctypes.CDLL(None).prctl(15, sys.argv[3].encode(), 0, 0, 0)
def serve(c):
    try:
        c.recv(100); c.sendall(b"ok\n")
        while c.recv(65536):
            pass
    except OSError:
        pass
    c.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
# A client: connects, is answered, holds the connection for HOLD seconds.
cat >"$TMP/client.py" <<'EOF'
import socket, sys, time
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
c.sendall(b"hello\n"); c.recv(10)
time.sleep(float(sys.argv[3]))
c.close()
EOF
chmod 755 "$TMP" && chmod 644 "$TMP"/*.py

# the system's interpreter: nobody may not reach one under /root
PY=/usr/bin/python3
[ -x "$PY" ] || skip_suite "$PY not installed"
PORT=$((20000 + RANDOM % 20000))
mkfifo "$TMP/ready"
ip netns exec "$NA" setpriv --reuid 65534 --regid 65534 --clear-groups \
    "$PY" "$TMP/server.py" "$A" "$PORT" "$NAME" >"$TMP/ready" &
pids+=($!)
read -r -t 10 _ <"$TMP/ready" || fail_suite "the server did not start"
[ "$(awk '/^Uid:/ {print $2}' /proc/"${pids[0]}"/status)" = 65534 ] || fail_suite "the server is not nobody's"

clients=()
client() { # HOLD: a connection from B, held HOLD seconds (in the background)
    ip netns exec "$NB" python3 "$TMP/client.py" "$A" "$PORT" "$1" &
    clients+=($!)
    pids+=($!)
}

screen() { "${TMUX[@]}" capture-pane -p -t ui; }
status_line() { screen | grep ' shown ' | tail -1; }

wait_screen() { # SECONDS GREP-ARGS...: until the screen matches
    local until=$((SECONDS + $1))
    shift
    while [ $SECONDS -le $until ]; do
        screen | grep -q "$@" && return 0
        sleep 0.2
    done
    return 1
}

wait_status() { # SECONDS TEXT: until the status bar says TEXT
    local until=$((SECONDS + $1))
    while [ $SECONDS -le $until ]; do
        status_line | grep -qF "$2" && return 0
        sleep 0.2
    done
    return 1
}

wiretop_pid() { cat "$TMP/ui.pid" 2>/dev/null; }

helper_of() { pgrep -P "$1" -x wt-attr-helper; }

# ---- 1, 2: the UI -------------------------------------------------------------
"${TMUX[@]}" new-session -d -s ui -x 320 -y 50 \
    "sh -c 'echo \$\$ > $TMP/ui.pid; exec env SUDO_UID=$ID SUDO_GID=$ID ip netns exec $NA $BIN -i $VA --attr sock_diag'; sleep 600"
probs=()
wait_screen 20 -F "Remote Address" || probs+=("the UI did not start: $(screen | tail -3)")
pid=$(wiretop_pid)
live_wait_for_uid "$pid" "$ID" || probs+=("wiretop never ran as uid $ID")
client 30
wait_screen 10 -F "$A:$PORT" || probs+=("no row of the connection")
wait_status 5 "sock_diag via helper: " || probs+=("the status bar does not say 'via helper': $(status_line)")
# its Details (the Process column is too narrow for both ends' names)
"${TMUX[@]}" send-keys -t ui / && "${TMUX[@]}" send-keys -t ui -l "sport:$PORT" &&
    "${TMUX[@]}" send-keys -t ui Enter && sleep 0.3 && "${TMUX[@]}" send-keys -t ui Enter
wait_screen 10 -E "^ *Process +(.* )?$NAME\b" ||
    probs+=("Details do not name $NAME: $(screen | grep -E 'Process|User|Peer' | tr -s ' ')")
screen | grep -qE "^ *User +nobody\b" || probs+=("Details lack 'User nobody'")
screen | grep -qE "^ *Attribution +sock_diag via helper" || probs+=("Details lack the attribution line")
"${TMUX[@]}" send-keys -t ui Escape && "${TMUX[@]}" send-keys -t ui Escape
live_result "after the drop, nobody's server is named (Details: its user, what attribution sees)" "${probs[@]}"

probs=()
helper=$(helper_of "$pid")
if [ -z "$helper" ]; then
    probs+=("no helper to kill")
else
    kill -9 "$helper"
    wait_status 5 "sock_diag, helper gone: partial, " ||
        probs+=("the status bar does not say the helper is gone, partial: $(status_line)")
    client 30
    for _ in $(seq 50); do # 10 s: a loaded machine starts the client slowly
        [ "$(screen | grep -cF "$A:$PORT")" -ge 2 ] && break
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null || probs+=("wiretop exited")
    [ "$(screen | grep -cF "$A:$PORT")" -ge 2 ] || probs+=("a new connection does not show: $(screen | grep -F "$A")")
    [ -z "$(helper_of "$pid")" ] || probs+=("a helper still runs")
fi
live_result "the helper killed: the status bar says so, attribution is partial, wiretop carries on" "${probs[@]}"
tmux_end "$TMUX_SOCK"
kill "${clients[@]}" 2>/dev/null # their connections end here, before the next run
sleep 1

# ---- 3: --json ------------------------------------------------------------------
probs=()
SUDO_UID=$ID SUDO_GID=$ID ip netns exec "$NA" "$BIN" -i "$VA" --attr sock_diag --json \
    >"$TMP/out.json" 2>"$TMP/err" &
pid=$!
pids+=("$pid")
if ! live_wait_for_uid "$pid" "$ID"; then
    probs+=("never ran as uid $ID: $(head -c 300 "$TMP/err")")
else
    ip netns exec "$NB" python3 "$TMP/client.py" "$A" "$PORT" 0.5
    sleep 1.5 # a scan (every second) sees the connection before it is gone
    helper=$(helper_of "$pid")
    [ -n "$helper" ] && kill -9 "$helper"
    sleep 2
    ip netns exec "$NB" python3 "$TMP/client.py" "$A" "$PORT" 0.5
    sleep 1
    kill -INT "$pid"
fi
wait "$pid"
rc=$?
[ $rc -eq 0 ] || probs+=("exit status $rc: $(head -c 300 "$TMP/err")")
named=$(grep -F "\"process\": \"$NAME\"" "$TMP/out.json" | grep -c '"user": "nobody"')
[ "$named" -ge 1 ] || probs+=("no record names $NAME of nobody: $(head -c 600 "$TMP/out.json")")
[ "$(grep -c "\"dst_port\": $PORT," "$TMP/out.json")" -eq 2 ] ||
    probs+=("not both connections recorded: $(grep -c "\"dst_port\": $PORT," "$TMP/out.json")")
[ "$(grep -c "attribution helper" "$TMP/err")" -eq 1 ] ||
    probs+=("stderr does not say once that the helper is gone: $(cat "$TMP/err")")
live_result "--json: names nobody's server after the drop; the helper killed, the run goes on and says so" "${probs[@]}"

live_summary

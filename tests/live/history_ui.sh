#!/usr/bin/env bash
# history_ui.sh - x, live, in tmux: a TCP connection that closes is listed
# a few seconds (tcp_closed=1 here, then the engine's 3 s of linger) and
# then goes; with history
# on (x) a closed connection stays listed well past that, and once x is
# pressed again it goes within a couple of refreshes. The title bar says
# "history" while it is on.
# Needs root, ip, tmux and python3.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}

. tests/need.sh
. tests/live/lib.sh
need_root "network namespaces, capture"
need_tool ip tmux python3
[ -x "$BIN" ] || skip_suite "$BIN not built"

live_ui_setup hst 10.221.0

live_ns_pair "$NA" "$NB" "$VA" "$VB" "$A" "$B" || fail_suite "cannot create the namespaces"
ip netns exec "$NB" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 47950))
s.listen()
while True:
    c, _ = s.accept()
    c.recv(100)
    c.sendall(b"bye")
    c.close()' "$B" &
pids+=($!)
disown

tmux -L "$SOCK" new-session -d -x 200 -y 40 "exec ip netns exec $NA $BIN -i $VA --refresh-interval 500 --timeout tcp_closed=1" ||
    fail_suite "cannot start the UI in tmux"
live_wait_capture "$NA" || fail_suite "the UI did not open its capture"
sleep 0.3

connect() { # SOURCE-PORT: one short connection from that port
    ip netns exec "$NA" python3 -c '
import socket, sys
c = socket.socket()
c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
c.bind((sys.argv[1], int(sys.argv[3])))
c.connect((sys.argv[2], 47950))
c.sendall(b"hello")
c.recv(10)
c.close()' "$A" "$B" "$1"
}
listed() { tmux -L "$SOCK" capture-pane -p | grep -q "$A:$1 "; }
wait_listed() { # PORT SECONDS WANT(0 listed, 1 gone)
    for _ in $(seq $(($2 * 10))); do
        if listed "$1"; then [ "$3" = 0 ] && return 0; else [ "$3" = 1 ] && return 0; fi
        sleep 0.1
    done
    return 1
}

# without history: listed, then gone once its linger is over
connect 41001
wait_listed 41001 3 0 && ok "a short connection is listed" || bad "the connection from 41001 never showed"
sleep 7
listed 41001 && bad "without history, the closed connection is still listed after 7 s" ||
    ok "without history, the closed connection goes after a few seconds"

tmux -L "$SOCK" send-keys x
sleep 0.7
tmux -L "$SOCK" capture-pane -p | head -1 | grep -q "history  sort:" && ok "the title bar says history" ||
    bad "the title bar: $(tmux -L "$SOCK" capture-pane -p | head -1)"
connect 41002
wait_listed 41002 3 0 || bad "the connection from 41002 never showed"
sleep 7
listed 41002 && ok "with history, the closed connection is still listed after 7 s" ||
    bad "with history on, the closed connection went"

tmux -L "$SOCK" send-keys x
wait_listed 41002 3 1 && ok "x again: the closed connection goes" || bad "x again: the closed connection stayed"

live_ui_summary

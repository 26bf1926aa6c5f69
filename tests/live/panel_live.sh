#!/usr/bin/env bash
# panel_live.sh - the side panel (i) and the status bar, live, in tmux: a
# TCP connection held open by a python3 client in a namespace. At 160x40
# the panel beside the table names the interface, says the link is up and
# the capture live, counts the connections with an owner (the client's at
# least), and shows the privileges wiretop dropped to; the status bar keeps
# its attribution. At 80x24 the bar drops attribution and keeps
# shown/total and drops, and the panel takes the body; the link taken down
# shows in both.
# Needs root, ip, tmux and python3.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}

. tests/need.sh
. tests/live/lib.sh
need_root "network namespaces, capture"
need_tool ip tmux python3
[ -x "$BIN" ] || skip_suite "$BIN not built"

live_ui_setup pnl 10.223.0
bad() { fail=$((fail + 1)); echo "FAIL $*"; screen | sed 's/^/    | /'; }
screen() { tmux -L "$SOCK" capture-pane -p; }
bar() { screen | tail -1; }
wait_screen() { # ERE: on the screen within 8 s
    for _ in $(seq 80); do
        screen | grep -qE -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
wait_gone() { # ERE: off the screen within 8 s
    for _ in $(seq 80); do
        screen | grep -qE -- "$1" || return 0
        sleep 0.1
    done
    return 1
}
wait_bar() { # ERE: in the status bar within 8 s
    for _ in $(seq 80); do
        bar | grep -qE -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
check() { # NAME COMMAND...
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}

live_ns_pair "$NA" "$NB" "$VA" "$VB" "$A" "$B" || fail_suite "cannot create the namespaces"
ip netns exec "$NB" python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 47960))
s.listen()
c, _ = s.accept()
time.sleep(60)' "$B" &
pids+=($!)
disown

tmux -L "$SOCK" new-session -d -x 160 -y 40 "exec ip netns exec $NA $BIN -i $VA --refresh-interval 500" ||
    fail_suite "cannot start the UI in tmux"
live_wait_capture "$NA" || fail_suite "the UI did not open its capture"
sleep 0.3
ip netns exec "$NA" python3 -c '
import socket, sys, time
c = socket.create_connection((sys.argv[1], 47960))
c.sendall(b"hello")
time.sleep(60)' "$B" &
pids+=($!)
disown

# --- 160x40: the panel beside the table
check "the client's connection is listed with its process" wait_screen "$B:47960 .*python3"
check "160x40: the bar has attribution" wait_bar "\| attr: [^-]"
tmux -L "$SOCK" send-keys i
check "160x40: i opens the panel" wait_screen "│ Capture"
check "160x40: the panel names the interface" wait_screen "Interface    $VA"
check "160x40: the link is up" wait_screen "Link         up"
check "160x40: the capture is live" wait_screen "Source       live, [0-9]+ worker"
check "160x40: the panel has drops" wait_screen "Drops        [0-9]+ kernel, [0-9]+ internal"
check "160x40: the client's connection has an owner" wait_screen "Owners       [1-9][0-9]* of [1-9][0-9]* connections"
check "160x40: the privileges dropped to" wait_screen "Privileges   uid [1-9][0-9]*, caps none"
check "160x40: the table stays beside it" wait_screen "$B:47960 .*│"

# --- 80x24: the bar keeps its counts, the panel takes the body
tmux -L "$SOCK" resize-window -x 80 -y 24
check "80x24: the panel takes the body" wait_gone "Remote Address"
check "80x24: the panel still counts owners" wait_screen "Owners       [1-9][0-9]* of"
check "80x24: the bar drops attribution" wait_bar "^[^:]*\| [0-9]+/[0-9]+ shown \|"
check "80x24: the bar keeps drops" wait_bar "\| drops [0-9]+ kernel, [0-9]+ internal"
bar | grep -q "attr:" && bad "80x24: attribution still in the bar" || ok "80x24: no attribution in the bar"
ip netns exec "$NA" ip link set "$VA" down
check "80x24: link down in the bar" wait_bar "\| link down \|"
check "80x24: link down in the panel" wait_screen "Link         link down"
tmux -L "$SOCK" send-keys Escape
check "80x24: Esc shows the table again" wait_screen "Remote Address"

live_ui_summary

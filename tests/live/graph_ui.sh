#!/usr/bin/env bash
# graph_ui.sh - the Graph view, live, in tmux: a sender with a name of its
# own (a copy of python3 called wtgraphsend) sends 1,000-byte UDP datagrams
# at 100 a second from one namespace to a sink in another, where the UI
# captures. After a few seconds the Graph view (T) shows:
# - "Sent" at about the rate sent (100 kB/s of payload, more on the wire:
#   between 90 and 160 kB/s), "Received" at none or a few bytes a
#   second (the link's own chatter), and a sparkline under
#   Sent that has risen (braille dots, U+2801..U+28FF);
# - the sender first among the top processes, with its one connection, and
#   its application first among the applications, at a rate;
# - in the ASCII fallback (a locale without UTF-8) the same line drawn
#   with '#';
# and the Details view of the sender's connection has its own Tx history,
# from the seconds it was on screen before it was opened.
# Needs root, ip, tmux and python3.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}

. tests/need.sh
. tests/live/lib.sh
need_root "network namespaces, capture"
need_tool ip tmux python3
[ -x "$BIN" ] || skip_suite "$BIN not built"

live_ui_setup gra 10.219.0
cleanup() {
    tmux_end "$SOCK-c"
    live_pair_cleanup
}
trap cleanup EXIT INT TERM

live_ns_pair "$NA" "$NB" "$VA" "$VB" "$A" "$B" || fail_suite "cannot create the namespaces"
cp "$(readlink -f /usr/bin/python3)" "$TMP/wtgraphsend"

ip netns exec "$NB" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 47900))
while True:
    s.recv(65536)' "$B" &
pids+=($!)
disown

# the UI in tmux, with LANG: braille (C.UTF-8) or the ASCII fallback (C)
start_ui() { # SOCK LANG
    tmux -L "$1" new-session -d -x 160 -y 90 \
        "exec env LANG=$2 LC_ALL=$2 ip netns exec $NA $BIN -i $VA 2>$TMP/err.$1" ||
        fail_suite "cannot start the UI in tmux"
}
screen() { tmux -L "$1" capture-pane -p; }
wait_screen() { # SOCK PATTERN SECONDS
    for _ in $(seq $(($3 * 10))); do
        screen "$1" | grep -qE "$2" && return 0
        sleep 0.1
    done
    return 1
}

start_ui "$SOCK" C.UTF-8
start_ui "$SOCK-c" C
for _ in 1 2; do live_wait_capture "$NA" || fail_suite "the UI did not open its capture: $(cat "$TMP"/err.* | head -c 300)"; done
sleep 0.5

ip netns exec "$NA" "$TMP/wtgraphsend" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * 1000
next_t = time.monotonic()
while True:
    s.sendto(payload, (sys.argv[1], 47900))
    next_t += 0.01
    time.sleep(max(0, next_t - time.monotonic()))' "$B" &
pids+=($!)
disown

sleep 4
tmux -L "$SOCK" send-keys T
tmux -L "$SOCK-c" send-keys T
wait_screen "$SOCK" "Top processes" 5 || bad "the Graph view did not open"
sleep 2.5 # two refreshes with the view open: the talkers are made
s=$(screen "$SOCK")

# "Sent" line: the rate now, in kB/s
sent=$(sed -n 's/^ Sent  *\([0-9.]*\)\([kMG]\{0,1\}\)B\{0,1\}\/s .*/\1 \2/p' <<<"$s" | head -1)
read -r v u <<<"$sent"
kbs=$(python3 -c "import sys; v, u = float(sys.argv[1] or 0), sys.argv[2]; print(int(v * {'': 0.001, 'k': 1, 'M': 1000, 'G': 1e6}[u]))" "${v:-0}" "${u:-}")
if [ "$kbs" -ge 90 ] && [ "$kbs" -le 160 ]; then ok "Sent shows $v${u}/s (100 kB/s of payload sent)"
else bad "Sent: '$(grep '^ Sent' <<<"$s")'"; fi
# the sink sends nothing back; the link's own chatter (IPv6 neighbour and
# multicast listener messages) is a few bytes a second at most
recv=$(sed -n 's/^ Received  *\([0-9.]*\)\([kMG]\{0,1\}\)B\{0,1\}\/s .*/\1 \2/p' <<<"$s" | head -1)
read -r rv ru <<<"$recv"
if grep -qE '^ Received +- ' <<<"$s" || { [ -z "$ru" ] && [ -n "$rv" ]; }; then
    ok "Received shows next to none (${rv:--} B/s)"
else
    bad "Received: '$(grep '^ Received' <<<"$s")'"
fi
# the rows between "Sent" and "Packets": braille with dots raised
spark=$(sed -n '/^ Sent/,/^ Packets/p' <<<"$s" | sed '1d;$d')
if python3 -c '
import sys
t = sys.stdin.read()
sys.exit(0 if any(0x2801 <= ord(c) <= 0x28ff for c in t) else 1)' <<<"$spark"; then
    ok "the Sent sparkline has risen (braille dots)"
else
    bad "no braille dots under Sent: $(head -c 400 <<<"$spark")"
fi
proc=$(sed -n '/Top processes/{n;p}' <<<"$s")
if [[ $proc =~ ^\ wtgraphsend\ +[0-9.]+[kMG]?/s\ +1\  ]]; then
    ok "the sender leads the top processes with its one connection"
else
    bad "top processes: '$proc'"
fi
if [[ $proc =~ /s\ +1\ +[^\ ].*\ +[0-9.]+[kMG]?/s\ +[0-9]+\ *$ ]]; then
    ok "its application leads the top applications, at a rate"
else
    bad "top applications: '$proc'"
fi

sc=$(screen "$SOCK-c")
spark_c=$(sed -n '/^ Sent/,/^ Packets/p' <<<"$sc" | sed '1d;$d')
if grep -q '#' <<<"$spark_c" && ! LC_ALL=C grep -q $'[\x80-\xff]' <<<"$spark_c"; then
    ok "without UTF-8 the sparkline is drawn in ASCII ('#')"
else
    bad "the ASCII sparkline: $(head -c 400 <<<"$spark_c" | cat -v)"
fi

# Details of the sender's connection: its own Tx history
tmux -L "$SOCK" send-keys Escape
tmux -L "$SOCK" send-keys / "dport:47900" Enter Enter
if wait_screen "$SOCK" "Tx history" 5; then
    line=$(screen "$SOCK" | grep "Tx history")
    # seconds on screen before Enter: several samples, several characters
    if [[ $line == *peak\ [0-9]* ]] && python3 -c '
import sys
sys.exit(0 if sum(0x2801 <= ord(c) <= 0x28ff for c in sys.stdin.read()) >= 3 else 1)' <<<"$line"; then
        ok "Details shows the connection's Tx history: $line"
    else
        bad "Tx history: '$line'"
    fi
else
    bad "Details has no Tx history: $(screen "$SOCK" | head -30)"
fi

live_ui_summary

#!/usr/bin/env bash
# groups_ui.sh - the overview grouped by process (a), live, in tmux: two
# senders with names of their own (copies of python3 called wtgrpa and
# wtgrpb) send 1,000-byte UDP datagrams from one namespace to a sink in
# another, where the UI captures: wtgrpa from two sockets at 50 a second
# each, wtgrpb from one at 20 a second. With the view paused (Space, so
# the figures stay put), grouped by process:
# - wtgrpa's line is first (the busier), "wtgrpa (PID)" with its own pid
#   and 2 connections, then "wtgrpb (PID)" with 1;
# - wtgrpa's Tx is about 100 kB/s of payload (90 to 160 kB/s on the
#   wire), wtgrpb's about 20 (15 to 35), and neither receives;
# - Enter opens wtgrpa to its two connections, whose Tx cells add up to
#   the group's (within the rounding of the cells), Left closes it;
# - by application the three are in the "(unknown)" group (no protocol
#   on that port), by container all connections are one "(none)" group,
#   and the groups hold every connection shown; then a, the plain
#   overview.
# Needs root, ip, tmux and python3.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}

. tests/need.sh
. tests/live/lib.sh
need_root "network namespaces, capture"
need_tool ip tmux python3
[ -x "$BIN" ] || skip_suite "$BIN not built"

live_ui_setup grp 10.221.0

live_ns_pair "$NA" "$NB" "$VA" "$VB" "$A" "$B" || fail_suite "cannot create the namespaces"
cp "$(readlink -f /usr/bin/python3)" "$TMP/wtgrpa"
cp "$(readlink -f /usr/bin/python3)" "$TMP/wtgrpb"

ip netns exec "$NB" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 47910))
while True:
    s.recv(65536)' "$B" &
pids+=($!)
disown

tmux -L "$SOCK" new-session -d -x 200 -y 40 \
    "exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 ip netns exec $NA $BIN -i $VA 2>$TMP/err" ||
    fail_suite "cannot start the UI in tmux"
screen() { tmux -L "$SOCK" capture-pane -p; }
keys() { tmux -L "$SOCK" send-keys "$@"; sleep 0.4; }
wait_screen() { # PATTERN SECONDS
    for _ in $(seq $(($2 * 10))); do
        screen | grep -qE "$1" && return 0
        sleep 0.1
    done
    return 1
}
live_wait_capture "$NA" || fail_suite "the UI did not open its capture: $(head -c 300 "$TMP/err")"
sleep 0.5

SENDER='
import socket, sys, time
dst, socks, per_sec = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
ss = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(socks)]
payload = b"x" * 1000
next_t = time.monotonic()
while True:
    for s in ss:
        s.sendto(payload, (dst, 47910))
    next_t += 1 / per_sec
    time.sleep(max(0, next_t - time.monotonic()))'
ip netns exec "$NA" "$TMP/wtgrpa" -c "$SENDER" "$B" 2 50 &
PA=$!
pids+=($!)
disown
ip netns exec "$NA" "$TMP/wtgrpb" -c "$SENDER" "$B" 1 20 &
PB=$!
pids+=($!)
disown

sleep 4
keys a
wait_screen "by process" 5 || bad "a did not group by process"
sleep 2.5 # two refreshes: rates over whole intervals
keys Space
wait_screen "PAUSED" 3 || bad "Space did not pause"
s=$(screen)

# group lines: mark, name, conns, Rx, Tx, Bytes
groups=$(grep -E '^[▸▾] ' <<<"$s")
first=$(head -1 <<<"$groups")
if [[ $first =~ ^▸\ wtgrpa\ \($PA\)\ +2\ +-\ +([0-9.]+)k/s\ + ]]; then
    tx=${BASH_REMATCH[1]}
    if python3 -c "import sys; sys.exit(0 if 90 <= float(sys.argv[1]) <= 160 else 1)" "$tx"; then
        ok "wtgrpa ($PA) first: 2 connections, nothing received, Tx ${tx}k/s"
    else
        bad "wtgrpa's Tx: $first"
    fi
else
    bad "the first group: '$first' (want wtgrpa ($PA), 2 connections)"
fi
line_b=$(grep -F "wtgrpb ($PB)" <<<"$groups")
if [[ $line_b =~ ^▸\ wtgrpb\ \($PB\)\ +1\ +-\ +([0-9.]+)k/s\ + ]] &&
    python3 -c "import sys; sys.exit(0 if 15 <= float(sys.argv[1]) <= 35 else 1)" "${BASH_REMATCH[1]}"; then
    ok "wtgrpb ($PB): 1 connection, Tx ${BASH_REMATCH[1]}k/s"
else
    bad "wtgrpb's line: '$line_b'"
fi

# open wtgrpa (the first line): its two connections, Tx adding up
keys g Enter
s=$(screen)
python3 - "$s" <<'PY' && ok "Enter opens wtgrpa: its 2 connections, their Tx cells add up to the group's" || bad "wtgrpa opened: $(head -8 <<<"$s")"
import re, sys
lines = sys.argv[1].splitlines()
units = {"": 1e-3, "k": 1, "M": 1e3, "G": 1e6}
def rate(cell):
    m = re.fullmatch(r"([0-9.]+)([kMG]?)B?/s", cell)
    return float(m.group(1)) * units[m.group(2)] if m else 0.0
at = next(i for i, l in enumerate(lines) if l.startswith("\u25be wtgrpa"))
group_tx = rate(lines[at].split()[-2])
kids = []
for l in lines[at + 1:]:
    if not l.startswith("  ") or not l.strip():
        break
    kids.append(l)
# nothing received (the group's Rx is "-"): a connection's one rate cell is its Tx
txs = [rate(c) for l in kids for c in re.findall(r"\S+/s", l)]
ok = len(kids) == 2 and all("wtgrpa" in l for l in kids) and abs(sum(txs) - group_tx) <= 0.02 * group_tx + 0.2
if not ok:
    print("  group Tx %s, connections %s: %s" % (group_tx, txs, kids))
sys.exit(0 if ok else 1)
PY
keys Left
if ! screen | grep -qE '^  UDP'; then ok "Left closes it"; else bad "still open after Left"; fi

# the namespaces' own traffic (neighbour discovery and the like) is
# there too: every connection shown is in one group or another
shown=$(screen | sed -n 's/.* \([0-9]*\)\/[0-9]* shown.*/\1/p')
group_sum() { grep -E '^[▸▾] ' | sed -E 's/^[▸▾] .*[^ ] +([0-9]+) +[^ ]+ +[^ ]+ +[^ ]+ *$/\1/' | awk '{ s += $1 } END { print s + 0 }'; }
keys a
s=$(screen)
unknown=$(grep -E '^▸ \(unknown\) ' <<<"$s" | awk '{ print $(NF - 3) }')
if [ "${unknown:-0}" -ge 3 ] && [ "$(group_sum <<<"$s")" = "$shown" ]; then
    ok "by application: the senders' 3 in (unknown) (no protocol on that port), all $shown shown in groups"
else
    bad "by application ($shown shown): $(grep -E '^[▸▾] ' <<<"$s")"
fi
keys a
s=$(screen)
if grep -qE "^▸ \(none\) +$shown " <<<"$s" && [ "$(grep -cE '^[▸▾] ' <<<"$s")" -eq 1 ]; then
    ok "by container: one (none) group of all $shown"
else
    bad "by container ($shown shown): $(grep -E '^[▸▾] ' <<<"$s")"
fi
keys a
s=$(screen)
if [ "$(grep -cE '^UDP +10\.221\.0\.1:[0-9]+ +10\.221\.0\.2:47910 ' <<<"$s")" -eq 3 ] && ! head -1 <<<"$s" | grep -q 'by '; then
    ok "a again: the plain overview, one row per connection"
else
    bad "plain overview: $(head -8 <<<"$s")"
fi

live_ui_summary

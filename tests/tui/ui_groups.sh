#!/usr/bin/env bash
# The overview grouped (a), in tmux against the real program: `wiretop
# --read` of a capture with several applications (ui_mix.pcap: two DNS
# connections, one each of HTTP, HTTPS, QUIC and SSH). Each grouping's
# lines must be the groups `wiretop --read ... --json` gives for the same
# file, worked out here from its records: the name (process "name (pid)",
# app, container; "(unknown)" / "(none)" without one), the number of
# connections and their bytes summed, busiest first (the file is read:
# no rates, so by bytes, then name). Enter opens a group in place to
# exactly its connections, Enter on one of them shows its Details, Left
# closes the group, and `a` after container is the plain overview again.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/screen_lib.sh
need_tool tmux python3

BIN=${WIRETOP_BIN:-$BUILD/wiretop}
CAP=${1:-tests/golden/captures/ui_mix.pcap}
[ -x "$BIN" ] || { echo "no binary at $BIN"; echo "0 passed, 1 failed"; exit 1; }
TMP=$(mktemp -d)
SOCK="wt-groups-$$"
pass=0 fail=0

cleanup() {
    tmux_end "$SOCK"
    rm -rf "$TMP"
}
trap cleanup EXIT

keys() { T send-keys -t ui "$@"; sleep 0.3; }

"$BIN" --read "$CAP" --json >"$TMP/records.json" || fail_suite "--json failed on $CAP"
[ -s "$TMP/records.json" ] || fail_suite "$CAP gives no records"

# groups.py BY SCREEN [GROUP]: compares the screen's group lines with the
# groups of the records; with GROUP, that group must be open and list
# exactly its connections (by their initiator's port) under its line.
cat >"$TMP/groups.py" <<'PY'
import json, re, sys

by, screen_file = sys.argv[1], sys.argv[2]
opened = sys.argv[3] if len(sys.argv) > 3 else None
recs = [json.loads(l) for l in open(sys.argv[4])]

def name(r):
    if by == "process":
        return "%s (%d)" % (r.get("process") or "?", r["pid"]) if r.get("pid") else "(unknown)"
    if by == "application":
        return r.get("app") or "(unknown)"
    return r.get("container") or "(none)"

def fmt_bytes(v):  # the UI's rule: 999B, then 1.23k 12.3k 123k, M, G
    if v < 1000:
        return "%dB" % v
    for unit in "kMGTP":
        v /= 1000.0
        if v < 1000 or unit == "P":
            return ("%.2f" if v < 10 else "%.1f" if v < 100 else "%.0f") % v + unit

want = {}
for r in recs:
    g = want.setdefault(name(r), {"conns": 0, "bytes": 0, "ports": []})
    g["conns"] += 1
    g["bytes"] += r["src_bytes"] + r["dst_bytes"]
    g["ports"].append(r.get("src_port"))
order = sorted(want, key=lambda n: (-want[n]["bytes"], n))

head = re.compile(r"^([+\-\u25b8\u25be]) (.+?) +(\d+) +(\S+) +(\S+) +(\S+) *$")
lines = open(screen_file, encoding="utf-8").read().splitlines()
got, under = [], {}
for line in lines[2:]:
    m = head.match(line)
    if m:
        got.append(m.groups())
        under[m.group(2)] = []
    elif got and line.startswith("  ") and line.strip():
        under[got[-1][1]].append(line)
ok = True
def bad(msg):
    global ok
    ok = False
    print("  " + msg)
if [g[1] for g in got] != order:
    bad("groups %s, want %s" % ([g[1] for g in got], order))
for mark, n, conns, rx, tx, b in got:
    w = want.get(n)
    if not w:
        continue
    if int(conns) != w["conns"] or b != fmt_bytes(w["bytes"]):
        bad("%s: %s connections, %s; want %d, %s" % (n, conns, b, w["conns"], fmt_bytes(w["bytes"])))
    if rx != "-" or tx != "-":
        bad("%s: rates %s %s in a file read to its end" % (n, rx, tx))
    is_open = mark in "-\u25be"
    if is_open != (n == opened):
        bad("%s: %s" % (n, "open" if is_open else "closed"))
    if n == opened:
        ports = sorted(int(p) for l in under[n] for p in re.findall(r":(\d+) ", l)[:1])
        if ports != sorted(w["ports"]) or len(under[n]) != w["conns"]:
            bad("%s lists %s, want ports %s" % (n, under[n], sorted(w["ports"])))
    elif under[n]:
        bad("%s is closed but lists %s" % (n, under[n]))
sys.exit(0 if ok else 1)
PY

groups_shown() { # BY [OPEN_GROUP]
    screen >"$TMP/screen"
    python3 "$TMP/groups.py" "$1" "$TMP/screen" "${2:-}" "$TMP/records.json"
}

# The application with the most connections, and its place in the order.
read -r BIG < <(python3 - "$TMP/records.json" <<'PY'
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1])]
apps = collections.Counter(r.get("app") or "(unknown)" for r in recs)
big = sorted(apps, key=lambda a: (-apps[a], a))[0]
print(big)
PY
)
BIG_AT=$(python3 - "$TMP/records.json" "$BIG" <<'PY'
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1])]
b = collections.Counter()
for r in recs:
    b[r.get("app") or "(unknown)"] += r["src_bytes"] + r["dst_bytes"]
print(sorted(b, key=lambda a: (-b[a], a)).index(sys.argv[2]))
PY
)
TOTAL=$(wc -l <"$TMP/records.json")

T new-session -d -s ui -x 160 -y 40 "$BIN --read $CAP"
check "the file is read" wait_for "(done)" 100
check "plain overview first" wait_for "Proto"

keys a
check "a: grouped by process" wait_for "by process"
check "by process: the records' processes" groups_shown process

keys a
check "a again: by application" wait_for "by application"
check "by application: the records' applications, counts and bytes" groups_shown application

# open the biggest group: its connections under it, nothing else opened
keys g
for ((i = 0; i < BIG_AT; i++)); do keys j; done
keys Enter
check "Enter opens $BIG in place to its connections" groups_shown application "$BIG"
keys j Enter
check "Enter on one of them: its Details" wait_for "Initiator"
check "Details of a connection of $BIG" bash -c "tmux -L $SOCK capture-pane -p -t ui | grep -qE 'Application +$BIG'"
keys Escape
check "Esc: the grouped overview, still open" groups_shown application "$BIG"
keys Left
check "Left closes the group" groups_shown application
keys g Right
check "Right opens the first group" bash -c "tmux -L $SOCK capture-pane -p -t ui | grep -qE '^(\\+|▸|-|▾) ' &&
    tmux -L $SOCK capture-pane -p -t ui | sed -n 3p | grep -qE '^(-|▾) '"
keys Left

keys a
check "a again: by container" wait_for "by container"
check "by container: every connection in (none)" groups_shown container

keys a
check "a again: the plain overview" wait_for "Proto"
check "the title no longer says a grouping" bash -c "! tmux -L $SOCK capture-pane -p -t ui | head -1 | grep -q 'by '"
check "one row per connection again" bash -c "[ \$(tmux -L $SOCK capture-pane -p -t ui | grep -cE '^(TCP|UDP) ') -eq $TOTAL ]"

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

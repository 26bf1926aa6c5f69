#!/usr/bin/env bash
# The Health view, in tmux against the real program: `wiretop --read` of
# the findings capture with one problem of each kind
# (tests/golden/findings/problems.pcap, made with scapy and checked
# against tshark by tests/golden/findings_check.py) lists the same
# findings, kind and count, as `wiretop --read ... --findings` writes for
# it, errors first; Enter on one shows exactly the connections that
# headless output names for it, and Esc brings the rest back. In the
# overview the Health column marks the rows with retransmissions and the
# failed handshakes, and ! (worst first) puts a failed handshake first.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/screen_lib.sh
need_tool tmux python3

BIN=${WIRETOP_BIN:-$BUILD/wiretop}
CAP=tests/golden/findings/problems.pcap
[ -x "$BIN" ] || { echo "no binary at $BIN"; echo "0 passed, 1 failed"; exit 1; }
TMP=$(mktemp -d)
SOCK="wt-health-$$"
pass=0 fail=0

cleanup() {
    tmux_end "$SOCK"
    rm -rf "$TMP"
}
trap cleanup EXIT

keys() { T send-keys -t ui "$@"; sleep 0.2; }

# What the headless run says: "kind count" per finding, and each one's
# connections as "src_ip:src_port" (ports only for TCP and UDP).
"$BIN" --read "$CAP" --findings >"$TMP/findings.json" || fail_suite "--findings failed on $CAP"
python3 - "$TMP/findings.json" "$TMP" <<'PY' || fail_suite "cannot read the --findings output"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[2] + "/kinds", "w") as out:
    for f in sorted(lines, key=lambda f: f["finding"]):
        out.write("%s %d\n" % (f["finding"], f["count"]))
for f in lines:
    with open(sys.argv[2] + "/conns." + f["finding"], "w") as out:
        for c in f["connections"]:
            port = ":%d" % c["src_port"] if c["proto"] in ("TCP", "UDP") else ""
            out.write("%s%s\n" % (c["src_ip"], port))
PY
[ -s "$TMP/kinds" ] || fail_suite "$CAP makes no findings headless"

# The Health view's lines as "kind count", sorted like the headless ones.
health_kinds() {
    screen | awk '$1 == "error" || $1 == "warning" { print $2, $(NF - 2) }' | sort
}

# Severities top to bottom: every error above every warning.
errors_first() {
    screen | awk '$1 == "error" || $1 == "warning" { print $1 }' | uniq | tr '\n' ' ' |
        grep -qxE '(error )?(warning )?'
}

# The overview's table lines (after the title and header, before the
# hint and status bars).
table_lines() { screen | sed -n '3,$p' | head -n -2 | grep -v '^ *$'; }

# The overview shows exactly the connections the headless output names
# for finding KIND: as many table lines, each with one of them.
shows_exactly() { # KIND
    local want n
    want=$(grep -c . "$TMP/conns.$1")
    n=$(table_lines | wc -l)
    [ "$n" -eq "$want" ] || return 1
    while read -r c; do table_lines | grep -qF -- "$c " || return 1; done <"$TMP/conns.$1"
}

# The finding's line in the Health view, counted from 0.
line_of() { # KIND
    screen | awk '$1 == "error" || $1 == "warning" { print $2 }' | grep -nx -- "$1" | cut -d: -f1 |
        awk '{ print $1 - 1 }'
}

jump_to() { # KIND: from the Health view's top, down to KIND's line, Enter
    local i n
    n=$(line_of "$1")
    [ -n "$n" ] || return 1
    keys g
    for ((i = 0; i < n; i++)); do keys Down; done
    keys Enter
}

T new-session -d -s ui -x 200 -y 40 "$BIN --read $CAP"
check "overview appears" wait_for "Remote Address" 100
check "the whole file is read" wait_for "(done)" 300
total=$(screen | grep -oE '[0-9]+/[0-9]+ shown' | head -1 | cut -d/ -f2 | cut -d' ' -f1)
keys H
check "H opens the Health view" wait_for "Severity Finding" 30
check "the Health view lists findings" wait_for "tcp_no_answer" 30
health_kinds >"$TMP/ui_kinds"
check "Health lists the kinds and counts --findings writes" diff "$TMP/kinds" "$TMP/ui_kinds"
check "Health lists errors first" errors_first

for kind in tcp_no_answer dns_nxdomain icmp_unreachable; do
    [ -s "$TMP/conns.$kind" ] || { check "--findings has $kind" false; continue; }
    keys H
    wait_for "Severity Finding" 30 >/dev/null
    jump_to "$kind"
    check "Enter on $kind shows the overview" wait_for "$kind: its" 30
    check "the overview shows exactly the connections of $kind" shows_exactly "$kind"
    keys Escape
    check "Esc after $kind brings every connection back" wait_for "$total/$total shown" 30
done

# The Health column: R on the connection with retransmissions, X on the
# refused one, N (and R: its SYN went out three times) on the unanswered.
badge_of() { # LOCAL-ENDPOINT: the Health cell of its row
    screen | awk -v ep="$1 " '
        NR == 2 { at = index($0, " Health ") + 1 }
        at && index($0, ep) { s = substr($0, at, 6); gsub(/ /, "", s); print s; exit }'
}
badge_is() { [ "$(badge_of "$1")" = "$2" ]; }
check "the badge shows R on the row with retransmissions" badge_is 10.1.0.2:41040 R
check "the badge shows X on the refused handshake" badge_is 10.1.0.2:41010 X
check "the badge shows NR on the unanswered SYN sent three times" badge_is 10.1.0.2:41000 NR
check "no badge on a clean connection" badge_is 10.1.0.2:41050 -

# Worst first: sorted by bytes the retransmitting connection leads; with
# ! the failed handshake does (the errors' biggest), and ! again undoes it.
first_row_has() { table_lines | head -1 | grep -qF -- "$1 "; }
for ((i = 0; i < 20; i++)); do
    screen | head -1 | grep -q "sort: Bytes" && break
    keys s
done
check "s reaches the Bytes sort" wait_for "sort: Bytes" 10
check "by bytes, the biggest connection comes first" first_row_has 10.1.0.2:41040
keys '!'
check "! says worst first" wait_for "sort: worst first, Bytes" 30
check "worst first puts the failed handshake first" first_row_has 10.1.0.2:41000
keys '!'
check "! again: by bytes alone" first_row_has 10.1.0.2:41040

keys Tab
check "Tab from the overview goes to Details" wait_for "Application (DPI)" 30
keys Tab
check "Tab from Details goes to Health" wait_for "Severity Finding" 30
keys Tab
check "Tab from Health goes to Host" wait_for "Unit / container" 30
keys Tab
check "Tab from Host goes to Graph" wait_for "Top applications" 30
keys Tab
check "Tab from Graph goes to Help" wait_for "Keys" 30
keys C-c

# No findings (none headless either): what is checked.
check "--findings finds nothing in clean.pcap" \
    test -z "$("$BIN" --read tests/golden/findings/clean.pcap --findings)"
tmux_end "$SOCK"
T new-session -d -s ui -x 200 -y 40 "$BIN --read tests/golden/findings/clean.pcap"
wait_for "(done)" 300 >/dev/null
keys H
check "a clean capture: No findings" wait_for "No findings among the" 30
check "a clean capture: what is checked" wait_for "Checked: TCP handshakes" 30
keys C-c

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

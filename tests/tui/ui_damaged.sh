#!/usr/bin/env bash
# A capture file damaged part way, read in the UI (tmux): the status bar
# says the reading stopped, why (the message --json prints at its end) and
# that the rows before it are shown; those rows are the ones --json writes
# for the same file. A whole file says nothing of the kind.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}

. tests/need.sh
. tests/tmux_end.sh
need_tool tmux
[ -x "$BIN" ] || skip_suite "$BIN not built"

TMP=$(mktemp -d /tmp/wt-damaged.XXXXXX)
SOCK=wt-damaged-$$
pass=0 fail=0
cleanup() { tmux_end "$SOCK-a" "$SOCK-b"; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

WHOLE=tests/golden/captures/tcp_health.pcap
# the first 30,000 bytes, then a record header promising more than is left
head -c 30000 "$WHOLE" >"$TMP/cut.pcap"

status_of() { # SOCK FILE: the status bar once the file is read
    local line
    tmux -L "$1" new-session -d -x 250 -y 30 "$BIN --read $2; sleep 30"
    for _ in $(seq 100); do
        line=$(tmux -L "$1" capture-pane -p | tail -1)
        [[ $line == *"(done)"* ]] && break
        sleep 0.05
    done
    echo "$line"
}

"$BIN" --read "$TMP/cut.pcap" --json >"$TMP/rows" 2>"$TMP/err"
rows=$(wc -l <"$TMP/rows")
why=$(sed -n 's/^wiretop: warning: //p' "$TMP/err")
[ -n "$why" ] && ok "--json says why it stopped: $why" || bad "--json gave no warning: $(cat "$TMP/err")"

bar=$(status_of "$SOCK-a" "$TMP/cut.pcap")
if [[ $bar == *"| read stopped: $why; the rows before it are shown |"* ]]; then
    ok "the status bar says the reading stopped, why and what is shown"
else
    bad "the status bar: '$bar'"
fi
if [[ $bar == *"$rows/$rows shown"* ]] && [ "$rows" -gt 0 ]; then
    ok "the $rows rows read before it are shown"
else
    bad "want $rows/$rows shown: '$bar'"
fi

bar=$(status_of "$SOCK-b" "$WHOLE")
[[ $bar == *"(done)"* && $bar != *stopped* ]] && ok "a whole file: nothing stopped" || bad "a whole file: '$bar'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

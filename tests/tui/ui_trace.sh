#!/usr/bin/env bash
# --trace-ui on a 100,000-connection capture (tests/live/synflood.c
# --flows: whole short TCP connections) read in the UI, in tmux: the trace
# has the first rows and all rows shown, refreshes that hold every
# connection, and one line for each of a filter keystroke, a sort and a
# page move, with the rows they were over. The filter's count is the one
# `--read --json --filter` writes for the same text. Timings are only
# checked to be numbers: the targets are benchmarks (bench/run.sh).
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
FLOWS=100000
FILTER=7 # one keystroke: a bare word, matched against addresses and names

. tests/need.sh
need_tool tmux cc
[ -x "$BIN" ] || skip_suite "$BIN not built"

TMP=$(mktemp -d /tmp/wt-uitrace.XXXXXX)
SOCK=wt-uitrace-$$
pass=0 fail=0
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # WHAT CMD...
    local what=$1; shift
    if "$@"; then ok; else bad "$what"; fi
}

cc -O2 -o "$TMP/synflood" tests/live/synflood.c || fail_suite "cannot build tests/live/synflood.c"
"$TMP/synflood" --flows "$FLOWS" "$TMP/flows.pcap" 10.77.0.2 8080 || fail_suite "cannot write the capture"
want_filtered=$("$BIN" --read "$TMP/flows.pcap" --json --filter "$FILTER" | wc -l)

# The option's errors: no UI to time, a file that cannot be written.
"$BIN" --read "$TMP/flows.pcap" --json --trace-ui "$TMP/t0" >/dev/null 2>"$TMP/e0"
rc=$?
refused() { [ $rc -eq 2 ] && grep -q -- '--trace-ui' "$TMP/e0"; }
check "--trace-ui with --json is refused (status 2, not $rc): $(cat "$TMP/e0")" refused
"$BIN" --read "$TMP/flows.pcap" --trace-ui "$TMP/no/such/dir/t" >/dev/null 2>"$TMP/e1" </dev/null
check "an unwritable --trace-ui file is named: $(cat "$TMP/e1")" grep -q "no/such/dir/t" "$TMP/e1"

TRACE=$TMP/trace
tmux -L "$SOCK" new-session -d -x 200 -y 50 \
    "exec $BIN --read $TMP/flows.pcap --refresh-interval 250 --trace-ui $TRACE 2>$TMP/err" ||
    fail_suite "cannot start the UI in tmux"

wait_line() { # PATTERN: until the trace has a line matching it (10 s)
    for _ in $(seq 200); do
        grep -qE "$1" "$TRACE" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
num='[0-9]+\.[0-9]{3}'

check "all rows shown: $(tail -3 "$TRACE" 2>/dev/null; head -c 300 "$TMP/err")" \
    wait_line "^$num all_rows rows=$FLOWS shown=$FLOWS\$"
first_rows_once() { # once, with rows, before all_rows
    [ "$(grep -c ' first_rows ' "$TRACE")" = 1 ] &&
        grep -qE "^$num first_rows rows=[1-9][0-9]* shown=[1-9][0-9]*\$" "$TRACE" &&
        [ "$(grep -E ' (first|all)_rows ' "$TRACE" | head -1 | cut -d' ' -f2)" = first_rows ]
}
check "first rows shown, once, before all rows: $(grep ' first_rows ' "$TRACE")" first_rows_once
refresh_re="^$num (refresh|catch_up) rows=[0-9]+ shown=[0-9]+ free=$num snapshot=$num model=$num draw=$num wall=$num cpu=$num\$"
check "every refresh line is complete" \
    [ -z "$(grep -E ' (refresh|catch_up) ' "$TRACE" | grep -vE "$refresh_re")" ]
check "a refresh holds every connection" grep -qE "^$num refresh rows=$FLOWS shown=$FLOWS " "$TRACE"
check "times count up from the start" \
    awk 'NR > 1 && $1 < prev { exit 1 } { prev = $1 }' "$TRACE"

key_line() { # KIND: the last key line of that kind
    grep -E "^$num key kind=$1 " "$TRACE" | tail -1
}
key_re() { # KIND SHOWN
    echo "^$num key kind=$1 rows=$FLOWS shown=$2 wall=$num cpu=$num\$"
}

tmux -L "$SOCK" send-keys /
tmux -L "$SOCK" send-keys "$FILTER"
check "a filter keystroke over $FLOWS rows leaves the $want_filtered that --json --filter writes: $(key_line filter)" \
    wait_line "$(key_re filter "$want_filtered")"
tmux -L "$SOCK" send-keys Enter
tmux -L "$SOCK" send-keys s
check "a sort over the filtered rows: $(key_line sort)" wait_line "$(key_re sort "$want_filtered")"
tmux -L "$SOCK" send-keys NPage
check "a page move: $(key_line move)" wait_line "$(key_re move "$want_filtered")"
check "the title shows the sort" \
    grep -q "sort: " <<<"$(tmux -L "$SOCK" capture-pane -p | head -1)"

gone() { ! tmux -L "$SOCK" has-session 2>/dev/null; }
tmux -L "$SOCK" send-keys q q
for _ in $(seq 100); do
    gone && break
    sleep 0.05
done
check "q q quits" gone
check "nothing on stderr: $(head -c 300 "$TMP/err")" [ ! -s "$TMP/err" ]

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

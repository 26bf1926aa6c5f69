#!/usr/bin/env bash
# --trace-ui on a 100,000-connection capture read in the UI, in tmux (the
# scenario of tests/tui/lib.sh, which bench/ui_trace.sh times): the trace
# has the first rows and all rows shown, refreshes that hold every
# connection, and one line for each of a filter keystroke, a sort and a
# page move, with the rows they were over. The filter's count is the one
# `--read --json --filter` writes for the same text. Timings are only
# checked to be numbers: the targets are benchmarks.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}

. tests/need.sh
. tests/tmux_end.sh
. tests/tui/lib.sh
need_tool tmux cc
[ -x "$BIN" ] || skip_suite "$BIN not built"

TMP=$(mktemp -d /tmp/wt-uitrace.XXXXXX)
SOCK=wt-uitrace-$$
pass=0 fail=0
cleanup() {
    tmux_end "$SOCK"
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # WHAT CMD...
    local what=$1; shift
    if "$@"; then ok; else bad "$what"; fi
}

FLOWS=$UI_TRACE_FLOWS num=$UI_TRACE_NUM
ui_trace_capture "$TMP" || fail_suite "cannot write the capture"
want_filtered=$("$BIN" --read "$TMP/flows.pcap" --json --filter "$UI_TRACE_FILTER" | wc -l)

# The option's errors: no UI to time, a file that cannot be written.
"$BIN" --read "$TMP/flows.pcap" --json --trace-ui "$TMP/t0" >/dev/null 2>"$TMP/e0"
rc=$?
refused() { [ $rc -eq 2 ] && grep -q -- '--trace-ui' "$TMP/e0"; }
check "--trace-ui with --json is refused (status 2, not $rc): $(cat "$TMP/e0")" refused
"$BIN" --read "$TMP/flows.pcap" --trace-ui "$TMP/no/such/dir/t" >/dev/null 2>"$TMP/e1" </dev/null
check "an unwritable --trace-ui file is named: $(cat "$TMP/e1")" grep -q "no/such/dir/t" "$TMP/e1"

TRACE=$TMP/trace
ui_trace_start "$SOCK" "exec $BIN --read $TMP/flows.pcap --refresh-interval 250 --trace-ui $TRACE 2>$TMP/err" ||
    fail_suite "cannot start the UI in tmux"

check "all rows shown: $(tail -3 "$TRACE" 2>/dev/null; head -c 300 "$TMP/err")" \
    ui_trace_wait "$TRACE" "^$num all_rows rows=$FLOWS shown=$FLOWS\$"
first_rows_once() { # once, with rows, before all_rows
    [ "$(grep -c ' first_rows ' "$TRACE")" = 1 ] &&
        grep -qE "^$num first_rows rows=[1-9][0-9]* shown=[1-9][0-9]*\$" "$TRACE" &&
        [ "$(grep -E ' (first|all)_rows ' "$TRACE" | head -1 | cut -d' ' -f2)" = first_rows ]
}
check "first rows shown, once, before all rows: $(grep ' first_rows ' "$TRACE")" first_rows_once
refresh_re="^$num (refresh|catch_up) rows=[0-9]+ shown=[0-9]+ free=$num snapshot=$num model=$num host=$num draw=$num wall=$num cpu=$num\$"
check "every refresh line is complete" \
    [ -z "$(grep -E ' (refresh|catch_up) ' "$TRACE" | grep -vE "$refresh_re")" ]
check "a refresh holds every connection" grep -qE "^$num refresh rows=$FLOWS shown=$FLOWS " "$TRACE"
check "times count up from the start" \
    awk 'NR > 1 && $1 < prev { exit 1 } { prev = $1 }' "$TRACE"

key_is() { # KIND SHOWN: the last key line of KIND is complete and over those rows
    grep -qE "^$num key kind=$1 rows=$FLOWS shown=$2 wall=$num cpu=$num\$" <<<"$(ui_trace_last "$TRACE" "$1")"
}
ui_trace_filter "$SOCK" "$TRACE"
check "a filter keystroke over $FLOWS rows leaves the $want_filtered that --json --filter writes: $(ui_trace_last "$TRACE" filter)" \
    key_is filter "$want_filtered"
ui_trace_sort "$SOCK" "$TRACE"
check "a sort over the filtered rows: $(ui_trace_last "$TRACE" sort)" key_is sort "$want_filtered"
ui_trace_page "$SOCK" "$TRACE"
check "a page move: $(ui_trace_last "$TRACE" move)" key_is move "$want_filtered"
check "the title shows the sort" grep -q "sort: " <<<"$(tmux -L "$SOCK" capture-pane -p | head -1)"

check "q q quits" ui_trace_quit "$SOCK"
check "nothing on stderr: $(head -c 300 "$TMP/err")" [ ! -s "$TMP/err" ]

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

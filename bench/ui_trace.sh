#!/usr/bin/env bash
# The UI targets of docs/PERFORMANCE.md on a 100,000-connection capture
# (the scenario of tests/tui/ui_trace.sh, from tests/tui/lib.sh), measured
# by wiretop itself (--trace-ui), each figure beside its target:
# - first rows shown, ms since the start;
# - all rows shown, against the wall time of `--read --json` on the same file;
# - UI memory per connection beyond what --json uses (peak RSS of each);
# - a filter keystroke, a sort and a page move over the 100,000 rows
#   (wiretop's own wall and CPU time of the UI thread).
# Median of RUNS runs (default 5). Figures from a busy machine are no claim.
#   bench/ui_trace.sh BIN [RUNS]
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1")
RUNS=${2:-5}
. tests/tui/lib.sh
. bench/lib.sh
for t in tmux cc /usr/bin/time; do
    command -v "$t" >/dev/null 2>&1 || { echo "skip: $t not installed"; exit 0; }
done
TMP=$(mktemp -d /tmp/wt-uibench.XXXXXX)
SOCK=wt-uibench-$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
ui_trace_capture "$TMP" >/dev/null || { echo "skip: cannot write the capture"; exit 0; }
CAP=$TMP/flows.pcap
cat "$CAP" >/dev/null # the page cache, not the disk, is what is measured

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }   # NAME: its value in the line on stdin
at_ms() { cut -d' ' -f1; }                       # the line's time since the start

: >"$TMP/json_ms"; : >"$TMP/json_kb"
for _ in $(seq "$RUNS"); do
    s=$(date +%s%N)
    /usr/bin/time -f %M -o "$TMP/kb" "$BIN" --read "$CAP" --json >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000000)) >>"$TMP/json_ms"
    cat "$TMP/kb" >>"$TMP/json_kb"
done

for f in first all filter filter_cpu sort sort_cpu move move_cpu ui_kb; do : >"$TMP/$f"; done
for r in $(seq "$RUNS"); do
    trace=$TMP/trace$r
    ui_trace_start "$SOCK" "exec /usr/bin/time -f %M -o $TMP/ui_kb$r $BIN --read $CAP --trace-ui $trace 2>$TMP/err" ||
        { echo "skip: cannot start the UI in tmux"; exit 0; }
    if ! ui_trace_wait "$trace" " all_rows " || ! ui_trace_filter "$SOCK" "$trace" ||
        ! ui_trace_sort "$SOCK" "$trace" || ! ui_trace_page "$SOCK" "$trace"; then
        echo "run $r: the scenario did not complete: $(tail -2 "$trace" 2>/dev/null) $(head -c 200 "$TMP/err")"
        tmux -L "$SOCK" kill-server 2>/dev/null
        continue
    fi
    ui_trace_quit "$SOCK" || tmux -L "$SOCK" kill-server 2>/dev/null
    sleep 0.2 # /usr/bin/time writes once wiretop has exited
    grep ' first_rows ' "$trace" | at_ms >>"$TMP/first"
    grep ' all_rows ' "$trace" | at_ms >>"$TMP/all"
    for k in filter sort move; do
        ui_trace_last "$trace" $k | field wall >>"$TMP/$k"
        ui_trace_last "$trace" $k | field cpu >>"$TMP/${k}_cpu"
    done
    cat "$TMP/ui_kb$r" >>"$TMP/ui_kb" 2>/dev/null
done

[ -s "$TMP/all" ] && [ -s "$TMP/ui_kb" ] || { echo "no run of the scenario completed"; exit 0; }
json_ms=$(median <"$TMP/json_ms") json_kb=$(median <"$TMP/json_kb")
ui_kb=$(median <"$TMP/ui_kb") all=$(median <"$TMP/all")
echo "$UI_TRACE_FLOWS connections, median of $RUNS runs; --read --json: ${json_ms} ms, peak RSS $((json_kb / 1024)) MB"
row "first rows shown" "$(median <"$TMP/first") ms" "<= 300 ms"
row "all rows shown" "$all ms = $(printf '%.2f' "$(echo "$all / $json_ms" | bc -l 2>/dev/null)")x the --json time" "<= 1.3x"
row "UI memory beyond --json" "$(((ui_kb - json_kb) * 1024 / UI_TRACE_FLOWS)) B per connection (UI $((ui_kb / 1024)) MB)" "<= 500 B"
for k in filter sort move; do
    name=$k
    [ $k = filter ] && name="filter keystroke"
    [ $k = move ] && name="page move (PgDn)"
    row "$name" "wall $(median <"$TMP/$k") ms, cpu $(median <"$TMP/${k}_cpu") ms" "<= 20 ms"
done

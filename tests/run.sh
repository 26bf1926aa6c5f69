#!/usr/bin/env bash
# Runs every test: unit binaries, golden captures, checks against ../shared
# (when present) and live tests (when root). Prints "N passed, N failed".
#
# Suites run side by side, TEST_JOBS at a time (default 1): most of their
# time is spent waiting on real peers, timers and live captures, not on the
# CPU, and each one keeps to its own namespaces, ports, tmux server and
# temporary files. TEST_JOBS=1 runs them one after the other. Each suite's
# output is printed whole when it ends, with its name and how long it took.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TEST_JOBS=${TEST_JOBS:-1}
export WIRETOP_BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
# The suites use Debian's programs: the python3 that the python3-* test
# packages (scapy) belong to, not one a version manager put first on PATH,
# whose wrapper script also costs a second a start on a busy machine
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# ... but tshark remembered (tests/bin/tshark): one dissection of a capture
# serves `make check` and `make asan-check` alike. Entries go after a day.
WIRETOP_TSHARK_ID=$(stat -L -c '%i %s %Y' "$(command -v tshark)" 2>/dev/null) # which tshark
export WIRETOP_TSHARK_ID
export PATH=$PWD/tests/bin:$PATH
export WIRETOP_TSHARK_CACHE=${WIRETOP_TSHARK_CACHE-$PWD/.test-cache/tshark}
[ -d "$WIRETOP_TSHARK_CACHE" ] && find "$WIRETOP_TSHARK_CACHE" -type f -mmin +1440 -delete
export BUILD
passed=0 failed=0 skipped=0
failures=()
failure_outs=()
outdir=$(mktemp -d)
# the suites' tmux servers put their sockets here, removed with the rest at
# the end (tmux leaves a socket file behind when its server is killed)
export TMUX_TMPDIR=$outdir
declare -A running=() # pid -> index of the suite
# Each suite runs in a process group of its own, so that a run that is
# interrupted ends every suite it started, with their servers and captures.
set -m
stop_running() {
    local pid
    exec 2>/dev/null # not the shell's notice for each suite it ends
    for pid in "${!running[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    rm -rf "$outdir"
}
trap stop_running EXIT
trap 'exit 130' INT TERM HUP

add_counts() { # parse "N passed, N failed[, N skipped]" lines of a suite's output
    local line p f s
    while IFS= read -r line; do
        if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
            p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
            passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
        fi
    done
}

run_suite() { # INDEX NAME: runs NAME in the background, output to $outdir/INDEX
    local out=$outdir/$1 name=$2
    (
        start=$SECONDS
        if [ ! -x "$name" ]; then # a suite that cannot start is a failure, not silence
            echo "FAIL: $name is not executable"
            rc=1
        else
            "$name" </dev/null 2>&1
            rc=$?
        fi
        echo "took $((SECONDS - start)) s"
        echo "$rc" >"$out.rc"
    ) >"$out" 2>&1 &
    running[$!]=$1
}

report_suite() { # INDEX: prints a finished suite's output and adds its counts
    local out=$outdir/$1 name=${suites[$1]} rc
    rc=$(cat "$out.rc" 2>/dev/null || echo 1)
    sed "s|^|[$name] |" "$out"
    add_counts <"$out"
    if [ "$rc" -ne 0 ]; then
        failures+=("$name")
        failure_outs+=("$out")
        if ! grep -qE '[0-9]+ passed, [0-9]+ failed' "$out"; then failed=$((failed + 1)); fi
    fi
}

# The slowest first (each over 40 s in a CI run), so none starts last and
# runs on alone at the end; then the other suites, then the unit binaries.
slowest=(tests/cli/package.sh tests/export/ipfix_nfcapd.sh tests/golden/run.sh tests/live/attr_live.sh
    tests/shared/response_times.sh tests/live/live_timing.sh tests/export/prometheus.sh)
suites=()
for s in "${slowest[@]}" tests/export/*.sh tests/live/*.sh tests/tui/*.sh tests/cli/*.sh tests/shared/*.sh tests/golden/run.sh; do
    [ -e "$s" ] || continue              # a pattern that matched nothing
    case $s in *lib.sh) continue ;; esac # sourced by the suites beside it
    [[ " ${suites[*]} " == *" $s "* ]] && continue # a slow one, already first
    suites+=("$s")
done
for t in "$BUILD"/tests/test_*; do
    case $t in *.d) continue ;; esac # the compiler's dependency lists
    [ -e "$t" ] && suites+=("$t")
done

next=0
while [ $next -lt ${#suites[@]} ] || [ ${#running[@]} -gt 0 ]; do
    while [ $next -lt ${#suites[@]} ] && [ ${#running[@]} -lt "$TEST_JOBS" ]; do
        run_suite $next "${suites[$next]}"
        next=$((next + 1))
    done
    wait -n -p done_pid
    report_suite "${running[$done_pid]}"
    unset "running[$done_pid]"
done

if [ ${#failures[@]} -gt 0 ]; then
    # The failures again at the very end, where a log cut to its tail still shows them
    for i in "${!failures[@]}"; do
        grep -E -A6 '^(FAIL|not ok)|ERROR: AddressSanitizer|runtime error:' "${failure_outs[$i]}" |
            head -40 | sed "s|^|[${failures[$i]}] |"
    done
    echo "failing suites: ${failures[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]

#!/usr/bin/env bash
# run.sh - runs the libFuzzer targets that tests/fuzz/fuzz.mk built.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]    (default: every built target)
#
# SECONDS 0 replays each corpus once without fuzzing (a quick regression
# check). Each target reads its committed seeds (tests/fuzz/corpus/<t>/,
# never written to) and grows a working corpus in $FUZZ_BUILD/corpus/<t>/;
# tests/fuzz/dict/<t>.dict is used when present. A crash, sanitizer report,
# timeout or out-of-memory leaves the reproducer in
# $FUZZ_BUILD/artifacts/<t>/ and fails the run. Targets run FUZZ_JOBS at a
# time (default: one per CPU; fuzzing is CPU-bound). One line per target,
# then "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for b in "$FUZZ_BUILD"/fuzz_*; do
        [ -x "$b" ] && [ "${b%.d}" = "$b" ] && targets+=("${b##*/fuzz_}")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "no fuzz targets built in $FUZZ_BUILD (make -f tests/fuzz/fuzz.mk build)"
    exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0 failed=0

stat_of() { # LOG KEY -> value of "stat::KEY: N"
    sed -n "s/^stat::$2: *\([0-9]*\).*/\1/p" "$1" | tail -1
}

run_one() { # TARGET: prints one line, exit status 0 when the target held
    local t=$1 bin="$FUZZ_BUILD/fuzz_$1" work="$FUZZ_BUILD/corpus/$1"
    local art="$FUZZ_BUILD/artifacts/$1/" log="$FUZZ_BUILD/logs/$1.log"
    local seeds=() opts=()
    mkdir -p "$work" "$art" "$(dirname "$log")"
    [ -d "tests/fuzz/corpus/$t" ] && seeds+=("tests/fuzz/corpus/$t")
    [ -f "tests/fuzz/dict/$t.dict" ] && opts+=("-dict=tests/fuzz/dict/$t.dict")
    if [ "$secs" -eq 0 ]; then
        opts+=(-runs=0)
    else
        opts+=(-max_total_time="$secs")
    fi
    "$bin" "${opts[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art" "$work" "${seeds[@]}" >"$log" 2>&1
    local rc=$?
    local runs cov corp
    runs=$(stat_of "$log" number_of_executed_units)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(find "$work" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        echo "fuzz $t: ok, ${runs:-0} runs in ${secs}s, cov ${cov:-?}, corpus $corp"
    else
        echo "fuzz $t: FAILED (exit $rc) after ${runs:-?} runs; log $log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -3 | sed 's/^/    /'
        grep -o "Test unit written to .*" "$log" | sed 's/^/    /'
    fi
    return $rc
}

FUZZ_JOBS=${FUZZ_JOBS:-$(nproc)}
outdir=$(mktemp -d)
trap 'rm -rf "$outdir"' EXIT
declare -A running=() # pid -> target

collect_one() { # waits for a running target, prints its line, counts it
    local pid rc
    wait -n -p pid
    rc=$?
    cat "$outdir/${running[$pid]}"
    if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    unset "running[$pid]"
}

for t in "${targets[@]}"; do
    if [ ! -x "$FUZZ_BUILD/fuzz_$t" ]; then
        echo "fuzz $t: not built"
        failed=$((failed + 1))
        continue
    fi
    while [ ${#running[@]} -ge "$FUZZ_JOBS" ]; do collect_one; done
    run_one "$t" >"$outdir/$t" 2>&1 &
    running[$!]=$t
done
while [ ${#running[@]} -gt 0 ]; do collect_one; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Runs every test: unit binaries, golden captures, checks against ../shared
# (when present) and live tests (when root). Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export WIRETOP_BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
export BUILD
passed=0 failed=0 skipped=0
failures=()

add_counts() { # parse "N passed, N failed[, N skipped]" lines of a suite's output
    local line p f s
    while IFS= read -r line; do
        if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
            p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
            passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
        fi
    done
}

run_suite() { # NAME CMD...
    local name=$1 out rc
    shift
    out=$("$@" 2>&1); rc=$?
    printf "%s\n" "$out" | sed "s|^|[$name] |"
    add_counts <<<"$out"
    if [ $rc -ne 0 ]; then
        failures+=("$name")
        if ! grep -qE '[0-9]+ passed, [0-9]+ failed' <<<"$out"; then failed=$((failed + 1)); fi
    fi
}

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_suite "$(basename "$t")" "$t"
done
for s in tests/golden/run.sh tests/shared/*.sh tests/cli/*.sh tests/export/*.sh tests/live/*.sh tests/tui/*.sh; do
    [ -x "$s" ] || continue
    run_suite "$s" "$s"
done

if [ ${#failures[@]} -gt 0 ]; then echo "failing suites: ${failures[*]}"; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]

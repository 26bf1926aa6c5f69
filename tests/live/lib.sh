# lib.sh - sourced by the live tests (not run on its own; skipping a whole
# suite is tests/need.sh's): result lines and the closing "N passed, N
# failed, N skipped" line tests/run.sh counts. Set SUITE (the name printed
# on each line) before sourcing.
passed=0 failed=0 skipped=0

# PASS without problems; FAIL with one indented line per problem.
live_result() { # NAME PROBLEMS...
    local name=$1
    shift
    if [ $# -eq 0 ]; then
        echo "PASS $SUITE: $name"
        passed=$((passed + 1))
    else
        echo "FAIL $SUITE: $name"
        printf '       %s\n' "$@"
        failed=$((failed + 1))
    fi
}

# Waits until process PID runs as UID (it dropped privileges); false when
# it exits first or 10 s pass.
live_wait_for_uid() { # PID UID
    for _ in $(seq 100); do
        [ "$(awk '/^Uid:/ {print $3}' /proc/"$1"/status 2>/dev/null)" = "$2" ] && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# Waits until process PID has N threads (wiretop's engine threads run:
# capturing has begun); false after 5 s (seconds on a loaded machine).
live_wait_threads() { # PID N
    for _ in $(seq 50); do
        [ "$(ls /proc/"$1"/task 2>/dev/null | wc -l)" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# The closing count line; the status says whether anything failed.
live_summary() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
}

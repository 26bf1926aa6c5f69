# shellcheck shell=bash
# tests/tui/screen_lib.sh - what the suites that drive wiretop's UI in tmux
# share: the window "ui" of tmux server $SOCK (read at each call, so a
# suite may start a server of its own for each run), its text and status
# bar, waiting for a fixed string to come or go, and a check that counts
# into the suite's pass and fail and shows the screen when it fails.
# Sourced from the top of the tree.

T() { tmux -L "$SOCK" "$@"; }
screen() { T capture-pane -p -t ui 2>/dev/null; }
bar() { screen | tail -1; }

wait_for() { # FIXED-STRING [tenths of a second, default 50]: on the screen
    local i
    for ((i = 0; i < ${2:-50}; i++)); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

wait_gone() { # FIXED-STRING [tenths of a second, default 50]: off the screen
    local i
    for ((i = 0; i < ${2:-50}; i++)); do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
    done
    return 1
}

check() { # NAME COMMAND...: one test
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name"
        screen | sed 's/^/    | /'
    fi
}

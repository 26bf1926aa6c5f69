# shellcheck shell=bash
# tests/tui/lib.sh - the --trace-ui scenario, shared by tests/tui/ui_trace.sh
# (which checks the events) and bench/ui_trace.sh (which times them):
# `wiretop --read` of 100,000 whole short TCP connections
# (tests/live/synflood.c --flows) in a detached tmux session, then a filter
# keystroke, a sort and a page move, each waited for in the trace.
# Sourced from the top of the tree.

UI_TRACE_FLOWS=100000
UI_TRACE_FILTER=7 # one keystroke: a bare word, matched against addresses and names
UI_TRACE_NUM='[0-9]+\.[0-9]{3}'

ui_trace_capture() { # DIR: writes DIR/flows.pcap
    cc -O2 -o "$1/synflood" tests/live/synflood.c &&
        "$1/synflood" --flows "$UI_TRACE_FLOWS" "$1/flows.pcap" 10.77.0.2 8080
}

ui_trace_start() { # SOCK COMMAND: the UI in a detached 200x50 tmux session
    tmux -L "$1" new-session -d -x 200 -y 50 "$2"
}

ui_trace_wait() { # TRACE PATTERN: until the trace has a line matching it (10 s)
    for _ in $(seq 200); do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

ui_trace_count() { # TRACE KIND: key lines of that kind so far
    grep -cE "^$UI_TRACE_NUM key kind=$2 " "$1" 2>/dev/null
}

ui_trace_key() { # SOCK TRACE KIND KEY...: sends the keys, waits for one more line of KIND
    local sock=$1 trace=$2 kind=$3 had
    shift 3
    had=$(ui_trace_count "$trace" "$kind")
    tmux -L "$sock" send-keys "$@"
    for _ in $(seq 200); do
        [ "$(ui_trace_count "$trace" "$kind")" -gt "$had" ] && return 0
        sleep 0.05
    done
    return 1
}

ui_trace_last() { # TRACE KIND: the last key line of that kind
    grep -E "^$UI_TRACE_NUM key kind=$2 " "$1" | tail -1
}

# The three keys of the scenario, in order: a filter keystroke, a sort (s,
# once the filter line is left), a page move; false at the first that
# leaves no line.
ui_trace_filter() { # SOCK TRACE
    tmux -L "$1" send-keys /
    ui_trace_key "$1" "$2" filter "$UI_TRACE_FILTER"
}
ui_trace_sort() { # SOCK TRACE
    tmux -L "$1" send-keys Enter
    ui_trace_key "$1" "$2" sort s
}
ui_trace_page() { # SOCK TRACE
    ui_trace_key "$1" "$2" move NPage
}

ui_trace_quit() { # SOCK: q q, then until the session is gone (5 s); false if it stays
    tmux -L "$1" send-keys q q
    for _ in $(seq 100); do
        tmux -L "$1" has-session 2>/dev/null || return 0
        sleep 0.05
    done
    return 1
}

# lib.sh - sourced by the live tests (not run on its own; skipping a whole
# suite is tests/need.sh's): result lines and the closing "N passed, N
# failed, N skipped" line tests/run.sh counts. Set SUITE (the name printed
# on each line) before sourcing.
. tests/tmux_end.sh # tmux_end: the UI suites' teardown
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

# Waits until FILE has something in it (a server's ready line, a client's
# answer); false after 5 s.
live_wait_for_line() { # FILE
    for _ in $(seq 50); do
        [ -s "$1" ] && return 0
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

# Waits until wiretop PID is capturing: its capture thread runs (see
# live_wait_capture); false after 5 s.
live_wait_capturing() { # PID
    for _ in $(seq 50); do
        grep -qx wt-capture /proc/"$1"/task/*/comm 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# What a live suite of two namespaces starts from, names ending in the
# test's pid: namespaces NA and NB (their veth ends VA and VB, addresses A
# and B of SUBNET.0/24, for live_ns_pair), a temporary folder TMP, pids
# (killed on the way out), and a trap that removes them all, with the tmux
# server SOCK when the suite set one (live_pair_cleanup).
live_pair_setup() { # SHORT (3 letters: interface names are short) SUBNET (10.221.0)
    NA=wt$1a$$ NB=wt$1b$$ VA=wt$1va$$ VB=wt$1vb$$ A=$2.1 B=$2.2
    TMP=$(mktemp -d "/tmp/wt-$1.XXXXXX")
    pids=()
    trap live_pair_cleanup EXIT INT TERM
}

live_pair_cleanup() {
    local p
    for p in "${pids[@]}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null; done
    [ -n "${SOCK:-}" ] && tmux_end "$SOCK"
    ip netns del "$NA" 2>/dev/null
    ip netns del "$NB" 2>/dev/null
    rm -rf "$TMP"
}

# The same for a live UI suite, with the tmux server SOCK and the
# counters pass and fail, which ok and bad count into (a suite may
# redefine bad to show more) and live_ui_summary closes with.
live_ui_setup() { # SHORT SUBNET
    live_pair_setup "$1" "$2"
    SOCK=wt-$1-$$
    pass=0 fail=0
}
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
live_ui_summary() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

# What a flood test starts from, names ending in the test's pid: NS, A,
# B (for live_veth) and SOCK (its tmux server), a temporary directory TMP
# holding tests/live/synflood.c built, and a trap that removes them and
# kills $pid (the program under test, when set) on the way out.
live_flood_setup() { # SHORT-NAME (3 letters: interface names are short)
    NS=wt$1n$$ A=wt$1a$$ B=wt$1b$$ SOCK=wt$1$$
    TMP=$(mktemp -d "/tmp/wt-$1.XXXXXX")
    pid=
    trap live_flood_cleanup EXIT INT TERM
    cc -O2 -o "$TMP/synflood" tests/live/synflood.c || fail_suite "cannot build tests/live/synflood.c"
}

live_flood_cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    tmux_end "$SOCK"
    ip netns del "$NS" 2>/dev/null
    ip link del "$A" 2>/dev/null
    rm -rf "$TMP"
}

# A namespace NS joined to the root namespace by a veth pair: A stays in
# the root namespace (tcpreplay sends there), B goes into NS; all up.
# IPv6 is off on both ends: no neighbour discovery, the link is quiet.
live_veth() { # NS A B
    ip netns add "$1" &&
        ip link add "$2" type veth peer name "$3" &&
        sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" &&
        ip link set "$3" netns "$1" &&
        ip netns exec "$1" sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1" &&
        ip link set "$2" up &&
        ip netns exec "$1" ip link set "$3" up &&
        ip netns exec "$1" ip link set lo up
}

# Two namespaces NA and NB joined by a veth pair (VA in NA with address
# A/24, VB in NB with B/24), both ends and both loopbacks up.
live_ns_pair() { # NA NB VA VB A B
    ip netns add "$1" && ip netns add "$2" &&
        ip link add "$3" netns "$1" type veth peer name "$4" netns "$2" &&
        ip -n "$1" addr add "$5/24" dev "$3" && ip -n "$2" addr add "$6/24" dev "$4" &&
        ip -n "$1" link set "$3" up && ip -n "$2" link set "$4" up &&
        ip -n "$1" link set lo up && ip -n "$2" link set lo up
}

# Waits until a wiretop in namespace NS is capturing: its capture thread
# runs, which starts only once the capture is open with its kernel filter
# (a packet socket alone is not enough: libpcap drops what arrived before
# the filter was set); false after 5 s.
live_wait_capture() { # NS
    local pid
    for _ in $(seq 50); do
        for pid in $(ip netns pids "$1" 2>/dev/null); do
            grep -qx wt-capture /proc/"$pid"/task/*/comm 2>/dev/null && return 0
        done
        sleep 0.1
    done
    return 1
}

# The UI's status bar in the tmux server SOCK: "N M" of its "N/M shown"
# (nothing when no status bar is drawn).
live_shown() { # SOCK
    tmux -L "$1" capture-pane -p 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\)\/\([0-9][0-9]*\) shown.*/\1 \2/p' | tail -1
}

# The value of KEY= in the closing counters ("capture stats: ...") of the
# log in DIR (--log-dir DIR --log-level info).
live_stat() { # DIR KEY
    sed -n "s/.*capture stats:.* $2=\([0-9]*\).*/\1/p" "$1"/*.log 2>/dev/null | tail -1
}

# The closing count line; the status says whether anything failed.
live_summary() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
}

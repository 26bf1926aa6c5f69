# shellcheck shell=bash
# lib.sh - shared by the tests/export suites (sourced): the tests/cli
# helpers, plus starting and stopping the real programs on the other end.
# shellcheck source=../cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

SHARED_PCAPS=../shared/pcaps
[ -d "$SHARED_PCAPS" ] || SHARED_PCAPS=/work/shared/pcaps

# add_shared_captures NAME...: appends these reference captures of
# $SHARED_PCAPS to the array `captures`; where they are not, a skip says so.
add_shared_captures() {
    local c
    if [ ! -d "$SHARED_PCAPS" ]; then
        skip "$# reference captures: needs ../shared/pcaps (present in CI only)"
        return
    fi
    for c in "$@"; do
        if [ -f "$SHARED_PCAPS/$c" ]; then captures+=("$SHARED_PCAPS/$c"); else skip "$c: not in $SHARED_PCAPS"; fi
    done
}

# free_port tcp|udp: a port nobody listens on now (the kernel picks it).
free_port() {
    python3 -c 'import socket,sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}

# wait_for SECONDS COMMAND...: polls until the command succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.1
    done
}

# nfdump_flows DIR: the flows of every file nfcapd wrote in DIR, one line
# each: start|end|proto|src|sport|dst|dport|in pkts|out pkts|in bytes|out
# bytes. One file at a time: a run that crosses a full hour (nfcapd -t
# 3600) leaves two, and `nfdump -r` reads a second name as a filter.
nfdump_flows() {
    local f
    for f in "$1"/nfcapd.*; do
        nfdump -r "$f" -q -6 -o 'fmt:%tsr|%ter|%pr|%sa|%sp|%da|%dp|%ipkt|%opkt|%ibyt|%obyt' || return
    done
}

# stop_pid PID: SIGTERM, then wait for it to exit (at most 10 s).
stop_pid() {
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$1" 2>/dev/null
}

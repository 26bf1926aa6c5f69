#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP end a read that blocks, within a second, with
# every record of every open connection written first and exit status 0:
# a FIFO nobody opened for writing, a FIFO whose writer stalls after a
# capture's frames, and stdin from a pipe that stalls the same way.
# (Live capture: tests/live/signals.sh.)
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 # write_pcap

write_pcap "$TMP/four.pcap" # two connections: a TCP handshake, one UDP datagram
holders=()
trap 'for h in "${holders[@]}"; do kill "$h" 2>/dev/null; done; rm -rf "$TMP"' EXIT

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

cpu_ticks() { # PID: user + system clock ticks the process has used so far
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null
}

# wait_blocked PID: returns once PID has stopped using the CPU (it waits on
# its read), at least 0.5 s after the start and at most 10 s: a loaded or
# sanitized build may still be starting up after 0.5 s.
wait_blocked() {
    local pid=$1 before after i
    sleep 0.5
    for ((i = 0; i < 50; i++)); do
        before=$(cpu_ticks "$pid")
        sleep 0.2
        after=$(cpu_ticks "$pid")
        [ -n "$after" ] && [ "$before" = "$after" ] && return
    done
}

# stop_after SIG PID WHAT RECORDS: signal PID once it waits on its read, then
# expect it gone within 1 s, status 0, RECORDS records in $TMP/out and
# nothing on stderr.
stop_after() {
    local sig=$1 pid=$2 what=$3 want=$4 t0 rc
    wait_blocked "$pid"
    kill -0 "$pid" 2>/dev/null || { fail "$what: ended before SIG$sig"; return; }
    t0=$(date +%s%N)
    kill -"$sig" "$pid"
    while kill -0 "$pid" 2>/dev/null && [ "$(ms_since "$t0")" -lt 3000 ]; do sleep 0.01; done
    local took
    took=$(ms_since "$t0")
    if kill -0 "$pid" 2>/dev/null; then
        fail "$what: still running 3 s after SIG$sig"
        kill -9 "$pid" 2>/dev/null
    fi
    wait "$pid"
    rc=$?
    check "$what: SIG$sig ends it within a second (${took} ms)" [ "$took" -lt 1000 ]
    check "$what: SIG$sig: exit status 0 (got $rc)" [ "$rc" -eq 0 ]
    check "$what: SIG$sig: $want records (got $(lines "$(cat "$TMP/out")"))" \
        [ "$(lines "$(cat "$TMP/out")")" -eq "$want" ]
    check "$what: SIG$sig: nothing on stderr ($(head -c 200 "$TMP/err"))" [ ! -s "$TMP/err" ]
}

for sig in INT TERM HUP; do
    # A FIFO that no writer ever opens.
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo"
    "$BIN" --read "$TMP/fifo" --json >"$TMP/out" 2>"$TMP/err" &
    stop_after "$sig" $! "--read FIFO, no writer" 0

    # A FIFO whose writer sent a whole capture and then stalls, open, for
    # longer than wait_blocked may take.
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo"
    "$BIN" --read "$TMP/fifo" --json >"$TMP/out" 2>"$TMP/err" &
    pid=$!
    (cat "$TMP/four.pcap"; exec sleep 30) >"$TMP/fifo" & # stopped below
    holders+=($!)
    stop_after "$sig" "$pid" "--read FIFO, stalled writer" 2
    kill "${holders[-1]}" 2>/dev/null

    # stdin from a pipe that stalls after the capture's frames, for longer
    # than wait_blocked may take (a sanitized build on a loaded machine can
    # take seconds to start); the writer is stopped when the read is over
    # (not a pipeline: waiting for wiretop would wait for the writer too).
    exec {feed}< <(cat "$TMP/four.pcap"; exec sleep 30)
    holders+=($!)
    "$BIN" --read - --json <&"$feed" >"$TMP/out" 2>"$TMP/err" &
    pid=$!
    exec {feed}<&-
    stop_after "$sig" "$pid" "--read - from a stalled pipe" 2
    kill "${holders[-1]}" 2>/dev/null
done

finish

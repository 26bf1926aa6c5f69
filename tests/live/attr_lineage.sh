#!/usr/bin/env bash
# attr_lineage.sh - who started a connection's process, and how the process
# was found, end to end through wiretop (root; makes and removes its own
# namespaces and veth).
#
# Two network namespaces joined by a veth: wiretop captures one end (NA)
# as root with SUDO_UID set, so that it drops to that user before any
# traffic. In NA a script named "wtlinpar" (its process name, since the
# kernel names a script's process after the script) runs as that user and
# starts a python3 client, which connects over the veth to a TCP server in
# NB and holds the connection for 3 s; a python3 UDP server in NA, bound
# to no peer, gets a datagram from NB. For each back end (--attr ebpf,
# sock_diag, procfs; ATTR_LINEAGE_BACKENDS to choose):
#   - the TCP record credits the client, matched by its own socket
#     (process_match "socket"), and process_parents[0] is the script: its
#     pid, its name "wtlinpar" and bash as its executable (read by the
#     attribution helper: wiretop, dropped and confined, may not); the
#     script's own parent, this suite's shell, follows;
#   - the UDP record credits the server; scanning back ends see only its
#     bound socket, so the match is the guess "listener" (eBPF may see the
#     datagram reach the socket itself: "socket" or "listener" there).
# Prints "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
BACKENDS=${ATTR_LINEAGE_BACKENDS:-ebpf sock_diag procfs}
USER_ID=4646
SUITE=attr_lineage
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip nsenter setpriv python3
[ -x "$BIN" ] || skip_suite "$BIN is not built"

NA=wt-lna-$$ NB=wt-lnb-$$ VA=wt-la$$ VB=wt-lb$$
A_IP=10.204.0.1 B_IP=10.204.0.2
TCP_PORT=$((20000 + $$ % 20000)) UDP_PORT=$((20001 + $$ % 20000))
TMP=$(mktemp -d /tmp/wt-lineage.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    ip netns del "$NA" 2>/dev/null
    ip netns del "$NB" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

live_ns_pair "$NA" "$NB" "$VA" "$VB" "$A_IP" "$B_IP" || fail_suite "cannot make the namespaces and veth"
chmod 755 "$TMP"
RUN=$TMP/run # the user's: the script writes its pids here
mkdir "$RUN" && chown "$USER_ID:$USER_ID" "$RUN"

# The TCP server in NB: accepts, reads until the client closes.
# commands, not functions: a process started in the background must be $!
IN_A="nsenter --net=/run/netns/$NA" IN_B="nsenter --net=/run/netns/$NB"
AS_USER="setpriv --reuid=$USER_ID --regid=$USER_ID --clear-groups"
# the user's processes run the system's python3 (root's own may be out of
# the user's reach)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

$IN_B python3 -c '
import socket, sys, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(8)
print("ready", flush=True)
def drain(c):
    while c.recv(4096):
        pass
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
' "$TCP_PORT" >"$TMP/tcp-ready" 2>&1 &
pids+=($!)
# The UDP server in NA, as the user: bound, never connected.
$IN_A $AS_USER "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
print("ready", flush=True)
while True:
    s.recvfrom(2048)
' "$UDP_PORT" >"$TMP/udp-ready" 2>&1 &
pids+=($!)
udp_server=$!
disown -a # killed on the way out, without a word from the shell
live_wait_for_line "$TMP/tcp-ready" && live_wait_for_line "$TMP/udp-ready" &&
    grep -qx ready "$TMP/tcp-ready" && grep -qx ready "$TMP/udp-ready" ||
    fail_suite "the servers did not start: $(cat "$TMP/tcp-ready" "$TMP/udp-ready")"

# The known parent: a script whose process is named after it. It writes
# its pid, starts the client and waits for it.
cat >"$TMP/wtlinpar" <<EOF
#!/bin/bash
echo \$\$ >"$RUN/parent.pid"
$PY -c '
import socket, sys, time
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
c.sendall(b"hello")
time.sleep(3)
c.close()
' "$B_IP" "$TCP_PORT" &
echo \$! >"$RUN/client.pid"
wait
EOF
chmod 755 "$TMP/wtlinpar"
BASH_EXE=$(readlink -f /bin/bash)

# The records of one back end: "KEY VALUE" lines of the TCP record to the
# server and of the UDP record to the UDP server.
facts() { # RECORDS
    python3 -c '
import json, sys
tcp, udp = int(sys.argv[2]), int(sys.argv[3])
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("proto") == "TCP" and r.get("dst_port") == tcp:
        print("tcp_pid", r.get("pid"))
        print("tcp_match", r.get("process_match"))
        ps = r.get("process_parents") or []
        print("parents", len(ps))
        for i, p in enumerate(ps[:2]):
            print("parent%d" % i, p.get("pid"), p.get("name"), p.get("exe"))
    if r.get("proto") == "UDP" and r.get("dst_port") == udp:
        print("udp_pid", r.get("pid"))
        print("udp_match", r.get("process_match"))
' "$1" "$TCP_PORT" "$UDP_PORT"
}
fact() { sed -n "s/^$1 //p" "$2" | head -1; }

if [[ " $BACKENDS " == *" ebpf "* ]] && ! "$BIN" --doctor 2>/dev/null | grep -q "back end ebpf"; then
    echo "SKIP $SUITE: ebpf: not available in this build or on this kernel (wiretop --doctor)"
    skipped=$((skipped + 1))
    BACKENDS=${BACKENDS//ebpf/}
fi

for be in $BACKENDS; do
    out=$TMP/$be.json
    rm -f "$RUN/parent.pid" "$RUN/client.pid"
    SUDO_UID=$USER_ID SUDO_GID=$USER_ID $IN_A "$BIN" -i "$VA" --json --duration 60 \
        --no-resolve --attr "$be" >"$out" 2>"$TMP/$be.err" &
    wpid=$!
    pids+=("$wpid")
    # dropped to the user, and capturing (the engine's threads run: libpcap
    # drops what comes before its filter is set)
    if ! live_wait_for_uid "$wpid" "$USER_ID" || ! live_wait_threads "$wpid" 3; then
        kill -9 "$wpid" 2>/dev/null
        live_result "$be: wiretop started and dropped to uid $USER_ID" "$(head -3 "$TMP/$be.err")"
        continue
    fi
    sleep 1 # past the scan at start (eBPF loaded): the client's socket is new to it
    $IN_A $AS_USER "$TMP/wtlinpar" &
    script=$!
    $IN_B python3 -c '
import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"ping", (sys.argv[1], int(sys.argv[2])))
' "$A_IP" "$UDP_PORT"
    wait "$script"
    sleep 0.5 # the last packets
    kill -INT "$wpid" # every record written, however slow the machine was
    wait "$wpid"
    facts "$out" >"$TMP/$be.facts"

    parent=$(cat "$RUN/parent.pid" 2>/dev/null) client=$(cat "$RUN/client.pid" 2>/dev/null)
    problems=()
    [ -n "$parent" ] && [ -n "$client" ] || problems+=("the script did not run")
    [ "$(fact tcp_pid "$TMP/$be.facts")" = "$client" ] ||
        problems+=("pid $(fact tcp_pid "$TMP/$be.facts"), want the client's $client")
    [ "$(fact tcp_match "$TMP/$be.facts")" = socket ] ||
        problems+=("process_match $(fact tcp_match "$TMP/$be.facts"), want socket")
    [ "$(fact parent0 "$TMP/$be.facts")" = "$parent wtlinpar $BASH_EXE" ] ||
        problems+=("process_parents[0] '$(fact parent0 "$TMP/$be.facts")', want '$parent wtlinpar $BASH_EXE'")
    # the script's own parent: this suite's shell, running as root, whose
    # executable the dropped wiretop may not read
    [ "$(fact parent1 "$TMP/$be.facts" | cut -d' ' -f1)" = "$$" ] ||
        problems+=("process_parents[1] '$(fact parent1 "$TMP/$be.facts")', want pid $$")
    [ ${#problems[@]} -eq 0 ] || problems+=("records: $(grep -c . "$out"), stderr: $(head -2 "$TMP/$be.err")")
    live_result "$be: the client is matched by its own socket, its parent is the script" "${problems[@]}"

    udp_match=$(fact udp_match "$TMP/$be.facts")
    problems=()
    [ "$(fact udp_pid "$TMP/$be.facts")" = "$udp_server" ] ||
        problems+=("pid $(fact udp_pid "$TMP/$be.facts"), want the UDP server's $udp_server")
    if [ "$be" = ebpf ]; then
        echo "INFO $SUITE: ebpf: the UDP server is matched by '$udp_match'"
        [ "$udp_match" = socket ] || [ "$udp_match" = listener ] ||
            problems+=("process_match $udp_match, want socket or listener")
    else
        [ "$udp_match" = listener ] || problems+=("process_match $udp_match, want listener")
    fi
    live_result "$be: a datagram to an unconnected server is credited to it$([ "$be" = ebpf ] || echo ', as a guess')" \
        "${problems[@]}"
done

live_summary

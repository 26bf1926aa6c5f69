#!/usr/bin/env bash
# Live test of process attribution (root; makes and removes its own network
# namespaces). 200 short-lived IPv4 client processes (and 90 IPv6 ones) (TCP connect, UDP sendto,
# connected UDP), each exiting within a few milliseconds, against a
# long-lived server, all on the loopback of a fresh namespace. With eBPF at
# least 99% of them must be attributed to the right pid and name, the server
# side too, a connected ping socket, and a 5-tuple that is reused by another
# process in a second namespace must still name ours; attribution must go on
# after the process drops to nobody, and attr_close must release every
# eBPF program, link and map. The same run with sock_diag and procfs,
# scanning through the attribution helper after the drop: the server side
# must be named and the helper still serving (the clients, too short-lived
# for scans, are reported for comparison).
#
# Driven through build/live/attr_driver (tests/live/attr_driver.c), which
# calls attr_open / attr_lookup directly. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
DRIVER=$BUILD/live/attr_driver
CLIENTS=${ATTR_LIVE_CLIENTS:-200}

. tests/need.sh
need_root "network namespaces, eBPF"
need_tool ip nsenter
[ -x "$DRIVER" ] || skip_suite "$DRIVER is not built (make tests)"

NS1=wt-attr-a-$$
NS2=wt-attr-b-$$
# The --drop runs go on as nobody, who must reach the program: a copy in a
# directory of its own (a clone under /root is out of nobody's reach).
PUB=$(mktemp -d /tmp/wt-attr-live.XXXXXX)
chmod 755 "$PUB" && cp "$DRIVER" "$PUB/attr_driver"
cleanup() {
    ip netns del "$NS1" 2>/dev/null
    ip netns del "$NS2" 2>/dev/null
    rm -rf "$PUB"
}
trap cleanup EXIT
ip netns add "$NS1" && ip netns add "$NS2" || fail_suite "cannot create network namespaces"
ip -n "$NS1" link set lo up && ip -n "$NS2" link set lo up || fail_suite "cannot bring up loopback"
# ping sockets for root in the test namespace only (the sysctl is per namespace)
ip netns exec "$NS1" sh -c 'echo "0 2147483647" >/proc/sys/net/ipv4/ping_group_range'

passed=0 failed=0
count() { # reads driver output, counts PASS/FAIL lines
    local line
    while IFS= read -r line; do
        case $line in
        "INFO wrong:"*) ;;
        PASS*) passed=$((passed + 1)); echo "$line" ;;
        FAIL*) failed=$((failed + 1)); echo "$line" ;;
        *) echo "$line" ;;
        esac
    done
}

out=$("$DRIVER" --backend ebpf --netns "/run/netns/$NS1" --collide "/run/netns/$NS2" \
    --clients "$CLIENTS" --ping --min 99 --wait-ms 300)
rc=$?
if [ $rc -eq 3 ]; then
    printf '%s\n' "$out" | grep '^INFO backend'
    skip_suite "eBPF attribution is not available in this build or on this kernel"
fi
count <<<"$out"
if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "FAIL attr_driver exited with $rc"
    failed=$((failed + 1))
fi

# IPv6 on [::1]: the connect6 / sendmsg6 / recvmsg6 hooks and v6 sockets
out=$("$DRIVER" --backend ebpf --netns "/run/netns/$NS1" --clients 90 --v6 --min 99 --wait-ms 300)
count <<<"$out"

# the programs keep reporting after the process drops to nobody
out=$("$PUB/attr_driver" --backend ebpf --netns "/run/netns/$NS1" --clients 60 --drop --min 99 --wait-ms 300 |
    sed -e 's/^\(PASS\|FAIL\) ebpf/\1 ebpf (as nobody after attr_open)/')
count <<<"$out"

# End to end through the program: wiretop captures the namespace's loopback
# with --attr ebpf and must name >= 99% of the short-lived clients in its
# JSON records ("pid", "process"), checked against what the driver ran.
check_wiretop() {
    local bin=${WIRETOP_BIN:-$BUILD/wiretop} tmp wpid total=0 right=0 proto port pid name
    if [ ! -x "$bin" ] || ! "$bin" --help 2>&1 | grep -q -- '--attr'; then
        echo "INFO wiretop check left out: $bin has no --attr"
        return
    fi
    tmp=$(mktemp -d)
    nsenter --net="/run/netns/$NS1" "$bin" -i lo --json --duration 600 --attr ebpf \
        -l info --log-dir "$tmp/logs" >"$tmp/records.json" 2>"$tmp/stderr.txt" &
    wpid=$!
    # eBPF loaded and capture running: the start-up log line written after
    # both (seconds on a loaded machine)
    for _ in $(seq 100); do
        cat "$tmp"/logs/*.log 2>/dev/null | grep -q ' security: ' && break
        sleep 0.1
    done
    "$DRIVER" --list --netns "/run/netns/$NS1" --clients "$CLIENTS" --port 47300 >"$tmp/clients.txt"
    sleep 0.5 # the last packets and events
    kill -INT "$wpid" # ends it as Ctrl+C does (--duration only bounds it)
    wait "$wpid"
    # "PROTO SRC_PORT PID NAME" of each record towards the server
    sed -nE 's/.*"proto": "([A-Z]+)".*"src_port": ([0-9]+),.*"dst_port": 47300,.*"pid": ([0-9]+), "process": "([^"]*)".*/\1 \2 \3 \4/p' \
        "$tmp/records.json" >"$tmp/seen.txt"
    # a 5-tuple that a later client reused belongs to that one: keep the last
    tac "$tmp/clients.txt" | awk '!seen[$2 " " $3]++' >"$tmp/last.txt"
    while read -r _ proto port pid name; do
        total=$((total + 1))
        grep -qxF "$proto $port $pid $name" "$tmp/seen.txt" && right=$((right + 1))
    done <"$tmp/last.txt"
    if [ "$total" -gt 0 ] && [ $((right * 100)) -ge $((total * 99)) ]; then
        echo "PASS wiretop -i lo --json --attr ebpf: $right/$total short-lived clients with the right pid and process"
    else
        echo "FAIL wiretop -i lo --json --attr ebpf: $right/$total short-lived clients with the right pid and process"
        sed 's/^/    wiretop: /' "$tmp/stderr.txt"
    fi
    rm -rf "$tmp"
}
out=$(check_wiretop)
count <<<"$out"

# The scanning back ends through the attribution helper, after the drop to
# nobody: the clients (a few ms each) are mostly gone before a scan, so
# only reported; the long-lived server must be named, and the helper, whose
# seccomp filter kills it on any call outside its allowlist here, must
# still be serving at the end.
for be in sock_diag procfs; do
    echo "--- $be through the helper (clients for comparison, not asserted) ---"
    out=$("$PUB/attr_driver" --backend "$be" --netns "/run/netns/$NS1" --clients "$CLIENTS" --min 0 \
        --min-server 99 --wait-ms 1500 --helper --drop)
    count <<<"$out"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

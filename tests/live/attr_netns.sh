#!/usr/bin/env bash
# attr_netns.sh - process attribution across network namespaces, end to end
# through wiretop (root; makes and removes its own namespaces and veth).
#
# Two network namespaces joined by a veth stand for a host and a container.
# A server on the host side (uid 4343) and a client in the container (uid
# 4444) hold one TCP connection for 3 s; both are build/live/attr_driver run
# through symlinks named "nginx" and "curl", which is what their process
# names then are. wiretop runs in each namespace at once, capturing its own
# end of the veth, as root with SUDO_UID=4242 so that it drops privileges
# before the connection is made: neither process belongs to the user it
# drops to, so the sock_diag and procfs back ends see them only through
# the attribution helper. For each back end (--attr ebpf, sock_diag,
# procfs; ATTR_NETNS_BACKENDS to choose):
#   - the host side's JSON record of the connection credits nginx (pid,
#     process) and names curl as the peer (peer_pid, peer_process);
#   - the container side's record credits curl and names nginx as the peer;
#   - the UI on the host side (tmux) shows "curl → nginx" in its row and
#     says in the status bar what the back end can see (sock_diag and
#     procfs: "via helper"), with Landlock in force where the kernel has it
#     (the helper, not wiretop, reads other processes' /proc entries).
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
DRIVER=$PWD/$BUILD/live/attr_driver
BACKENDS=${ATTR_NETNS_BACKENDS:-ebpf sock_diag procfs}
DROP_ID=4242 SRV_ID=4343 CLI_ID=4444
SUITE=attr_netns
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip nsenter setpriv python3 tmux
[ -x "$BIN" ] || skip_suite "$BIN is not built"
[ -x "$DRIVER" ] || skip_suite "$DRIVER is not built (make tests)"

NSH=wt-nh-$$ NSC=wt-nc-$$ VH=wt-vh$$ VC=wt-vc$$
HOST_IP=10.203.0.1 BOX_IP=10.203.0.2 PORT=$((20000 + $$ % 20000))
TMUX_SOCK=wt-attrns-$$
TMP=$(mktemp -d /tmp/wt-attrns.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    tmux_end "$TMUX_SOCK"
    ip netns del "$NSH" 2>/dev/null
    ip netns del "$NSC" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$NSH" && ip netns add "$NSC" || fail_suite "cannot create network namespaces"
ip -n "$NSH" link add "$VH" type veth peer name "$VC" netns "$NSC" || fail_suite "cannot create a veth"
ip -n "$NSH" addr add "$HOST_IP/24" dev "$VH"
ip -n "$NSC" addr add "$BOX_IP/24" dev "$VC"
ip -n "$NSH" link set "$VH" up && ip -n "$NSC" link set "$VC" up
ip -n "$NSH" link set lo up && ip -n "$NSC" link set lo up
chmod 755 "$TMP"
ln -s "$DRIVER" "$TMP/nginx"
ln -s "$DRIVER" "$TMP/curl"

as_user() { # UID: the command words that run the rest as that user
    echo "setpriv --reuid=$1 --regid=$1 --clear-groups"
}

# "pid process peer_pid peer_process" of the record of the connection from
# the client's port, or "none".
record_of() { # JSON-FILE CLIENT-PORT
    python3 - "$1" "$2" "$PORT" <<'EOF'
import json, sys
path, cport, sport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
found = "none"
for line in open(path):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    if r.get("proto") == "TCP" and r.get("src_port") == cport and r.get("dst_port") == sport:
        found = "%s %s %s %s" % (r.get("pid", "-"), r.get("process", "-"),
                                 r.get("peer_pid", "-"), r.get("peer_process", "-"))
print(found)
EOF
}

# One connection watched from both namespaces (JSON) and from the host's UI.
run_backend() { # BACKEND
    local be=$1 srv_pid cli_pid cli_port clipid hpid cpid want got screen probs=()
    rm -f "$TMP"/*.out "$TMP"/*.json "$TMP"/*.err
    nsenter --net="/run/netns/$NSH" $(as_user "$SRV_ID") "$TMP/nginx" hold-server "$HOST_IP" "$PORT" >"$TMP/srv.out" &
    pids+=($!)
    live_wait_for_line "$TMP/srv.out" || { live_result "$be: server started" "no ready line"; return; }
    srv_pid=$(awk '{print $2}' "$TMP/srv.out")

    export SUDO_UID=$DROP_ID SUDO_GID=$DROP_ID
    nsenter --net="/run/netns/$NSH" "$BIN" -i "$VH" --json --duration 60 --attr "$be" >"$TMP/host.json" 2>"$TMP/host.err" &
    hpid=$!
    pids+=($hpid)
    nsenter --net="/run/netns/$NSC" "$BIN" -i "$VC" --json --duration 60 --attr "$be" >"$TMP/box.json" 2>"$TMP/box.err" &
    cpid=$!
    pids+=($cpid)
    tmux -L "$TMUX_SOCK" new-session -d -x 240 -y 20 \
        "nsenter --net=/run/netns/$NSH env TERM=xterm-256color LC_ALL=C.UTF-8 $BIN -i $VH --attr $be --refresh-interval 500 2>$TMP/ui.err"
    unset SUDO_UID SUDO_GID
    if ! live_wait_for_uid "$hpid" "$DROP_ID" || ! live_wait_for_uid "$cpid" "$DROP_ID"; then
        live_result "$be: wiretop started and dropped to uid $DROP_ID" "$(head -c 300 "$TMP/host.err" "$TMP/box.err")"
        tmux_end "$TMUX_SOCK"
        kill "$srv_pid" 2>/dev/null
        return
    fi
    sleep 1 # the UI's first frames, eBPF loaded in all three

    nsenter --net="/run/netns/$NSC" $(as_user "$CLI_ID") "$TMP/curl" hold-client "$HOST_IP" "$PORT" 3000 >"$TMP/cli.out" &
    clipid=$!
    pids+=($clipid)
    live_wait_for_line "$TMP/cli.out" || probs+=("the client did not connect")
    read -r cli_port cli_pid <"$TMP/cli.out"
    sleep 2 # scans (1 s apart) and two UI refreshes while the connection is up
    screen=$(tmux -L "$TMUX_SOCK" capture-pane -p 2>/dev/null)
    tmux -L "$TMUX_SOCK" send-keys q 2>/dev/null
    wait "$clipid"
    kill -INT "$hpid" "$cpid" # every record written, however slow the machine was
    wait "$hpid" "$cpid"
    kill "$srv_pid" 2>/dev/null
    tmux_end "$TMUX_SOCK"

    want="$srv_pid nginx $cli_pid curl"
    got=$(record_of "$TMP/host.json" "${cli_port:-0}")
    [ "$got" = "$want" ] || probs+=("host side: got '$got', want '$want' (pid process peer_pid peer_process)")
    want="$cli_pid curl $srv_pid nginx"
    got=$(record_of "$TMP/box.json" "${cli_port:-0}")
    [ "$got" = "$want" ] || probs+=("container side: got '$got', want '$want'")
    live_result "$be: each namespace credits its own end (host: nginx, peer curl; container: curl, peer nginx)" \
        "${probs[@]}"

    probs=()
    grep -q "curl → nginx" <<<"$screen" || probs+=("no 'curl → nginx' row on the host's screen:" "$screen")
    grep -q "attr: $be" <<<"$screen" || probs+=("status bar lacks 'attr: $be'")
    if [ "$be" != ebpf ]; then
        # ("partial" where some process is out of even the helper's reach)
        grep -q "attr: $be via helper: \(partial, \)\?[0-9]*/[0-9]* processes" <<<"$screen" ||
            probs+=("status bar lacks 'attr: $be via helper: N/M processes'")
    fi
    if grep -qw landlock /sys/kernel/security/lsm 2>/dev/null; then
        grep -q "landlock v" <<<"$screen" || probs+=("Landlock not in force in wiretop")
    fi
    live_result "$be: the host's UI shows curl → nginx and what the back end sees" "${probs[@]}"
    grep -o "attr: [^|]*" <<<"$screen" | head -1 | sed 's/^/INFO /'
}

for be in $BACKENDS; do
    run_backend "$be"
done
live_summary

#!/usr/bin/env bash
# attr_place.sh - a connection's systemd unit, container and pod, end to end
# through wiretop in its default configuration (root; it drops privileges,
# attribution's scans run in its helper, Landlock where the kernel has it).
#
# Three servers (build/live/attr_driver through symlinks) each hold one TCP
# connection from a client in a second namespace, joined by a veth. The
# test makes a cgroup for each server, where systemd and the runtimes would
# (the cgroup v2 hierarchy, else v1's name=systemd one), and a fake tree of
# the runtimes' metadata that WIRETOP_RUNTIME_ROOT points wiretop at (its
# Docker folder root's alone, as Docker makes it: the attribution helper,
# which keeps CAP_DAC_READ_SEARCH, reads it; wiretop itself may not):
#   unit   wiretop-test-PID.slice/wiretop-test-PID.service
#   docker wiretop-test-PID.slice/docker-ID.scope, config.v2.json "Name": "/wt-web-PID"
#   pod    wiretop-test-PID.slice/kubepods-podUID_.slice/cri-containerd-ID2.scope,
#          var/log/pods/wt-ns_wt-pod-PID_UID
# wiretop --json, capturing in the servers' namespace, must write each
# connection with the server's unit, container and pod, and a second one
# with --filter 'unit:... or pod:...' only the unit's and the pod's. Everything it made
# is removed on the way out.
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
DRIVER=$PWD/$BUILD/live/attr_driver
SUITE=attr_place
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces and cgroups"
need_tool ip nsenter python3 od
[ -x "$BIN" ] || skip_suite "$BIN is not built"
[ -x "$DRIVER" ] || skip_suite "$DRIVER is not built (make tests)"

# the hierarchy /proc/PID/cgroup names a unit by: v2's, else v1's systemd one
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    CG=/sys/fs/cgroup
elif [ -f /sys/fs/cgroup/systemd/cgroup.procs ]; then
    CG=/sys/fs/cgroup/systemd
else
    fail_suite "no cgroup v2 or v1 name=systemd hierarchy at /sys/fs/cgroup"
fi

NSS=wt-pls-$$ NSC=wt-plc-$$ VS=wt-pvs$$ VC=wt-pvc$$
SRV_IP=10.204.0.1 CLI_IP=10.204.0.2 PORT=$((20000 + $$ % 20000))
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
ID=$(hex 32) ID2=$(hex 32) U=$(hex 16)
UID_DASHED=${U:0:8}-${U:8:4}-${U:12:4}-${U:16:4}-${U:20:12}
SLICE=$CG/wiretop-test-$$.slice
UNIT=wiretop-test-$$.service
CG_UNIT=$SLICE/$UNIT
CG_DOCKER=$SLICE/docker-$ID.scope
CG_POD=$SLICE/kubepods-pod${UID_DASHED//-/_}.slice
CG_POD_C=$CG_POD/cri-containerd-$ID2.scope
TMP=$(mktemp -d /tmp/wt-place.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    for d in "$CG_UNIT" "$CG_DOCKER" "$CG_POD_C" "$CG_POD" "$SLICE"; do
        [ -d "$d" ] && rmdir "$d" 2>/dev/null
    done
    ip netns del "$NSS" 2>/dev/null
    ip netns del "$NSC" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

live_ns_pair "$NSS" "$NSC" "$VS" "$VC" "$SRV_IP" "$CLI_IP" || fail_suite "cannot create network namespaces"
mkdir -p "$CG_UNIT" "$CG_DOCKER" "$CG_POD_C" || fail_suite "cannot make cgroups under $CG"

# the runtimes' metadata, readable by the user wiretop drops to
ROOT=$TMP/root
mkdir -p "$ROOT/var/lib/docker/containers/$ID" "$ROOT/var/log/pods/wt-ns_wt-pod-$$_$UID_DASHED/app"
printf '{"State":{"Running":true},"ID":"%s","MountPoints":{"/d":{"Name":"vol"}},"Name":"/wt-web-%s"}' \
    "$ID" "$$" >"$ROOT/var/lib/docker/containers/$ID/config.v2.json"
chmod -R a+rX "$TMP"
chmod 700 "$ROOT/var/lib/docker" # as Docker makes it: only the helper may read it
for n in wt-unit wt-docker wt-pod; do ln -s "$DRIVER" "$TMP/$n"; done

# A server named NAME in cgroup DIR on PORT (the shell moves itself there
# and then becomes the server, so the server starts in it).
start_server() { # NAME DIR PORT
    sh -c 'echo $$ >"$1/cgroup.procs" && exec nsenter --net="/run/netns/$2" "$3" hold-server "$4" "$5"' \
        sh "$2" "$NSS" "$TMP/$1" "$SRV_IP" "$3" >"$TMP/$1.out" 2>"$TMP/$1.err" &
    pids+=($!)
    live_wait_for_line "$TMP/$1.out"
}

probs=()
start_server wt-unit "$CG_UNIT" "$PORT" || probs+=("wt-unit did not start: $(cat "$TMP/wt-unit.err")")
start_server wt-docker "$CG_DOCKER" $((PORT + 1)) || probs+=("wt-docker did not start")
start_server wt-pod "$CG_POD_C" $((PORT + 2)) || probs+=("wt-pod did not start")
grep -q "^0::/wiretop-test-$$.slice/$UNIT\$\|name=systemd:/wiretop-test-$$.slice/$UNIT\$" \
    /proc/"$(awk '{print $2}' "$TMP/wt-unit.out")"/cgroup ||
    probs+=("the server is not in $CG_UNIT: $(cat /proc/"$(awk '{print $2}' "$TMP/wt-unit.out")"/cgroup)")
live_result "three servers run in the cgroups made for them" "${probs[@]}"

WIRETOP_RUNTIME_ROOT=$ROOT nsenter --net="/run/netns/$NSS" "$BIN" -i "$VS" --json --duration 60 \
    >"$TMP/out.json" 2>"$TMP/err" &
wpid=$!
pids+=($wpid)
# and one that keeps the unit's and the pod's connections only
WIRETOP_RUNTIME_ROOT=$ROOT nsenter --net="/run/netns/$NSS" "$BIN" -i "$VS" --json --duration 60 \
    --filter "unit:wiretop-test-$$.service or pod:wt-ns/wt-pod-$$" >"$TMP/filtered.json" 2>"$TMP/ferr" &
fpid=$!
pids+=($fpid)
for p in "$wpid" "$fpid"; do
    live_wait_for_uid "$p" "$(id -u nobody)" ||
        { live_result "wiretop started and dropped privileges" "$(head -c 300 "$TMP/err" "$TMP/ferr")"; live_summary; exit; }
done
live_wait_capture "$NSS"

for p in 0 1 2; do
    nsenter --net="/run/netns/$NSC" "$DRIVER" hold-client "$SRV_IP" $((PORT + p)) 1500 >"$TMP/cli$p.out" &
    pids+=($!)
done
sleep 2.5 # the connections, held 1.5 s, close; attribution has seen them
kill -INT "$wpid" "$fpid"
wait "$wpid" "$fpid"

# "PORT process unit container pod" per TCP record (one python3 run: each
# costs a second or more on a loaded machine)
# and "filtered PORT" per TCP record the filtered run wrote
python3 - "$TMP/out.json" "$TMP/filtered.json" >"$TMP/places" <<'EOF'
import json, sys
for path, tag in ((sys.argv[1], ""), (sys.argv[2], "filtered ")):
    for line in open(path):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("proto") == "TCP" and not tag:
            print(r.get("dst_port"), r.get("process"), r.get("unit"), r.get("container"), r.get("pod"))
        elif r.get("proto") == "TCP":
            print("%s%s" % (tag, r.get("dst_port")))
EOF

check() { # WHAT PORT WANT
    local got
    got=$(awk -v p="$2" '$1 == p { $1 = ""; sub(/^ /, ""); print }' "$TMP/places" | tail -1)
    [ "$got" = "$3" ] && live_result "$1" || live_result "$1" "got  '$got'" "want '$3' (process unit container pod)"
}
check "a process in a unit's cgroup: JSON unit" "$PORT" "wt-unit wiretop-test-$$.service None None"
check "a Docker container: unit, and its name from config.v2.json" $((PORT + 1)) \
    "wt-docker docker-$ID.scope wt-web-$$ None"
check "a Kubernetes pod: containerd's short id, namespace/name from /var/log/pods" $((PORT + 2)) \
    "wt-pod cri-containerd-$ID2.scope ${ID2:0:12} wt-ns/wt-pod-$$"
got=$(sed -n 's/^filtered //p' "$TMP/places" | sort -n | uniq | tr '\n' ' ')
want="$PORT $((PORT + 2)) "
[ "$got" = "$want" ] && live_result "--filter 'unit:... or pod:...' keeps those connections only" ||
    live_result "--filter 'unit:... or pod:...' keeps those connections only" "got ports '$got', want '$want'"
live_summary

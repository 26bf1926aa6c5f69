#!/usr/bin/env bash
# listening.sh - `wiretop --listening --json` against real sockets (root;
# makes and removes its own network namespace).
#
# A server (python3 run through a symlink named "wtlsn", which is then its
# process name) holds a TCP listener on 127.0.0.1 and on ::1 and a bound
# UDP socket on 0.0.0.0 and on ::, ephemeral ports, as uid 4646 in a
# namespace of the test's own, and one more as nobody in the root
# namespace. Checks:
#   - each socket is a record with the server's pid, process and user, the
#     namespace's inode and `ip netns` name, and nothing but docs/JSON.md's
#     listening keys;
#   - in the test's namespace, wiretop lists exactly the sockets `ss
#     -ltnup` lists (protocol, address, port, pid);
#   - run as another user without privileges, it still lists the root
#     namespace's socket with its user but no pid, leaves out the namespace
#     it cannot look into, and says on stderr what is missing.
# Prints "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
SUITE=listening
. tests/live/lib.sh
. tests/need.sh
need_root "network namespaces"
need_tool ip ss setpriv python3
[ -x "$BIN" ] || skip_suite "$BIN is not built"
# a python3 every user may run (the one in PATH may live under /root)
PY=$(command -v /usr/bin/python3 /usr/local/bin/python3 | head -1)
[ -n "$PY" ] || skip_suite "no python3 in /usr/bin or /usr/local/bin"

NS=wt-lsn-$$ NS_UID=4646 ROOT_UID=65534 OTHER_UID=4747
TMP=$(mktemp -d /tmp/wt-listening.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$NS" || fail_suite "cannot create a network namespace"
ip -n "$NS" link set lo up
chmod 755 "$TMP"
ln -s "$PY" "$TMP/wtlsn"
cat >"$TMP/server.py" <<'EOF'
import socket, sys, time
specs = sys.argv[1:]
socks, lines = [], []
for spec in specs:  # PROTO/ADDRESS
    proto, addr = spec.split("/", 1)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if proto == "TCP" else socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, 0))
    if proto == "TCP":
        s.listen()
    socks.append(s)
    lines.append("%s %s %d\n" % (proto, addr, s.getsockname()[1]))
sys.stdout.write("".join(lines) + "ready\n")
sys.stdout.flush()
time.sleep(60)
EOF
chmod 644 "$TMP/server.py"

start_server() { # OUT COMMAND...: runs it, its port lines into OUT
    local out=$1
    shift
    "$@" >"$out.raw" &
    pids+=($!)
    for _ in $(seq 50); do
        grep -q '^ready$' "$out.raw" 2>/dev/null && grep -v '^ready$' "$out.raw" >"$out" && return 0
        sleep 0.1
    done
    return 1
}
as_user() { echo "setpriv --reuid=$1 --regid=$1 --clear-groups"; }

# shellcheck disable=SC2046
start_server "$TMP/ns.ports" ip netns exec "$NS" $(as_user "$NS_UID") \
    "$TMP/wtlsn" "$TMP/server.py" TCP/127.0.0.1 TCP/::1 UDP/0.0.0.0 UDP/:: ||
    fail_suite "the server in $NS did not start"
NS_PID=${pids[-1]}
# shellcheck disable=SC2046
start_server "$TMP/root.ports" $(as_user "$ROOT_UID") \
    "$TMP/wtlsn" "$TMP/server.py" TCP/127.0.0.1 UDP/127.0.0.1 ||
    fail_suite "the server in the root namespace did not start"
ROOT_PID=${pids[-1]}
NS_INODE=$(stat -L -c %i "/run/netns/$NS")
ROOT_INODE=$(stat -L -c %i /proc/self/ns/net)
# A python check's problems; its own failure is one too.
py_check() { # python3 arguments...
    "$PY" "$@" || echo "check_failed_with_status_$?"
}
user_of() { getent passwd "$1" | cut -d: -f1 | grep . || echo "$1"; }

"$BIN" --listening --json >"$TMP/all.json" 2>"$TMP/all.err"
rc=$?
ip netns exec "$NS" ss -Hltnup >"$TMP/ss.txt"

# Every line of PORTS-FILE must be a record with the owner's facts.
check_listed() { # NAME PORTS-FILE PID UID NETNS-INODE NETNS-NAME
    live_result "$1" $(py_check - "$TMP/all.json" "$2" "$3" "$(user_of "$4")" "$4" "$5" "$6" \
        docs/JSON.md <<'EOF'
import json, re, sys
recs_path, ports_path, pid, user, uid, inode, ns_name, doc = sys.argv[1:]
recs = [json.loads(l) for l in open(recs_path) if l.strip()]
text = open(doc).read()
section = text.split("## Listening sockets", 1)[1].split("\n## ", 1)[0]
keys = set(re.findall(r"^\| `([a-z_]+)`", section, re.M))
keys |= {k for row in re.findall(r"^\| (`[^|]+)\|", section, re.M)
         for k in re.findall(r"`([a-z_]+)`", row)}
problems = []
for r in recs:
    extra = set(r) - keys
    if extra:
        problems.append("keys_not_in_docs/JSON.md:" + ",".join(sorted(extra)))
        break
want = {"pid": int(pid), "process": "wtlsn", "user": user, "uid": int(uid),
        "netns": int(inode), "netns_name": ns_name or None}
for line in open(ports_path):
    proto, addr, port = line.split()
    hit = [r for r in recs if (r["proto"], r["addr"], r["port"]) == (proto, addr, int(port))
           and r["netns"] == int(inode)]
    if len(hit) != 1:
        problems.append("%s_%s_%s:%d_records" % (proto, addr, port, len(hit)))
        continue
    for k, v in want.items():
        if hit[0].get(k) != v:
            problems.append("%s_%s_%s:%s=%r_not_%r" % (proto, addr, port, k, hit[0].get(k), v))
print(" ".join(problems))
EOF
)
}

live_result "exits 0 as root" $([ "$rc" -eq 0 ] || echo "status_$rc:$(head -c 300 "$TMP/all.err" | tr ' ' _)")
check_listed "the namespace's sockets with their owner" "$TMP/ns.ports" "$NS_PID" "$NS_UID" \
    "$NS_INODE" "$NS"
check_listed "the root namespace's sockets with their owner" "$TMP/root.ports" "$ROOT_PID" \
    "$ROOT_UID" "$ROOT_INODE" ""

# ss and wiretop agree on the namespace's listening and bound sockets.
live_result "agrees with ss -ltnup in the namespace" $(py_check - "$TMP/all.json" "$TMP/ss.txt" \
    "$NS_INODE" <<'EOF'
import ipaddress, json, re, sys
recs_path, ss_path, inode = sys.argv[1], sys.argv[2], int(sys.argv[3])
ours = {(r["proto"], r["addr"], r["port"], r["pid"]) for r in map(json.loads, open(recs_path))
        if r["netns"] == inode}
theirs = set()
for line in open(ss_path):
    f = line.split()
    addr, port = f[4].rsplit(":", 1)
    addr = addr.strip("[]").split("%")[0]
    addr = "0.0.0.0" if addr == "*" else str(ipaddress.ip_address(addr))
    pid = re.search(r"pid=(\d+)", line)
    theirs.add((f[0].upper(), addr, int(port), int(pid.group(1)) if pid else None))
if not theirs or ours != theirs:
    print("wiretop_only:%s ss_only:%s" % (sorted(ours - theirs), sorted(theirs - ours)))
EOF
)

# Without privileges: the root namespace's socket of another user is
# there without an owner, the namespace is missed, and stderr says why.
# shellcheck disable=SC2046
$(as_user "$OTHER_UID") "$BIN" --listening --json >"$TMP/user.json" 2>"$TMP/user.err"
urc=$?
live_result "unprivileged: lists what it can, says what is missing" $(py_check - \
    "$TMP/user.json" "$TMP/user.err" "$TMP/root.ports" "$NS_INODE" "$urc" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
err, inode, rc = open(sys.argv[2]).read(), int(sys.argv[4]), int(sys.argv[5])
problems = [] if rc == 0 else ["status_%d" % rc]
proto, addr, port = open(sys.argv[3]).readline().split()
hit = [r for r in recs if (r["proto"], r["addr"], r["port"]) == (proto, addr, int(port))]
if len(hit) != 1 or hit[0]["pid"] is not None or hit[0]["user"] != "nobody":
    problems.append("root_namespace_socket:%r" % hit)
if any(r["netns"] == inode for r in recs):
    problems.append("listed_a_namespace_it_cannot_see")
if "CAP_SYS_PTRACE" not in err or "without pid and process" not in err:
    problems.append("stderr:" + err.replace(" ", "_")[:200])
print(" ".join(problems))
EOF
)

live_summary

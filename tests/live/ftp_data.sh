#!/usr/bin/env bash
# FTP data connections linked to their control connection, live: two
# network namespaces joined by a veth pair, a small FTP server in one
# (tests/live/ftp_server.py), curl in the other downloading one file the
# four ways a data connection is set up: EPSV (curl's default), PASV
# (--disable-epsv), EPRT (--ftp-port -) and PORT (--ftp-port -
# --disable-eprt); then a file of a few bytes, whose data connection opens
# and closes within milliseconds, and a name list (NLST). wiretop runs on
# the client's interface with --json and --threads 3, so that a control
# connection and its data connection are mostly read by different
# workers, which share what they learn through one table of announced
# connections. For each transfer the server logs both connections, each
# initiator first, and curl names its control connection's port; the data
# connection's record must name that control connection (ftp_control) and
# the command that set it up (ftp_data_setup), the control's record its
# commands and replies, and the data connection's byte counts must be the
# file's size plus the frames' headers. Needs root.
set -u
cd "$(dirname "$0")/../.."
BIN=${WIRETOP_BIN:-$PWD/build/wiretop}
. tests/need.sh
. tests/live/lib.sh # live_ns_pair, live_wait_capture
need_root "network namespaces, capture"
need_tool ip python3 curl
NA=wtftp_a_$$ NB=wtftp_b_$$ VA=wtfa$$ VB=wtfb$$
A=10.213.0.1 B=10.213.0.2
TMP=$(mktemp -d /tmp/wt-ftp.XXXXXX)
WT='' SRV=''
cleanup() {
    [ -n "$WT" ] && kill -9 "$WT" 2>/dev/null
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
    ip netns del "$NA" 2>/dev/null
    ip netns del "$NB" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
live_ns_pair "$NA" "$NB" "$VA" "$VB" $A $B || fail_suite "cannot create network namespaces joined by a veth pair"
# The header sizes the byte counts are checked with: TCP timestamps on
# every segment (RFC 7323), as Linux's default is; said here, not assumed
for ns in "$NA" "$NB"; do
    ip netns exec "$ns" sysctl -qw net.ipv4.tcp_timestamps=1 net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1 ||
        fail_suite "cannot set the TCP options of $ns"
done

mkdir "$TMP/root"
head -c 150001 /dev/urandom >"$TMP/root/big.bin" # not a whole number of segments
printf 'tiny\n' >"$TMP/root/tiny.txt"
printf 'big.bin\ntiny.txt\n' >"$TMP/names" # NLST's lines, which curl ends in LF, not CRLF
ip netns exec "$NB" python3 tests/live/ftp_server.py $B 21 "$TMP/root" "$TMP/ready" "$TMP/server.log" 2>"$TMP/server.err" &
SRV=$!
ip netns exec "$NA" "$BIN" -i "$VA" --json --threads 3 --duration 30 >"$TMP/out" 2>"$TMP/err" &
WT=$!
live_wait_capture "$NA" || fail_suite "wiretop did not open its capture: $(head -c 300 "$TMP/err")"
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
[ -e "$TMP/ready" ] || fail_suite "the FTP server did not start: $(head -c 300 "$TMP/server.err")"
sleep 0.2

# One line per transfer: what, how, curl's control port, whether it got the file
fetch() { # NAME SETUP PATH CURL-OPTIONS...
    local name=$1 setup=$2 path=$3 want=$TMP/root/$3 port ok=no
    [ -z "$path" ] && want=$TMP/names
    shift 3
    port=$(ip netns exec "$NA" curl -sS --noproxy '*' --max-time 10 "$@" -o "$TMP/got" \
        -w '%{local_port}' "ftp://$B/$path" 2>>"$TMP/curl.err")
    cmp -s "$TMP/got" "$want" && ok=yes
    echo "$name $setup ${port:-0} $ok" >>"$TMP/fetched"
}
fetch big-epsv EPSV big.bin
fetch big-pasv PASV big.bin --disable-epsv
fetch big-eprt EPRT big.bin --ftp-port -
fetch big-port PORT big.bin --ftp-port - --disable-eprt
fetch tiny-epsv EPSV tiny.txt
fetch nlst-pasv PASV "" --list-only --disable-epsv
sleep 0.5 # the last acknowledgements
kill -INT $WT
wait $WT
WT=''
python3 - "$TMP" $A $B <<'PY'
import json, os, sys
tmp, A, B = sys.argv[1:4]
recs = [json.loads(l) for l in open(os.path.join(tmp, "out")) if l.strip()]
server = [json.loads(l) for l in open(os.path.join(tmp, "server.log"))] \
    if os.path.exists(os.path.join(tmp, "server.log")) else []
fetched = [l.split() for l in open(os.path.join(tmp, "fetched"))]
size = {"big.bin": os.path.getsize(os.path.join(tmp, "root", "big.bin")),
        "tiny.txt": os.path.getsize(os.path.join(tmp, "root", "tiny.txt")), "": None}
path = {"big": "big.bin", "tiny": "tiny.txt", "nlst": ""}

def ends(r):
    return "%s:%d -> %s:%d" % (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])

def record(text):  # the TCP record of the connection "ip:port -> ip:port", initiator first
    m = [r for r in recs if r["proto"] == "TCP" and ends(r) == text]
    return m[0] if len(m) == 1 else None

# Ethernet 14 + IPv4 20 + TCP 20 + timestamps 12 on every frame; a SYN or
# SYN+ACK carries MSS, SACK permitted, window scale and timestamps: 8 more
def frame_bytes(packets, payload):
    return payload + 66 * packets + 8

checks = []
for i, (name, setup, port, ok) in enumerate(fetched):
    log = server[i] if i < len(server) else {}
    control = "%s:%s -> %s:21" % (A, port, B)
    checks.append((name + ": curl got the file", ok == "yes"))
    checks.append((name + ": the server saw this control connection set up by " + setup,
                   log.get("control") == control and log.get("setup") == setup))
    c = record(control)
    checks.append((name + ": one record of the control connection " + control, c is not None))
    if c:
        want_cmds = {"USER", "PASS", setup, "NLST" if name.startswith("nlst") else "RETR", "QUIT"}
        want_replies = {"220", "331", "230", {"EPSV": "229", "PASV": "227"}.get(setup, "200"),
                        "150", "226", "221"}
        checks.append((name + ": control is FTP with its user and server",
                       c.get("app") == "FTP" and c.get("ftp_user") == "anonymous" and
                       c.get("ftp_server") == "wiretop test FTP server ready."))
        checks.append((name + ": control has the commands " + " ".join(sorted(want_cmds)),
                       want_cmds <= set(c.get("ftp_commands") or [])))
        checks.append((name + ": control has the replies " + " ".join(sorted(want_replies)),
                       want_replies <= set(c.get("ftp_replies") or [])))
    d = record(log.get("data", "?"))
    checks.append((name + ": one record of the data connection " + log.get("data", "?"), d is not None))
    if not d:
        continue
    checks.append((name + ": data is FTP-DATA, linked to " + control,
                   d.get("app") == "FTP-DATA" and d.get("ftp_control") == control))
    checks.append((name + ": data set up by " + setup, d.get("ftp_data_setup") == setup))
    want = size[path[name.split("-")[0]]]
    if want is None:
        want = log.get("bytes", -1)
    else:
        checks.append((name + ": the server sent the whole file", log.get("bytes") == want))
    # PASV, EPSV: the client opens it, the server sends; PORT, EPRT: the other way
    sent, acked = ("dst", "src") if setup in ("PASV", "EPSV") else ("src", "dst")
    checks.append((name + ": %s_bytes = %d payload bytes + headers" % (sent, want),
                   d[sent + "_bytes"] == frame_bytes(d[sent + "_packets"], want)))
    checks.append((name + ": %s_bytes = headers only" % acked,
                   d[acked + "_bytes"] == frame_bytes(d[acked + "_packets"], 0)))
    if name.startswith("tiny"):
        ms = (d["last_seen"] - d["first_seen"]) * 1000
        print("     tiny data connection: open for %.1f ms, %d + %d packets"
              % (ms, d["src_packets"], d["dst_packets"]))
checks.append(("six transfers made and logged", len(fetched) == 6 and len(server) == 6))
p = f = 0
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
    p += ok; f += not ok
if f:
    print("TCP records:"); [print("  ", json.dumps(r)) for r in recs if r["proto"] == "TCP"]
    print("server log:"); [print("  ", json.dumps(s)) for s in server]
print("%d passed, %d failed" % (p, f))
sys.exit(1 if f else 0)
PY

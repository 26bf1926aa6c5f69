#!/usr/bin/env bash
# FTP data connections linked to their control connection, live: two
# network namespaces joined by a veth pair, a small FTP server in one
# (tests/live/ftp_server.py), curl in the other downloading one file the
# four ways a data connection is set up: EPSV (curl's default), PASV
# (--disable-epsv), EPRT (--ftp-port -) and PORT (--ftp-port -
# --disable-eprt); then a file of a few bytes, whose data connection opens
# and closes within milliseconds, a name list (NLST), and thirty files
# over one control connection, as a mirror fetches them. wiretop runs on
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

mkdir "$TMP/root" "$TMP/got"
head -c 150001 /dev/urandom >"$TMP/root/big.bin" # not a whole number of segments
printf 'tiny\n' >"$TMP/root/tiny.txt"
for i in $(seq -w 1 30); do printf 'file %s\n' "$i" >"$TMP/root/m$i.txt"; done
(cd "$TMP/root" && LC_ALL=C ls) >"$TMP/names" # NLST's lines, which curl ends in LF, not CRLF
ip netns exec "$NB" python3 tests/live/ftp_server.py $B 21 "$TMP/root" "$TMP/ready" "$TMP/server.log" 2>"$TMP/server.err" &
SRV=$!
ip netns exec "$NA" "$BIN" -i "$VA" --json --threads 3 --duration 30 >"$TMP/out" 2>"$TMP/err" &
WT=$!
live_wait_capture "$NA" || fail_suite "wiretop did not open its capture: $(head -c 300 "$TMP/err")"
for _ in $(seq 50); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
[ -e "$TMP/ready" ] || fail_suite "the FTP server did not start: $(head -c 300 "$TMP/server.err")"
sleep 0.2

# One curl run, one control connection: a line of what, how, curl's
# control port, how many files it got and whether each was the one served
fetch() { # NAME SETUP PATH CURL-OPTIONS...
    local name=$1 setup=$2 path=$3 port ok=yes n=0 f
    shift 3
    rm -f "$TMP"/got/*
    port=$(cd "$TMP/got" && ip netns exec "$NA" curl -sS --noproxy '*' --max-time 10 "$@" \
        -w '%{local_port} ' "ftp://$B/$path" 2>>"$TMP/curl.err")
    for f in "$TMP"/got/*; do
        [ -e "$f" ] || continue
        n=$((n + 1))
        cmp -s "$f" "$TMP/root/${f##*/}" || cmp -s "$f" "$TMP/${f##*/}" || ok=no
    done
    echo "$name $setup ${port%% *} $n $ok" >>"$TMP/fetched"
}
fetch big-epsv EPSV big.bin -O
fetch big-pasv PASV big.bin -O --disable-epsv
fetch big-eprt EPRT big.bin -O --ftp-port -
fetch big-port PORT big.bin -O --ftp-port - --disable-eprt
fetch tiny-epsv EPSV tiny.txt -O
fetch nlst-pasv PASV "" -o names --list-only --disable-epsv
# a long session, as a mirror makes: thirty files over one control connection
fetch many-eprt EPRT "m[01-30].txt" -O --ftp-port -
sleep 0.5 # the last acknowledgements
kill -INT $WT
wait $WT
WT=''
python3 - "$TMP" $A $B <<'PY'
import json, os, sys
tmp, A, B = sys.argv[1:4]
recs = [json.loads(l) for l in open(os.path.join(tmp, "out")) if l.strip()]
log = os.path.join(tmp, "server.log")
server = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
fetched = [l.split() for l in open(os.path.join(tmp, "fetched"))]
want_files = {"many-eprt": 30}

def ends(r):
    return "%s:%d -> %s:%d" % (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])

def record(text):  # the TCP record of the connection "ip:port -> ip:port", initiator first
    m = [r for r in recs if r["proto"] == "TCP" and ends(r) == text]
    return m[0] if len(m) == 1 else None

# Ethernet 14 + IPv4 20 + TCP 20 + timestamps 12 on every frame; a SYN or
# SYN+ACK carries MSS, SACK permitted, window scale and timestamps: 8 more
def frame_bytes(packets, payload):
    return payload + 66 * packets + 8

def data_record(t):
    """The record of transfer t's data connection. Active mode may use the
    same ends twice (the client chose the same port for two transfers):
    then the n-th transfer of those ends is their n-th record by time."""
    same = [u for u in server if u["data"] == t["data"]]
    if len(same) == 1:
        return record(t["data"])
    m = sorted((r for r in recs if r["proto"] == "TCP" and ends(r) == t["data"]), key=lambda r: r["first_seen"])
    return m[same.index(t)] if len(m) == len(same) else None

def data_problems(t, control, setup):
    """What is wrong with the record of the data connection of transfer t."""
    d = data_record(t)
    if not d:
        return ["no single record of " + t["data"]]
    p = []
    if d.get("app") != "FTP-DATA" or d.get("ftp_control") != control:
        p.append("%s: app %s, ftp_control %s" % (t["data"], d.get("app"), d.get("ftp_control")))
    if d.get("ftp_data_setup") != setup:
        p.append("%s: ftp_data_setup %s" % (t["data"], d.get("ftp_data_setup")))
    # PASV, EPSV: the client opens it, the server sends; PORT, EPRT: the other way
    sent, acked = ("dst", "src") if setup in ("PASV", "EPSV") else ("src", "dst")
    # a loss on a loaded machine (the record counts it) adds a retransmitted
    # payload one way and SACK blocks the other: then at least that much
    exact = d["retransmits"] == 0 and d["dup_acks"] == 0
    for side, payload in ((sent, t["bytes"]), (acked, 0)):
        got, want = d[side + "_bytes"], frame_bytes(d[side + "_packets"], payload)
        if got != want if exact else got < want:
            p.append("%s: %s_bytes %d in %d packets, not %d payload bytes + headers (%d)"
                     % (t["data"], side, got, d[side + "_packets"], payload, want))
    return p

checks = []
for name, setup, port, got, ok in fetched:
    control = "%s:%s -> %s:21" % (A, port, B)
    files = want_files.get(name, 1)
    mine = [t for t in server if t["control"] == control]
    checks.append((name + ": curl got %d file(s), each the one served" % files,
                   int(got) == files and ok == "yes"))
    checks.append((name + ": the server made %d transfer(s) set up by %s on %s" % (files, setup, control),
                   len(mine) == files and all(t["setup"] == setup for t in mine)))
    c = record(control)
    checks.append((name + ": one record of the control connection", c is not None))
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
    problems = [p for t in mine for p in data_problems(t, control, setup)]
    checks.append((name + ": each data connection is FTP-DATA linked to its control by %s, "
                   "and carries the file plus headers" % setup, bool(mine) and not problems))
    for p in problems[:5]:
        print("     " + p)
    if name.startswith("tiny") and mine and record(mine[0]["data"]):
        d = record(mine[0]["data"])
        print("     tiny data connection: open for %.1f ms, %d + %d packets"
              % ((d["last_seen"] - d["first_seen"]) * 1000, d["src_packets"], d["dst_packets"]))
checks.append(("seven sessions, thirty-six transfers", len(fetched) == 7 and len(server) == 36))
p = f = 0
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
    p += ok; f += not ok
if f:
    print("server log:"); [print("  ", json.dumps(s)) for s in server]
print("%d passed, %d failed" % (p, f))
sys.exit(1 if f else 0)
PY

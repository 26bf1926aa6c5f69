#!/usr/bin/env bash
# Exporters on a live capture, in a network namespace made here: wiretop
# captures lo with --pcapng, --json-log and --ipfix (to nfcapd in the same
# namespace) beside tcpdump -w, while processes running as the user
# wiretop drops to exchange traffic; halfway the files are moved away and
# SIGHUP makes wiretop start new ones. Then:
# - tshark reads as many frames from the two pcapng files as from
#   tcpdump's, and the test's packets carry "process=python3" comments;
# - the event logs hold an open naming python3 and a close per connection;
# - an open is written at most 2 s (+ 0.5 s of capture and flush) after
#   the connection's first packet: at once with its process (a python3
#   datagram), after the wait without one (a spoofed datagram that no
#   socket sent nor receives);
# - nfdump reports the test's connections with the JSON's packets.
# Needs root.
# shellcheck source=../export/lib.sh
. "$(dirname "$0")/../export/lib.sh"
need_root "network namespaces, capture"
need_tool ip tcpdump tshark python3 setpriv nfcapd nfdump

NS=wtexp_$$
WT="" TD="" NF=""
cleanup() { stop_pid "$WT"; stop_pid "$TD"; stop_pid "$NF"; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up || { fail "cannot create a namespace"; finish; exit 1; }
chmod 711 "$TMP" && mkdir -m 1777 "$TMP/out"
O=$TMP/out
as_nobody() { ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
traffic() { # PORT: a TCP transfer and a UDP exchange by python3, as nobody
    as_nobody /usr/bin/python3 - "$1" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
ls = socket.socket(); ls.bind(("127.0.0.1", port)); ls.listen(1)
def srv():
    s, _ = ls.accept(); n = 0
    while n < 50000:
        d = s.recv(65536)
        if not d: break
        n += len(d)
    s.sendall(b"ok"); time.sleep(0.5); s.close()
t = threading.Thread(target=srv); t.start()
c = socket.create_connection(("127.0.0.1", port)); time.sleep(0.5)
c.sendall(b"x" * 50000); c.recv(10); t.join(); c.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", port))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(10):
    v.sendto(b"u" * 100, ("127.0.0.1", port)); u.recvfrom(200); time.sleep(0.05)
time.sleep(0.5)
PY
}

# open_delay PORT: waits (4 s at most) for the event log's open of the
# connection with PORT; prints the seconds since the probe was sent (-1:
# never) and its process ("-": none). The log is read from one descriptor:
# it is renamed halfway.
open_delay() {
    /usr/bin/python3 - "$O/ev.log" "$1" "$2" <<'PY'
import json, sys, time
log, port, sent = open(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
while time.time() < sent + 4:
    log.seek(0)
    for line in log:
        try:
            e = json.loads(line)
        except ValueError: # a line being written
            continue
        if e["event"] == "open" and port in (e.get("src_port"), e.get("dst_port")):
            print("%.2f %s" % (time.time() - sent, e.get("process", "-")))
            sys.exit()
    time.sleep(0.02)
print("-1 -")
PY
}
# A datagram from 10.99.0.1:47203 to 10.99.0.2:47204, sent on lo through a
# packet socket: no socket sent it, and the kernel drops it unanswered (not
# a local address), so its process is never known. Prints when it was sent.
spoofed_datagram() {
    ip netns exec "$NS" /usr/bin/python3 - <<'PY'
import socket, struct, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF
src, dst = socket.inet_aton("10.99.0.1"), socket.inet_aton("10.99.0.2")
udp = struct.pack("!HHHH", 47203, 47204, 12, 0) + b"spof"
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, src, dst)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lo", 0))
print("%.3f" % time.time())
s.send(b"\0" * 12 + b"\x08\x00" + ip + udp)
PY
}
# A datagram python3 sends (as nobody) to its own socket on 127.0.0.1:47205;
# the sockets stay open 3 s. Prints when it was sent, at once.
owned_datagram() {
    as_nobody /usr/bin/python3 -c 'import socket, time
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 47205))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
print("%.3f" % time.time(), flush=True); s.sendto(b"mine", ("127.0.0.1", 47205)); r.recv(10); time.sleep(3)'
}
# Both probes at once, in the background (beside the first traffic).
open_probes() {
    local t
    t=$(spoofed_datagram) && open_delay 47204 "$t" >"$TMP/open.spoofed" &
    { read -r t && open_delay 47205 "$t" >"$TMP/open.owned"; } < <(owned_datagram) &
    wait
}

NFPORT=4739
ip netns exec "$NS" nfcapd -b 127.0.0.1 -p $NFPORT -w "$O" -t 3600 >"$TMP/nfcapd.log" 2>&1 &
NF=$!
ip netns exec "$NS" tcpdump -i lo -w "$TMP/plain.pcap" -U >"$TMP/tcpdump.log" 2>&1 &
TD=$!
ip netns exec "$NS" "$BIN" -i lo --json --pcapng "$O/x.pcapng" --json-log "$O/ev.log" \
    --ipfix "127.0.0.1:$NFPORT" --ipfix-active 2 >"$TMP/records.json" 2>"$TMP/wt.err" &
WT=$!
wait_for 10 grep -qs listening "$TMP/tcpdump.log" || fail "tcpdump did not start"
wait_for 10 grep -qs Startup "$TMP/nfcapd.log" || fail "nfcapd did not start"
sleep 1.5
open_probes &
PROBES=$!
traffic 47201
wait "$PROBES"
read -r spoofed_s spoofed_proc <"$TMP/open.spoofed"
read -r owned_s owned_proc <"$TMP/open.owned"
echo "export_live: opens written ${spoofed_s} s after the first packet without a process, ${owned_s} s with one"
check "a connection without a process opens within 2 s + 0.5 s of its first packet (${spoofed_s} s, process $spoofed_proc)" \
    awk -v d="$spoofed_s" -v p="$spoofed_proc" 'BEGIN { exit !(d >= 0 && d <= 2.5 && p == "-") }'
check "a connection with a process opens naming it within 2 s + 0.5 s (${owned_s} s, process $owned_proc)" \
    awk -v d="$owned_s" -v p="$owned_proc" 'BEGIN { exit !(d >= 0 && d <= 2.5 && p == "python3") }'
mv "$O/x.pcapng" "$O/x1.pcapng"; mv "$O/ev.log" "$O/ev1.log"
kill -HUP "$WT"
wait_for 5 test -f "$O/x.pcapng"
check "SIGHUP started a new pcapng file" test -f "$O/x.pcapng"
traffic 47202
sleep 3 # the writer holds a packet at most 2 s for its process
stop_pid "$WT"; WT=""
sleep 0.5
stop_pid "$TD"; TD=""
stop_pid "$NF"; NF=""
check "wiretop ran to the end: $(cat "$TMP/wt.err")" grep -q "export drops 0" "$TMP/wt.err"

# (wiretop's own IPFIX datagrams cross lo too, the last after its capture ended)
count() { tshark -r "$1" -Y "not udp.port == $NFPORT" 2>/dev/null | wc -l; }
n_plain=$(count "$TMP/plain.pcap") n1=$(count "$O/x1.pcapng") n2=$(count "$O/x.pcapng")
check "tshark: $n1 + $n2 frames in the pcapng files, $n_plain in tcpdump's" [ $((n1 + n2)) -eq "$n_plain" ]
check "both halves hold frames" [ "$n1" -gt 20 ] && [ "$n2" -gt 20 ]
comments() { # FILE PORT: frames of the test's port, and of those with a python3 comment
    tshark -r "$1" -Y "tcp.port == $2 || udp.port == $2" -T fields -e frame.comment 2>/dev/null |
        awk '{ n++ } /pid=[0-9]+ process=python3 user=nobody/ { c++ } END { print n + 0, c + 0 }'
}
read -r all1 py1 <<<"$(comments "$O/x1.pcapng" 47201)"
read -r all2 py2 <<<"$(comments "$O/x.pcapng" 47202)"
check "every test packet carries its process ($py1/$all1, $py2/$all2)" \
    [ "$all1" -gt 10 ] && [ "$py1" -eq "$all1" ] && [ "$all2" -gt 10 ] && [ "$py2" -eq "$all2" ]

python3 - "$TMP/records.json" "$O/ev1.log" "$O/ev.log" <<'PY' >"$TMP/ev.verdict"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
bad = []
logs = [[json.loads(l) for l in open(p)] for p in sys.argv[2:4]]
for port, log in ((47201, 0), (47202, 1)):
    # each half's connections open in its own file; a close may come after the SIGHUP
    opens = [e for e in logs[log] if port in (e["dst_port"], e["src_port"]) and e["event"] == "open"]
    closes = [e for e in logs[0] + logs[1] if port in (e["dst_port"], e["src_port"]) and e["event"] == "close"]
    if len(opens) != 2 or any(e.get("process") != "python3" or not e.get("pid") for e in opens):
        bad.append("port %d: opens %s" % (port, [(e.get("process"), e.get("pid")) for e in opens]))
    if len(closes) != 2:
        bad.append("port %d: %d closes" % (port, len(closes)))
    for c in closes:
        r = [x for x in recs if (x["src_port"], x["dst_port"], x["proto"]) == (c["src_port"], c["dst_port"], c["proto"])]
        body = {k: v for k, v in c.items() if k not in ("event", "ts", "duration")}
        if r != [body]:
            bad.append("close differs from the record: %s / %s" % (body, r))
print("\n".join(bad) or "ok")
PY
check "event logs: an open with the process and a close like the record, per connection: $(cat "$TMP/ev.verdict")" \
    grep -qx ok "$TMP/ev.verdict"

nfdump_flows "$O" >"$TMP/nf.txt" 2>&1
python3 - "$TMP/records.json" "$TMP/nf.txt" <<'PY' >"$TMP/nf.verdict"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
got = {}
for line in open(sys.argv[2]):
    p = [x.strip() for x in line.split("|")]
    if len(p) == 11:
        k = (p[2].upper(), int(p[4]), int(p[6]))
        g = got.setdefault(k, [0, 0]); g[0] += int(p[7]); g[1] += int(p[8])
bad = []
for r in recs:
    if {r["src_port"], r["dst_port"]} & {47201, 47202}:
        k = (r["proto"], r["src_port"], r["dst_port"])
        if got.get(k) != [r["src_packets"], r["dst_packets"]]:
            bad.append("%s: nfdump %s, JSON %s" % (k, got.get(k), [r["src_packets"], r["dst_packets"]]))
print("\n".join(bad) or "ok")
PY
check "nfdump has the test's connections with the JSON's packets: $(cat "$TMP/nf.verdict")" \
    grep -qx ok "$TMP/nf.verdict"
finish

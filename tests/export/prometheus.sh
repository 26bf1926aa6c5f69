#!/usr/bin/env bash
# Metrics against a real Prometheus server: in a network namespace made
# here, wiretop captures lo live with --metrics, processes exchange known
# TCP and UDP traffic, a Prometheus started with a scrape config pointing
# at wiretop scrapes it every second, and its HTTP API must then report
# per process exactly the packets and bytes of wiretop's own JSON records
# of the run, the interface's packets of wiretop's summary, and the drop,
# coverage, tracked-flow and cardinality series. Needs root.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_root "a network namespace"
need_tool ip prometheus python3 curl setpriv
NS=wtprom_$$
WT="" PROM=""
cleanup() { stop_pid "$PROM"; stop_pid "$WT"; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up || { fail "cannot create a namespace"; finish; exit 1; }
in_ns() { ip netns exec "$NS" "$@"; }
MPORT=9464 PPORT=9090 # a namespace of our own: nothing else listens there

# (no shell in between: $! must be wiretop itself, to stop it)
ip netns exec "$NS" "$BIN" -i lo --json --metrics "127.0.0.1:$MPORT" >"$TMP/records.json" 2>"$TMP/wt.err" &
WT=$!
cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: wiretop
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
YML
chmod 755 "$TMP"
ip netns exec "$NS" prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
    --web.listen-address="127.0.0.1:$PPORT" --log.level=warn >"$TMP/prom.log" 2>&1 &
PROM=$!

query() { # PROMQL: the API's JSON answer
    in_ns python3 -c 'import json, sys, urllib.parse, urllib.request
u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
print(json.dumps(json.load(urllib.request.urlopen(u, timeout=5))))' "$PPORT" "$1" 2>/dev/null
}
up() { query 'up{job="wiretop"}' | grep -q '"value": \[[0-9.]*, "1"\]'; }
check "Prometheus scrapes wiretop (up == 1): $(tail -3 "$TMP/prom.log")" wait_for 30 up

# known traffic from python3: a UDP exchange and a TCP transfer, spread
# over two seconds with the sockets kept a while (attribution sees them).
# As the user wiretop drops to: sock_diag attribution reads
# /proc/PID/fd, which only the owner of a process may.
as_nobody() { ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
as_nobody /usr/bin/python3 - <<'PY'
import socket, threading, time
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(("127.0.0.1", 47001))
def echo():
    for _ in range(40):
        d, a = srv.recvfrom(2048); srv.sendto(d, a)
t = threading.Thread(target=echo); t.start()
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(40):
    c.sendto(b"u" * 300, ("127.0.0.1", 47001)); c.recvfrom(2048); time.sleep(0.05)
t.join()
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 47002)); ls.listen(1)
def sink():
    s, _ = ls.accept(); n = 0
    while n < 200000:
        d = s.recv(65536)
        if not d: break
        n += len(d)
    time.sleep(1); s.close()
t = threading.Thread(target=sink); t.start()
k = socket.create_connection(("127.0.0.1", 47002)); time.sleep(0.5)
k.sendall(b"t" * 200000); t.join(); k.close(); time.sleep(0.5)
PY
# every connection is counted at the engine's next report (5 s) and
# scraped a second later
sleep 12
query 'wiretop_process_packets_total' >"$TMP/proc_packets.json"
query 'wiretop_process_bytes_total' >"$TMP/proc_bytes.json"
query 'wiretop_interface_packets_total' >"$TMP/if_packets.json"
for q in 'wiretop_drops_total' 'wiretop_flows_tracked' 'wiretop_attribution_coverage_ratio' \
    'wiretop_label_values' 'wiretop_label_overflow_total' 'wiretop_connections_total'; do
    query "$q" >"$TMP/q_$q.json"
done
stop_pid "$WT"; WT=""

python3 - "$TMP" <<'PY' >"$TMP/verdict" 2>&1
import json, sys, os
d = sys.argv[1]
def series(name):
    r = json.load(open(os.path.join(d, name)))
    return {tuple(sorted((k, v) for k, v in s["metric"].items() if k not in ("__name__", "job", "instance"))):
            float(s["value"][1]) for s in r["data"]["result"]}
recs = [json.loads(l) for l in open(os.path.join(d, "records.json")) if l.strip()]
summary = open(os.path.join(d, "wt.err")).read()
bad = []
# python3's traffic was over before the queries: its series must hold
# exactly its records' packets and bytes (scrapes, wiretop's and
# Prometheus' own, go on and are not compared)
test_ports = {47001, 47002}
recs_py = [r for r in recs if r["dst_port"] in test_ports and r["proto"] in ("TCP", "UDP")]
want_p = sum(r["src_packets"] + r["dst_packets"] for r in recs_py if r.get("process") == "python3")
want_b = sum(r["src_bytes"] + r["dst_bytes"] for r in recs_py if r.get("process") == "python3")
got_p = {dict(k)["process"]: v for k, v in series("proc_packets.json").items()}
got_b = {dict(k)["process"]: v for k, v in series("proc_bytes.json").items()}
if len(recs_py) != 2 or any(r.get("process") != "python3" for r in recs_py):
    bad.append("the test's connections are not python3's: %s" % recs_py)
if got_p.get("python3") != want_p: bad.append("python3 packets: Prometheus %s, JSON %s" % (got_p, want_p))
if got_b.get("python3") != want_b: bad.append("python3 bytes: Prometheus %s, JSON %s" % (got_b, want_b))
ifp = list(series("if_packets.json").values())
import re
m = re.search(r"(\d+) packets", summary)
if not m or len(ifp) != 1 or not want_p <= ifp[0] <= int(m.group(1)):
    bad.append("interface packets %s, python3 %s, summary %s" % (ifp, want_p, summary.strip()))
drops = {dict(k)["where"]: v for k, v in series("q_wiretop_drops_total.json").items()}
if drops != {"kernel": 0, "internal": 0, "export": 0}: bad.append("drops %s" % drops)
if list(series("q_wiretop_flows_tracked.json").values()) == []: bad.append("no wiretop_flows_tracked")
cov = list(series("q_wiretop_attribution_coverage_ratio.json").values())
if not cov or not 0 < cov[0] <= 1: bad.append("coverage %s" % cov)
lv = {dict(k)["label"]: v for k, v in series("q_wiretop_label_values.json").items()}
ov = {dict(k)["label"]: v for k, v in series("q_wiretop_label_overflow_total.json").items()}
if lv.get("process") != len(got_p) or ov.get("process") != 0: bad.append("label values %s, overflow %s" % (lv, ov))
conns = list(series("q_wiretop_connections_total.json").values())
if not conns or not 2 <= conns[0] <= len(recs): bad.append("connections %s, JSON records %d" % (conns, len(recs)))
print("\n".join(bad) if bad else "ok: %s" % got_p)
PY
check "Prometheus agrees with the JSON records: $(cat "$TMP/verdict")" grep -q '^ok' "$TMP/verdict"

# the cardinality cap: one process label, then "other", and it says so
ip netns exec "$NS" "$BIN" -i lo --json --metrics "127.0.0.1:9465" --metrics-max-labels 1 \
    >/dev/null 2>&1 &
WT=$!
sleep 1
mkdir -p "$TMP/bin"
for p in one two three; do # three process names (a copy of python3 each)
    cp /usr/bin/python3 "$TMP/bin/wt$p"
    as_nobody "$TMP/bin/wt$p" -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
for i in range(3): s.sendto(b"x", ("127.0.0.1", 47100)); time.sleep(0.5)
time.sleep(1)'
done
sleep 6
in_ns curl -s "http://127.0.0.1:9465/metrics" >"$TMP/capped" 2>&1
stop_pid "$WT"; WT=""
check "at most one process value plus other: $(grep 'label_values{label="process"}' "$TMP/capped")" \
    grep -qE '^wiretop_label_values\{label="process"\} [12]$' "$TMP/capped"
check "the cap says it bit: $(grep 'overflow_total{label="process"}' "$TMP/capped")" \
    grep -qE '^wiretop_label_overflow_total\{label="process"\} [1-9]' "$TMP/capped"
check "other carries the rest" grep -q 'wiretop_process_packets_total{process="other"}' "$TMP/capped"

run --json --metrics 127.0.0.1 --read tests/golden/captures/udp_icmp_arp.pcap
check "--metrics without a port is a usage error" [ "$RC" -eq 2 ]
finish

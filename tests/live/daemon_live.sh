#!/usr/bin/env bash
# wiretop --daemon as systemd runs it: the unit in debian/ passes
# `systemd-analyze verify` and has the hardening the service promises;
# the daemon, started with debian/wiretop.conf (its paths moved here) in
# a network namespace, says READY=1 on $NOTIFY_SOCKET, serves metrics,
# on SIGHUP says RELOADING=1 then READY=1, reopens its outputs and reads
# the config again (a changed output is reported as waiting for a restart;
# a changed interval or label cap takes effect at once), and on SIGTERM says
# STOPPING=1 and exits 0 with every connection's close in the event log.
# Needs root.
# shellcheck source=../export/lib.sh
. "$(dirname "$0")/../export/lib.sh"
need_root "network namespaces, capture"
need_tool ip python3 systemd-analyze curl

UNIT=debian/wiretop.service
sed "s|/usr/bin/wiretop|$BIN|" "$UNIT" >"$TMP/wiretop.service"
out=$(systemd-analyze verify --man=no "$TMP/wiretop.service" 2>&1)
check "systemd-analyze verify passes: $out" [ $? -eq 0 ] && [ -z "$out" ]
for d in 'Type=notify' 'CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN CAP_BPF CAP_PERFMON' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
    'RestrictAddressFamilies=' 'StandardError=journal' 'ExecReload=/bin/kill -HUP $MAINPID'; do
    check "the unit has $d" grep -qF -- "$d" "$UNIT"
done
check "the .deb installs the unit's config" grep -q 'etc/wiretop/wiretop.conf' debian/rules

NS=wtdmn_$$
WT="" LSN=""
cleanup() { stop_pid "$WT"; stop_pid "$LSN"; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up || { fail "cannot create a namespace"; finish; exit 1; }
chmod 711 "$TMP" && mkdir -m 1777 "$TMP/log"
sed -e "s|/var/log/wiretop|$TMP/log|" -e 's|^#json-log = |json-log = |' debian/wiretop.conf >"$TMP/wiretop.conf"
echo "interface = lo" >>"$TMP/wiretop.conf"

# systemd's side of the notify protocol: a datagram socket, one line per message
python3 - "$TMP/notify.sock" "$TMP/notify.txt" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(4096).decode() + "\n")
PY
LSN=$!
wait_for 5 test -S "$TMP/notify.sock"
NOTIFY_SOCKET=$TMP/notify.sock ip netns exec "$NS" "$BIN" --daemon --config "$TMP/wiretop.conf" \
    >"$TMP/stdout" 2>"$TMP/stderr" &
WT=$!
check "READY=1 on the notify socket" wait_for 30 grep -qx READY=1 "$TMP/notify.txt"
ip netns exec "$NS" python3 -c '
import socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5): u.sendto(b"d" * 64, ("127.0.0.1", 47301)); time.sleep(0.05)'
check "metrics served" wait_for 10 sh -c \
    "ip netns exec $NS curl -s http://127.0.0.1:9464/metrics | grep -q '^wiretop_interface_packets_total'"
mv "$TMP/log/events.jsonl" "$TMP/log/events.1"
check "the label cap before SIGHUP is 100" sh -c \
    "ip netns exec $NS curl -s http://127.0.0.1:9464/metrics | grep -q '(cap 100 values'"
sed -i 's|^metrics = 127.0.0.1:9464|metrics = 127.0.0.1:9465|' "$TMP/wiretop.conf"
printf 'metrics-max-labels = 7\njson-log-interval = 1\n' >>"$TMP/wiretop.conf"
kill -HUP "$WT"
check "SIGHUP: RELOADING=1 then READY=1" wait_for 5 sh -c "grep -x -A1 RELOADING=1 '$TMP/notify.txt' | grep -qx READY=1"
check "SIGHUP reopened the event log" wait_for 5 test -f "$TMP/log/events.jsonl"
check "SIGHUP read the config again and reports the changed output" \
    wait_for 5 grep -q "metrics changed in the config: takes effect at restart" "$TMP/stderr"
check "SIGHUP applied the new label cap" wait_for 5 grep -q "metrics-max-labels is now 7" "$TMP/stderr"
check "and the new event log interval" grep -q "json-log-interval is now 1" "$TMP/stderr"
check "/metrics shows the new cap" wait_for 5 sh -c \
    "ip netns exec $NS curl -s http://127.0.0.1:9464/metrics | grep -q '(cap 7 values'"
check "still running after SIGHUP" kill -0 "$WT"
# a connection with traffic for 3 s now gets updates every second (60 s before)
ip netns exec "$NS" python3 -c '
import socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 47310))
for i in range(16): u.sendto(b"f" * 64, ("127.0.0.1", 47303)); time.sleep(0.2)'
check "updates at the new interval" wait_for 5 sh -c "grep '\"event\": \"update\"' '$TMP/log/events.jsonl' | grep -q '\"dst_port\": 47303'"
ip netns exec "$NS" python3 -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): u.sendto(b"e" * 64, ("127.0.0.1", 47302))'
sleep 0.5
kill -TERM "$WT"
wait "$WT"
rc=$?
WT=""
check "SIGTERM: exit status 0 ($rc): $(cat "$TMP/stderr")" [ "$rc" -eq 0 ]
check "STOPPING=1" grep -qx STOPPING=1 "$TMP/notify.txt"
check "no records on stdout without --json" [ ! -s "$TMP/stdout" ]
closes=$(cat "$TMP/log/events.1" "$TMP/log/events.jsonl" | python3 -c '
import json, sys
ev = [json.loads(l) for l in sys.stdin]
print(sorted(e["dst_port"] for e in ev if e["event"] == "close" and e["dst_port"] in (47301, 47302, 47303)))')
check "every connection closed in the event log at SIGTERM: $closes" [ "$closes" = "[47301, 47302, 47303]" ]

run --daemon -i lo
check "--daemon without an output is a usage error" [ "$RC" -eq 2 ] && grep -q "needs an output" <<<"$ERR"
finish

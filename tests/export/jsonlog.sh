#!/usr/bin/env bash
# The connection event log (--json-log), parsed line by line and held to
# the --json records of the same run: one open and one close per
# connection, the close equal to the record with its true duration,
# updates at the interval; rotation by size keeps whole lines.
# (Reopening on SIGHUP is tested live: tests/live/export_live.sh.)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3

events() { # NAME CAPTURE [INTERVAL] [wiretop options...]
    local name=$1 cap=$2 iv=${3:-}
    shift 3 2>/dev/null || shift $#
    rm -f "$TMP/ev.log"
    timeout 60 "$BIN" --read "$cap" --json --json-log "$TMP/ev.log" ${iv:+--json-log-interval "$iv"} "$@" \
        >"$TMP/rec.json" 2>"$TMP/err"
    if [ $? -ne 0 ]; then fail "$name: wiretop failed: $(cat "$TMP/err")"; return; fi
    if out=$(python3 tests/export/jsonlog_check.py "$TMP/rec.json" "$TMP/ev.log" $iv); then
        ok
        LAST=$out
    else
        fail "$name: $out"
    fi
}

for cap in tests/golden/captures/*.pcap; do
    events "$(basename "$cap")" "$cap"
    events "$(basename "$cap") --threads 3" "$cap" "" --threads 3
done
events "timeouts.pcap, updates every second" tests/golden/captures/timeouts.pcap 1
check "long connections have updates ($LAST)" grep -qv ' 0 updates' <<<"$LAST"
events "tcp_states.pcap, updates every 2 s" tests/golden/captures/tcp_states.pcap 2 --threads 2

# rotation: thousands of connections through a 1 MiB log
python3 - "$TMP/many.pcap" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(6000):
    src = bytes([10, 0, i >> 8 & 255, i & 255])
    udp = struct.pack("!HHHH", 20000 + i % 30000, 53, 8 + 4, 0) + b"ping"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src, bytes([10, 9, 9, 9]))
    frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp
    out.write(struct.pack("<IIII", 1700000000 + i // 100, (i % 100) * 10000, len(frame), len(frame)) + frame)
PY
# a shared folder, as /tmp: as root, privileges drop after start-up and
# the files must still be renamed and created by the user dropped to
chmod 711 "$TMP" && mkdir -m 1777 "$TMP/logs"
"$BIN" --read "$TMP/many.pcap" --json --json-log "$TMP/logs/rot.log" --json-log-max-mb 1 >/dev/null 2>"$TMP/err"
check "rotation run succeeds: $(cat "$TMP/err")" [ $? -eq 0 ]
size1=$(stat -c %s "$TMP/logs/rot.log.1" 2>/dev/null || echo 0)
size0=$(stat -c %s "$TMP/logs/rot.log" 2>/dev/null || echo 0)
check "rotated to FILE.1 at 1 MiB (size $size1)" [ "$size1" -ge 1048576 ] && [ "$size1" -lt $((1048576 + 70000)) ]
check "FILE started anew (size $size0)" [ "$size0" -gt 0 ] && [ "$size0" -lt $((1048576 + 70000)) ]
check "both hold whole JSON lines" python3 -c '
import json, sys
for p in sys.argv[1:]:
    for l in open(p):
        json.loads(l)' "$TMP/logs/rot.log" "$TMP/logs/rot.log.1"

run --read tests/golden/captures/udp_icmp_arp.pcap --json --json-log /nonexistent/dir/x.log
check "an unwritable --json-log is an error ($RC)" [ "$RC" -eq 1 ]
check "that names the file" grep -q "json-log /nonexistent/dir/x.log" <<<"$ERR"
run --json-log-max-mb -1
check "--json-log-max-mb -1 is a usage error" [ "$RC" -eq 2 ]
finish

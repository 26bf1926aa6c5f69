#!/usr/bin/env bash
# wiretop's own IPFIX elements (application, TLS/QUIC server name, HTTP
# host) as tshark's IPFIX dissector decodes them: captures with those
# facts are replayed with --ipfix to a UDP socket of the test, whose
# datagrams become a pcap that tshark reads as cflow; every flow's strings
# must be the JSON's app, sni and http_host. (nfdump keeps only the
# standard elements: tests/export/ipfix_nfcapd.sh.)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
need_tool tshark python3

# a collector that writes each datagram it gets into a pcap (raw IP),
# until the test says "end"
collect() { # PORTFILE PCAP
    python3 - "$1" "$2" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
out = open(sys.argv[2], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
open(sys.argv[1], "w").write(str(port))
s.settimeout(60)
try:
    while True:
        d, a = s.recvfrom(65535)
        if d == b"end": # from the test, once wiretop has exited
            break
        udp = struct.pack("!HHHH", a[1], port, 8 + len(d), 0) + d
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
        out.write(struct.pack("<IIII", 1, 0, len(ip), len(ip)) + ip)
        out.flush()
except socket.timeout:
    pass
PY
}

elements() { # CAPTURE
    local cap=$1 name d
    name=$(basename "$cap")
    d=$(mktemp -d "$TMP/ix.XXXXXX")
    collect "$d/port" "$d/ipfix.pcap" &
    local col=$!
    wait_for 10 test -s "$d/port" || { fail "$name: the collector did not start"; return; }
    timeout 60 "$BIN" --read "$cap" --json --ipfix "127.0.0.1:$(cat "$d/port")" >"$d/rec.json" 2>"$d/err"
    local rc=$?
    python3 -c 'import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"end", ("127.0.0.1", int(sys.argv[1])))' "$(cat "$d/port")"
    wait "$col"
    if [ $rc -ne 0 ]; then fail "$name: wiretop exited $rc: $(cat "$d/err")"; return; fi
    tshark -r "$d/ipfix.pcap" -d "udp.port==$(cat "$d/port"),cflow" -T pdml >"$d/ipfix.pdml" 2>/dev/null
    if out=$(python3 tests/export/ipfix_elements.py "$d/rec.json" "$d/ipfix.pdml"); then
        ok
        STRINGS=$((STRINGS + $(awk '{print $3}' <<<"$out")))
    else
        fail "$name: $out"
    fi
}

STRINGS=0
captures=(tests/golden/captures/dpi_*.pcap)
add_shared_captures arkime_tls13.pcap arkime_http-simple-get.pcap arkime_quic24-wireshark.pcap \
    arkime_v6-http.pcap arkime_dns-https.pcap
for cap in "${captures[@]}"; do
    elements "$cap"
done
check "the captures gave strings to compare ($STRINGS)" [ "$STRINGS" -ge 5 ]
finish

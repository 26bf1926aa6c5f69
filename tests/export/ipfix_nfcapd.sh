#!/usr/bin/env bash
# IPFIX against nfdump's collector: for each capture, nfcapd listens on
# loopback, `wiretop --read X --json --ipfix` replays it, and what nfdump
# reads back must agree with wiretop's JSON (connections, packets each
# way, start times) and with tshark (IP bytes each way).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

need_tool nfcapd nfdump tshark python3

NFPID=""
trap 'stop_pid "$NFPID"; rm -rf "$TMP"' EXIT

# replay CAPTURE [wiretop options...]: sets DIR to nfcapd's output folder.
replay() {
    local cap=$1 port
    shift
    port=$(free_port udp)
    # a folder of its own: with $RANDOM two of some seventy replays met in
    # one folder now and then, and nfdump read the earlier one's files too
    DIR=$(mktemp -d "$TMP/nf.XXXXXX")
    nfcapd -b 127.0.0.1 -p "$port" -w "$DIR" -t 3600 >"$DIR.log" 2>&1 &
    NFPID=$!
    wait_for 10 grep -qs Startup "$DIR.log" || { fail "nfcapd did not start: $(cat "$DIR.log")"; return 1; }
    timeout 60 "$BIN" --read "$cap" --json --ipfix "127.0.0.1:$port" "$@" >"$DIR.json" 2>"$DIR.err"
    RC=$?
    sleep 0.2 # the last datagrams reach nfcapd's socket buffer
    stop_pid "$NFPID"
    NFPID=""
}

compare() { # CAPTURE [wiretop options...]
    local cap=$1 name
    name=$(basename "$cap")
    replay "$@" || return
    if [ "$RC" -ne 0 ]; then fail "$name: wiretop exited $RC: $(cat "$DIR.err")"; return; fi
    nfdump_flows "$DIR" >"$DIR.nf" 2>"$DIR.nferr"
    # every IP header of a frame: a tunnel's inner connections are exported
    # too (tshark opens VXLAN on Linux's old port 8472 only when told)
    tshark -r "$cap" -d udp.port==8472,vxlan -T fields -E occurrence=a -e ip.src -e ip.dst -e ip.len -e ip.proto \
        -e ipv6.src -e ipv6.dst -e ipv6.plen -e ipv6.nxt -e ipv6.fraghdr.nxt -e icmpv6.type >"$DIR.tshark" 2>/dev/null
    # overlapping fragments discard their datagram (RFC 5722): tshark still
    # counts those bytes, no connection does
    local only=""
    [ "$name" = frag_overlaps.pcap ] && only=--packets-only
    if out=$(python3 tests/export/ipfix_compare.py "$DIR.json" "$DIR.nf" "$DIR.tshark" $only); then
        ok
    else
        fail "$name $*: $out"
    fi
}

# every golden capture, and real ones of each link type, IPv6, VLANs,
# fragments, ICMP, QUIC and pcapng
captures=(tests/golden/captures/*.pcap)
add_shared_captures arkime_v6-http.pcap arkime_twovlan.pcap suricata_decode-sll2-01.pcap \
    tcpdump_LINKTYPE_RAW_ipv4.pcap ndpi_http.pcapng suricata_quic-frag-wait.pcap \
    zeek_5-pings.pcap zeek_icmp6-ping.pcap tcpdump_icmpv6.pcap zeek_mdns.pcap \
    zeek_chromium-115.0.5790.110-api-cirrus-com.pcap zeek_zeek-image-1080-80-x.pcapng
for cap in "${captures[@]}"; do
    compare "$cap"
done
# long connections reported every second: the deltas must add up
compare tests/golden/captures/timeouts.pcap --ipfix-active 1
compare tests/golden/captures/tcp_states.pcap --ipfix-active 1 --threads 3

# the collector's own count of records equals the JSON's connections
replay tests/golden/captures/udp_icmp_arp.pcap
flows=$(grep -o 'Flows: [0-9]*' "$DIR.log" | awk '{s += $2} END {print s + 0}')
conns=$(grep -cv '"proto": "ARP"' "$DIR.json")
check "nfcapd counts $conns flows (got $flows)" [ "$flows" = "$conns" ]
check "no sequence errors" grep -q 'Sequence Errors: 0' "$DIR.log"

# over TCP (nfcapd takes UDP only): a small collector checks the framing,
# that the templates go once, the sequence numbers across messages, and
# the record count, for 3,000 connections
cap=$TMP/many.pcap
python3 - "$cap" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(3000):
    udp = struct.pack("!HHHH", 20000 + i, 53, 12, 0) + b"ping"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([10, 0, i >> 8, i & 255]), bytes([10, 9, 9, 9]))
    frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp
    out.write(struct.pack("<IIII", 1700000000 + i // 1000, i % 1000 * 1000, len(frame), len(frame)) + frame)
PY
python3 tests/export/ipfix_tcp.py "$TMP/tcp.port" "$TMP/tcp.json" &
COL=$!
wait_for 10 test -s "$TMP/tcp.port"
timeout 60 "$BIN" --read "$cap" --json --ipfix "tcp://127.0.0.1:$(cat "$TMP/tcp.port")" >"$TMP/tcp.records"
wait "$COL"
want=$(grep -cv '"proto": "ARP"' "$TMP/tcp.records")
check "IPFIX over TCP: $want records, templates once, in sequence: $(cat "$TMP/tcp.json")" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
sys.exit(not (o["records"] == int(sys.argv[2]) and o["template_sets"] == 1 and o["messages"] > 1
              and o["sequence_ok"] and not o["errors"]))
' "$TMP/tcp.json" "$want"

# errors a user can act on
run --read tests/golden/captures/udp_icmp_arp.pcap --json --ipfix nowhere
check "--ipfix without a port is a usage error" [ "$RC" -eq 2 ]
check "and says so" grep -q "HOST:PORT" <<<"$ERR"
finish

#!/usr/bin/env bash
# --pcapng read back by tshark: replaying a capture, the file holds the
# same frames (time, lengths, bytes) in the same order as the original;
# rotation by size keeps whole, readable files. The live side (process
# comments, the same count as tcpdump -w, SIGHUP) is tests/live/export_live.sh.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
need_tool tshark

frames() { # FILE: one line per frame: time (to the microsecond wiretop keeps), lengths, MD5 of the bytes
    tshark -r "$1" -o frame.generate_md5_hash:TRUE -T fields -e frame.time_epoch -e frame.len \
        -e frame.cap_len -e frame.md5_hash 2>/dev/null |
        awk -F'\t' -v OFS='\t' '{ split($1, t, "."); $1 = t[1] "." substr(t[2] "000000", 1, 6); print }'
}

captures=(tests/golden/captures/link_*.pcap tests/golden/captures/fragments.pcap)
add_shared_captures ndpi_http.pcapng arkime_twovlan.pcap suricata_decode-sll2-01.pcap \
    zeek_zeek-image-1080-80-x.pcapng
for cap in "${captures[@]}"; do
    name=$(basename "$cap")
    rm -f "$TMP/out.pcapng"
    timeout 60 "$BIN" --read "$cap" --json --threads 2 --pcapng "$TMP/out.pcapng" >/dev/null 2>"$TMP/err"
    if [ $? -ne 0 ]; then fail "$name: $(cat "$TMP/err")"; continue; fi
    frames "$cap" >"$TMP/want"
    frames "$TMP/out.pcapng" >"$TMP/got"
    if [ -s "$TMP/want" ] && cmp -s "$TMP/want" "$TMP/got"; then
        ok
    else
        fail "$name: frames differ (< original, > --pcapng): $(diff "$TMP/want" "$TMP/got" | head -4)"
    fi
done

# rotation: a 1 MiB limit over a capture of a few MiB
python3 - "$TMP/big.pcap" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(3000):
    udp = struct.pack("!HHHH", 40000, 9, 8 + 1000, 0) + bytes(1000)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp
    out.write(struct.pack("<IIII", 1700000000 + i // 1000, i % 1000 * 1000, len(frame), len(frame)) + frame)
PY
chmod 711 "$TMP" && mkdir -m 1777 "$TMP/rot"
"$BIN" --read "$TMP/big.pcap" --json --pcapng "$TMP/rot/x.pcapng" --pcapng-max-mb 1 >/dev/null 2>"$TMP/err"
check "rotating run succeeds: $(cat "$TMP/err")" [ $? -eq 0 ]
n0=$(tshark -r "$TMP/rot/x.pcapng" 2>/dev/null | wc -l)
n1=$(tshark -r "$TMP/rot/x.pcapng.1" 2>/dev/null | wc -l)
s1=$(stat -c %s "$TMP/rot/x.pcapng.1" 2>/dev/null || echo 0)
check "FILE.1 is about 1 MiB ($s1 bytes) and tshark reads it ($n1 frames)" \
    [ "$s1" -ge 1048576 ] && [ "$s1" -lt $((1048576 + 2000)) ] && [ "$n1" -gt 900 ]
check "the last file holds the rest ($n0 frames): 3000 in all, 1 MiB each before" \
    [ $(((3000 - n0) % n1)) -eq 0 ]
frames "$TMP/big.pcap" | tail -n "$n0" >"$TMP/want"
frames "$TMP/rot/x.pcapng" >"$TMP/got"
check "and they are the last frames of the capture" cmp -s "$TMP/want" "$TMP/got"

run --read tests/golden/captures/link_raw.pcap --json --pcapng /nonexistent/x.pcapng
check "an unwritable --pcapng is an error ($RC)" [ "$RC" -eq 1 ]
finish

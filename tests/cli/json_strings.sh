#!/usr/bin/env bash
# JSON strings end to end: an HTTP request whose Host and User-Agent hold
# UTF-8, control characters, bytes that are not UTF-8 and backslashes.
# The record must be valid JSON; é stays é; controls are \u escapes; the
# original bytes come back with Python's surrogateescape (docs/JSON.md).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

/usr/bin/python3 - "$TMP/s.pcap" <<'PY'
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF

def ipv4(src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, 6, 0,
                    bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def tcp(sport, dport, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data

A, B = [10, 0, 0, 1], [10, 0, 0, 2]
eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
req = (b"GET /x HTTP/1.1\r\nHost: caf\xc3\xa9\x1b[2J\xff\xfe\\x41.test\r\n"
       b"User-Agent: a\"b\\c\x7f\xc2\x9b\xe2\x82\xac\r\n\r\n")
frames = [
    eth + ipv4(A, B, tcp(40000, 80, 1, 0, 0x02)),
    eth + ipv4(B, A, tcp(80, 40000, 100, 2, 0x12)),
    eth + ipv4(A, B, tcp(40000, 80, 2, 101, 0x10)),
    eth + ipv4(A, B, tcp(40000, 80, 2, 101, 0x18, req)),
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)) + fr)
PY

run --read "$TMP/s.pcap" --json
check "wiretop reads the capture (status $RC: $ERR)" [ "$RC" -eq 0 ]
printf '%s\n' "$OUT" >"$TMP/out.json"
check_record() {
    /usr/bin/python3 - "$TMP/out.json" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")                               # the output is UTF-8 throughout
rec = [json.loads(l) for l in raw.decode().splitlines() if l.strip()]
http = [r for r in rec if r.get("http_host")]
assert len(http) == 1, rec
r = http[0]
host = b"caf\xc3\xa9\x1b[2J\xff\xfe\\x41.test"
ua = b"a\"b\\c\x7f\xc2\x9b\xe2\x82\xac"
assert r["http_host"].encode("utf-8", "surrogateescape") == host, r["http_host"]
assert r["http_user_agent"].encode("utf-8", "surrogateescape") == ua, r["http_user_agent"]
assert "caf\u00e9" in r["http_host"]               # é stays é
assert b"caf\xc3\xa9\\u001b[2J\\udcff\\udcfe\\\\x41.test" in raw
assert b"\\u007f\\u009b\xe2\x82\xac" in raw
PY
}
check "strings keep UTF-8, escape controls, and give back the original bytes" check_record

finish

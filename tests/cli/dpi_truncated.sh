#!/usr/bin/env bash
# Over-long DPI values are kept truncated and marked, not dropped: a
# 64 KiB HTTP Host, TLS server name and SSH identification string each
# come out as their first 1,024 bytes followed by "[truncated]" (the word
# tshark puts on such fields), whether the 16 KiB reassembly bound or the
# 1,024-byte value bound cut them. Where tshark is installed, its view of
# the same captures must start with the same bytes and be marked too
# (Host and server name; it shows nothing for the SSH banner).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 # the captures

/usr/bin/python3 - "$TMP" <<'PY'
import struct, sys

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF

def ipv4(src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def tcp(sport, dport, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data

C, S = [10, 0, 0, 1], [10, 0, 0, 2]
ETH = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"

def flow(dport, client, server=b""):
    """Handshake, then each side's bytes in 1,400-byte segments."""
    out = [ETH + ipv4(C, S, tcp(40000, dport, 0, 0, 0x02)),
           ETH + ipv4(S, C, tcp(dport, 40000, 100, 1, 0x12)),
           ETH + ipv4(C, S, tcp(40000, dport, 1, 101, 0x10))]
    seq = 1
    for i in range(0, len(client), 1400):
        out.append(ETH + ipv4(C, S, tcp(40000, dport, seq, 101, 0x18, client[i:i + 1400])))
        seq += len(client[i:i + 1400])
    sseq = 101
    for i in range(0, len(server), 1400):
        out.append(ETH + ipv4(S, C, tcp(dport, 40000, sseq, seq, 0x18, server[i:i + 1400])))
        sseq += len(server[i:i + 1400])
    return out

def save(name, frames):
    with open("%s/%s.pcap" % (sys.argv[1], name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)) + fr)

def client_hello(sni):
    """RFC 8446 4.1.2 with one extension, server_name (RFC 6066 3), split
    into records of at most 2^14 bytes (RFC 8446 5.1)."""
    name = struct.pack("!BH", 0, len(sni)) + sni
    ext = struct.pack("!HHH", 0, len(name) + 2, len(name)) + name
    body = b"\x03\x03" + b"\x11" * 32 + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00"
    body += struct.pack("!H", len(ext)) + ext
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"".join(b"\x16\x03\x01" + struct.pack("!H", len(hs[i:i + 16384])) + hs[i:i + 16384]
                    for i in range(0, len(hs), 16384))

save("host", flow(80, b"GET / HTTP/1.1\r\nHost: " + b"h" * 65536 + b"\r\nUser-Agent: t\r\n\r\n"))
save("sni", flow(443, client_hello(b"s" * 65000 + b".example")))
save("banner", flow(22, b"SSH-2.0-" + b"b" * 65536 + b"\r\n", b"SSH-2.0-OpenSSH_9.2\r\n"))
PY

repeat() { printf "%${2}s" '' | tr ' ' "$1"; }
want_host="$(repeat h 1024)[truncated]"
want_sni="$(repeat s 1024)[truncated]"
want_banner="SSH-2.0-$(repeat b 1016)[truncated]"

field() { # CAPTURE KEY: the key's value in the one record
    "$BIN" --read "$TMP/$1.pcap" --json | /usr/bin/python3 -c \
        "import json,sys; print(json.loads(sys.stdin.readline()).get('$2'))"
}
got=$(field host http_host)
check "64 KiB Host: the first 1,024 bytes and [truncated] (got ${#got} chars: ${got:0:20}...${got: -20})" \
    [ "$got" = "$want_host" ]
got=$(field sni sni)
check "64 KiB server name: the first 1,024 bytes and [truncated] (got ${#got} chars: ${got:0:20}...${got: -20})" \
    [ "$got" = "$want_sni" ]
got=$(field banner ssh_client)
check "64 KiB SSH banner: the first 1,024 bytes and [truncated] (got ${#got} chars: ${got:0:20}...${got: -20})" \
    [ "$got" = "$want_banner" ]
got=$(field banner ssh_server)
check "the other side's whole banner stays whole (got $got)" [ "$got" = "SSH-2.0-OpenSSH_9.2" ]

# tshark sees the same values and marks its labels of them "[truncated]".
if command -v tshark >/dev/null; then
    tfield() { tshark -r "$TMP/$1.pcap" -T fields -e "$2" 2>/dev/null | grep -v '^$' | head -1; }
    tlabel() { tshark -r "$TMP/$1.pcap" -V 2>/dev/null | grep -c "$2"; }
    t=$(tfield host http.host)
    check "tshark: the Host starts as wiretop's (${#t} bytes)" [ "${t:0:1024}" = "${want_host:0:1024}" ]
    check "tshark: the Host label says [truncated]" [ "$(tlabel host '\[truncated\]Host: ')" -ge 1 ]
    t=$(tfield sni tls.handshake.extensions_server_name)
    check "tshark: the server name starts as wiretop's (${#t} bytes)" [ "${t:0:1024}" = "${want_sni:0:1024}" ]
    check "tshark: the server name label says [truncated]" [ "$(tlabel sni 'Server Name \[truncated\]: ')" -ge 1 ]
    # (tshark 4.0 shows no protocol line at all for a 64 KiB SSH banner.)
else
    skip "tshark not installed: no comparison"
fi

finish

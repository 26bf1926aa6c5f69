#!/usr/bin/python3
"""Golden captures for deep packet inspection, one per protocol, each with
what wiretop must report (see make_captures.py for the scheme).

Run:  /usr/bin/python3 tests/golden/make_dpi_captures.py [FUNCTION...]
(needs python3-scapy and python3-cryptography). The TLS ClientHello and the
QUIC Initial protection (RFC 9001 section 5) are built here from the RFCs,
independently of wiretop's own code.
"""
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
from cryptography.hazmat.primitives import hmac
from scapy.all import DNS, DNSQR, DNSRR, IP, UDP, Ether, IPv6, Raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_captures  # noqa: E402
from make_captures import C, C6, MAC_C, MAC_S, S, S6, T0, Conv, rec, save  # noqa: E402


def vec8(b):
    return bytes([len(b)]) + b


def vec16(b):
    return struct.pack(">H", len(b)) + b


def ext(kind, body):
    return struct.pack(">H", kind) + vec16(body)


def client_hello(sni, alpn, pad=0, extra_ext=b"", session=b"s" * 32):
    """A TLS 1.3 ClientHello handshake message (RFC 8446 section 4.1.2)."""
    exts = ext(0, vec16(b"\x00" + vec16(sni.encode())))
    exts += ext(16, vec16(b"".join(vec8(a.encode()) for a in alpn)))
    exts += ext(43, vec8(b"\x03\x04\x03\x03"))                  # supported_versions
    exts += ext(51, vec16(struct.pack(">HH", 0x11ec, pad) + b"k" * pad))  # a big key share
    exts += extra_ext
    body = b"\x03\x03" + b"r" * 32 + vec8(session) + vec16(b"\x13\x01\x13\x02") + vec8(b"\x00")
    body += vec16(exts)
    return b"\x01" + struct.pack(">I", len(body))[1:] + body


def server_hello(session=b"s" * 32):
    """A TLS 1.3 ServerHello (RFC 8446 section 4.1.3) choosing TLS_AES_128_GCM_SHA256
    and echoing the client's legacy_session_id."""
    exts = ext(43, b"\x03\x04") + ext(51, struct.pack(">HH", 29, 32) + b"K" * 32)
    body = b"\x03\x03" + b"R" * 32 + vec8(session) + b"\x13\x01" + b"\x00" + vec16(exts)
    return b"\x02" + struct.pack(">I", len(body))[1:] + body


def tls_record(hs):
    return b"\x16\x03\x01" + vec16(hs)


def http_split():
    pk = []
    c = Conv(pk, T0, cport=43000, sport=8080)
    c.handshake()
    c.send(True, "PA", b"GET /split/path?q=1 HTTP/1.1\r\nHo")
    c.send(True, "PA", b"st: web.golden.test\r\nUser-Agent: golden/1\r\n\r\n")
    c.send(False, "PA", b"HTTP/1.1 204 No Content\r\n\r\n")
    want = [rec("TCP", C, 43000, "10.2.0.3", 8080, app="HTTP", http_method="GET",
                http_path="/split/path?q=1", http_host="web.golden.test",
                http_user_agent="golden/1", http_status=204, state="ESTABLISHED")]
    save("dpi_http_split", pk, want)


def tls_split():
    """A 2.5 KB ClientHello over three segments, the second retransmitted."""
    pk = []
    c = Conv(pk, T0, cport=43100, sport=8443)
    c.handshake()
    rec_bytes = tls_record(client_hello("split.golden.test", ["h2", "http/1.1"], pad=2300))
    parts = [rec_bytes[:700], rec_bytes[700:1600], rec_bytes[1600:]]
    c.send(True, "PA", parts[0])
    seq = c.cseq
    c.send(True, "PA", parts[1])
    c.cseq = seq                                   # the same segment again
    c.send(True, "PA", parts[1])
    c.send(True, "PA", parts[2])
    c.send(False, "PA", tls_record(server_hello()))
    want = [rec("TCP", C, 43100, "10.2.0.3", 8443, app="HTTPS", sni="split.golden.test",
                alpn=["h2", "http/1.1"], tls_version="TLS1.3",
                tls_cipher="TLS_AES_128_GCM_SHA256", state="ESTABLISHED")]
    save("dpi_tls_split_hello", pk, want)


def dns_tcp():
    """Two DNS messages over TCP: the first split across segments."""
    pk = []
    c = Conv(pk, T0, cport=43200, sport=53)
    c.handshake()
    q = bytes(DNS(id=7, rd=1, qd=DNSQR(qname="tcp.golden.test", qtype="MX")))
    msg = struct.pack(">H", len(q)) + q
    c.send(True, "PA", msg[:5])
    c.send(True, "PA", msg[5:])
    a = bytes(DNS(id=7, qr=1, qd=DNSQR(qname="tcp.golden.test", qtype="MX")))
    c.send(False, "PA", struct.pack(">H", len(a)) + a)
    want = [rec("TCP", C, 43200, "10.2.0.3", 53, app="DNS", dns_query="tcp.golden.test",
                dns_qtype="MX", dns_rcode=0, state="DNS_RESPONSE", app_state="DNS_RESPONSE")]
    save("dpi_dns_tcp", pk, want)


def ssh_prebanner():
    """A server that prints a line before its identification (RFC 4253 4.2)."""
    pk = []
    c = Conv(pk, T0, cport=43300, sport=2222)
    c.handshake()
    c.send(False, "PA", b"Welcome to the golden host\r\nSSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    c.send(True, "PA", b"SSH-2.0-golden_client_1.0\r\n")
    want = [rec("TCP", C, 43300, "10.2.0.3", 2222, app="SSH",
                ssh_client="SSH-2.0-golden_client_1.0",
                ssh_server="SSH-2.0-OpenSSH_9.2p1 Debian-2", state="BANNER", app_state="BANNER")]
    save("dpi_ssh_prebanner", pk, want)


# ---- QUIC v1 Initial protection (RFC 9001 section 5) ----

INITIAL_SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")


def hkdf_extract(salt, ikm):
    h = hmac.HMAC(salt, hashes.SHA256())
    h.update(ikm)
    return h.finalize()


def expand_label(secret, label, length):
    full = b"tls13 " + label.encode()
    info = struct.pack(">H", length) + vec8(full) + vec8(b"")
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


def initial_keys(dcid, salt=INITIAL_SALT_V1, label="client in"):
    """key, iv and header protection key of one side's Initial packets,
    from the client's first Destination Connection ID (RFC 9001 5.2:
    "client in" for the client's, "server in" for the server's)."""
    initial = hkdf_extract(salt, dcid)
    secret = expand_label(initial, label, 32)
    return (expand_label(secret, "quic key", 16), expand_label(secret, "quic iv", 12),
            expand_label(secret, "quic hp", 16))


def varint(v):
    if v < 64:
        return bytes([v])
    if v < 16384:
        return struct.pack(">H", 0x4000 | v)
    return struct.pack(">I", 0x80000000 | v)


def quic_initial(dcid, scid, pn, frames, version=1, salt=INITIAL_SALT_V1, size=1162,
                 key_dcid=None, label="client in"):
    """An Initial packet, its frames padded to size bytes (a 1200-byte
    datagram by default, RFC 9000 14.1), sealed with the keys of label
    derived from key_dcid (the client's first DCID; dcid when None)."""
    key, iv, hp = initial_keys(key_dcid or dcid, salt, label)
    pn_bytes = struct.pack(">I", pn)               # 4-byte packet number
    payload = frames + b"\x00" * max(0, size - len(frames))
    length = len(pn_bytes) + len(payload) + 16
    header = bytes([0xc3]) + struct.pack(">I", version) + vec8(dcid) + vec8(scid) + varint(0)
    header += struct.pack(">H", 0x4000 | length) + pn_bytes
    nonce = bytes(a ^ b for a, b in zip(iv, b"\x00" * 8 + pn_bytes))
    sealed = AESGCM(key).encrypt(nonce, payload, header)
    pn_off = len(header) - 4
    sample = sealed[:16]                           # 4 bytes after the packet number start
    enc = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    mask = enc.update(sample) + enc.finalize()
    first = bytes([header[0] ^ (mask[0] & 0x0f)])
    pn_prot = bytes(a ^ b for a, b in zip(pn_bytes, mask[1:5]))
    return first + header[1:pn_off] + pn_prot + sealed


def crypto_frame(offset, data):
    return b"\x06" + varint(offset) + varint(len(data)) + data


def quic_two_initials():
    """A ClientHello too big for one Initial, in two datagrams sent in reverse order."""
    dcid, scid = bytes.fromhex("0011223344556677"), bytes.fromhex("a1a2a3a4")
    tp = ext(0x39, b"\x01" + varint(4) + struct.pack(">I", 0x80000000 | 30000))  # max_idle_timeout
    hello = client_hello("quic.golden.test", ["h3"], pad=1200, extra_ext=tp)
    cut = 900
    d1 = quic_initial(dcid, scid, 0, crypto_frame(0, hello[:cut]))
    d2 = quic_initial(dcid, scid, 1, crypto_frame(cut, hello[cut:]))
    pk = []
    for i, d in enumerate((d2, d1)):
        p = Ether() / IP(src=C, dst="10.2.0.3") / UDP(sport=43400, dport=443) / Raw(d)
        p.time = T0 + i * 0.001
        pk.append(p)
    want = [rec("UDP", C, 43400, "10.2.0.3", 443, app="QUIC", sni="quic.golden.test",
                alpn=["h3"], quic_version="0x00000001", state="QUIC_INITIAL",
                app_state="QUIC_INITIAL", tls_version="TLS1.3", quic_idle_timeout_ms=30000)]
    save("dpi_quic_two_initials", pk, want)


# Google QUIC T051: the IETF Initial format with a salt of its own, and the
# TLS 1.3 ClientHello in a Google QUIC CRYPTO frame (type 0x08, IETF
# variable-length offset and length; Chromium's quic_types.h and
# quic_framer.cc). Wireshark's packet-quic.c carries the same salt.
T051_VERSION = 0x54303531
T051_SALT = bytes.fromhex("7a4edef4e7ccee5fa4506c19124fc8ccda6e033d")


def gquic_t051():
    """A Chrome-style T051 Initial with server name and ALPN "h3-T051"."""
    dcid, scid = bytes.fromhex("5152535455565758"), b""
    hello = client_hello("t051.golden.test", ["h3-T051"])
    frame = b"\x08" + crypto_frame(0, hello)[1:]
    d = quic_initial(dcid, scid, 1, frame, T051_VERSION, T051_SALT)
    p = Ether() / IP(src=C, dst="10.2.0.4") / UDP(sport=43600, dport=443) / Raw(d)
    p.time = T0
    want = [rec("UDP", C, 43600, "10.2.0.4", 443, app="QUIC", sni="t051.golden.test",
                alpn=["h3-T051"], quic_version="0x54303531", state="QUIC_INITIAL",
                app_state="QUIC_INITIAL", tls_version="TLS1.3")]
    save("gquic_t051", [p], want)


def dns_over_quic():
    """DNS over QUIC (RFC 9250): an Initial offering ALPN "doq" to UDP port
    853, and one offering it on another port (4.1.1: the ALPN says so); and
    a handshake to port 853 whose server answers, with its round trip of
    9.0 ms (docs/JSON.md: quic_handshake_rtt_ms is QUIC's, DoQ included)."""
    pk, want = [], []
    for i, (sport, dport, sni) in enumerate(((43700, 853, "doq.golden.test"),
                                             (43701, 8853, "doq-alt.golden.test"))):
        dcid, scid = bytes([0x61 + i]) * 8, bytes.fromhex("d1d2d3d4")
        d = quic_initial(dcid, scid, 0, crypto_frame(0, client_hello(sni, ["doq"])))
        p = Ether() / IP(src=C, dst="10.2.0.5") / UDP(sport=sport, dport=dport) / Raw(d)
        p.time = T0 + i * 0.01
        pk.append(p)
        want.append(rec("UDP", C, sport, "10.2.0.5", dport, app="DoQ", sni=sni, alpn=["doq"],
                        quic_version="0x00000001", tls_version="TLS1.3", state="QUIC_INITIAL",
                        app_state="QUIC_INITIAL"))
    dgrams = answered_handshake("doq-rtt.golden.test", ["doq"], ("6363636363636363", "e1e2e3e4",
                                                                 "f1f2f3f4f5f6f7f8"),
                                (8.2, 9.0, 9.1, 17.5, 18.0, 18.3))
    pk += udp_packets(dgrams, T0 + 0.02, (C, 43702), ("10.2.0.5", 853))
    want.append(rec("UDP", C, 43702, "10.2.0.5", 853, app="DoQ", sni="doq-rtt.golden.test",
                    alpn=["doq"], quic_version="0x00000001", tls_version="TLS1.3",
                    tls_cipher="TLS_AES_128_GCM_SHA256", quic_idle_timeout_ms=30000,
                    state="QUIC_CONNECTED", app_state="QUIC_CONNECTED", quic_handshake_rtt_ms=9.0))
    save("dns_over_quic", pk, want)


def opaque(seed, n):
    """n bytes standing for what keys this script does not have sealed
    (Handshake and 1-RTT packets): deterministic, and random-looking."""
    out = b""
    while len(out) < n:
        h = hashes.Hash(hashes.SHA256())
        h.update(seed + struct.pack(">I", len(out)))
        out += h.finalize()
    return out[:n]


def quic_handshake_packet(dcid, scid, seed, size):
    """A Handshake packet (RFC 9000 17.2.4) of size bytes, its packet
    number, frames and tag sealed with keys from the TLS key exchange."""
    header = bytes([0xe1]) + struct.pack(">I", 1) + vec8(dcid) + vec8(scid)
    n = size - len(header) - 2
    return header + struct.pack(">H", 0x4000 | n) + opaque(seed, n)


def quic_short_packet(dcid, seed, n):
    """A 1-RTT packet (RFC 9000 17.3.1): fixed bit, the DCID, n protected bytes."""
    return bytes([0x41]) + dcid + opaque(seed, n)


# the max_idle_timeout transport parameter (RFC 9000 18.2): 30 s
IDLE_30S = ext(0x39, b"\x01" + varint(4) + struct.pack(">I", 0x80000000 | 30000))


def answered_handshake(sni, alpn, cids, times):
    """(ms after the start, from the client, datagram) of an IETF QUIC v1
    handshake: the client's Initial (its ClientHello) at 0; at times[0]
    the server's first datagram, its Initial (an ACK and the ServerHello,
    sealed with the server's Initial keys) and a Handshake packet; at
    times[1] the client's next, its Initial acknowledging the server's
    (to the server's CID now, still with the keys of its first DCID) and
    its Handshake packet; at times[2:] 1-RTT packets, the client's first,
    then by turns. cids: the client's first DCID, its SCID, the server's."""
    odcid, cscid, sscid = (bytes.fromhex(h) for h in cids)
    hello = client_hello(sni, alpn, pad=32, extra_ext=IDLE_30S, session=b"")
    ack0 = b"\x02" + varint(0) + varint(0) + varint(0) + varint(0)   # ACK of packet 0
    # both sides' datagrams with Initial packets are padded to 1200 bytes
    s_init = quic_initial(cscid, sscid, 0, ack0 + crypto_frame(0, server_hello(session=b"")),
                          size=0, key_dcid=odcid, label="server in")
    s_first = s_init + quic_handshake_packet(cscid, sscid, b"server hs", 1200 - len(s_init))
    c_init = quic_initial(sscid, cscid, 1, ack0, size=200, key_dcid=odcid)
    c_next = c_init + quic_handshake_packet(sscid, cscid, b"client hs", 1200 - len(c_init))
    dgrams = [(0.0, True, quic_initial(odcid, cscid, 0, crypto_frame(0, hello))),
              (times[0], False, s_first), (times[1], True, c_next)]
    for i, ms in enumerate(times[2:]):
        client = i % 2 == 0
        seed = b"%s 1rtt %d" % (b"client" if client else b"server", i // 2)
        dgrams.append((ms, client, quic_short_packet(sscid if client else cscid, seed,
                                                     (60, 120, 30, 400)[i % 4])))
    return dgrams


def udp_packets(dgrams, t, client, server, v6=False):
    """Frames of (ms after t, from the client, payload) between client and
    server, each (address, port)."""
    pk = []
    for ms, from_client, d in dgrams:
        (src, sport), (dst, dport) = (client, server) if from_client else (server, client)
        macs = (MAC_C, MAC_S) if from_client else (MAC_S, MAC_C)
        ip = IPv6(src=src, dst=dst) if v6 else IP(src=src, dst=dst)
        p = Ether(src=macs[0], dst=macs[1]) / ip / UDP(sport=sport, dport=dport) / Raw(d)
        p.time = t + ms / 1000
        pk.append(p)
    return pk


def quic_handshake():
    """The handshake's round trip (quic_handshake_rtt_ms, docs/JSON.md):
    an IETF QUIC v1 handshake over IPv4 whose server answers the client's
    Initial 23.7 ms later; the client's next datagram, 1.4 ms after that,
    ends the round trip at 25.1 ms; then 1-RTT packets both ways. And over
    IPv6 a client whose server never answers: its Initial sent again after
    a timeout, and no round trip at all."""
    dgrams = answered_handshake("rtt.golden.test", ["h3"], ("c0c1c2c3c4c5c6c7", "a0a1a2a3a4a5a6a7",
                                                            "b0b1b2b3b4b5b6b7"),
                                (23.7, 25.1, 25.3, 48.9, 49.6, 50.2))
    pk = udp_packets(dgrams, T0, (C, 43800), ("10.2.0.6", 443))
    hello6 = client_hello("rtt6.golden.test", ["h3"], pad=32, extra_ext=IDLE_30S, session=b"")
    dcid6, scid6 = bytes.fromhex("d0d1d2d3d4d5d6d7"), bytes.fromhex("a0a1a2a3a4a5a6a7")
    retries = [(ms, True, quic_initial(dcid6, scid6, i, crypto_frame(0, hello6)))
               for i, ms in enumerate((200.0, 1200.0))]     # the same hello after a timeout
    pk += udp_packets(retries, T0, (C6, 43801), (S6, 443), v6=True)
    want = [rec("UDP", C, 43800, "10.2.0.6", 443, app="QUIC", sni="rtt.golden.test",
                alpn=["h3"], quic_version="0x00000001", tls_version="TLS1.3",
                tls_cipher="TLS_AES_128_GCM_SHA256", quic_idle_timeout_ms=30000,
                state="QUIC_CONNECTED", app_state="QUIC_CONNECTED", quic_handshake_rtt_ms=25.1),
            rec("UDP", C6, 43801, S6, 443, app="QUIC", sni="rtt6.golden.test", alpn=["h3"],
                quic_version="0x00000001", tls_version="TLS1.3", quic_idle_timeout_ms=30000,
                state="QUIC_INITIAL", app_state="QUIC_INITIAL")]
    save("dpi_quic_handshake", pk, want)


def dns_udp_answer():
    q = Ether() / IP(src=C, dst="10.2.0.3") / UDP(sport=43500, dport=53) / DNS(
        id=9, rd=1, qd=DNSQR(qname="www.golden.test", qtype="AAAA"))
    a = Ether() / IP(src="10.2.0.3", dst=C) / UDP(sport=53, dport=43500) / DNS(
        id=9, qr=1, qd=DNSQR(qname="www.golden.test", qtype="AAAA"),
        an=DNSRR(rrname="www.golden.test", type="AAAA", rdata="2001:db8::80"))
    q.time, a.time = T0, T0 + 0.01
    want = [rec("UDP", C, 43500, "10.2.0.3", 53, app="DNS", dns_query="www.golden.test",
                dns_qtype="AAAA", state="DNS_RESPONSE", app_state="DNS_RESPONSE",
                dns_rcode=0, dns_answers=["2001:db8::80"])]
    save("dpi_dns_udp", [q, a], want)


def ui_mix():
    """All of the above in one capture, for the UI tests (tests/tui/ui_capture.sh)."""
    from scapy.all import rdpcap
    names = ["dpi_http_split", "dpi_tls_split_hello", "dpi_dns_tcp", "dpi_ssh_prebanner",
             "dpi_quic_two_initials", "dpi_dns_udp"]
    out = make_captures.OUT
    pkts, want = [], []
    for n in names:
        pkts += list(rdpcap(os.path.join(out, n + ".pcap")))
        with open(os.path.join(out, n + ".expect.json")) as fh:
            want += json.load(fh)
    pkts.sort(key=lambda p: p.time)
    save("ui_mix", pkts, want)


def main(argv):
    """All captures, or those of the functions named in argv."""
    for fn in (http_split, tls_split, dns_tcp, ssh_prebanner, quic_two_initials, gquic_t051, dns_udp_answer,
               dns_over_quic, quic_handshake, ui_mix):
        if not argv or fn.__name__ in argv:
            fn()
    print("wrote DPI captures")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

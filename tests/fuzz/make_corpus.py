#!/usr/bin/env python3
"""make_corpus.py - writes the seed corpora under tests/fuzz/corpus/<target>/.

Each seed follows the input layout its harness (tests/fuzz/fuzz_<target>.c)
documents in its header comment, so the fuzzer starts from inputs that
reach deep into the parser instead of discovering framing by chance:
decode seeds are frames of the golden captures (tests/golden/captures),
the rest are built here from the protocol specifications. Deterministic:
running it twice writes the same bytes. Plain python3, no packages.

    tests/fuzz/make_corpus.py          # rewrite every corpus
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
GOLDEN = os.path.join(ROOT, "tests", "golden", "captures")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def dissector_seed(segments, hinted=True, skip_probe=False):
    """fuzz_dissector.h's layout: byte 0 (bit 0: the dissector's first port
    hint on the server side; bit 7: skip the probe), byte 1 (segments - 1),
    two bytes per segment (big endian; top bit: from the server; the rest:
    its length), then the bytes. segments: [(from_server, bytes)], at most
    32, each under 32 KiB."""
    assert 1 <= len(segments) <= 32
    head = bytes([(0x80 if skip_probe else 0) | (1 if hinted else 0), len(segments) - 1])
    for server, b in segments:
        assert len(b) < 0x8000
        head += be16((0x8000 if server else 0) | len(b))
    return head + b"".join(b for _, b in segments)


def be16(v):
    return struct.pack("!H", v)


def be24(v):
    return struct.pack("!I", v)[1:]


def varint(v):
    """QUIC variable-length integer (RFC 9000 16)."""
    if v < 64:
        return bytes([v])
    if v < 16384:
        return be16(0x4000 | v)
    return struct.pack("!I", 0x80000000 | v)


# ---- decode: golden frames --------------------------------------------------

# Index of each DLT in fuzz_decode.c's fuzz_links[] (the first input byte).
DLT_INDEX = {0: 0, 1: 1, 101: 2, 12: 2, 108: 3, 113: 4, 228: 5, 229: 6, 276: 7}


def pcap_frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        yield linktype, data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def decode_seeds():
    seen = set()
    for name in sorted(os.listdir(GOLDEN)):
        if not name.endswith(".pcap"):
            continue
        n = 0
        for linktype, frame in pcap_frames(os.path.join(GOLDEN, name)):
            if linktype not in DLT_INDEX or frame in seen or n >= 6:
                continue
            seen.add(frame)
            write("decode", "%s-%d" % (name[:-5], n), bytes([DLT_INDEX[linktype]]) + frame)
            n += 1
    # IPv6 with a hop-by-hop header and a fragment header, raw link.
    ip6 = (bytes([0x60, 0, 0, 0]) + be16(8 + 8 + 8) + bytes([0, 64]) + bytes(15) + b"\x01" +
           bytes(15) + b"\x02")
    hbh = bytes([44, 0, 1, 4, 0, 0, 0, 0])
    frag = bytes([17, 0]) + be16(0x0001) + b"\x12\x34\x56\x78"
    write("decode", "ipv6-ext-fragment", bytes([6]) + ip6 + hbh + frag + be16(5353) + be16(5353) + be16(8) + be16(0))


def track_seeds():
    """Whole golden captures of Ethernet frames, in fuzz_track.c's layout."""
    for name in sorted(os.listdir(GOLDEN)):
        if not name.endswith(".pcap"):
            continue
        frames = [f for lt, f in pcap_frames(os.path.join(GOLDEN, name)) if lt == 1]
        if frames:
            write("track", name[:-5], b"".join(be16(len(f)) + b"\x01" + f for f in frames[:64]))


# ---- TLS ---------------------------------------------------------------------

def ext(kind, body):
    return be16(kind) + be16(len(body)) + body


def quic_transport_params():
    params = [(0x04, 1048576), (0x08, 100), (0x01, 30000)]
    out = b""
    for pid, val in params:
        v = varint(val)
        out += varint(pid) + varint(len(v)) + v
    return out


def client_hello(sni, alpn, quic=False):
    name = sni.encode()
    sn = bytes([0]) + be16(len(name)) + name
    protos = b"".join(bytes([len(p)]) + p.encode() for p in alpn)
    exts = ext(0, be16(len(sn)) + sn)
    exts += ext(10, be16(4) + b"\x00\x1d\x00\x17")
    exts += ext(16, be16(len(protos)) + protos)
    exts += ext(43, b"\x04\x03\x04\x03\x03")
    ks = b"\x00\x1d\x00\x20" + bytes(range(32))
    exts += ext(51, be16(len(ks)) + ks)
    if quic:
        exts += ext(0x39, quic_transport_params())
    body = (b"\x03\x03" + bytes(range(32)) + b"\x20" + bytes(range(32, 64)) + be16(6) +
            b"\x13\x01\x13\x02\xc0\x2f" + b"\x01\x00" + be16(len(exts)) + exts)
    return b"\x01" + be24(len(body)) + body


def server_hello(tls13=True):
    exts = b""
    if tls13:
        exts = ext(43, b"\x03\x04") + ext(51, b"\x00\x1d\x00\x20" + bytes(32))
    body = b"\x03\x03" + bytes(range(100, 132)) + b"\x20" + bytes(32) + b"\x13\x01\x00"
    body += be16(len(exts)) + exts
    return b"\x02" + be24(len(body)) + body


def record(kind, payload):
    return bytes([kind]) + b"\x03\x01" + be16(len(payload)) + payload


def pad_to(stream, length):
    """Appends an application_data record so that len(stream) == length."""
    need = length - len(stream)
    if need == 0:
        return stream
    assert need >= 5
    return stream + record(23, bytes(need - 5))


def dissector_seeds():
    """The flows of the golden app_* and upgrade_* captures in
    fuzz_dissector.h's layout, one seed per connection, under the target of
    its dissector."""
    # capture -> the targets of its flows: UDP over IPv4, UDP over IPv6, TCP
    targets = {"app_ntp": ("ntp", "ntp", None), "app_ssdp": ("ssdp", "ssdp", None),
               "app_snmp": ("snmp", "snmp", None), "app_stun": ("stun", "stun", "stun_tcp"),
               "app_dhcp": ("dhcp", "dhcpv6", None), "app_nbns": ("nbns", "nbns", None),
               "app_mqtt": (None, None, "mqtt"), "app_ftp": (None, None, "ftp"), "app_ftp_data": (None, None, "ftp"),
               "app_bittorrent": ("bt_dht", "bt_dht", "bittorrent"),
               "app_wireguard": ("wireguard", "wireguard", None),
               "app_openvpn": ("openvpn", "openvpn", "openvpn_tcp"),
               "upgrade_smtp": (None, None, "smtp"), "upgrade_imap": (None, None, "imap"),
               "upgrade_pop3": (None, None, "pop3"), "upgrade_pgsql": (None, None, "pgsql"),
               "upgrade_xmpp": (None, None, "xmpp"), "upgrade_ldap": (None, None, "ldap"),
               "upgrade_ftp": (None, None, "ftp"), "upgrade_h2_prior": (None, None, "http2")}
    for cap, names in sorted(targets.items()):
        flows = {}
        for _, frame in pcap_frames(os.path.join(GOLDEN, cap + ".pcap")):
            seg = l4_payload(frame)
            if seg is None:
                continue
            proto, a, b, payload = seg
            client, segs = flows.setdefault((proto, min(a, b), max(a, b)), (a, []))
            segs.append((a != client, payload))
        for n, (key, (_, segs)) in enumerate(sorted(flows.items())):
            segs = [s for s in segs if s[1]][:32]
            if not segs:
                continue
            name = names[2 if key[0] == 6 else 1 if key[1][0][0] == 6 else 0]
            write(name, "%s-%d" % (cap, n), dissector_seed(segs))


def l4_payload(frame):
    """(protocol, source endpoint, destination endpoint, payload) of an
    Ethernet / IP TCP or UDP frame, else None; an endpoint is ((family,
    address), port)."""
    if len(frame) >= 54 and frame[12:14] == b"\x86\xdd":
        proto, src, dst, l4 = frame[20], frame[22:38], frame[38:54], frame[54:]
        src, dst = (6, src), (6, dst)
    elif len(frame) >= 34 and frame[12:14] == b"\x08\x00":
        ihl = (frame[14] & 15) * 4
        proto, src, dst, l4 = frame[23], (4, frame[26:30]), (4, frame[30:34]), frame[14 + ihl:]
    else:
        return None
    if proto == 17:
        return proto, (src, l4[0:2]), (dst, l4[2:4]), l4[8:]
    if proto == 6:
        return proto, (src, l4[0:2]), (dst, l4[2:4]), l4[(l4[12] >> 4) * 4:]
    return None


def tls_seeds():
    ch = client_hello("www.example.com", ["h2", "http/1.1"])
    write("tls", "client-hello", b"\x00\x00" + ch)
    write("tls", "client-hello-quic", b"\x00\x00" + client_hello("quic.example", ["h3"], quic=True))
    write("tls", "server-hello-13", b"\x01\x00" + server_hello(True))
    write("tls", "server-hello-12", b"\x01\x00" + server_hello(False))
    client = record(22, ch)
    server = record(22, server_hello(True)) + record(20, b"\x01")
    # the dissector (byte 0 = 2), fed by fuzz_dissector.h
    write("tls", "streams", b"\x02" + dissector_seed([(0, client), (1, server)]))
    # the ClientHello split over two records and three segments
    split = record(22, ch[:40]) + record(22, ch[40:])
    write("tls", "streams-split", b"\x02" + dissector_seed(
        [(0, split[:24]), (0, split[24:64]), (0, split[64:]), (1, record(22, server_hello(False)))]))


# ---- QUIC ---------------------------------------------------------------------

REC_SEALED, REC_V2 = 0x02, 0x04


def quic_record(flags, body, server=False):
    """One segment of fuzz_quic.c: its flags byte, then the bytes."""
    return (server, bytes([flags]) + body)


def crypto_frame(offset, data):
    return b"\x06" + varint(offset) + varint(len(data)) + data


def quic_seeds():
    """fuzz_dissector.h's layout; parse runs without a probe first."""
    def seed(name, *records):
        write("quic", name, dissector_seed(list(records), skip_probe=True))
    ch = client_hello("www.example.org", ["h3"], quic=True)
    seed("initial-v1", quic_record(REC_SEALED, crypto_frame(0, ch)))
    seed("initial-v2", quic_record(REC_SEALED | REC_V2, crypto_frame(0, ch)))
    cut = len(ch) // 2
    seed("initial-split-reordered",
         quic_record(REC_SEALED, crypto_frame(cut, ch[cut:]) + b"\x01"),
         quic_record(REC_SEALED, b"\x02\x00\x00\x00\x00" + crypto_frame(0, ch[:cut])))
    sh = server_hello(True)
    seed("initial-both",
         quic_record(REC_SEALED, crypto_frame(0, ch)),
         quic_record(REC_SEALED, b"\x02\x00\x00\x00\x00" + crypto_frame(0, sh), server=True))
    # A raw long header that is not an Initial, and a short header.
    raw = bytes([0xe0]) + b"\x00\x00\x00\x01" + b"\x08" + bytes(8) + b"\x00" + be16(0x4000 | 20) + bytes(20)
    seed("raw-handshake", quic_record(0, raw), quic_record(0, b"\x40" + bytes(24)))


# ---- DNS -----------------------------------------------------------------------

def dns_name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00"


def dns_query(qid, name, qtype):
    return be16(qid) + be16(0x0100) + be16(1) + be16(0) * 3 + dns_name(name) + be16(qtype) + be16(1)


def dns_response(qid, name):
    """CNAME to edge.<parent> (compressed), then A and AAAA for it."""
    q = dns_name(name) + be16(1) + be16(1)
    parent = 0xC000 | (12 + 1 + len(name.split(".")[0]))   # the question's second label
    cname = dns_name("edge")[:-1] + be16(parent)
    ans = b"\xc0\x0c" + be16(5) + be16(1) + struct.pack("!I", 300) + be16(len(cname)) + cname
    edge = be16(0xC000 | (12 + len(q) + 12))              # the CNAME's rdata
    ans += edge + be16(1) + be16(1) + struct.pack("!I", 60) + be16(4) + bytes([93, 184, 216, 34])
    ans += edge + be16(28) + be16(1) + struct.pack("!I", 60) + be16(16) + bytes([0x20, 0x01, 0x0d, 0xb8]) + bytes(11) + b"\x01"
    return be16(qid) + be16(0x8180) + be16(1) + be16(3) + be16(0) * 2 + q + ans


def dns_seeds():
    # byte 0: bit 0 TCP, bits 1-2 the port (53, 5353, 5355, other); then
    # fuzz_dissector.h's layout: UDP segments are datagrams
    write("dns", "udp-query", b"\x00" + dissector_seed([(0, dns_query(0x1234, "www.example.com", 1))]))
    write("dns", "udp-query-response", b"\x00" + dissector_seed(
        [(0, dns_query(0x1234, "www.example.com", 1)), (1, dns_response(0x1234, "www.example.com"))]))
    write("dns", "udp-response", b"\x00" + dissector_seed([(1, dns_response(0x1234, "www.example.com"))]))
    write("dns", "mdns-query", b"\x02" + dissector_seed([(0, dns_query(0, "_http._tcp.local", 12))]))
    write("dns", "llmnr-query", b"\x04" + dissector_seed([(0, dns_query(7, "printer", 28))]))
    q = dns_query(0x4242, "example.net", 15)
    r = dns_response(0x4242, "example.net")
    qs, rs = be16(len(q)) + q, be16(len(r)) + r
    write("dns", "tcp-query-response", b"\x01" + dissector_seed([(0, qs), (1, rs)]))
    write("dns", "tcp-split", b"\x01" + dissector_seed([(0, qs[:1]), (0, qs[1:9]), (0, qs[9:]), (1, rs)]))


# ---- HTTP --------------------------------------------------------------------

def http_seed(req, resp, chunk):
    """The request in pieces of chunk bytes, then the response."""
    pieces = [(0, req[i:i + chunk]) for i in range(0, len(req), chunk)]
    return dissector_seed(pieces + [(1, resp)])


def http_seeds():
    get = (b"GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: curl/8.0\r\n"
           b"Accept: */*\r\n\r\n")
    ok = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nServer: nginx\r\n\r\n"
          b"hello")
    write("http", "get", http_seed(get, ok, 256))
    post = (b"POST /api HTTP/1.1\r\nHost: api.example.com:8080\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n0\r\n\r\n")
    write("http", "post-chunked", http_seed(post, b"HTTP/1.1 204 No Content\r\n\r\n", 16))
    folded = b"GET / HTTP/1.0\r\nHost:\texample.org\r\nX-Long: a\r\n b\r\n\r\n"
    write("http", "http10-folded", http_seed(folded, b"HTTP/1.0 301 Moved\r\nLocation: /x\r\n\r\n", 4))


# ---- SSH ---------------------------------------------------------------------

def ssh_kexinit():
    lists = ["curve25519-sha256", "ssh-ed25519", "aes128-ctr", "aes128-ctr", "hmac-sha2-256",
             "hmac-sha2-256", "none", "none", "", ""]
    payload = b"\x14" + bytes(16) + b"".join(struct.pack("!I", len(s)) + s.encode() for s in lists)
    payload += b"\x00" + bytes(4)
    pad = 8 - (len(payload) + 5) % 8 + 8
    return struct.pack("!IB", len(payload) + pad + 1, pad) + payload + bytes(pad)


def ssh_seeds():
    client = b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
    server = b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n"
    kex = ssh_kexinit()
    write("ssh", "banners-kexinit", dissector_seed([(0, client), (1, server), (0, kex)]))
    write("ssh", "server-first", dissector_seed([(1, server), (0, client)]))
    write("ssh", "parse-only", dissector_seed([(0, b"SSH-1.99-Cisco-1.25\r\n")], skip_probe=True))


# ---- DPI driver ------------------------------------------------------------------

SYN, FIN, RST, ACK = 2, 4, 8, 16


def dpi_pkt(server, flags, off, data):
    return bytes([(1 if server else 0) | flags]) + be16(off) + be16(len(data)) + data


def dpi_tcp_flow(port_index, budget_kib, client, server):
    return (bytes([port_index, budget_kib]) + dpi_pkt(False, SYN, 0, b"") +
            dpi_pkt(True, SYN | ACK, 0, b"") + dpi_pkt(False, ACK, 1, client) +
            dpi_pkt(True, ACK, 1, server))


def dpi_conversation(port_index, budget_kib, turns):
    """A handshake, then each (from_server, bytes) turn as one segment at
    its direction's next offset."""
    out = bytes([port_index, budget_kib]) + dpi_pkt(False, SYN, 0, b"") + dpi_pkt(True, SYN | ACK, 0, b"")
    off = [1, 1]
    for server, data in turns:
        out += dpi_pkt(server, ACK, off[server], data)
        off[server] += len(data)
    return out


def starttls_seeds():
    """SMTP, IMAP, POP3 and XMPP sessions that switch to TLS (RFC 3207, RFC
    9051 6.2.1, RFC 2595, RFC 6120 5.4), LDAP's StartTLS (RFC 4511 4.14),
    PostgreSQL's SSLRequest, on an unhinted port: the switch hands the streams to
    the TLS dissector."""
    ch = record(22, client_hello("mail.example.com", ["smtp"]))
    sh = record(22, server_hello(True))
    sessions = {
        "smtp-starttls": [(True, b"220 mail.example.com ESMTP\r\n"), (False, b"EHLO c\r\n"),
                          (True, b"250-mail.example.com\r\n250 STARTTLS\r\n"),
                          (False, b"STARTTLS\r\n"), (True, b"220 2.0.0 Ready\r\n")],
        "imap-starttls": [(True, b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n"),
                          (False, b"a1 STARTTLS\r\n"), (True, b"a1 OK begin\r\n")],
        "pop3-stls": [(True, b"+OK POP3 ready\r\n"), (False, b"STLS\r\n"),
                      (True, b"+OK begin\r\n")],
        "ftp-auth-tls": [(True, b"220 (vsFTPd 3.0.3)\r\n"), (False, b"AUTH TLS\r\n"),
                         (True, b"234 Proceed with negotiation.\r\n")],
        "pgsql-ssl-request": [(False, struct.pack("!II", 8, 80877103)), (True, b"S")],
        "xmpp-starttls": [(False, b"<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                                  b" to='example.com' version='1.0'>"),
                          (True, b"<?xml version='1.0'?><stream:stream xmlns:stream="
                                 b"'http://etherx.jabber.org/streams'><stream:features><starttls"
                                 b" xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"),
                          (False, b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
                          (True, b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")],
        "ldap-starttls": [(False, b"\x30\x1d\x02\x01\x01\x77\x18\x80\x16" + b"1.3.6.1.4.1.1466.20037"),
                          (True, b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00")],
    }
    for name, turns in sessions.items():
        write("dpi", name, dpi_conversation(10, 16, turns + [(False, ch), (True, sh)]))


def ftp_seeds():
    """Hostile FTP control streams: a line longer than any bound, a PASV
    reply with numbers out of range, a flood of PORT commands, an EPRT
    with a bad delimiter."""
    greet = (True, b"220 (vsFTPd 3.0.3)\r\n")
    write("ftp", "overlong-line", dissector_seed([(True, b"220 " + b"A" * 3000)]))
    write("ftp", "pasv-bad-numbers", dissector_seed([
        greet, (False, b"PASV\r\n"), (True, b"227 Entering Passive Mode (300,1,2,3,999,-1).\r\n"),
        (False, b"EPSV\r\n"), (True, b"229 Entering Extended Passive Mode (|||99999|)\r\n")]))
    write("ftp", "port-flood", dissector_seed([greet, (False, b"PORT 10,0,0,1,4,1\r\n" * 200)]))
    write("ftp", "eprt-v6", dissector_seed([
        greet, (False, b"EPRT |2|fd00::1|50000|\r\n"), (True, b"200 EPRT command successful.\r\n"),
        (False, b"EPRT x2x::1x5x\r\n"), (True, b"500 bad\r\n")]))


def hpack_seeds():
    """Header blocks of RFC 7541 Appendix C: literals, static-table
    references, Huffman-coded strings, a dynamic table size update."""
    blocks = {
        "c2-literals": "400a637573746f6d2d6b65790d637573746f6d2d686561646572040c2f73616d706c652f7061746882",
        "c3-plain": "828684410f7777772e6578616d706c652e636f6d",
        "c4-huffman": "828684418cf1e3c2e5f23a6ba0ab90f4ff",
        "c6-response": "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff",
        "size-update": "3fe11f82",
    }
    for name, hexdata in blocks.items():
        write("hpack", name, bytes.fromhex(hexdata))


def h2_frame(ftype, flags, stream, payload):
    return be24(len(payload)) + bytes([ftype, flags]) + struct.pack("!I", stream) + payload


def dpi_seeds():
    get = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"
    write("dpi", "http", dpi_tcp_flow(0, 4, get, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    long_get = b"GET /" + b"a" * 8300 + b" HTTP/1.1\r\nHost: example.com\r\n\r\n"
    write("dpi", "http-long-target", dpi_tcp_flow(0, 16, long_get, b"HTTP/1.1 414 URI Too Long\r\n\r\n"))
    ch = record(22, client_hello("www.example.com", ["h2"]))
    write("dpi", "tls", dpi_tcp_flow(1, 8, ch, record(22, server_hello(True))))
    cut = 50
    write("dpi", "tls-reordered",
          bytes([1, 2]) + dpi_pkt(False, ACK, 1 + cut, ch[cut:]) + dpi_pkt(False, ACK, 1, ch[:cut]))
    write("dpi", "ssh", dpi_tcp_flow(2, 0, b"SSH-2.0-OpenSSH_9.2\r\n", b"SSH-2.0-dropbear_2022.83\r\n"))
    q = dns_query(1, "example.com", 1)
    write("dpi", "dns-udp", bytes([0x80 | 3, 0]) + dpi_pkt(False, 0, 0, q) +
          dpi_pkt(True, 0, 0, dns_response(1, "example.com")))
    starttls_seeds()
    # HTTP/2 with prior knowledge (RFC 9113 3.4): preface, SETTINGS, a
    # HEADERS frame split by a CONTINUATION; the server's SETTINGS and :status
    block = bytes.fromhex("828684418cf1e3c2e5f23a6ba0ab90f4ff")
    client = (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + h2_frame(4, 0, 0, b"") +
              h2_frame(1, 0, 1, block[:5]) + h2_frame(9, 4, 1, block[5:]))
    server = h2_frame(4, 0, 0, b"") + h2_frame(1, 4, 1, b"\x88")
    write("dpi", "h2-prior", dpi_tcp_flow(4, 8, client, server))
    # switches (RFC 9110 9.3.6, 7.8): a CONNECT tunnel with TLS inside, a
    # WebSocket and an h2c upgrade
    ch = record(22, client_hello("www.example.com", ["http/1.1"]))
    write("dpi", "connect-tunnel", dpi_conversation(4, 16, [
        (False, b"CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n\r\n"),
        (True, b"HTTP/1.1 200 Connection established\r\n\r\n"),
        (False, ch), (True, record(22, server_hello(True)))]))
    write("dpi", "websocket", dpi_conversation(0, 4, [
        (False, b"GET /chat HTTP/1.1\r\nHost: ws.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
        (True, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi")]))
    write("dpi", "h2c", dpi_conversation(0, 8, [
        (False, b"GET / HTTP/1.1\r\nHost: h2c.example\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\nok"),
        (True, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n" + server),
        (False, client)]))


# ---- IP reassembly: fragment records (fuzz_reasm.c) ---------------------------

def frag_rec(which, v6, more, off8, length, step=0, cut=False, tcp=False, tunnel=0):
    flags = which | (4 if v6 else 0) | (8 if more else 0) | (16 if tcp else 0) | (tunnel << 5)
    return bytes([flags]) + be16(off8) + be16(length) + bytes([(step << 1) | int(cut)])


def reasm_seeds():
    three = [(0, 1480), (185, 1480), (370, 40)]
    recs = [frag_rec(0, False, i < 2, o, n) for i, (o, n) in enumerate(three)]
    write("reasm", "v4-in-order", b"".join(recs))
    write("reasm", "v4-reversed", b"".join(reversed(recs)))
    v6 = [frag_rec(1, True, i < 2, o, n) for i, (o, n) in enumerate(three)]
    write("reasm", "v6-shuffled", v6[1] + v6[2] + v6[0])
    write("reasm", "v6-overlap", frag_rec(1, True, True, 0, 24) + frag_rec(1, True, False, 2, 24))
    write("reasm", "v4-duplicate", recs[0] + recs[0] + recs[1] + recs[2])
    write("reasm", "two-tunnels", frag_rec(2, False, True, 0, 16, tunnel=1) +
          frag_rec(2, False, True, 0, 16, tunnel=2) + frag_rec(2, False, False, 2, 8, tunnel=1))
    write("reasm", "timeout", recs[0] + frag_rec(0, False, False, 185, 8, step=63))


# ---- pcapng: whole capture files ---------------------------------------------


def ng_block(e, btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def ng_option(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def ng_shb(e):
    return ng_block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def ng_idb(e, linktype, tsresol=None, tsoffset=None):
    opts = b""
    if tsresol is not None:
        opts += ng_option(e, 9, bytes([tsresol]))
    if tsoffset is not None:
        opts += ng_option(e, 14, struct.pack(e + "q", tsoffset))
    if opts:
        opts += struct.pack(e + "HH", 0, 0)
    return ng_block(e, 1, struct.pack(e + "HHI", linktype, 0, 262144) + opts)


def ng_epb(e, ifid, ts, frame):
    return ng_block(e, 6, struct.pack(e + "IIIII", ifid, ts >> 32, ts & 0xFFFFFFFF, len(frame),
                                      len(frame)) + frame)


def pcapng_seeds():
    """Sections of both byte orders, several interfaces with their own link
    types and stamp options, every packet block kind, skipped blocks, and
    the golden frames as classic pcap."""
    frames = [f for _, f in pcap_frames(os.path.join(GOLDEN, "udp_icmp_arp.pcap"))][:4]
    for e, tag in (("<", "le"), (">", "be")):
        f = ng_shb(e) + ng_idb(e, 1) + ng_idb(e, 1, tsresol=9, tsoffset=3600)
        f += ng_idb(e, 101, tsresol=0x80 | 20)
        f += ng_block(e, 4, struct.pack(e + "HH", 1, 8) + bytes([10, 0, 0, 1]) + b"a.b\0")  # NRB
        for i, fr in enumerate(frames):
            f += ng_epb(e, i % 2, 1700000000000000 + i * 1000, fr)
        f += ng_block(e, 3, struct.pack(e + "I", len(frames[0])) + frames[0])  # SPB
        f += ng_block(e, 2, struct.pack(e + "HHIIII", 1, 0, 0, 1700000000, len(frames[1]),
                                        len(frames[1])) + frames[1])  # obsolete PB
        f += ng_block(e, 5, struct.pack(e + "III", 0, 0, 0))  # ISB
        f += ng_block(e, 0xBAD, b"\xff" * 40)  # unknown
        write("pcapng", "sections-" + tag, f)
    other = ">" if sys.byteorder == "little" else "<"
    write("pcapng", "two-sections", ng_shb("<") + ng_idb("<", 1) + ng_epb("<", 0, 1, frames[0]) +
          ng_shb(other) + ng_idb(other, 1, tsoffset=-(1 << 62)) + ng_epb(other, 0, 2, frames[1]))
    many = ng_shb("<") + b"".join(ng_idb("<", 1) for _ in range(40))
    write("pcapng", "many-interfaces", many + ng_epb("<", 39, 5, frames[2]))
    for name in ("udp_icmp_arp.pcap", "link_sll2.pcap"):
        write("pcapng", "classic-" + name[:-5], open(os.path.join(GOLDEN, name), "rb").read())


# ---- query language ----------------------------------------------------------------

QUERIES = [
    "github", "port:443", "dport=443 and sni:google.com", "sni:github or ssh:openssh",
    "!(port:443 or port:53)", "((((port:22))))", "dst:10.0.0.0/8", "src:fd00::/64",
    "bytes>1M", "bytes<=200", "process!=curl", "state:established proto:tcp",
    "\"or\"", "not proto:tcp && app:dns", "host:\"example.com\"", "pid=900 || user:alice",
]


def query_seeds():
    for i, q in enumerate(QUERIES):
        write("query", "q%02d" % i, q.encode())


def main():
    for fn in (decode_seeds, track_seeds, tls_seeds, quic_seeds, dns_seeds, http_seeds, ssh_seeds,
               dpi_seeds, ftp_seeds, hpack_seeds, reasm_seeds, pcapng_seeds, query_seeds, dissector_seeds):
        fn()
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(CORPUS) for f in fs)
    print("corpus: %d bytes" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Golden captures of protocol upgrades, made from real traffic: real
clients (openssl s_client -starttls ..., curl) talk to small servers
written here on Python's ssl module (OpenSSL on that side too), between two
network namespaces joined by a veth pair, and tcpdump records it.

Run as root:  /usr/bin/python3 tests/golden/make_upgrade_captures.py [NAME...]

Each scenario writes tests/golden/captures/NAME.pcap and NAME.expect.json.
The expectations come from what the client was told to send and the
protocol rules, never from wiretop: the server name and ALPN given to the
client, the one cipher suite and TLS version it was allowed to offer (so
the server can only choose that one), the plaintext protocol the server
speaks, and the client port it was bound to. tshark_agree_dpi.py checks
them against tshark's dissection of the same capture.
"""
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_captures import with_names  # noqa: E402
from tshark_agree import with_counts  # noqa: E402
OUT = os.path.join(HERE, "captures")
C, S = "10.77.0.1", "10.77.0.2"
SUITE = "TLS_AES_128_GCM_SHA256"


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, **kw)


class Lab:
    """A client and a server namespace joined by a veth pair."""

    def __init__(self):
        tag = str(os.getpid())
        self.cns, self.sns = "wtgold-c-" + tag, "wtgold-s-" + tag
        self.dir = tempfile.mkdtemp(prefix="wtgold")
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def _setup(self):
        sh("ip", "netns", "add", self.cns)
        sh("ip", "netns", "add", self.sns)
        sh("ip", "link", "add", "wtg-c", "netns", self.cns, "type", "veth",
           "peer", "name", "wtg-s", "netns", self.sns)
        for ns, dev, addr in ((self.cns, "wtg-c", C), (self.sns, "wtg-s", S)):
            sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-days", "2", "-subj", "/CN=golden.test", "-keyout",
           os.path.join(self.dir, "key.pem"), "-out", os.path.join(self.dir, "cert.pem"),
           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def close(self):
        for ns in (self.cns, self.sns):
            subprocess.run(["ip", "netns", "del", ns], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def serve(self, kind, port, *extra):
        """Start this script's server KIND in the server namespace."""
        p = subprocess.Popen(["ip", "netns", "exec", self.sns, sys.executable, __file__,
                              "--serve", kind, str(port), self.dir] + list(extra))
        for _ in range(100):  # until it listens
            r = subprocess.run(["ip", "netns", "exec", self.sns, "ss", "-Hltn",
                                "sport = :%d" % port], capture_output=True, text=True)
            if r.stdout.strip():
                return p
            time.sleep(0.05)
        p.kill()
        raise RuntimeError("server %s did not start" % kind)

    def client(self, *argv):
        return subprocess.run(["ip", "netns", "exec", self.cns] + list(argv),
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=30)

    def record(self, name, bpf, conversation):
        """Capture the server's end while conversation() runs; save NAME.pcap."""
        tmp = os.path.join(self.dir, name + ".pcap")
        # immediate mode: a packet still in the kernel's ring when tcpdump
        # is stopped would be lost
        dump = subprocess.Popen(["ip", "netns", "exec", self.sns, "tcpdump", "-Z", "root", "-i",
                                 "wtg-s", "--immediate-mode", "-U", "-s", "0", "-w", tmp, bpf],
                                stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # tcpdump is listening
        try:
            conversation()
            time.sleep(1.0)
        finally:
            dump.terminate()
            dump.wait()
        path = os.path.join(OUT, name + ".pcap")
        shutil.copyfile(tmp, path)
        os.chown(path, os.stat(HERE).st_uid, os.stat(HERE).st_gid)


def rec(proto, src, sport, dst, dport, **kw):
    r = {"proto": proto, "src_ip": src, "src_port": sport, "dst_ip": dst, "dst_port": dport}
    r.update(kw)
    return r


def save_expect(name, expect):
    """Writes the expectations of capture name, with the packets, bytes and
    times of each record from tshark's dissection of it."""
    expect = with_names(with_counts(os.path.join(OUT, name + ".pcap"), expect))
    with open(os.path.join(OUT, name + ".expect.json"), "w") as fh:
        json.dump(expect, fh, indent=1)
        fh.write("\n")


# How these connections end, as RFC 793 has a passive observer see it:
# each client here closes first and acknowledges the server's FIN.
CLIENT_CLOSES = "TIME_WAIT"


def curl_agent():
    """The User-Agent curl sends by default: curl/VERSION."""
    out = subprocess.run(["curl", "--version"], capture_output=True, check=True).stdout.decode()
    return "curl/" + out.split()[1]


def tls_fields(sni, alpn=None):
    """What a TLS 1.3 handshake of the s_client invocation below shows."""
    return {"sni": sni, "alpn": alpn, "tls_version": "TLS1.3", "tls_cipher": SUITE}


def s_client(lab, starttls, port, cport, sni, alpn=None, extra=()):
    argv = ["openssl", "s_client", "-connect", "%s:%d" % (S, port), "-bind", "%s:%d" % (C, cport),
            "-servername", sni, "-tls1_3", "-ciphersuites", SUITE, "-brief"]
    if starttls:
        argv += ["-starttls", starttls]
    if alpn:
        argv += ["-alpn", ",".join(alpn)]
    r = lab.client(*(argv + list(extra)))
    if b"CONNECTION ESTABLISHED" not in r.stderr:
        raise RuntimeError("s_client %s: %s" % (starttls, r.stderr.decode(errors="replace")))


# ---- scenarios: (name, server kind, port, client port, s_client -starttls, app) ----

STARTTLS = [
    ("upgrade_smtp", "smtp", 25, 45025, "smtp", "SMTP"),
    ("upgrade_imap", "imap", 143, 45143, "imap", "IMAP"),
    ("upgrade_pop3", "pop3", 110, 45110, "pop3", "POP3"),
    ("upgrade_ftp", "ftp", 21, 45021, "ftp", "FTP"),
    ("upgrade_pgsql", "pgsql", 5432, 45432, "postgres", "PostgreSQL"),
    ("upgrade_xmpp", "xmpp", 5222, 45222, "xmpp", "XMPP"),
    ("upgrade_ldap", "ldap", 389, 45389, "ldap", "LDAP"),
]
XMPP_DOMAIN = "chat.golden.test"  # the stream's to= (s_client -xmpphost)


# what the plaintext part of a session shows besides its protocol: FTP's
# greeting (serve_ftp's) and the one command s_client sends before TLS
PLAINTEXT = {"ftp": {"ftp_server": "golden FTP 1.0", "ftp_commands": ["AUTH"],
                     "ftp_replies": ["220", "234"]}}


def starttls_scenario(lab, name, kind, port, cport, how, app):
    sni = kind + ".golden.test"
    extra, more = (), {}
    if how == "xmpp":
        extra, more = ("-xmpphost", XMPP_DOMAIN), {"xmpp_to": XMPP_DOMAIN}
    server = lab.serve(kind, port)
    lab.record(name, "tcp port %d" % port, lambda: s_client(lab, how, port, cport, sni, extra=extra))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app=app, upgrade="TLS",
                           **tls_fields(sni), **more, **PLAINTEXT.get(kind, {}))])


def curl(lab, cport, *args):
    r = lab.client("curl", "-sS", "-k", "--local-port", str(cport), "--max-time", "20",
                   "-o", "/dev/null", "-w", "%{http_code}", *args)
    if r.returncode != 0:
        raise RuntimeError("curl %s: %s" % (args, r.stderr.decode(errors="replace")))
    return r.stdout.decode()


def connect_scenario(lab):
    """curl through an HTTP proxy to an HTTPS site: CONNECT, then TLS inside."""
    name, port, cport = "upgrade_connect", 3128, 45128
    server = lab.serve("proxy", port)
    target = "www.golden.test"
    lab.record(name, "tcp port %d" % port, lambda: curl(
        lab, cport, "--proxy", "http://%s:%d" % (S, port), "--http1.1", "--tlsv1.3",
        "--tls13-ciphers", SUITE, "https://%s/" % target))
    server.wait(timeout=10)
    # the proxy closes first when the tunnel's far end does, and resets
    # the client's last write: CLOSED
    save_expect(name, [rec("TCP", C, cport, S, port, state="CLOSED", app="HTTP", http_method="CONNECT",
                           http_path=target + ":443", http_host=target + ":443",
                           http_user_agent=curl_agent(), http_status=200,
                           upgrade="TLS", **tls_fields(target, ["http/1.1"]))])


def websocket_scenario(lab):
    """An RFC 6455 opening handshake, then a frame each way."""
    name, port, cport = "upgrade_websocket", 80, 45080
    server = lab.serve("websocket", port)
    lab.record(name, "tcp port %d" % port, lambda: lab.client(
        sys.executable, __file__, "--websocket-client", "%s:%d" % (S, port), "%s:%d" % (C, cport)))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app="HTTP", http_method="GET",
                           http_path="/chat", http_host="ws.golden.test", http_status=101,
                           upgrade="websocket")])


def h2c_scenario(lab):
    """curl --http2 over cleartext: an HTTP/1.1 request with Upgrade: h2c."""
    name, port, cport = "upgrade_h2c", 80, 45081
    server = lab.serve("h2c", port)
    lab.record(name, "tcp port %d" % port, lambda: curl(
        lab, cport, "--http2", "-H", "Host: h2c.golden.test", "http://%s/h2c/upgrade" % S))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app="HTTP", http_method="GET",
                           http_path="/h2c/upgrade", http_host="h2c.golden.test",
                           http_user_agent=curl_agent(), http_status=101,
                           upgrade="h2c")])


def h2_prior_scenario(lab):
    """curl --http2-prior-knowledge: HTTP/2 from the first byte; nghttp2
    Huffman-codes the header values."""
    name, port, cport = "upgrade_h2_prior", 8080, 45082
    server = lab.serve("h2", port)
    authority = "h2.golden.test:8080"
    path = "/prior/knowledge?q=golden&lang=en"
    agent = "golden-agent/1.0"
    lab.record(name, "tcp port %d" % port, lambda: curl(
        lab, cport, "--http2-prior-knowledge", "-A", agent, "--connect-to",
        "h2.golden.test:8080:%s:%d" % (S, port), "http://%s%s" % (authority, path)))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app="HTTP2", http_method="GET",
                           http_path=path, http_host=authority, http_user_agent=agent,
                           http_status=200, upgrade=None)])


def long_target_scenario(lab):
    """A request target of 8,000 bytes, which servers accept: kept whole."""
    name, port, cport = "http_long_target", 80, 45083
    server = lab.serve("http", port)
    path = "/" + "".join("seg%04d/" % i for i in range(1000))[:7999]
    lab.record(name, "tcp port %d" % port, lambda: curl(
        lab, cport, "-H", "Host: long.golden.test", "http://%s%s" % (S, path)))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app="HTTP", http_method="GET",
                           http_path=path, http_host="long.golden.test", http_user_agent=curl_agent(),
                           http_status=200)])


def dot_scenario(lab):
    """DNS over TLS: port 853 and ALPN "dot" (RFC 7858, RFC 9250 7.1)."""
    name, port, cport = "upgrade_dot", 853, 45853
    sni = "dns.golden.test"
    server = lab.serve("tls", port, "dot")
    lab.record(name, "tcp port %d" % port, lambda: s_client(lab, None, port, cport, sni, ["dot"]))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app="DoT", upgrade=None,
                           **tls_fields(sni, ["dot"]))])


def http_tls_scenario(lab):
    """RFC 2817: Upgrade: TLS/1.2 answered 101, then TLS 1.2 on the same
    connection, the client allowing one cipher suite."""
    name, port, cport = "upgrade_http_tls", 80, 45084
    server = lab.serve("http_tls", port)
    lab.record(name, "tcp port %d" % port, lambda: lab.client(
        sys.executable, __file__, "--http-tls-client", "%s:%d" % (S, port), "%s:%d" % (C, cport)))
    server.wait(timeout=10)
    save_expect(name, [rec("TCP", C, cport, S, port, state=CLIENT_CLOSES, app="HTTP", http_method="OPTIONS",
                           http_path="*", http_host=HTTP_TLS_HOST, http_status=101, upgrade="TLS",
                           sni=HTTP_TLS_HOST, alpn=None, tls_version="TLS1.2",
                           tls_cipher="TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")])


# RFC 8484 4.1: a DNS query (ID 0) for www.golden.test, type A
DNS_QUERY = (struct.pack(">HHHHHH", 0, 0x0100, 1, 0, 0, 0) + b"\x03www\x06golden\x04test\x00"
             + struct.pack(">HH", 1, 1))


def doh_scenario(lab):
    """DNS over HTTPS (RFC 8484) as curl posts it: over TLS with ALPN h2 to
    port 443, where nothing but the encrypted content says DNS (HTTPS);
    over HTTP/1.1 and HTTP/2 in the clear, where the media type does (DoH)."""
    name, host = "dns_over_https", "doh.golden.test"
    servers = [lab.serve("doh_tls", 443), lab.serve("doh_http", 80), lab.serve("h2", 8080)]
    post = ["-H", "Content-Type: application/dns-message", "-H", "Accept: application/dns-message",
            "--data-binary", "@" + os.path.join(lab.dir, "query")]
    with open(os.path.join(lab.dir, "query"), "wb") as fh:
        fh.write(DNS_QUERY)

    def conversation():
        curl(lab, 45443, "--http2", "--tlsv1.3", "--tls13-ciphers", SUITE, "--connect-to",
             "%s:443:%s:443" % (host, S), *post, "https://%s/dns-query" % host)
        curl(lab, 45085, "--http1.1", "--connect-to", "%s:80:%s:80" % (host, S), *post,
             "http://%s/dns-query" % host)
        curl(lab, 45086, "--http2-prior-knowledge", "--connect-to", "%s:8080:%s:8080" % (host, S),
             *post, "http://%s:8080/dns-query" % host)
    lab.record(name, "tcp port 443 or tcp port 80 or tcp port 8080", conversation)
    for s in servers:
        s.wait(timeout=10)
    agent = curl_agent()
    save_expect(name, [
        rec("TCP", C, 45443, S, 443, state=CLIENT_CLOSES, app="HTTPS", upgrade=None,
            **tls_fields(host, ["h2", "http/1.1"])),
        rec("TCP", C, 45085, S, 80, state=CLIENT_CLOSES, app="DoH", http_method="POST",
            http_path="/dns-query", http_host=host, http_user_agent=agent, http_status=200),
        rec("TCP", C, 45086, S, 8080, state=CLIENT_CLOSES, app="DoH", http_method="POST",
            http_path="/dns-query", http_host=host + ":8080", http_user_agent=agent,
            http_status=200)])


OTHERS = [
    ("upgrade_connect", connect_scenario),
    ("upgrade_websocket", websocket_scenario),
    ("upgrade_h2c", h2c_scenario),
    ("upgrade_h2_prior", h2_prior_scenario),
    ("http_long_target", long_target_scenario),
    ("upgrade_dot", dot_scenario),
    ("upgrade_http_tls", http_tls_scenario),
    ("dns_over_https", doh_scenario),
]


# ---- servers (run in the server namespace by --serve) ----

def tls_context(certdir, alpn=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem"))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def finish_tls(conn, certdir, alpn=None):
    """Switch an accepted connection to TLS, read until the client closes."""
    tls = tls_context(certdir, alpn).wrap_socket(conn, server_side=True)
    try:
        while tls.recv(4096):
            pass
    except (ssl.SSLError, OSError):
        pass
    tls.close()


def read_until(conn, marker):
    """Bytes up to and including marker, byte by byte (nothing after it is
    read); None when the peer closes first."""
    buf = b""
    while not buf.endswith(marker):
        got = conn.recv(1)
        if not got:
            return None
        buf += got
    return buf


def read_exactly(conn, n):
    """n bytes, or None when the peer closes first."""
    buf = b""
    while len(buf) < n:
        got = conn.recv(n - len(buf))
        if not got:
            return None
        buf += got
    return buf


class Lines:
    def __init__(self, conn):
        self.conn, self.buf = conn, b""

    def line(self):
        while b"\n" not in self.buf:
            got = self.conn.recv(1)  # byte by byte: nothing of the TLS that follows is read
            if not got:
                return None
            self.buf += got
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode()


def serve_smtp(conn, certdir):
    conn.sendall(b"220 smtp.golden.test ESMTP golden\r\n")
    rd = Lines(conn)
    while True:
        line = rd.line()
        if line is None:
            return
        verb = line.split(" ")[0].upper()
        if verb in ("EHLO", "HELO"):
            conn.sendall(b"250-smtp.golden.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
        elif verb == "STARTTLS":
            conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
            return finish_tls(conn, certdir)
        else:
            conn.sendall(b"502 5.5.2 not here\r\n")


def serve_imap(conn, certdir):
    conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] golden ready\r\n")
    rd = Lines(conn)
    while True:
        line = rd.line()
        if line is None:
            return
        tag, _, cmd = line.partition(" ")
        if cmd.upper() == "CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n"
                         + tag.encode() + b" OK CAPABILITY completed\r\n")
        elif cmd.upper() == "STARTTLS":
            conn.sendall(tag.encode() + b" OK Begin TLS negotiation now\r\n")
            return finish_tls(conn, certdir)
        else:
            conn.sendall(tag.encode() + b" BAD not here\r\n")


def serve_pop3(conn, certdir):
    conn.sendall(b"+OK golden POP3 ready\r\n")
    rd = Lines(conn)
    while True:
        line = rd.line()
        if line is None:
            return
        if line.upper() == "CAPA":
            conn.sendall(b"+OK\r\nSTLS\r\nUSER\r\n.\r\n")
        elif line.upper() == "STLS":
            conn.sendall(b"+OK Begin TLS negotiation\r\n")
            return finish_tls(conn, certdir)
        else:
            conn.sendall(b"-ERR not here\r\n")


def serve_ftp(conn, certdir):
    """RFC 4217 4: AUTH TLS accepted with 234, then TLS."""
    conn.sendall(b"220 (golden FTP 1.0)\r\n")
    rd = Lines(conn)
    while True:
        line = rd.line()
        if line is None:
            return
        if line.upper() in ("AUTH TLS", "AUTH SSL"):
            conn.sendall(b"234 Proceed with negotiation.\r\n")
            return finish_tls(conn, certdir)
        conn.sendall(b"530 Please login with USER and PASS.\r\n")


def serve_pgsql(conn, certdir):
    """SSLRequest (Int32 8, Int32 80877103) answered 'S', then TLS."""
    if read_exactly(conn, 8) == struct.pack(">II", 8, 80877103):
        conn.sendall(b"S")
        finish_tls(conn, certdir)


XMPP_TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls"


def serve_xmpp(conn, certdir):
    """RFC 6120 5.4: stream header, features offering STARTTLS, then
    <proceed/> to the client's <starttls/>."""
    if read_until(conn, b">") is None:  # the client's stream header
        return
    conn.sendall(("<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                  "xmlns:stream='http://etherx.jabber.org/streams' id='golden1' "
                  "from='%s' version='1.0'><stream:features><starttls xmlns='%s'>"
                  "<required/></starttls></stream:features>" % (XMPP_DOMAIN, XMPP_TLS_NS)).encode())
    asked = read_until(conn, b"/>")
    if asked is None or b"<starttls" not in asked:
        return
    conn.sendall(("<proceed xmlns='%s'/>" % XMPP_TLS_NS).encode())
    finish_tls(conn, certdir)


def serve_ldap(conn, certdir):
    """RFC 4511 4.14: the StartTLS ExtendedRequest answered success, then
    TLS. The request is one short BER message (length in one byte)."""
    head = read_exactly(conn, 2)
    body = read_exactly(conn, head[1]) if head else None
    if not body or b"1.3.6.1.4.1.1466.20037" not in body:
        return
    msgid = body[:3]  # INTEGER messageID, 02 01 nn
    # ExtendedResponse [APPLICATION 24] { resultCode success, matchedDN "", diagnosticMessage "" }
    resp = b"\x78\x07\x0a\x01\x00\x04\x00\x04\x00"
    conn.sendall(b"\x30" + bytes([len(msgid) + len(resp)]) + msgid + resp)
    finish_tls(conn, certdir)


def read_head(conn):
    """An HTTP/1.x head, byte by byte (nothing after it is read)."""
    head = read_until(conn, b"\r\n\r\n")
    return head.decode() if head is not None else None


def serve_http(conn, certdir):
    if read_head(conn) is not None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


HTTP_TLS_HOST = "tls.golden.test"


def serve_http_tls(conn, certdir):
    """RFC 2817 3.3: 101 to an Upgrade: TLS/1.2, then TLS."""
    if read_head(conn) is None:
        return
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.2, HTTP/1.1\r\n"
                 b"Connection: Upgrade\r\n\r\n")
    finish_tls(conn, certdir)


def http_tls_client(server, local):
    """RFC 2817 3.2: OPTIONS * with Upgrade: TLS/1.2, then a TLS 1.2
    handshake offering ECDHE-ECDSA-AES128-GCM-SHA256 alone."""
    host, port = server.split(":")
    lhost, lport = local.split(":")
    sock = socket.create_connection((host, int(port)), source_address=(lhost, int(lport)))
    sock.sendall(("OPTIONS * HTTP/1.1\r\nHost: %s\r\nUpgrade: TLS/1.2\r\n"
                  "Connection: Upgrade\r\n\r\n" % HTTP_TLS_HOST).encode())
    if read_head(sock) is None:
        raise RuntimeError("no 101")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
    tls = ctx.wrap_socket(sock, server_hostname=HTTP_TLS_HOST)
    tls.sendall(b"hello")
    tls.close()


def serve_doh_http(conn, certdir):
    """A DoH POST over HTTP/1.1 answered 200 with a DNS message."""
    head = read_head(conn)
    if head is None:
        return
    length = [int(l.split(":", 1)[1]) for l in head.split("\r\n") if l.lower().startswith("content-length:")]
    query = read_exactly(conn, length[0] if length else 0) or b""
    answer = query[:2] + b"\x81\x80" + query[4:]  # QR, RD, RA: a response with no answers
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(answer) + answer)
    conn.settimeout(5)
    try:  # the client closes first, as in the other scenarios
        while conn.recv(4096):
            pass
    except OSError:
        pass


def serve_doh_tls(conn, certdir):
    """TLS with ALPN h2, then HTTP/2 answered as serve_h2 does."""
    tls = tls_context(certdir, ["h2"]).wrap_socket(conn, server_side=True)
    h2_answer(tls, 1)
    tls.close()


def serve_tls(conn, certdir, alpn=None):
    finish_tls(conn, certdir, [alpn] if alpn else None)


def serve_https(conn, certdir):
    """TLS, then one HTTP/1.1 request answered."""
    tls = tls_context(certdir, ["http/1.1"]).wrap_socket(conn, server_side=True)
    if read_head(tls) is not None:
        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    tls.close()


def serve_proxy(conn, certdir):
    """CONNECT host:port -> a TLS server of our own (any host name)."""
    head = read_head(conn)
    if not head or not head.startswith("CONNECT "):
        return
    up = socket.create_connection((S, 8443))
    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(conn, selectors.EVENT_READ, up)
    sel.register(up, selectors.EVENT_READ, conn)
    while True:
        for key, _ in sel.select(timeout=10):
            data = key.fileobj.recv(65536)
            if not data:
                up.close()
                return
            key.data.sendall(data)


def h2_frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def h2_answer(conn, stream):
    """Our SETTINGS, then the response to `stream`: :status 200 (static
    index 8) and a body; read until the client closes."""
    conn.sendall(h2_frame(4, 0, 0))
    conn.settimeout(5)
    buf = b""
    while len(buf) < len(H2_PREFACE):
        got = conn.recv(4096)
        if not got:
            return
        buf += got
    conn.sendall(h2_frame(4, 1, 0))  # SETTINGS ACK
    conn.sendall(h2_frame(1, 4, stream, b"\x88") + h2_frame(0, 1, stream, b"ok"))
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def serve_h2c(conn, certdir):
    if read_head(conn) is None:
        return
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
    h2_answer(conn, 1)  # stream 1 is the upgraded request (RFC 7540 3.2)


def serve_h2(conn, certdir):
    h2_answer(conn, 1)


WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def serve_websocket(conn, certdir):
    import base64
    import hashlib
    head = read_head(conn)
    if head is None:
        return
    key = [l.split(":", 1)[1].strip() for l in head.split("\r\n") if l.lower().startswith("sec-websocket-key:")][0]
    accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
    conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
    conn.sendall(b"\x81\x05hello")  # a text frame
    conn.settimeout(5)
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def websocket_client(server, local):
    """RFC 6455 4.1: the opening handshake, one masked text frame, a close."""
    host, port = server.split(":")
    lhost, lport = local.split(":")
    sock = socket.create_connection((host, int(port)), source_address=(lhost, int(lport)))
    sock.sendall(b"GET /chat HTTP/1.1\r\nHost: ws.golden.test\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 b"Sec-WebSocket-Version: 13\r\n\r\n")
    if read_head(sock) is None:
        raise RuntimeError("no websocket handshake")
    mask = b"\x01\x02\x03\x04"
    sock.sendall(b"\x81\x82" + mask + bytes(a ^ b for a, b in zip(b"hi", mask)))
    sock.sendall(b"\x88\x80" + mask)  # close
    sock.recv(4096)
    sock.close()


SERVERS = {"smtp": serve_smtp, "imap": serve_imap, "pop3": serve_pop3, "ftp": serve_ftp, "pgsql": serve_pgsql, "xmpp": serve_xmpp, "ldap": serve_ldap, "http": serve_http,
           "tls": serve_tls, "https": serve_https, "proxy": serve_proxy, "h2c": serve_h2c, "h2": serve_h2,
           "websocket": serve_websocket, "http_tls": serve_http_tls, "doh_http": serve_doh_http,
           "doh_tls": serve_doh_tls}


def serve(kind, port, certdir, *extra):
    if kind == "proxy":  # the proxy's upstream: a TLS server of our own
        import threading
        threading.Thread(target=serve, args=("https", 8443, certdir), daemon=True).start()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((S, port))
    ls.listen(1)
    ls.settimeout(30)
    conn, _ = ls.accept()
    ls.close()
    with conn:
        SERVERS[kind](conn, certdir, *extra)


def main(argv):
    if argv[:1] == ["--serve"]:
        return serve(argv[1], int(argv[2]), argv[3], *argv[4:])
    if argv[:1] == ["--websocket-client"]:
        return websocket_client(argv[1], argv[2])
    if argv[:1] == ["--http-tls-client"]:
        return http_tls_client(argv[1], argv[2])
    want = set(argv)
    lab = Lab()
    try:
        for sc in STARTTLS:
            if not want or sc[0] in want:
                starttls_scenario(lab, *sc)
                print("wrote", sc[0])
        for name, fn in OTHERS:
            if not want or name in want:
                fn(lab)
                print("wrote", name)
    finally:
        lab.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

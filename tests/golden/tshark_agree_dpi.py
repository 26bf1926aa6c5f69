#!/usr/bin/env python3
"""Check the DPI expectations of golden captures against tshark: tshark
dissects each capture, its frames are grouped into connections by their
endpoints, and every key an expected record states that tshark also shows
- the TLS or QUIC server name, ALPN, negotiated version and cipher, the
HTTP or HTTP/2 request and User-Agent, the application protocol and what
it switched to, the packets, bytes and first and last times of each
direction - must be what tshark read.

usage: tshark_agree_dpi.py CAPTURE_DIR [NAME...]   (no NAME: every capture
whose name starts with one of PREFIXES)
Prints one line per capture and "N passed, N failed"; skips when tshark is
missing.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import COUNTS, IDENT, frame_counts, tshark_main  # noqa: E402

PREFIXES = ("upgrade_", "http_", "gquic_", "dpi_", "ui_mix", "dns_over_")
FIELDS = [
    "frame.number", "frame.protocols", "frame.len", "frame.time_epoch", "ip.src", "ip.dst",
    "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
    "tls.handshake.type", "tls.handshake.extensions_server_name",
    "tls.handshake.extensions_alpn_str", "tls.handshake.ciphersuite",
    "tls.handshake.extensions.supported_version", "tls.handshake.version", "gquic.tag.sni",
    "quic.version", "http.request.method", "http.response.code", "http.request.uri", "http.host",
    "http.upgrade", "http2.headers.method", "http2.headers.path", "http2.headers.authority",
    "http.user_agent", "http2.headers.user_agent", "xml.attribute",
]
VERSIONS = {"0x0301": "TLS1.0", "0x0302": "TLS1.1", "0x0303": "TLS1.2", "0x0304": "TLS1.3"}
SUITES = {"0x1301": "TLS_AES_128_GCM_SHA256", "0x1302": "TLS_AES_256_GCM_SHA384",
          "0x1303": "TLS_CHACHA20_POLY1305_SHA256", "0xc02b": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}
# wiretop's app -> the protocol tshark names in frame.protocols
APP_LAYER = {"SMTP": "smtp", "IMAP": "imap", "POP3": "pop", "FTP": "ftp", "PostgreSQL": "pgsql", "XMPP": "xmpp", "LDAP": "ldap", "HTTP": "http", "HTTP2": "http2", "DoH": "dns",
             "HTTPS": "tls", "TLS": "tls", "DoT": "tls", "QUIC": "quic", "DoQ": "quic"}


def tshark_frames(cap, extra=()):
    # UDP 853 is DNS over QUIC's (RFC 9250) as well as DNS over DTLS's,
    # which tshark assumes
    args = ["tshark", "-r", cap, "-d", "udp.port==853,quic", "-T", "fields", "-E", "separator=\t",
            "-E", "occurrence=a", "-E", "aggregator=|"] + list(extra)
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    for line in out.splitlines():
        vals = line.split("\t")
        yield {k: (v.split("|") if v else []) for k, v in zip(FIELDS, vals)}


def sender(f):
    return (f["ip.src"] or f["ipv6.src"] or [None])[0], (f["tcp.srcport"] or f["udp.srcport"] or [None])[0]


def endpoints(f):
    dst = (f["ip.dst"] or f["ipv6.dst"] or [None])[0]
    dport = (f["tcp.dstport"] or f["udp.dstport"] or [None])[0]
    return frozenset([sender(f), (dst, dport)])


def first(frames, field):
    for f in frames:
        if f[field]:
            return f[field]
    return None


def hello_field(frames, hs_type, field):
    """field of the first handshake message of hs_type ("1" ClientHello,
    "2" ServerHello) in the flow."""
    for f in frames:
        if hs_type in f["tls.handshake.type"] and f[field]:
            return f[field]
    return None


def xmpp_to(frames, client_ip):
    """The to= attribute of the first XMPP element the client sent (its
    stream header)."""
    for f in frames:
        src = (f["ip.src"] or f["ipv6.src"] or [None])[0]
        if src != client_ip or "xmpp" not in ":".join(f["frame.protocols"]).split(":"):
            continue
        for attr in f["xml.attribute"]:
            name, _, value = attr.partition("=")
            if name == "to":
                return value.strip("'\"")
        return None
    return None


def tshark_view(frames):
    """What tshark shows of one connection, in wiretop's keys."""
    v = {}
    sni = hello_field(frames, "1", "tls.handshake.extensions_server_name") or first(frames, "gquic.tag.sni")
    v["sni"] = sni[0] if sni else None
    alpn = hello_field(frames, "1", "tls.handshake.extensions_alpn_str")
    v["alpn"] = alpn
    # negotiated when the ServerHello is seen (TLS 1.3 in supported_versions,
    # earlier ones in its version), else the highest offered
    chosen = (hello_field(frames, "2", "tls.handshake.extensions.supported_version")
              or hello_field(frames, "2", "tls.handshake.version"))
    offered = hello_field(frames, "1", "tls.handshake.extensions.supported_version") or []
    ver = chosen[-1] if chosen else max(offered, key=lambda x: int(x, 16), default=None)
    v["tls_version"] = VERSIONS.get(ver)
    suite = hello_field(frames, "2", "tls.handshake.ciphersuite")
    v["tls_cipher"] = SUITES.get(suite[0], suite[0]) if suite else None
    for key, fields in (("http_method", ("http.request.method", "http2.headers.method")),
                        ("http_path", ("http.request.uri", "http2.headers.path")),
                        ("http_host", ("http.host", "http2.headers.authority")),
                        ("http_user_agent", ("http.user_agent", "http2.headers.user_agent"))):
        got = None
        for fld in fields:
            got = got or first(frames, fld)
        v[key] = got[0] if got else None
    v["_layers"] = set().union(*(layers(f) for f in frames))
    up = first(frames, "http.upgrade")
    v["_http_upgrade"] = up[0].lower() if up else None
    return v


def layers(f):
    return set(":".join(f["frame.protocols"]).split(":"))


def tls_after_http(cap, frames, port):
    """tshark does not follow an HTTP Upgrade to TLS (RFC 2817): its view of
    the connection's frames after the HTTP exchange, dissected as TLS."""
    http = [f["frame.number"][0] for f in frames if f["http.request.method"] or f["http.response.code"]]
    key = endpoints(frames[0])
    with tempfile.TemporaryDirectory() as tmp:
        cut = os.path.join(tmp, "cut.pcap")
        subprocess.run(["editcap", cap, cut] + http, check=True, capture_output=True)
        return [f for f in tshark_frames(cut, ["-d", "tcp.port==%d,tls" % port])
                if endpoints(f) == key]


def check(cap, expect):
    flows = {}
    for f in tshark_frames(cap):
        flows.setdefault(endpoints(f), []).append(f)
    problems = []
    for want in expect:
        ident = tuple(want[k] for k in IDENT)
        key = frozenset([(want["src_ip"], str(want["src_port"])),
                         (want["dst_ip"], str(want["dst_port"]))])
        if key not in flows:
            problems.append("%s: no such connection in tshark's view" % (ident,))
            continue
        v = tshark_view(flows[key])
        if want.get("upgrade") == "TLS" and (v["_http_upgrade"] or "").startswith("tls/"):
            tls = tshark_view(tls_after_http(cap, flows[key], want["dst_port"]))
            v.update((k, tls[k]) for k in ("sni", "alpn", "tls_version", "tls_cipher"))
            v["_layers"] |= tls["_layers"]
        v.update(frame_counts([(sender(f), int(f["frame.len"][0]), float(f["frame.time_epoch"][0]))
                               for f in flows[key]], (want["src_ip"], str(want["src_port"]))))
        for k in ("sni", "alpn", "tls_version", "tls_cipher", "http_method", "http_path", "http_host",
                  "http_user_agent") + COUNTS:
            if k in want and want[k] != v[k]:
                problems.append("%s: %s = %r, tshark %r" % (ident, k, want[k], v[k]))
        if want.get("app") in APP_LAYER and APP_LAYER[want["app"]] not in v["_layers"]:
            problems.append("%s: app %s, tshark saw %s" % (ident, want["app"], sorted(v["_layers"])))
        if "xmpp_to" in want and want["xmpp_to"] != xmpp_to(flows[key], want["src_ip"]):
            problems.append("%s: xmpp_to = %r, tshark %r"
                            % (ident, want["xmpp_to"], xmpp_to(flows[key], want["src_ip"])))
        up = want.get("upgrade")
        if up == "TLS" and "tls" not in v["_layers"]:
            problems.append("%s: upgrade TLS, tshark saw no TLS" % (ident,))
        if up in ("websocket", "h2c") and v["_http_upgrade"] != up:
            problems.append("%s: upgrade %s, tshark's Upgrade %r" % (ident, up, v["_http_upgrade"]))
    return problems


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], PREFIXES, lambda name, cap, expect: check(cap, expect)))

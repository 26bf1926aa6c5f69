#!/usr/bin/python3
"""wiretop's connections inside tunnels against tshark's conversation
statistics (`tshark -z conv,...`) on the same captures.

The captures are built here with scapy from the protocol rules (RFC 7348
VXLAN, RFC 8926 GENEVE, RFC 2784/2890 GRE with and without a key and
bridging Ethernet, RFC 2003 IP in IP, RFC 4213 6in4, RFC 2473 4in6 and
6in6, a VXLAN tunnel inside GRE, the same inner connection in two VNIs),
from a fixed seed, into a temporary folder:

  tunnel_mix    TCP conversations, UDP exchanges and pings in every kind
                of tunnel, interleaved in time
  tunnel_frags  UDP datagrams fragmented inside the tunnels (IPv4 and
                IPv6 fragments), each datagram's fragments in shuffled order

tshark's conversation tables count each frame once at every layer it
dissects, with the frame's length; wiretop writes one record per IP
header a frame has (the outer flow and each connection inside), so
wiretop's records summed by protocol and endpoint pair equal tshark's TCP
and UDP conversations, and its records other than ARP summed by address
pair equal tshark's IPv4 and IPv6 conversations, frames and bytes each
way. tshark does not tell tunnels apart: the same inner connection in two
VNIs is two records of wiretop's and one conversation of tshark's. Where
tshark put a datagram together from fragments it counts it once in its
UDP table (and its IPv6 table) at the frame that completed it, wiretop at
every frame that brought a fragment (docs/JSON.md): the other frames of
tshark's own fragment list are added to those conversations.

Each inner record also names the tunnel it was built in (kind and VNI or
key; the VXLAN flow inside GRE names GRE), every outer record none, and
wiretop leaves no frame unparsed.

usage: tshark_conv.py WIRETOP_BIN
Prints one line per check and "N passed, N failed"; skips without tshark.
"""
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import report  # noqa: E402

from scapy.all import GRE, ICMP, IP, TCP, UDP, Ether, IPv6, Raw, fragment, fragment6, wrpcap  # noqa: E402
from scapy.all import IPv6ExtHdrFragment  # noqa: E402
from scapy.contrib.geneve import GENEVE  # noqa: E402

T0 = 1700000000.0
VXLAN_ALT_PORT = 8472   # Linux's old VXLAN port: tshark is told, wiretop finds the header


class Tunnel:
    """One tunnel between two outer addresses: wraps an inner IP packet
    going one way or the other into the frame on the wire."""

    def __init__(self, kind, a, b, tid=None, port=None, around=None):
        self.kind, self.a, self.b, self.tid, self.port, self.around = kind, a, b, tid, port, around

    def outer_ip(self, fwd):
        src, dst = (self.a, self.b) if fwd else (self.b, self.a)
        return IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)

    def wrap(self, inner, fwd):
        ip = self.outer_ip(fwd)
        eth_in = Ether(src="02:00:00:00:01:01", dst="02:00:00:00:01:02")
        if self.kind == "vxlan":
            # RFC 7348's header, flag I alone (scapy's VXLAN layer sets
            # VXLAN-GPE's next-protocol bits when Ethernet follows); each
            # direction has its own source port, the VTEPs' flow entropy
            l3 = ip / UDP(sport=self.udp_port(fwd), dport=self.port) \
                / Raw(struct.pack(">BBHI", 0x08, 0, 0, self.tid << 8)) / eth_in / inner
        elif self.kind == "geneve":
            l3 = ip / UDP(sport=self.udp_port(fwd), dport=6081) \
                / GENEVE(vni=self.tid, proto=0x6558, optionlen=2,
                         options=b"\x01\x02\x03\x01\x00\x00\x00\x2a") / eth_in / inner
        elif self.kind == "gre":
            gre = GRE(key_present=1, key=self.tid) if self.tid is not None else GRE()
            gre.proto = 0x86DD if IPv6 in inner else 0x0800
            l3 = ip / gre / inner
        elif self.kind == "gre-teb":
            gre = GRE(key_present=1, key=self.tid) if self.tid is not None else GRE()
            gre.proto = 0x6558
            l3 = ip / gre / eth_in / inner
        else:  # ipip, 6in4, 4in6, 6in6: the inner packet straight after the outer header
            l3 = ip / inner
        if self.around is not None:
            return self.around.wrap(l3, fwd)
        return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / l3

    def json_kind(self):
        return "gre" if self.kind == "gre-teb" else self.kind

    def udp_port(self, fwd):
        base = 49152 if self.kind == "vxlan" else 50152
        return base + (self.tid % 1000) * 2 + (0 if fwd else 1)

    def own_flow(self, fwd):
        """The record of this tunnel's own UDP flow one way, when it is
        inside another tunnel: {key: (kind, id) of the one around}."""
        if self.around is None or self.kind not in ("vxlan", "geneve"):
            return {}
        src, dst = (self.a, self.b) if fwd else (self.b, self.a)
        port = self.port if self.kind == "vxlan" else 6081
        return {("UDP", src, self.udp_port(fwd), dst, port): (self.around.json_kind(), self.around.tid)}


def tunnels():
    """Every kind of tunnel, each between its own pair of outer addresses."""
    gre_outer = Tunnel("gre", "198.51.100.1", "198.51.100.2", tid=77)
    return [
        Tunnel("vxlan", "192.0.2.1", "192.0.2.2", tid=10, port=4789),
        Tunnel("vxlan", "192.0.2.1", "192.0.2.2", tid=20, port=4789),
        Tunnel("vxlan", "192.0.2.3", "192.0.2.4", tid=5000, port=VXLAN_ALT_PORT),
        Tunnel("geneve", "192.0.2.5", "192.0.2.6", tid=7),
        Tunnel("gre", "192.0.2.7", "192.0.2.8", tid=100),
        Tunnel("gre", "192.0.2.9", "192.0.2.10"),
        Tunnel("gre-teb", "192.0.2.11", "192.0.2.12", tid=200),
        Tunnel("ipip", "192.0.2.13", "192.0.2.14"),
        Tunnel("6in4", "192.0.2.15", "192.0.2.16"),
        Tunnel("4in6", "2001:db8:ff::1", "2001:db8:ff::2"),
        Tunnel("6in6", "2001:db8:ff::3", "2001:db8:ff::4"),
        Tunnel("vxlan", "10.200.0.1", "10.200.0.2", tid=30, port=4789, around=gre_outer),
    ]


def inner_family(t):
    return 6 if t.kind in ("6in4", "6in6") else 4


def inner_addrs(rng, fam):
    """An inner address pair from a small pool, so that some pairs recur
    in several tunnels (tshark adds them up; wiretop keeps them apart)."""
    i, j = rng.sample(range(1, 5), 2)
    return ("172.16.0.%d" % i, "172.16.0.%d" % j) if fam == 4 else ("fd10::%d" % i, "fd10::%d" % j)


def ip_of(src, dst, **kw):
    return IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst, **kw)


def tcp_conversation(rng, c, s, cport, sport):
    """Handshake, a request, a response, both FINs: (from client, packet)."""
    cseq, sseq = rng.randrange(1 << 31), rng.randrange(1 << 31)
    req, resp = b"q" * rng.randrange(20, 300), b"r" * rng.randrange(20, 600)
    segs = [(True, "S", b""), (False, "SA", b""), (True, "A", b""), (True, "PA", req),
            (False, "A", b""), (False, "PA", resp), (True, "A", b""), (True, "FA", b""),
            (False, "FA", b""), (True, "A", b"")]
    out = []
    for up, flags, data in segs:
        seq, ack = (cseq, sseq) if up else (sseq, cseq)
        sp, dp = (cport, sport) if up else (sport, cport)
        p = ip_of(c, s) if up else ip_of(s, c)
        p = p / TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack if "A" in flags else 0)
        if data:
            p = p / Raw(data)
        out.append((up, p))
        adv = len(data) + ("S" in flags) + ("F" in flags)
        if up:
            cseq += adv
        else:
            sseq += adv
    return out


def udp_exchange(rng, c, s, cport, sport):
    out = []
    for _ in range(rng.randrange(1, 4)):
        up = rng.random() < 0.6 or not out
        p = ip_of(c, s) / UDP(sport=cport, dport=sport) if up else ip_of(s, c) / UDP(sport=sport, dport=cport)
        out.append((up, p / Raw(b"u" * rng.randrange(1, 200))))
    return out


def ping(rng, c, s):
    if ":" in c:
        from scapy.all import ICMPv6EchoReply, ICMPv6EchoRequest
        return [(True, IPv6(src=c, dst=s) / ICMPv6EchoRequest(id=9, seq=1)),
                (False, IPv6(src=s, dst=c) / ICMPv6EchoReply(id=9, seq=1))]
    return [(True, IP(src=c, dst=s) / ICMP(type=8, id=9, seq=1)),
            (False, IP(src=s, dst=c) / ICMP(type=0, id=9, seq=1))]


def lay_out(rng, flows, inner):
    """Frames of each (tunnel, [(forward, inner packet)]) at increasing
    times from a random start: the flows interleave, each keeps its order.
    A tunnel's own flow inside another tunnel joins `inner`."""
    frames = []
    for t, pkts in flows:
        at = T0 + rng.uniform(0, 10)
        for fwd, p in pkts:
            for key, tun in t.own_flow(fwd).items():
                inner[key] = {tun}
            at += rng.uniform(0.001, 0.05)
            f = t.wrap(p, fwd)
            f.time = at
            frames.append(f)
    frames.sort(key=lambda f: f.time)
    return frames


def tunnel_mix(rng):
    """(frames, {inner connection: {tunnel kind and id}})"""
    flows, inner = [], {}
    port = 41000
    for t in tunnels():
        for _ in range(2):
            c, s = inner_addrs(rng, inner_family(t))
            port += 1
            kind = rng.choice(("tcp", "udp", "ping"))
            if kind == "tcp":
                pk, key = tcp_conversation(rng, c, s, port, 80), ("TCP", c, port, s, 80)
            elif kind == "udp":
                pk, key = udp_exchange(rng, c, s, port, 53), ("UDP", c, port, s, 53)
            else:
                pk, key = ping(rng, c, s), ("ICMPv6" if ":" in c else "ICMP", c, 0, s, 0)
            flows.append((t, pk))
            inner.setdefault(key, set()).add((t.json_kind(), t.tid))
    # the same connection in the two VNIs of one pair of VTEPs
    vni10, vni20 = tunnels()[0], tunnels()[1]
    for t in (vni10, vni20):
        flows.append((t, udp_exchange(random.Random(7), "172.16.9.1", "172.16.9.2", 5353, 5353)))
        inner.setdefault(("UDP", "172.16.9.1", 5353, "172.16.9.2", 5353), set()).add(("vxlan", t.tid))
    return lay_out(rng, flows, inner), inner


def tunnel_frags(rng):
    """Inner UDP datagrams fragmented inside each tunnel; every inner
    address pair has one flow."""
    flows, inner = [], {}
    for n, t in enumerate(tunnels()):
        fam = inner_family(t)
        c, s = ("172.17.%d.1" % n, "172.17.%d.2" % n) if fam == 4 else ("fd11:%d::1" % n, "fd11:%d::2" % n)
        pkts = []
        for k, up in enumerate((True, False, True)):
            src, dst = (c, s) if up else (s, c)
            size = rng.randrange(1300, 2500)
            udp = UDP(sport=6000, dport=6001) if up else UDP(sport=6001, dport=6000)
            if fam == 4:
                d = IP(src=src, dst=dst, id=n * 16 + k) / udp / Raw(b"d" * size)
                frags = fragment(d, fragsize=rng.choice((600, 1000)))
            else:
                d = IPv6(src=src, dst=dst) / IPv6ExtHdrFragment(id=n * 16 + k) \
                    / udp / Raw(b"d" * size)
                frags = fragment6(d, rng.choice((700, 1100)))
            rng.shuffle(frags)
            pkts += [(up, f) for f in frags]
        flows.append((t, pkts))
        inner[("UDP", c, 6000, s, 6001)] = {(t.json_kind(), t.tid)}
    return lay_out(rng, flows, inner), inner


# ---- tshark's side ----

CONV_LINE = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ \S+)\s+(\d+)\s+(\d+ \S+)\s+")
TABLES = {"IPv4 Conversations": "ip", "IPv6 Conversations": "ip", "TCP Conversations": "TCP",
          "UDP Conversations": "UDP"}


def exact_bytes(text, problems):
    """tshark writes a count of bytes exactly only below 10,000 ("12 kB")."""
    n, unit = text.split()
    if unit != "bytes":
        problems.append("tshark rounds %s: a conversation of this capture is too large" % text)
    return int(n)


def tshark_convs(cap, problems):
    """{(table, frozenset of the two ends): {end: (frames, bytes) it sent}}"""
    out = tshark_run(cap, "-q", "-z", "conv,ip", "-z", "conv,ipv6", "-z", "conv,tcp", "-z", "conv,udp")
    convs, table = {}, None
    for line in out.splitlines():
        if line.strip() in TABLES:
            table = TABLES[line.strip()]
            continue
        m = CONV_LINE.match(line)
        if not m or table is None:
            continue
        a, b = endpoint(m.group(1), table), endpoint(m.group(2), table)
        # "<-" is what b sent to a, "->" what a sent to b
        convs[(table, frozenset((a, b)))] = {
            b: (int(m.group(3)), exact_bytes(m.group(4), problems)),
            a: (int(m.group(5)), exact_bytes(m.group(6), problems))}
    per_frame(convs, cap)
    return convs


def tshark_run(cap, *args):
    return subprocess.run(["tshark", "-n", "-r", cap, "-d", "udp.port==%d,vxlan" % VXLAN_ALT_PORT] + list(args),
                          capture_output=True, text=True, check=True).stdout


def per_frame(convs, cap):
    """tshark counts a datagram it put together from fragments once, in
    its UDP table (and, for IPv6, its IPv6 table) at the frame that
    completed it; wiretop counts every frame that brought a fragment.
    Adds the other frames tshark lists as the datagram's fragments to
    those tables' conversations, by the end that sent them."""
    out = tshark_run(cap, "-T", "fields", "-E", "occurrence=a", "-E", "separator=/t",
                     "-e", "frame.len", "-e", "ip.fragment", "-e", "ipv6.fragment", "-e", "ip.src",
                     "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "udp.srcport",
                     "-e", "udp.dstport")
    rows = [line.split("\t") for line in out.splitlines()]
    for n, (_, f4, f6, s4, d4, s6, d6, sport, dport) in enumerate(rows, 1):
        if not (f4 or f6) or not sport:
            continue
        others = [int(m) for m in (f4 or f6).split(",") if int(m) != n]
        more = (len(others), sum(int(rows[m - 1][0]) for m in others))
        src, dst = (s4, d4) if f4 else (s6, d6)
        src, dst = src.split(",")[-1], dst.split(",")[-1]
        sport, dport = int(sport.split(",")[-1]), int(dport.split(",")[-1])
        keys = [("UDP", (src, sport), (dst, dport))]
        if f6:
            keys.append(("ip", (src, 0), (dst, 0)))
        for table, a, b in keys:
            c = convs[(table, frozenset((a, b)))]
            c[a] = (c[a][0] + more[0], c[a][1] + more[1])


def endpoint(text, table):
    if table == "ip":
        return (text, 0)
    addr, port = text.rsplit(":", 1)
    return (addr, int(port))


# ---- wiretop's side ----

def wiretop_records(binary, cap, problems):
    p = subprocess.run([binary, "--read", cap, "--json"], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        problems.append("wiretop exit status %d: %s" % (p.returncode, p.stderr.strip()))
    if re.search(r"unparsed [1-9]", p.stderr):
        problems.append("wiretop left frames unparsed: %s" % p.stderr.strip())
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def add(convs, key, rec):
    """Adds a record's counts to the conversation `key`, by the end that sent them."""
    a, b = (rec["src_ip"], rec["src_port"]), (rec["dst_ip"], rec["dst_port"])
    if key[0] == "ip":
        a, b = (a[0], 0), (b[0], 0)
    c = convs.setdefault(key, {a: (0, 0), b: (0, 0)})
    for end, side in ((a, "src"), (b, "dst")):
        f, n = c.get(end, (0, 0))
        c[end] = (f + rec[side + "_packets"], n + rec[side + "_bytes"])


def wiretop_convs(recs):
    convs = {}
    for r in recs:
        if r["proto"] == "ARP":
            continue
        add(convs, ("ip", frozenset(((r["src_ip"], 0), (r["dst_ip"], 0)))), r)
        if r["proto"] in ("TCP", "UDP"):
            add(convs, (r["proto"], frozenset(((r["src_ip"], r["src_port"]), (r["dst_ip"], r["dst_port"])))), r)
    return convs


def show(key):
    ends = sorted("%s:%d" % e if e[1] else e[0] for e in key[1])
    return "%s %s <-> %s" % (key[0], ends[0], ends[1])


def compare_counts(mine, theirs, tables):
    problems = []
    for key in sorted(set(mine) | set(theirs), key=show):
        if key[0] not in tables:
            continue
        if key not in theirs:
            problems.append("%s: wiretop %s, tshark has no such conversation" % (show(key), mine[key]))
        elif key not in mine:
            problems.append("%s: tshark %s, wiretop has no such connection" % (show(key), theirs[key]))
        elif mine[key] != theirs[key]:
            problems.append("%s: wiretop %s, tshark %s (frames, bytes each end sent)" % (
                show(key), mine[key], theirs[key]))
    return problems


def compare_tunnels(recs, inner):
    """Inner records name the tunnels they were built in; outer ones none."""
    problems, seen = [], {}
    for r in recs:
        key = (r["proto"], r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])
        if key in inner:
            seen.setdefault(key, set()).add((r.get("tunnel"), r.get("tunnel_id")))
        elif r.get("tunnel") is not None:
            problems.append("%s: tunnel %s, built outside any" % (key, r["tunnel"]))
    for key, want in inner.items():
        if seen.get(key) != want:
            problems.append("%s: tunnels %s, built in %s" % (key, sorted(seen.get(key, ()), key=str),
                                                              sorted(want, key=str)))
    return problems


def run_capture(binary, folder, name, build, seed):
    frames, inner = build(random.Random(seed))
    cap = os.path.join(folder, name + ".pcap")
    wrpcap(cap, frames)
    problems = []
    recs = wiretop_records(binary, cap, problems)
    theirs = tshark_convs(cap, problems)
    mine = wiretop_convs(recs)
    tables = ("ip", "TCP", "UDP")
    checks = [("%s: conversations" % name, problems + compare_counts(mine, theirs, tables),
               "%s: %d frames, %d conversations (%s) agree with tshark" % (
                   name, len(frames), sum(1 for k in theirs if k[0] in tables), ", ".join(tables))),
              ("%s: tunnels" % name, compare_tunnels(recs, inner),
               "%s: %d inner connections name their tunnels" % (name, len(inner)))]
    return checks


def main():
    binary = sys.argv[1]
    if not shutil.which("tshark"):
        print("skip: tshark not installed")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="wt-tunconv.") as folder:
        results = run_capture(binary, folder, "tunnel_mix", tunnel_mix, 16) + \
            run_capture(binary, folder, "tunnel_frags", tunnel_frags, 17)
    return report(results)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Golden captures for what lies beside and beneath TCP and UDP: every IP
protocol keyed by its rules, tunnels, and fragments reassembled. Each
scenario writes NAME.pcap and NAME.expect.json (see make_captures.py); the
expectations are written from the protocol rules, and tshark_agree.py
checks them against tshark's dissection of the same capture.

Run:  /usr/bin/python3 tests/golden/make_ip_captures.py   (needs python3-scapy)
"""
import os
import struct
import sys

from scapy.all import (AH, DNS, DNSQR, DNSRR, ESP, GRE, ICMP, IP, SCTP, TCP, UDP, Ether, IPv6,
                       IPv6ExtHdrFragment, Raw, fragment)
from scapy.all import ARP, SCTPChunkInit, SCTPChunkInitAck
from scapy.contrib.geneve import GENEVE
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3gr, IGMPv3mr, IGMPv3mq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import C, S, C6, S6, MAC_C, T0, Conv, rec, save  # noqa: E402

HOST, ROUTER = "10.1.0.9", "10.1.0.1"


def at(pkts, t, p):
    p.time = t
    pkts.append(p)
    return p


def ip_protocols():
    """GRE by key, ESP and AH by SPI (one row per SA: each direction has its
    own), SCTP by ports, IGMP with its states and group, anything else by
    address pair and protocol number; frames that are not IP or are cut
    short land in no row (they are counted unparsed, which the CLI test
    checks)."""
    pk, ex, t = [], [], T0
    # GRE (RFC 2890) with key 42 both ways, and a keyless one: two rows.
    # The payload's type (0x88b5, local experimental) is not a tunnel's.
    for i, (src, dst) in enumerate([(C, S), (S, C), (C, S)]):
        at(pk, t + i * 0.1, Ether() / IP(src=src, dst=dst) / GRE(key_present=1, key=42, proto=0x88b5)
           / Raw(b"p" * 24))
    at(pk, t + 0.5, Ether() / IP(src=C, dst=S) / GRE(proto=0x88b5) / Raw(b"q" * 24))
    gre_len = len(pk[0])
    ex.append(rec("GRE", C, 0, S, 0, gre_key=42, spi=None, src_packets=2, dst_packets=1,
                  src_bytes=2 * gre_len, dst_bytes=gre_len, state="ACTIVE"))
    ex.append(rec("GRE", C, 0, S, 0, gre_key=None, src_packets=1, dst_packets=0, state="ACTIVE"))
    # ESP (RFC 4303): SPI 0x1001 from C, 0x2002 from S
    t += 1
    at(pk, t, Ether() / IP(src=C, dst=S) / ESP(spi=0x1001, seq=1) / Raw(b"e" * 40))
    at(pk, t + 0.1, Ether() / IP(src=S, dst=C) / ESP(spi=0x2002, seq=1) / Raw(b"e" * 40))
    at(pk, t + 0.2, Ether() / IP(src=C, dst=S) / ESP(spi=0x1001, seq=2) / Raw(b"e" * 40))
    ex.append(rec("ESP", C, 0, S, 0, spi=0x1001, gre_key=None, src_packets=2, dst_packets=0,
                  state="ACTIVE"))
    ex.append(rec("ESP", S, 0, C, 0, spi=0x2002, src_packets=1, dst_packets=0, state="ACTIVE"))
    at(pk, t + 0.3, Ether() / IPv6(src=C6, dst=S6) / ESP(spi=5, seq=1) / Raw(b"e" * 24))
    ex.append(rec("ESP", C6, 0, S6, 0, spi=5, src_packets=1, dst_packets=0, state="ACTIVE"))
    # AH (RFC 4302) in front of TCP: keyed by its SPI, the TCP is not walked into
    at(pk, t + 0.4, Ether() / IP(src=C, dst=S) / AH(spi=0x3003, seq=1, nh=6, payloadlen=4, icv=b"\0" * 12)
       / TCP(sport=1000, dport=80, flags="S"))
    ex.append(rec("AH", C, 0, S, 0, spi=0x3003, src_packets=1, state="ACTIVE"))
    # SCTP (RFC 9260): an association's INIT and INIT ACK, by ports
    t += 1
    at(pk, t, Ether() / IP(src=C, dst=S) / SCTP(sport=2905, dport=2905, tag=0)
       / SCTPChunkInit(init_tag=7, a_rwnd=65535, n_out_streams=1, n_in_streams=1, init_tsn=1))
    at(pk, t + 0.1, Ether() / IP(src=S, dst=C) / SCTP(sport=2905, dport=2905, tag=7)
       / SCTPChunkInitAck(init_tag=9, a_rwnd=65535, n_out_streams=1, n_in_streams=1, init_tsn=1))
    ex.append(rec("SCTP", C, 2905, S, 2905, src_packets=1, dst_packets=1, state="ACTIVE"))
    # IGMP (RFC 2236, 3376): a v2 report and leave, a v3 join then leave,
    # a general query; each address pair is a row, its state the last message
    t += 1
    at(pk, t, Ether() / IP(src=HOST, dst="239.1.1.1", ttl=1) / IGMP(type=0x16, gaddr="239.1.1.1"))
    at(pk, t + 0.1, Ether() / IP(src=HOST, dst="224.0.0.2", ttl=1) / IGMP(type=0x17, gaddr="239.1.1.1"))
    ex.append(rec("IGMP", HOST, 0, "239.1.1.1", 0, state="MEMBERSHIP_REPORT", igmp_group="239.1.1.1",
                  src_packets=1))
    ex.append(rec("IGMP", HOST, 0, "224.0.0.2", 0, state="LEAVE_GROUP", igmp_group="239.1.1.1",
                  src_packets=1))
    join = IGMPv3(type=0x22) / IGMPv3mr(records=[IGMPv3gr(rtype=4, maddr="239.2.2.2")])
    leave = IGMPv3(type=0x22) / IGMPv3mr(records=[IGMPv3gr(rtype=3, maddr="239.2.2.2")])
    at(pk, t + 0.2, Ether() / IP(src=HOST, dst="224.0.0.22", ttl=1) / join)
    ex.append(rec("IGMP", HOST, 0, "224.0.0.22", 0, state="LEAVE_GROUP", igmp_group="239.2.2.2",
                  src_packets=2))
    at(pk, t + 0.3, Ether() / IP(src=ROUTER, dst="224.0.0.1", ttl=1) / IGMPv3(type=0x11, mrcode=100)
       / IGMPv3mq(gaddr="0.0.0.0"))
    ex.append(rec("IGMP", ROUTER, 0, "224.0.0.1", 0, state="MEMBERSHIP_QUERY", igmp_group="0.0.0.0",
                  src_packets=1))
    at(pk, t + 0.4, Ether() / IP(src=HOST, dst="224.0.0.22", ttl=1) / leave)
    # OSPF (89) and an unassigned number (253): the address pair and the number
    t += 1
    at(pk, t, Ether() / IP(src=ROUTER, dst="224.0.0.5", proto=89) / Raw(b"\x02\x01\x00\x2c" + b"o" * 40))
    ex.append(rec("OSPF", ROUTER, 0, "224.0.0.5", 0, src_packets=1, state="ACTIVE"))
    at(pk, t + 0.1, Ether() / IP(src=C, dst=S, proto=253) / Raw(b"x" * 16))
    at(pk, t + 0.2, Ether() / IP(src=S, dst=C, proto=253) / Raw(b"y" * 16))
    ex.append(rec("IP-253", C, 0, S, 0, src_packets=1, dst_packets=1, state="ACTIVE"))
    # no row: an LLDP frame (not IP) and an IPv4 header cut short
    at(pk, t + 0.3, Ether(dst="01:80:c2:00:00:0e", type=0x88cc) / Raw(b"\x02\x07\x04" + b"l" * 6 + b"\x00\x00"))
    cut = Ether() / IP(src=C, dst=S) / UDP(sport=1, dport=2)
    at(pk, t + 0.4, Raw(bytes(cut)[:14 + 12]))
    save("ip_protocols", pk, ex)


def v6_fragments(pkt, size, ident):
    """IPv6 fragments of pkt's payload after the IPv6 header, `size` bytes
    each (the last shorter), as RFC 8200 section 4.5 builds them."""
    ip6 = pkt[IPv6]
    data = bytes(ip6.payload)
    out = []
    for off in range(0, len(data), size):
        chunk = data[off:off + size]
        more = off + size < len(data)
        out.append(Ether() / IPv6(src=ip6.src, dst=ip6.dst, nh=44)
                   / IPv6ExtHdrFragment(nh=ip6.nh, offset=off // 8, m=int(more), id=ident) / Raw(chunk))
    return out


def wire(frames):
    return sum(len(f) for f in frames)


def frag_orders():
    """Fragments reassembled in any arrival order before tracking and DPI:
    a DNS answer in three IPv4 fragments arriving last first, an IPv6 UDP
    datagram whose fragments come 2, 3, 1, an HTTP request whose TCP
    segment is fragmented, and a big ping. Every fragment counts as a
    packet of its connection, with its length on the wire."""
    pk, ex, t = [], [], T0
    q = Ether() / IP(src=C, dst=S) / UDP(sport=53000, dport=53) / DNS(id=7, rd=1, qd=DNSQR(qname="frag.golden.test"))
    at(pk, t, q)
    an = DNSRR(rrname="frag.golden.test", type="TXT", rdata="x" * 200)
    for _ in range(5):
        an = an / DNSRR(rrname="frag.golden.test", type="TXT", rdata="x" * 200)
    answer = DNS(id=7, qr=1, qd=DNSQR(qname="frag.golden.test"), an=an, ancount=6)
    r = Ether() / IP(src=S, dst=C, id=0x4444) / UDP(sport=53, dport=53000) / Raw(bytes(answer))
    frags = [Ether() / f for f in fragment(r[IP], fragsize=600)]
    assert len(frags) == 3
    for i, f in enumerate(reversed(frags)):
        at(pk, t + 0.01 + i * 0.001, f)
    ex.append(rec("UDP", C, 53000, S, 53, dns_query="frag.golden.test", dns_qtype="A",
                  state="DNS_RESPONSE", app="DNS", app_state="DNS_RESPONSE", dns_rcode=0,
                  src_packets=1, dst_packets=len(frags), src_bytes=len(q),
                  dst_bytes=wire(frags)))
    t += 1
    d6 = Ether() / IPv6(src=C6, dst=S6) / UDP(sport=7200, dport=7201) / Raw(b"six" * 700)
    f6 = v6_fragments(d6, 1000, 0x66)
    assert len(f6) == 3
    for i, f in enumerate([f6[1], f6[2], f6[0]]):
        at(pk, t + i * 0.001, f)
    ex.append(rec("UDP", C6, 7200, S6, 7201, state="UDP_ACTIVE", src_packets=3, dst_packets=0, src_bytes=wire(f6)))
    t += 1
    pk2 = []
    c = Conv(pk2, t, cport=43000, sport=80)
    c.handshake()
    get = c.send(True, "PA", b"GET /fragmented HTTP/1.1\r\nHost: frag.golden.test\r\n" + b"X-Pad: " +
                 b"p" * 1200 + b"\r\n\r\n")
    c.send(False, "A")
    pk2.remove(get)
    gf = [Ether() / f for f in fragment(get[IP], fragsize=800)]
    for i, f in enumerate(gf):
        f.time = get.time + i * 0.0001
    pk += pk2 + gf
    ex.append(rec("TCP", C, 43000, S, 80, app="HTTP", http_host="frag.golden.test", http_method="GET",
                  http_path="/fragmented", state="ESTABLISHED", src_packets=2 + len(gf),
                  dst_packets=2))
    t += 1
    ping = Ether() / IP(src=C, dst=S, id=0x5151) / ICMP(type=8, id=9, seq=1) / Raw(b"i" * 3000)
    pf = [Ether() / f for f in fragment(ping[IP], fragsize=1480)]
    for i, f in enumerate(pf):
        at(pk, t + i * 0.0001, f)
    ex.append(rec("ICMP", C, 0, S, 0, state="ECHO_REQUEST", src_packets=len(pf), src_bytes=wire(pf)))
    pk.sort(key=lambda p: p.time)
    save("frag_orders", pk, ex)


def frag_overlaps():
    """What Linux does with fragments that do not fit: an exact duplicate
    is ignored (its datagram completes, the duplicate still counts on the
    wire); a partial overlap discards the datagram, in IPv6 (RFC 5722) and
    in IPv4 alike; a datagram missing a fragment never completes. The
    discarded and incomplete ones (2 + 2 + 2 frames) are unparsed."""
    pk, ex, t = [], [], T0
    d = Ether() / IP(src=C, dst=S, id=0x1001) / UDP(sport=8000, dport=8001) / Raw(b"d" * 1500)
    df = [Ether() / f for f in fragment(d[IP], fragsize=800)]
    for i, f in enumerate([df[0], df[0].copy(), df[1]]):
        at(pk, t + i * 0.001, f)
    ex.append(rec("UDP", C, 8000, S, 8001, state="UDP_ACTIVE", src_packets=3, src_bytes=2 * len(df[0]) + len(df[1])))
    t += 1
    # IPv4: [0, 808) then [800, 1508): 8 bytes in both
    o = IP(src=C, dst=S, id=0x1002, proto=17)
    body = bytes(UDP(sport=8100, dport=8101, len=1508) / Raw(b"o" * 1500))
    at(pk, t, Ether() / o.copy() / Raw(body[:808]))
    pk[-1][IP].flags = "MF"
    tail = Ether() / IP(src=C, dst=S, id=0x1002, proto=17, frag=100) / Raw(body[800:])
    at(pk, t + 0.001, tail)
    # IPv6: [0, 1000) then [992, 1508)
    t += 1
    u6 = bytes(UDP(sport=8200, dport=8201, len=1508) / Raw(b"v" * 1500))
    at(pk, t, Ether() / IPv6(src=C6, dst=S6, nh=44) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x77)
       / Raw(u6[:1000]))
    at(pk, t + 0.001, Ether() / IPv6(src=C6, dst=S6, nh=44)
       / IPv6ExtHdrFragment(nh=17, offset=992 // 8, m=0, id=0x77) / Raw(u6[992:]))
    # a datagram whose middle fragment never comes
    t += 1
    m = Ether() / IP(src=C, dst=S, id=0x1003) / UDP(sport=8300, dport=8301) / Raw(b"m" * 2000)
    mf = [Ether() / f for f in fragment(m[IP], fragsize=800)]
    at(pk, t, mf[0])
    at(pk, t + 0.001, mf[2])
    save("frag_overlaps", pk, ex)


VTEP1, VTEP2 = "192.0.2.1", "192.0.2.2"        # tunnel endpoints
VTEP61, VTEP62 = "2001:db8:ff::1", "2001:db8:ff::2"
IN1, IN2 = "172.16.0.1", "172.16.0.2"          # inside the tunnels
IN61, IN62 = "fd10::1", "fd10::2"


def tun(kind, src, dst, vni=None, key=None):
    """The tunnel keys of an inner connection's record."""
    return {"tunnel": kind, "tunnel_src_ip": src, "tunnel_dst_ip": dst,
            "tunnel_id": vni if vni is not None else key}


NO_TUNNEL = {"tunnel": None, "tunnel_src_ip": None, "tunnel_dst_ip": None, "tunnel_id": None}


def tunnels():
    """Each tunnel's inner connection is tracked and inspected like any
    other, keyed with its tunnel (kind, outer addresses, VNI or key); the
    outer flow stays a row of its own. Both counted per frame on the wire."""
    pk, ex, t = [], [], T0

    def vx(src, dst, sport, vni, inner, dport=4789):
        hdr = struct.pack(">BBHI", 0x08, 0, 0, vni << 8)  # flags I, reserved, VNI, reserved
        return Ether() / IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(hdr) / Ether(type=0x0800) \
            / inner

    # VXLAN (RFC 7348) on 4789: an HTTP request inside VNI 42; each
    # direction has its own outer source port (the VTEPs' flow entropy)
    inner = []
    c = Conv(inner, t, c=IN1, s=IN2, cport=41000, sport=80)
    c.handshake()
    c.send(True, "PA", b"GET /in HTTP/1.1\r\nHost: vxlan.golden.test\r\n\r\n")
    c.send(False, "A")
    for p in inner:
        up = p[IP].src == IN1
        at(pk, p.time, vx(VTEP1 if up else VTEP2, VTEP2 if up else VTEP1, 50000 if up else 50001, 42, p[IP]))
    frame = len(pk[0])
    ex.append(rec("TCP", IN1, 41000, IN2, 80, **tun("vxlan", VTEP1, VTEP2, vni=42), state="ESTABLISHED",
                  app="HTTP", http_host="vxlan.golden.test", http_method="GET", http_path="/in",
                  src_packets=3, dst_packets=2))
    ex.append(rec("UDP", VTEP1, 50000, VTEP2, 4789, **NO_TUNNEL, state="UDP_ACTIVE", src_packets=3,
                  dst_packets=0, src_bytes=sum(len(p) for p in pk if p[IP].src == VTEP1)))
    ex.append(rec("UDP", VTEP2, 50001, VTEP1, 4789, **NO_TUNNEL, state="UDP_ACTIVE", src_packets=2,
                  dst_packets=0))
    # VXLAN on Linux's old default port 8472: found by its header
    t += 1
    q = IP(src=IN1, dst=IN2) / UDP(sport=53001, dport=53) / DNS(id=3, rd=1, qd=DNSQR(qname="inner.golden.test"))
    at(pk, t, vx(VTEP1, VTEP2, 50002, 42, q, dport=8472))
    ex.append(rec("UDP", IN1, 53001, IN2, 53, **tun("vxlan", VTEP1, VTEP2, vni=42),
                  app="DNS", dns_query="inner.golden.test", dns_qtype="A", state="DNS_QUERY",
                  app_state="DNS_QUERY", src_packets=1))
    ex.append(rec("UDP", VTEP1, 50002, VTEP2, 8472, **NO_TUNNEL, state="UDP_ACTIVE", src_packets=1))
    # GENEVE (RFC 8926) with one option: a ping in VNI 7
    t += 1
    for i, (s, d, ty) in enumerate([(IN1, IN2, 8), (IN2, IN1, 0)]):
        g = GENEVE(vni=7, proto=0x6558, optionlen=2, options=b"\x01\x02\x03\x01\x00\x00\x00\x2a")
        at(pk, t + i * 0.01, Ether() / IP(src=VTEP1 if i == 0 else VTEP2, dst=VTEP2 if i == 0 else VTEP1)
           / UDP(sport=51000 + i, dport=6081) / g / Ether() / IP(src=s, dst=d) / ICMP(type=ty, id=5, seq=1))
    ex.append(rec("ICMP", IN1, 0, IN2, 0, **tun("geneve", VTEP1, VTEP2, vni=7), state="ECHO_REPLY",
                  src_packets=1, dst_packets=1))
    ex.append(rec("UDP", VTEP1, 51000, VTEP2, 6081, **NO_TUNNEL, state="UDP_ACTIVE", src_packets=1))
    ex.append(rec("UDP", VTEP2, 51001, VTEP1, 6081, **NO_TUNNEL, state="UDP_ACTIVE", src_packets=1))
    # GRE with key 100 carrying IPv4; GRE without a key bridging Ethernet (ARP)
    t += 1
    at(pk, t, Ether() / IP(src=VTEP1, dst=VTEP2) / GRE(key_present=1, key=100)
       / IP(src=IN1, dst=IN2) / UDP(sport=7000, dport=7001) / Raw(b"g" * 10))
    ex.append(rec("UDP", IN1, 7000, IN2, 7001, **tun("gre", VTEP1, VTEP2, key=100), state="UDP_ACTIVE",
                  src_packets=1))
    ex.append(rec("GRE", VTEP1, 0, VTEP2, 0, gre_key=100, **NO_TUNNEL, state="ACTIVE", src_packets=1))
    at(pk, t + 0.1, Ether() / IP(src=VTEP2, dst=VTEP1) / GRE(proto=0x6558)
       / Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, psrc=IN1, pdst=IN2, hwsrc=MAC_C))
    ex.append(rec("ARP", IN1, 0, IN2, 0, **tun("gre", VTEP2, VTEP1), state="ARP_REQUEST",
                  arp_src_mac=MAC_C, src_packets=1))
    ex.append(rec("GRE", VTEP2, 0, VTEP1, 0, gre_key=None, **NO_TUNNEL, state="ACTIVE", src_packets=1))
    # IP in IP, IPv6 in IPv4, IPv4 in IPv6
    t += 1
    at(pk, t, Ether() / IP(src=VTEP1, dst=VTEP2) / IP(src=IN1, dst=IN2) / TCP(sport=42000, dport=22, flags="S"))
    ex.append(rec("TCP", IN1, 42000, IN2, 22, **tun("ipip", VTEP1, VTEP2), state="SYN_SENT", src_packets=1))
    ex.append(rec("IPv4", VTEP1, 0, VTEP2, 0, **NO_TUNNEL, state="ACTIVE", src_packets=1))
    at(pk, t + 0.1, Ether() / IP(src=VTEP1, dst=VTEP2) / IPv6(src=IN61, dst=IN62) / UDP(sport=6000, dport=6001)
       / Raw(b"6in4"))
    ex.append(rec("UDP", IN61, 6000, IN62, 6001, **tun("6in4", VTEP1, VTEP2), state="UDP_ACTIVE",
                  src_packets=1))
    ex.append(rec("IPv6", VTEP1, 0, VTEP2, 0, **NO_TUNNEL, state="ACTIVE", src_packets=1))
    at(pk, t + 0.2, Ether() / IPv6(src=VTEP61, dst=VTEP62, nh=4) / IP(src=IN1, dst=IN2) / ICMP(type=8, id=6))
    ex.append(rec("ICMP", IN1, 0, IN2, 0, **tun("4in6", VTEP61, VTEP62), state="ECHO_REQUEST",
                  src_packets=1))
    ex.append(rec("IPv4", VTEP61, 0, VTEP62, 0, **NO_TUNNEL, state="ACTIVE", src_packets=1))
    # fragments: an inner datagram in two VXLAN packets, and a GRE packet
    # in two outer fragments: either way the inner connection counts two
    t += 1
    big = IP(src=IN1, dst=IN2, id=0x2222) / UDP(sport=9000, dport=9001) / Raw(b"f" * 1600)
    for i, f in enumerate(fragment(big, fragsize=1000)):
        at(pk, t + i * 0.001, vx(VTEP1, VTEP2, 50003, 42, f))
    ex.append(rec("UDP", IN1, 9000, IN2, 9001, **tun("vxlan", VTEP1, VTEP2, vni=42), state="UDP_ACTIVE",
                  src_packets=2))
    ex.append(rec("UDP", VTEP1, 50003, VTEP2, 4789, **NO_TUNNEL, state="UDP_ACTIVE", src_packets=2))
    outer = IP(src=VTEP1, dst=VTEP2, id=0x3333) / GRE(key_present=1, key=100) / IP(src=IN1, dst=IN2) / \
        UDP(sport=9100, dport=9101) / Raw(b"F" * 1600)
    of = [Ether() / f for f in fragment(outer, fragsize=1000)]
    for i, f in enumerate(reversed(of)):
        at(pk, t + 0.1 + i * 0.001, f)
    ex.append(rec("UDP", IN1, 9100, IN2, 9101, **tun("gre", VTEP1, VTEP2, key=100), state="UDP_ACTIVE",
                  src_packets=2,
                  src_bytes=wire(of)))
    gre_row = next(r for r in ex if r["proto"] == "GRE" and r["gre_key"] == 100)
    gre_row["src_packets"] += 2
    del frame
    pk.sort(key=lambda p: p.time)
    save("tunnels", pk, ex)


def main():
    for fn in (ip_protocols, frag_orders, frag_overlaps, tunnels):
        fn()


if __name__ == "__main__":
    sys.exit(main())

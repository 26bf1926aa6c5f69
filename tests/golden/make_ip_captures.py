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

from scapy.all import AH, ESP, GRE, IP, SCTP, TCP, UDP, Ether, IPv6, Raw
from scapy.all import SCTPChunkInit, SCTPChunkInitAck
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3gr, IGMPv3mr, IGMPv3mq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import C, S, C6, S6, T0, rec, save  # noqa: E402

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
    ex.append(rec("ESP", C, 0, S, 0, spi=0x1001, gre_key=None, src_packets=2, dst_packets=0))
    ex.append(rec("ESP", S, 0, C, 0, spi=0x2002, src_packets=1, dst_packets=0))
    at(pk, t + 0.3, Ether() / IPv6(src=C6, dst=S6) / ESP(spi=5, seq=1) / Raw(b"e" * 24))
    ex.append(rec("ESP", C6, 0, S6, 0, spi=5, src_packets=1, dst_packets=0))
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


def main():
    for fn in (ip_protocols,):
        fn()


if __name__ == "__main__":
    sys.exit(main())

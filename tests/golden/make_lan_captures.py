#!/usr/bin/python3
"""Golden captures for the MACs of a connection's ends: remote_mac and
remote_mac_vendor of on-link peers, learned passively from ARP (RFC 826)
and IPv6 neighbour discovery (RFC 4861), and local_mac, from the
connection's own Ethernet frames.

Run:  /usr/bin/python3 tests/golden/make_lan_captures.py   (needs python3-scapy)

lan_arp: ARP exchanges, then connections to the peers they named: a
registered vendor (tests/golden/oui.txt, which run.sh hands wiretop), a
locally administered address, the default gateway itself, a host
beyond the gateway, which is not on the link and gets no remote MAC (the
gateway's MAC would name the router, not the host), and a host that sent
no ARP in the capture (its neighbour was cached) talking to a peer that
did.

lan_ndp: a neighbour solicitation and advertisement with hop limit 255,
then a UDP exchange over IPv6; advertisements with hop limit 64, which
RFC 4861 section 7.1.2 makes a host discard (they may come from off the
link): one for an address nothing else names, one that would change a
known neighbour's MAC. Neither is learned.

Reading a file, the initiator is the local end (docs/JSON.md), so
local_mac is the source address of the Ethernet frames the initiator
sent, on or off the link, whether it was heard in ARP or not.
tshark_lan.py checks these expectations against tshark's arp.src.hw_mac,
icmpv6.opt.linkaddr and eth.src.
"""
import os
import sys

from scapy.all import (ARP, IP, TCP, UDP, Ether, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptSrcLLAddr, IPv6, Raw)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import T0, rec, save  # noqa: E402

APPLE, INTEL, CISCO = "3c:22:fb:01:02:03", "00:1b:21:aa:bb:cc", "00:00:0c:12:34:56"
DOCKER = "02:42:ac:11:00:1e"          # U/L bit set: locally administered
BCAST, ZERO = "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"
HOST, PEER, RANDOM, GW, FAR = "192.168.7.10", "192.168.7.20", "192.168.7.30", "192.168.7.1", "203.0.113.5"
QUIET, QUIET_MAC = "192.168.7.40", "00:1b:21:00:00:40"  # never in ARP here
HOST6, PEER6, FORGED6 = "fd00:7::10", "fd00:7::20", "fd00:7::30"


def at(pk, t, p):
    p.time = T0 + t
    pk.append(p)


def arp(pk, t, op, mac, ip, dst_mac, dst_ip):
    """A request (op 1, to broadcast) or reply (op 2) from mac / ip."""
    at(pk, t, Ether(src=mac, dst=BCAST if op == 1 else dst_mac)
       / ARP(op=op, hwsrc=mac, psrc=ip, hwdst=ZERO if op == 1 else dst_mac, pdst=dst_ip))


def tcp_open(pk, t, src_mac, dst_mac, src, dst, sport, dport):
    """A handshake: SYN, SYN+ACK, ACK."""
    fwd, back = Ether(src=src_mac, dst=dst_mac) / IP(src=src, dst=dst), Ether(src=dst_mac, dst=src_mac) / IP(src=dst, dst=src)
    at(pk, t, fwd / TCP(sport=sport, dport=dport, flags="S", seq=1000, window=65535))
    at(pk, t + 0.01, back / TCP(sport=dport, dport=sport, flags="SA", seq=5000, ack=1001, window=65535))
    at(pk, t + 0.02, fwd / TCP(sport=sport, dport=dport, flags="A", seq=1001, ack=5001, window=65535))


def udp_pair(pk, t, src_mac, dst_mac, src, dst, sport, dport, v6=False):
    """A datagram each way, 8 zero bytes: no application's signature."""
    ip = IPv6 if v6 else IP
    at(pk, t, Ether(src=src_mac, dst=dst_mac) / ip(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(b"\0" * 8))
    at(pk, t + 0.01, Ether(src=dst_mac, dst=src_mac) / ip(src=dst, dst=src) / UDP(sport=dport, dport=sport) / Raw(b"\0" * 8))


def lan_arp():
    pk = []
    arp(pk, 0, 1, APPLE, HOST, None, PEER)             # who has PEER? tell HOST
    arp(pk, 0.001, 2, INTEL, PEER, APPLE, HOST)        # PEER is at INTEL
    tcp_open(pk, 0.1, APPLE, INTEL, HOST, PEER, 41000, 9000)
    arp(pk, 1, 1, DOCKER, RANDOM, None, HOST)          # a container asks for HOST
    arp(pk, 1.001, 2, APPLE, HOST, DOCKER, RANDOM)
    udp_pair(pk, 1.1, APPLE, DOCKER, HOST, RANDOM, 41001, 9001)
    arp(pk, 2, 1, APPLE, HOST, None, GW)               # the gateway
    arp(pk, 2.001, 2, CISCO, GW, APPLE, HOST)
    udp_pair(pk, 2.1, APPLE, CISCO, HOST, GW, 41002, 9002)
    tcp_open(pk, 3, APPLE, CISCO, HOST, FAR, 41003, 9003)  # through the gateway
    udp_pair(pk, 4, QUIET_MAC, INTEL, QUIET, PEER, 41004, 9004)
    ex = [
        rec("ARP", HOST, 0, PEER, 0, state="ARP_REPLY", arp_src_mac=APPLE, arp_src_vendor="Apple, Inc.",
            arp_dst_mac=INTEL, arp_dst_vendor="Intel Corporate"),
        rec("TCP", HOST, 41000, PEER, 9000, state="ESTABLISHED", local_mac=APPLE, remote_mac=INTEL,
            remote_mac_vendor="Intel Corporate"),
        rec("ARP", RANDOM, 0, HOST, 0, state="ARP_REPLY", arp_src_mac=DOCKER, arp_dst_mac=APPLE,
            arp_dst_vendor="Apple, Inc."),
        rec("UDP", HOST, 41001, RANDOM, 9001, state="UDP_ACTIVE", local_mac=APPLE, remote_mac=DOCKER,
            remote_mac_vendor="locally administered"),
        rec("ARP", HOST, 0, GW, 0, state="ARP_REPLY", arp_src_mac=APPLE, arp_src_vendor="Apple, Inc.",
            arp_dst_mac=CISCO, arp_dst_vendor="Cisco Systems, Inc"),
        rec("UDP", HOST, 41002, GW, 9002, state="UDP_ACTIVE", local_mac=APPLE, remote_mac=CISCO,
            remote_mac_vendor="Cisco Systems, Inc"),
        # routed: the SYN's source is still HOST's own MAC
        rec("TCP", HOST, 41003, FAR, 9003, state="ESTABLISHED", local_mac=APPLE, remote_mac=None,
            remote_mac_vendor=None),
        rec("UDP", QUIET, 41004, PEER, 9004, state="UDP_ACTIVE", local_mac=QUIET_MAC, remote_mac=INTEL,
            remote_mac_vendor="Intel Corporate"),
    ]
    save("lan_arp", pk, ex)


def solicited_node(addr):
    """RFC 4291 section 2.7.1: ff02::1:ff and the address's last 24 bits."""
    import ipaddress
    low = int(ipaddress.IPv6Address(addr)) & 0xffffff
    return str(ipaddress.IPv6Address(int(ipaddress.IPv6Address("ff02::1:ff00:0")) | low))


def lan_ndp():
    pk = []
    ns = (Ether(src=APPLE, dst="33:33:ff:00:00:20") / IPv6(src=HOST6, dst=solicited_node(PEER6), hlim=255)
          / ICMPv6ND_NS(tgt=PEER6) / ICMPv6NDOptSrcLLAddr(lladdr=APPLE))
    at(pk, 0, ns)
    na = (Ether(src=INTEL, dst=APPLE) / IPv6(src=PEER6, dst=HOST6, hlim=255)
          / ICMPv6ND_NA(tgt=PEER6, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=INTEL))
    at(pk, 0.001, na)
    udp_pair(pk, 0.1, APPLE, INTEL, HOST6, PEER6, 41000, 9000, v6=True)
    # hop limit 64: from wherever, not from the link; discarded
    forged = (Ether(src=CISCO, dst=APPLE) / IPv6(src=FORGED6, dst=HOST6, hlim=64)
              / ICMPv6ND_NA(tgt=FORGED6, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=CISCO))
    at(pk, 1, forged)
    udp_pair(pk, 1.1, APPLE, CISCO, HOST6, FORGED6, 41001, 9001, v6=True)
    override = (Ether(src=CISCO, dst=APPLE) / IPv6(src=PEER6, dst=HOST6, hlim=64)
                / ICMPv6ND_NA(tgt=PEER6, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=CISCO))
    at(pk, 2, override)
    udp_pair(pk, 2.1, APPLE, INTEL, HOST6, PEER6, 41002, 9002, v6=True)
    ex = [
        # the solicitation goes to a multicast group: no neighbour, but
        # its frame's source is the sender's
        rec("ICMPv6", HOST6, 0, solicited_node(PEER6), 0, state="NEIGHBOR_SOLICIT", local_mac=APPLE),
        # an advertisement's own flow (the initiator is the local end)
        rec("ICMPv6", PEER6, 0, HOST6, 0, state="NEIGHBOR_ADVERT", local_mac=INTEL, remote_mac=APPLE,
            remote_mac_vendor="Apple, Inc."),
        rec("UDP", HOST6, 41000, PEER6, 9000, state="UDP_ACTIVE", local_mac=APPLE, remote_mac=INTEL,
            remote_mac_vendor="Intel Corporate"),
        # the forged advertisement's flow: its sender is not learned, but
        # its frame came from CISCO; its receiver is known (from the
        # solicitation)
        rec("ICMPv6", FORGED6, 0, HOST6, 0, state="NEIGHBOR_ADVERT", local_mac=CISCO, remote_mac=APPLE,
            remote_mac_vendor="Apple, Inc."),
        rec("UDP", HOST6, 41001, FORGED6, 9001, state="UDP_ACTIVE", local_mac=APPLE, remote_mac=None,
            remote_mac_vendor=None),
        rec("UDP", HOST6, 41002, PEER6, 9002, state="UDP_ACTIVE", local_mac=APPLE, remote_mac=INTEL,
            remote_mac_vendor="Intel Corporate"),
    ]
    save("lan_ndp", pk, ex)


def main():
    lan_arp()
    lan_ndp()
    print("wrote lan captures")


if __name__ == "__main__":
    sys.exit(main())

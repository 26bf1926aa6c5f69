#!/usr/bin/python3
"""Golden capture of ICMP and ICMPv6 errors joined to the connections whose
packets they quote (docs/JSON.md: icmp_error, icmp_error_from,
icmp_errors). Writes captures/icmp_errors.pcap and its .expect.json; the
expectations are stated from RFC 792, 1191 and 4443 and from what the
script sends, and tshark_icmp_errors.py checks them against tshark's
dissection of each error's quoted headers.

Run:  /usr/bin/python3 tests/golden/make_icmp_captures.py   (needs python3-scapy)
"""
import os
import sys

from scapy.all import ICMP, IP, TCP, UDP, Ether, ICMPv6PacketTooBig, IPv6, Raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import C, C6, S, S6, T0, rec, save  # noqa: E402

R1, R2, R3, R4 = "10.1.0.1", "10.0.9.1", "10.0.8.1", "10.0.7.1"   # routers on the way
FAR, PINGED = "10.3.0.4", "10.5.0.6"
R6 = "fd00::1"


def at(pkts, t, p):
    p.time = T0 + t
    pkts.append(p)
    return p


def quote(ip, n=None):
    """The first n bytes of the datagram ip as sent (whole when n is None):
    what an error quotes (RFC 792: the IP header and 8 bytes at least)."""
    b = bytes(ip)
    return b if n is None else b[:n]


def error4(src, dst, type_, code, quoted, mtu=0):
    """ICMP type/code from src to dst; RFC 1191 puts the next-hop MTU of
    "fragmentation needed" in the low 16 bits of the unused word."""
    return Ether() / IP(src=src, dst=dst) / ICMP(type=type_, code=code, nexthopmtu=mtu) / Raw(quoted)


def icmp_errors():
    pk, ex = [], []
    # 1. A UDP datagram to a closed port: the host answers port
    #    unreachable (type 3 code 3) quoting the header and 8 bytes.
    d = IP(src=C, dst=S) / UDP(sport=41000, dport=9999) / Raw(b"ping")
    at(pk, 0.0, Ether() / d)
    at(pk, 0.001, error4(S, C, 3, 3, quote(d, 28)))
    ex.append(rec("UDP", C, 41000, S, 9999, state="UDP_ACTIVE", icmp_error="port unreachable",
                  icmp_error_from=S, icmp_errors=1))
    ex.append(rec("ICMP", S, 0, C, 0, state="DEST_UNREACHABLE"))
    # 2. A TCP SYN, sent again after 1 s (RFC 6298), each answered by a
    #    router's host unreachable (type 3 code 1) quoting the SYN whole.
    for i, t in enumerate((1.0, 2.0)):
        syn = IP(src=C, dst=FAR) / TCP(sport=41001, dport=443, flags="S", seq=1000, window=65535)
        at(pk, t, Ether() / syn)
        at(pk, t + 0.002, error4(R1, C, 3, 1, quote(syn)))
    ex.append(rec("TCP", C, 41001, FAR, 443, state="SYN_SENT", icmp_error="host unreachable",
                  icmp_error_from=R1, icmp_errors=2))
    ex.append(rec("ICMP", R1, 0, C, 0, state="DEST_UNREACHABLE"))
    # 3. traceroute: UDP probes to 33434 and 33435 with TTL 1 and 2, each
    #    answered time exceeded in transit (type 11 code 0) by its hop.
    for i, hop in enumerate((R2, R3)):
        probe = IP(src=C, dst=FAR, ttl=1 + i) / UDP(sport=50000, dport=33434 + i) / Raw(b"\0" * 32)
        at(pk, 3.0 + i * 0.1, Ether() / probe)
        at(pk, 3.003 + i * 0.1, error4(hop, C, 11, 0, quote(probe, 28)))
        ex.append(rec("UDP", C, 50000, FAR, 33434 + i, state="UDP_ACTIVE",
                      icmp_error="TTL exceeded in transit", icmp_error_from=hop, icmp_errors=1))
    ex.append(rec("ICMP", R2, 0, C, 0, state="TIME_EXCEEDED"))
    ex.append(rec("ICMP", R3, 0, C, 0, state="TIME_EXCEEDED"))
    # 4. A ping whose TTL runs out: the echo exchange gets the error, and
    #    the router's own ICMP exchange counts it.
    echo = IP(src=C, dst=PINGED, ttl=1) / ICMP(type=8, id=77, seq=1) / Raw(b"abcd")
    at(pk, 4.0, Ether() / echo)
    at(pk, 4.004, error4(R2, C, 11, 0, quote(echo, 28)))
    ex.append(rec("ICMP", C, 0, PINGED, 0, state="ECHO_REQUEST", icmp_error="TTL exceeded in transit",
                  icmp_error_from=R2, icmp_errors=1))
    # (R2's record, above, now holds both its errors)
    # 5. A segment too large for the next hop with DF set: "fragmentation
    #    needed" (type 3 code 4) with the next hop's MTU, 1400 (RFC 1191).
    big = IP(src=C, dst=S, flags="DF") / TCP(sport=41003, dport=80, flags="PA", seq=1, ack=1) / Raw(b"x" * 1460)
    at(pk, 5.0, Ether() / big)
    at(pk, 5.005, error4(R4, C, 3, 4, quote(big, 28), mtu=1400))
    ex.append(rec("TCP", C, 41003, S, 80, state="ESTABLISHED", icmp_error="fragmentation needed (mtu 1400)",
                  icmp_error_from=R4, icmp_errors=1))
    ex.append(rec("ICMP", R4, 0, C, 0, state="DEST_UNREACHABLE"))
    # 6. IPv6 packet too big (RFC 4443 3.2): MTU 1280, quoting as much of
    #    the 1500-byte packet as fits in the minimum MTU.
    big6 = IPv6(src=C6, dst=S6) / TCP(sport=41004, dport=443, flags="PA", seq=1, ack=1) / Raw(b"y" * 1440)
    at(pk, 6.0, Ether() / big6)
    at(pk, 6.006, Ether() / IPv6(src=R6, dst=C6) / ICMPv6PacketTooBig(mtu=1280) / Raw(quote(big6, 1232)))
    ex.append(rec("TCP", C6, 41004, S6, 443, state="ESTABLISHED", icmp_error="packet too big (mtu 1280)",
                  icmp_error_from=R6, icmp_errors=1))
    ex.append(rec("ICMPv6", R6, 0, C6, 0, state="PACKET_TOO_BIG"))
    # 7. A quote cut inside the UDP ports (IP header and 2 bytes): it names
    #    no connection, so the datagram's record has no error; the ICMP
    #    exchange counts the packet all the same.
    d = IP(src=C, dst=S) / UDP(sport=41005, dport=7000) / Raw(b"cut")
    at(pk, 7.0, Ether() / d)
    at(pk, 7.001, Ether() / IP(src=S, dst=C) / ICMP(type=3, code=3) / Raw(quote(d, 22)))
    ex.append(rec("UDP", C, 41005, S, 7000, state="UDP_ACTIVE"))
    # 8. An error about a datagram never seen (no record to join): S's
    #    ICMP record, above, counts it too.
    ghost = IP(src=C, dst=S) / UDP(sport=41999, dport=7777) / Raw(b"gone")
    at(pk, 8.0, error4(S, C, 3, 3, quote(ghost, 28)))
    save("icmp_errors", pk, ex)


if __name__ == "__main__":
    icmp_errors()

#!/usr/bin/python3
"""Golden captures for the remote end's name (src_name / dst_name).

Run:  /usr/bin/python3 tests/golden/make_name_captures.py   (needs python3-scapy)

names_dns: two DNS answers, then connections to the answered addresses. An
answer names a connection opened while its TTL held (RFC 1035: the time it
may be cached), not one opened after; the DNS flows' own remote end (the
resolver) has no name. tshark_names.py checks these expectations against
the answers as tshark decodes them.
"""
import os
import sys

from scapy.all import DNS, DNSQR, DNSRR, IP, UDP, Ether

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import C, S, T0, Conv, rec, save  # noqa: E402

NAMED = "93.184.216.34"   # www.golden.test, TTL 300 s
BRIEF = "93.184.216.35"   # brief.golden.test, TTL 2 s


def dns_exchange(pkts, t, cport, qname, addr, ttl):
    q = Ether() / IP(src=C, dst=S) / UDP(sport=cport, dport=53) / DNS(
        id=cport, rd=1, qd=DNSQR(qname=qname, qtype="A"))
    a = Ether() / IP(src=S, dst=C) / UDP(sport=53, dport=cport) / DNS(
        id=cport, qr=1, qd=DNSQR(qname=qname, qtype="A"),
        an=DNSRR(rrname=qname, type="A", ttl=ttl, rdata=addr))
    q.time, a.time = t, t + 0.01
    pkts += [q, a]
    return rec("UDP", C, cport, S, 53, app="DNS", app_state="DNS_RESPONSE", dns_query=qname,
               dns_qtype="A", dns_rcode=0, dns_answers=[addr], state="DNS_RESPONSE",
               dst_name=None, dst_name_source=None)


def connect(pkts, t, cport, addr, port):
    c = Conv(pkts, t, cport=cport, sport=port, s=addr)
    c.handshake()


def names_dns():
    pkts = []
    want = [dns_exchange(pkts, T0, 43600, "www.golden.test", NAMED, 300),
            dns_exchange(pkts, T0 + 0.1, 43601, "brief.golden.test", BRIEF, 2)]
    connect(pkts, T0 + 1, 41000, NAMED, 443)   # 1 s after its answer: named
    connect(pkts, T0 + 1.5, 41001, BRIEF, 80)  # within the 2 s: named
    connect(pkts, T0 + 5, 41002, BRIEF, 443)   # after them: a number
    want += [
        rec("TCP", C, 41000, NAMED, 443, state="ESTABLISHED", src_name=None,
            src_name_source=None, dst_name="www.golden.test", dst_name_source="dns"),
        rec("TCP", C, 41001, BRIEF, 80, state="ESTABLISHED", dst_name="brief.golden.test",
            dst_name_source="dns"),
        rec("TCP", C, 41002, BRIEF, 443, state="ESTABLISHED", dst_name=None,
            dst_name_source=None),
    ]
    pkts.sort(key=lambda p: p.time)
    save("names_dns", pkts, want)


def main():
    names_dns()
    print("wrote name captures")


if __name__ == "__main__":
    sys.exit(main())

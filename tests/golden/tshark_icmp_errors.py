#!/usr/bin/env python3
"""ICMP errors joined to their connections, against tshark.

tshark dissects the datagram an ICMP or ICMPv6 error quotes as inner
ip / ipv6 and tcp / udp / icmp layers. From those this script works out,
by docs/JSON.md's rules, which record each error is about: the quoted
datagram's protocol, addresses and ports (an ICMP echo: its addresses),
sent by the error's receiver, a connection whose record began no later
than the error. Each such record must state icmp_error (the first error's
type and code in docs/JSON.md's words, with tshark's MTU), icmp_error_from
(that error's sender) and icmp_errors (how many); every other record none
of them. A quote cut before its ports joins nothing.

usage: tshark_icmp_errors.py CAPTURE_DIR [NAME...]   (no NAME: icmp_* and udp_icmp_arp)
Prints one line per capture and "N passed, N failed"; skips without tshark.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import tshark_main  # noqa: E402

FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.proto", "ipv6.nxt",
          "icmp.type", "icmp.code", "icmp.mtu", "icmpv6.type", "icmpv6.code", "icmpv6.mtu",
          "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport", "sctp.srcport", "sctp.dstport"]
ERRORS = "icmp.type == 3 or icmp.type == 11 or icmpv6.type == 1 or icmpv6.type == 2 or icmpv6.type == 3"
PROTO = {1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6", 132: "SCTP"}
PORTED = {"TCP": "tcp", "UDP": "udp", "SCTP": "sctp"}

# docs/JSON.md's words: RFC 792 and RFC 1812 5.2.7.1 (ICMP), RFC 4443 (ICMPv6)
WORDS = {
    (4, 3): ["net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
             "fragmentation needed", "source route failed", "destination network unknown",
             "destination host unknown", "source host isolated",
             "network administratively prohibited", "host administratively prohibited",
             "network unreachable for TOS", "host unreachable for TOS",
             "communication administratively prohibited", "host precedence violation",
             "precedence cutoff in effect"],
    (4, 11): ["TTL exceeded in transit", "fragment reassembly time exceeded"],
    (6, 1): ["no route to destination", "communication administratively prohibited",
             "beyond scope of source address", "address unreachable", "port unreachable",
             "source address failed ingress/egress policy", "reject route to destination"],
    (6, 2): ["packet too big"],
    (6, 3): ["hop limit exceeded in transit", "fragment reassembly time exceeded"],
}
TYPE_WORDS = {(4, 3): "destination unreachable", (4, 11): "time exceeded",
              (6, 1): "destination unreachable", (6, 3): "time exceeded"}


def words(v, type_, code, mtu):
    names = WORDS[(v, type_)]
    if (v, type_) == (6, 2):
        text = names[0]
    elif code < len(names):
        text = names[code]
    else:
        return "%s (code %d)" % (TYPE_WORDS[(v, type_)], code)
    return "%s (mtu %d)" % (text, mtu) if mtu else text


def occ(row, name, i):
    vals = [x for x in row[FIELDS.index(name)].split(",") if x != ""]
    return vals[i] if len(vals) > i else None


def quoted(row):
    """(time, sender, connection key, words) of one error frame, or None
    when its quote names no connection."""
    v = 6 if occ(row, "ipv6.src", 0) else 4
    ip = "ipv6" if v == 6 else "ip"
    proto_field = "ipv6.nxt" if v == 6 else "ip.proto"
    src, dst, inner_src, inner_dst = (occ(row, ip + ".src", 0), occ(row, ip + ".dst", 0),
                                      occ(row, ip + ".src", 1), occ(row, ip + ".dst", 1))
    num = occ(row, proto_field, 1)
    if not inner_src or num is None or inner_src != dst:
        return None
    proto = PROTO.get(int(num))
    if proto is None:
        return None
    sport = dport = 0
    if proto in PORTED:
        sport, dport = occ(row, PORTED[proto] + ".srcport", 0), occ(row, PORTED[proto] + ".dstport", 0)
        if sport is None or dport is None:
            return None  # cut before its ports
        sport, dport = int(sport), int(dport)
    icmp = "icmpv6" if v == 6 else "icmp"
    type_, code = int(occ(row, icmp + ".type", 0)), int(occ(row, icmp + ".code", 0))
    mtu = int(occ(row, icmp + ".mtu", 0) or 0)
    key = (proto, frozenset([(inner_src, sport), (inner_dst, dport)]))
    return float(occ(row, "frame.time_epoch", 0)), src, key, words(v, type_, code, mtu)


def errors_of(cap):
    args = ["tshark", "-r", cap, "-Y", ERRORS, "-T", "fields", "-E", "occurrence=a", "-E", "separator=\t"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    return [q for q in (quoted(r) for r in rows) if q]


def check_one(name, cap, expect):
    by_key = {}
    for w in expect:
        by_key.setdefault((w["proto"], frozenset([(w["src_ip"], w["src_port"]), (w["dst_ip"], w["dst_port"])])),
                          []).append(w)
    want = {}
    for t, sender, key, text in errors_of(cap):
        # the record of that connection which had begun by then: the latest
        began = [w for w in by_key.get(key, []) if w["first_seen"] <= t + 1e-6]
        if not began:
            continue  # a connection the capture never showed
        w = max(began, key=lambda x: x["first_seen"])
        got = want.setdefault(id(w), {"icmp_error": text, "icmp_error_from": sender, "icmp_errors": 0})
        got["icmp_errors"] += 1
    problems = []
    for w in expect:
        derived = want.get(id(w), {})
        for k in ("icmp_error", "icmp_error_from", "icmp_errors"):
            if w.get(k) != derived.get(k):
                problems.append("%s %s:%s -> %s:%s: %s = %r, tshark's quotes say %r" % (
                    w["proto"], w["src_ip"], w["src_port"], w["dst_ip"], w["dst_port"], k, w.get(k),
                    derived.get(k)))
    return problems


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], ["icmp_", "udp_icmp_arp"], check_one))

#!/usr/bin/env python3
"""Check golden expectations against tshark: tshark dissects each capture,
this script groups its frames into connections by wiretop's documented
rules (docs/JSON.md: protocol and endpoints; ESP/AH by SPI, GRE by key; a
tunnel's inner connection apart from its outer one; a reassembled
datagram's fragments counted to its connection), and every expected record
must match one of them in what it states of protocol, endpoints, packets,
bytes, SPI, GRE key, IGMP group and state, and tunnel.

usage: tshark_agree.py CAPTURE_DIR NAME...   (no NAME: every capture whose
expectations this script knows how to check: those of make_ip_captures.py)
Prints one line per capture and "N passed, N failed"; skips when tshark is
missing.
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import expectations, report  # noqa: E402

FIELDS = [
    "frame.number", "frame.len", "frame.protocols",
    "ip.src", "ip.dst", "ip.proto", "ipv6.src", "ipv6.dst",
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "sctp.srcport", "sctp.dstport",
    "esp.spi", "ah.spi", "gre.key", "igmp.type", "igmp.maddr", "igmp.record_type", "igmp.num_src",
    "vxlan.vni", "geneve.vni", "ip.fragment", "ipv6.fragment",
    "ip.frag_offset", "ip.flags.mf", "ip.len", "ip.hdr_len",
    "ipv6.fraghdr.offset", "ipv6.fraghdr.more", "ipv6.plen",
]
# tshark's layer name -> IP protocol number, for the layers that follow IP
LAYER_PROTO = {"icmp": 1, "igmp": 2, "ip": 4, "tcp": 6, "udp": 17, "ipv6": 41, "gre": 47,
               "esp": 50, "ah": 51, "icmpv6": 58, "ospf": 89, "sctp": 132}
NAMES = {1: "ICMP", 2: "IGMP", 4: "IPv4", 6: "TCP", 17: "UDP", 41: "IPv6", 47: "GRE", 50: "ESP",
         51: "AH", 58: "ICMPv6", 89: "OSPF", 132: "SCTP"}
PORTED = {6: "tcp", 17: "udp", 132: "sctp"}
IPV6_EXT = ("ipv6.hopopts", "ipv6.routing", "ipv6.fraghdr", "ipv6.dstopts")


def tshark_frames(cap):
    args = ["tshark", "-r", cap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
            "-E", "aggregator=|"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    frames = {}
    for line in out.splitlines():
        vals = line.split("\t")
        f = {k: (v.split("|") if v else []) for k, v in zip(FIELDS, vals)}
        frames[int(f["frame.number"][0])] = f
    return frames


class Walk:
    """Reads one frame's layers in order, taking each field's occurrences
    one by one."""

    def __init__(self, f):
        self.f = f
        self.used = {}

    def take(self, field):
        i = self.used.get(field, 0)
        self.used[field] = i + 1
        vals = self.f[field]
        return vals[i] if i < len(vals) else None


def igmp_state(t, rtype, nsrc):
    t = int(t, 16)
    if t == 0x11:
        return "MEMBERSHIP_QUERY"
    if t in (0x12, 0x16):
        return "MEMBERSHIP_REPORT"
    if t == 0x17 or (t == 0x22 and rtype == "3" and nsrc == "0"):
        return "LEAVE_GROUP"
    return "MEMBERSHIP_REPORT" if t == 0x22 else "IGMP_OTHER"


def frame_connections(f):
    """[(key, src endpoint, facts)] of the connections a frame counts to,
    outermost first; an empty list for a frame wiretop places in none."""
    protos = f["frame.protocols"][0].split(":") if f["frame.protocols"] else []
    w = Walk(f)
    out, tunnel, i = [], None, 0
    while i < len(protos):
        layer = protos[i]
        i += 1
        if layer not in ("ip", "ipv6"):
            continue
        fam = 4 if layer == "ip" else 6
        src, dst = w.take(layer + ".src"), w.take(layer + ".dst")
        num = int(w.take("ip.proto")) if fam == 4 else None
        while i < len(protos) and protos[i] in IPV6_EXT:
            i += 1
        nxt = protos[i] if i < len(protos) else None
        if num is None:
            num = LAYER_PROTO.get(nxt)
        if num is None or (num in LAYER_PROTO.values() and nxt != [k for k, v in LAYER_PROTO.items()
                                                                  if v == num][0]):
            return out  # the header after IP is missing: cut short
        facts = {"proto": NAMES.get(num, "IP-%d" % num), "tunnel": tunnel}
        sport = dport = 0
        if num in PORTED:
            sport = int(w.take(PORTED[num] + ".srcport"))
            dport = int(w.take(PORTED[num] + ".dstport"))
        xid = None
        if num in (50, 51):
            xid = facts["spi"] = int(w.take(("esp" if num == 50 else "ah") + ".spi"), 16)
        if num == 47:
            key = w.take("gre.key")
            xid = facts["gre_key"] = int(key, 16) if key else None
        if num == 2:
            t, group = w.take("igmp.type"), w.take("igmp.maddr")
            facts["igmp_group"] = group
            facts["state"] = igmp_state(t, w.take("igmp.record_type"), w.take("igmp.num_src"))
        a, b = (src, sport), (dst, dport)
        key = (facts["proto"], frozenset((a, b)), xid, tunnel_id(tunnel))
        out.append((key, a, b, facts))
        tunnel = inner_tunnel(protos, i, num, fam, src, dst, xid, w, tunnel)
    return out


def tunnel_id(t):
    if t is None:
        return None
    return (t["type"], frozenset((t["src_ip"], t["dst_ip"])), t.get("vni"), t.get("key"),
            tunnel_id(t.get("outer")))


def inner_tunnel(protos, i, num, fam, src, dst, xid, w, outer):
    """The tunnel an inner IP layer after protos[i] is carried in."""
    rest = protos[i + 1:]
    t = {"src_ip": src, "dst_ip": dst, "outer": outer}
    if num == 17 and rest[:1] == ["vxlan"]:
        t.update(type="vxlan", vni=int(w.take("vxlan.vni")))
    elif num == 17 and rest[:1] == ["geneve"]:
        t.update(type="geneve", vni=int(w.take("geneve.vni")))
    elif num == 47 and rest[:1] and rest[0] in ("ip", "ipv6", "eth"):
        t.update(type="gre", key=xid)
    elif num == 4:
        t.update(type="ipip" if fam == 4 else "4in6")
    elif num == 41:
        t.update(type="6in4" if fam == 4 else "6in6")
    else:
        return None
    return t


def fragment_range(f):
    """(offset, end, more) of an outermost fragment's data, from tshark's
    fields (IPv6: a fragment header straight after the fixed header)."""
    if f["ip.frag_offset"]:
        off = int(f["ip.frag_offset"][0]) * 8
        return off, off + int(f["ip.len"][0]) - int(f["ip.hdr_len"][0]), f["ip.flags.mf"][0] == "1"
    off = int(f["ipv6.fraghdr.offset"][0]) * 8
    return off, off + int(f["ipv6.plen"][0]) - 8, f["ipv6.fraghdr.more"][0] == "1"


def linux_keeps(ranges, v4):
    """Whether Linux puts the datagram together from fragments arriving as
    `ranges` (net/ipv4/ip_fragment.c, inet_fragment.c): a fragment inside
    one run of fragments that came in order is a duplicate; any other
    overlap, a zero-length fragment or a disagreeing length discards it.
    tshark flags overlaps but reassembles anyway: this is the difference."""
    runs, last, tail_end, length, last_in = [], None, 0, 0, False
    for off, end, more in ranges:
        if not more:
            if end < length or (last_in and end != length):
                return False
            last_in, length = True, end
        else:
            end = end & ~7 if v4 else end
            if end > length:
                if last_in:
                    return False
                length = end
        if end == off:
            return False
        if not runs or tail_end < end:
            if runs and off < tail_end:
                return False
            if runs and off == tail_end:
                last[1] = end
            else:
                last = [off, end]
                runs.append(last)
            tail_end = end
            continue
        hit = [r for r in runs if end > r[0] and off < r[1]]
        if hit and not (off >= hit[0][0] and end <= hit[0][1]):
            return False
        if not hit:
            runs.append([off, end])
    return True


def connections(frames):
    """key -> {initiator endpoint, packets and bytes per direction, facts
    of the last frame}. Fragments count to the frame that reassembled them,
    unless Linux would have discarded their datagram."""
    conns, order = {}, []
    for n, f in sorted(frames.items()):
        members = [int(x) for x in (f["ip.fragment"] or f["ipv6.fragment"])] or [n]
        if len(members) > 1 and not linux_keeps([fragment_range(frames[m]) for m in members],
                                                 bool(f["ip.fragment"])):
            continue
        for key, a, b, facts in frame_connections(f):
            c = conns.get(key)
            if c is None:
                c = conns[key] = {"init": a, "resp": b, "pk": [0, 0], "by": [0, 0]}
                order.append(key)
            d = 0 if a == c["init"] else 1
            c["pk"][d] += len(members)
            c["by"][d] += sum(int(frames[m]["frame.len"][0]) for m in members)
            c["facts"] = facts
    return [conns[k] for k in order]


def describe_tunnel(t):
    if t is None:
        return None
    return {"type": t["type"], "src_ip": t["src_ip"], "dst_ip": t["dst_ip"],
            "vni": t.get("vni"), "key": t.get("key")}


def agree(want, c):
    """Problems between an expected record and tshark's connection."""
    got = {"src_packets": c["pk"][0], "dst_packets": c["pk"][1],
           "src_bytes": c["by"][0], "dst_bytes": c["by"][1]}
    for k in ("spi", "gre_key", "igmp_group", "state"):
        if k in c["facts"]:
            got[k] = c["facts"][k]
    tun = describe_tunnel(c["facts"]["tunnel"])
    if tun is not None:
        got["tunnel"] = tun
    problems = []
    for k, v in want.items():
        if k in got and k != "tunnel" and got[k] != v:
            problems.append("%s: expect %r, tshark %r" % (k, v, got[k]))
    if "tunnel" in want and want["tunnel"] != tun:
        problems.append("tunnel: expect %r, tshark %r" % (want["tunnel"], tun))
    return problems


def endpoint(r, side):
    return (r[side + "_ip"], r[side + "_port"])


def check(cap, expect):
    conns = connections(tshark_frames(cap))
    problems, used = [], set()
    for want in expect:
        a, b = endpoint(want, "src"), endpoint(want, "dst")
        cands = [i for i, c in enumerate(conns) if i not in used and
                 c["facts"]["proto"] == want["proto"] and c["init"] == a and c["resp"] == b and
                 not agree(want, c)]
        if not cands:
            near = [agree(want, c) for c in conns if c["facts"]["proto"] == want["proto"] and
                    {c["init"], c["resp"]} == {a, b}]
            problems.append("no tshark connection for %s %s -> %s%s" % (
                want["proto"], a, b, (": " + "; ".join(near[0])) if near else ""))
            continue
        used.add(cands[0])
    for i, c in enumerate(conns):
        if i not in used:
            problems.append("tshark has a connection not expected: %s %s -> %s" % (
                c["facts"]["proto"], c["init"], c["resp"]))
    return problems


MINE = ("ip_protocols", "fragments", "frag_", "tunnel_")


def main():
    folder, names = sys.argv[1], sys.argv[2:]
    if not shutil.which("tshark"):
        print("skip: tshark not installed")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    if not names:
        names = sorted(n[:-len(".expect.json")] for n in os.listdir(folder)
                       if n.endswith(".expect.json") and n.startswith(MINE))
    return report((name, check(cap, expect), "%s agrees with tshark (%d connections)" % (name, len(expect)))
                  for name, cap, expect in expectations(folder, names))


if __name__ == "__main__":
    sys.exit(main())

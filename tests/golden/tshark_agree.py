#!/usr/bin/env python3
"""Check golden expectations against tshark: tshark dissects each capture,
this script groups its frames into connections by wiretop's documented
rules (docs/JSON.md: protocol and endpoints; ESP/AH by SPI, GRE by key; a
tunnel's inner connection apart from its outer one, keyed with the
tunnel; a reassembled datagram counting every frame that brought it), and
every expected record must match one of them in what it states of
protocol, endpoints, packets, bytes, first and last time, SPI, GRE key,
IGMP group, ICMP, IGMP and ARP state, and tunnel; no connection may go
unexpected. with_counts() gives the make_*.py scripts each record's
packets, bytes and times from the same grouping.

usage: tshark_agree.py CAPTURE_DIR NAME...   (no NAME: every capture whose
expectations this script knows how to check: those of make_ip_captures.py,
make_icmp_captures.py and udp_icmp_arp)
Prints one line per capture and "N passed, N failed"; skips when tshark is
missing.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcp_rules  # noqa: E402
from check import COUNTS, tshark_main  # noqa: E402

# Ports tshark is not told of by default: wiretop finds a VXLAN header
# there by its form, tshark only when asked.
DECODE_AS = ["udp.port==8472,vxlan"]
# tshark's layer name -> IP protocol number, for the layers that follow IP
LAYER_PROTO = {"icmp": 1, "igmp": 2, "ip": 4, "tcp": 6, "udp": 17, "ipv6": 41, "gre": 47,
               "esp": 50, "ah": 51, "icmpv6": 58, "ospf": 89, "sctp": 132}
NAMES = {1: "ICMP", 2: "IGMP", 4: "IPv4", 6: "TCP", 17: "UDP", 41: "IPv6", 47: "GRE", 50: "ESP",
         51: "AH", 58: "ICMPv6", 89: "OSPF", 132: "SCTP"}
PORTED = {6: "tcp", 17: "udp", 132: "sctp"}
MINE = ("ip_protocols", "fragments", "frag_", "tunnels", "udp_icmp_arp", "icmp_errors")


def collect(elem, fields):
    for child in elem:
        name = child.get("name")
        if child.tag == "field" and name:
            fields.setdefault(name, []).append(child.get("show"))
        collect(child, fields)


def tshark_frames(cap):
    """frame number -> {"len": bytes on the wire, "time": epoch seconds,
    "layers": [(protocol, {field: [values]})]}, the layers in order as
    tshark dissected them."""
    args = ["tshark", "-r", cap, "-T", "pdml"]
    for d in DECODE_AS:
        args += ["-d", d]
    out = subprocess.run(args, capture_output=True, check=True).stdout
    frames = {}
    for packet in ET.fromstring(out).iter("packet"):
        layers = []
        for proto in packet.findall("proto"):
            fields = {}
            collect(proto, fields)
            layers.append((proto.get("name"), fields))
        frame = dict(layers)["frame"]
        frames[int(frame["frame.number"][0])] = {"len": int(frame["frame.len"][0]), "layers": layers,
                                                 "time": round(float(frame["frame.time_epoch"][0]), 6)}
    return frames


def first(fields, name):
    vals = fields.get(name)
    return vals[0] if vals else None


def igmp_state(t, rtype, nsrc):
    t = int(t, 16)
    if t == 0x11:
        return "MEMBERSHIP_QUERY"
    if t in (0x12, 0x16):
        return "MEMBERSHIP_REPORT"
    if t == 0x17 or (t == 0x22 and rtype == "3" and nsrc == "0"):
        return "LEAVE_GROUP"
    return "MEMBERSHIP_REPORT" if t == 0x22 else "IGMP_OTHER"


def transport_facts(num, layer, fields, facts):
    """Ports and what else keys or describes the connection."""
    sport = dport = 0
    if num in PORTED:
        sport = int(first(fields, layer + ".srcport"))
        dport = int(first(fields, layer + ".dstport"))
    xid = None
    if num in (50, 51):
        xid = facts["spi"] = int(first(fields, layer + ".spi"), 16)
    if num == 47:
        key = first(fields, "gre.key")
        xid = facts["gre_key"] = int(key, 16) if key else None
    if num == 1:
        facts["state"] = {"8": "ECHO_REQUEST", "0": "ECHO_REPLY"}.get(first(fields, "icmp.type"))
    if num == 2:
        facts["igmp_group"] = first(fields, "igmp.maddr")
        facts["state"] = igmp_state(first(fields, "igmp.type"), first(fields, "igmp.record_type"),
                                    first(fields, "igmp.num_src"))
    return sport, dport, xid


def tunnel_id(t):
    if t is None:
        return None
    return (t["type"], frozenset((t["src_ip"], t["dst_ip"])), t.get("vni"), t.get("key"),
            tunnel_id(t.get("outer")))


def tunnel_after(layers, i, num, fam, src, dst, xid, outer):
    """The tunnel an IP layer further on is carried in, when layers[i] is
    the header after IP and what follows is a tunnel's."""
    rest = [name for name, _ in layers[i + 1:i + 2]]
    t = {"src_ip": src, "dst_ip": dst, "outer": outer}
    if num == 17 and rest in (["vxlan"], ["geneve"]):
        t.update(type=rest[0], vni=int(first(layers[i + 1][1], rest[0] + ".vni"), 0))
    elif num == 47 and rest and rest[0] in ("ip", "ipv6", "eth"):
        t.update(type="gre", key=xid)
    elif num == 4:
        t.update(type="ipip" if fam == 4 else "4in6")
    elif num == 41:
        t.update(type="6in4" if fam == 4 else "6in6")
    else:
        return None
    return t


def fragment_range(fields):
    """(offset, end, more) of an IP layer's fragment data (IPv6: a
    fragment header straight after the fixed header)."""
    if "ip.frag_offset" in fields:
        off = int(first(fields, "ip.frag_offset")) * 8
        end = off + int(first(fields, "ip.len")) - int(first(fields, "ip.hdr_len"))
        return off, end, first(fields, "ip.flags.mf") == "1"
    off = int(first(fields, "ipv6.fraghdr.offset")) * 8
    return off, off + int(first(fields, "ipv6.plen")) - 8, first(fields, "ipv6.fraghdr.more") == "1"


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


def ip_layers(frame):
    return [fields for name, fields in frame["layers"] if name in ("ip", "ipv6")]


def datagram_frames(frames, n, depth, fields):
    """The frames that brought the IP layer at `depth` of frame n: itself,
    or the fragments tshark put together there; None when Linux would not
    have."""
    members = [int(x) for x in fields.get("ip.fragment") or fields.get("ipv6.fragment") or []]
    if not members:
        return [n]
    ranges = [fragment_range(ip_layers(frames[m])[depth]) for m in members]
    return members if linux_keeps(ranges, "ip.fragment" in fields) else None


def frame_connections(frames, n):
    """[(key, src endpoint, dst endpoint, facts, frames that count)] of the
    connections frame n completes, outermost first."""
    layers = frames[n]["layers"]
    out, tunnel, carried, depth, eth = [], None, [n], 0, None
    for i, (name, fields) in enumerate(layers):
        if name == "eth":
            eth = (first(fields, "eth.src"), first(fields, "eth.dst"))
        if name == "arp":
            a, b = (first(fields, "arp.src.proto_ipv4"), 0), (first(fields, "arp.dst.proto_ipv4"), 0)
            state = "ARP_REPLY" if first(fields, "arp.opcode") == "2" else "ARP_REQUEST"
            facts = {"proto": "ARP", "tunnel": tunnel, "state": state}
            out.append((("ARP", frozenset((a, b)), None, tunnel_id(tunnel)), a, b, facts, carried))
            continue
        if name not in ("ip", "ipv6"):
            continue
        fam = 4 if name == "ip" else 6
        src, dst = first(fields, name + ".src"), first(fields, name + ".dst")
        brought = datagram_frames(frames, n, depth, fields)
        depth += 1
        if brought is None:
            return out
        if brought != [n]:
            carried = brought
        nxt = layers[i + 1][0] if i + 1 < len(layers) else None
        num = int(first(fields, "ip.proto")) if fam == 4 else LAYER_PROTO.get(nxt)
        if num is None or (num in LAYER_PROTO.values() and LAYER_PROTO.get(nxt) != num):
            return out  # no header after IP here: a fragment still waiting, or cut short
        # the Ethernet header this IP header came in: none for IP straight
        # after IP (IP in IP, GRE with IP inside), nor on other links
        facts = {"proto": NAMES.get(num, "IP-%d" % num), "tunnel": tunnel, "eth": eth}
        eth = None
        if nxt == "tcp":
            facts["segment"] = layers[i + 1][1]
        sport, dport, xid = transport_facts(num, nxt, layers[i + 1][1] if nxt else {}, facts)
        a, b = (src, sport), (dst, dport)
        out.append(((facts["proto"], frozenset((a, b)), xid, tunnel_id(tunnel)), a, b, facts, carried))
        tunnel = tunnel_after(layers, i + 1, num, fam, src, dst, xid, tunnel)
        if tunnel is None:
            break
    return out


def connections(frames):
    """Connections in order of their first frame: the initiator's
    endpoints and tunnel, packets and bytes per direction, the times of
    the first frame counted (a datagram's first fragment) and of the last
    one, the last frame's state, and a TCP connection's segments
    (tcp_rules.segment) with their direction."""
    conns, order = {}, []
    for n in sorted(frames):
        for key, a, b, facts, carried in frame_connections(frames, n):
            c = conns.get(key)
            if c is None:
                c = conns[key] = {"init": a, "resp": b, "pk": [0, 0], "by": [0, 0],
                                  "first": min(frames[m]["time"] for m in carried),
                                  "tunnel": facts["tunnel"], "facts": {}, "segs": []}
                order.append(key)
            d = 0 if a == c["init"] else 1
            eth = facts.pop("eth", None)
            if eth:
                c.setdefault("eth", []).append((round(frames[n]["time"] * 1e6), a, eth))
            tcp = facts.pop("segment", None)
            if tcp is not None:
                epoch = dict(frames[n]["layers"])["frame"]["frame.time_epoch"][0]
                c["segs"].append((d, tcp_rules.segment(tcp, epoch, carried)))
            c["pk"][d] += len(carried)
            c["by"][d] += sum(frames[m]["len"] for m in carried)
            c["last"] = frames[n]["time"]
            c["facts"].update(facts)
            layers = dict(frames[n]["layers"])
            dns = layers.get("dns", {})
            if "dns.time" in dns and "dns_time" not in c:
                c["dns_time"] = round(float(dns["dns.time"][0]) * 1000, 3)
            for icmp, field in (("icmp", "icmp.resptime"), ("icmpv6", "icmpv6.resptime")):
                if field in layers.get(icmp, {}):
                    c["echo_time"] = round(float(layers[icmp][field][0]), 3)
    return [conns[k] for k in order]


def tunnel_keys(t):
    """The tunnel keys of a record (docs/JSON.md)."""
    if t is None:
        return {"tunnel": None, "tunnel_src_ip": None, "tunnel_dst_ip": None, "tunnel_id": None}
    return {"tunnel": t["type"], "tunnel_src_ip": t["src_ip"], "tunnel_dst_ip": t["dst_ip"],
            "tunnel_id": t.get("vni", t.get("key"))}


def agree(want, c):
    """Problems between an expected record and tshark's connection."""
    got = counts(c)
    got.update(tunnel_keys(c["tunnel"]))
    for k in ("spi", "gre_key", "igmp_group", "state"):
        if c["facts"].get(k) is not None or k in ("spi", "gre_key"):
            got[k] = c["facts"].get(k)
    return ["%s: expect %r, tshark %r" % (k, v, got[k]) for k, v in want.items()
            if k in got and got[k] != v]


def counts(c):
    """The counter and time keys of a record (docs/JSON.md)."""
    return {"src_packets": c["pk"][0], "src_bytes": c["by"][0],
            "dst_packets": c["pk"][1], "dst_bytes": c["by"][1],
            "first_seen": c["first"], "last_seen": c["last"]}


def endpoint(r, side):
    return (r[side + "_ip"], r[side + "_port"])


def match(conns, expect):
    """(index of the tshark connection each expected record is, or None;
    problems)."""
    problems, used, found = [], set(), []
    for want in expect:
        a, b = endpoint(want, "src"), endpoint(want, "dst")
        same = [i for i, c in enumerate(conns) if i not in used and
                c["facts"]["proto"] == want["proto"] and c["init"] == a and c["resp"] == b]
        fits = [i for i in same if not agree(want, conns[i])]
        if not fits:
            near = "; ".join(agree(want, conns[same[0]])) if same else "none with these endpoints"
            problems.append("no tshark connection for %s %s -> %s: %s" % (want["proto"], a, b, near))
            found.append(None)
            continue
        used.add(fits[0])
        found.append(fits[0])
    for i, c in enumerate(conns):
        if i not in used:
            problems.append("tshark has a connection not expected: %s %s -> %s" % (
                c["facts"]["proto"], c["init"], c["resp"]))
    return found, problems


def check(cap, expect):
    return match(connections(tshark_frames(cap)), expect)[1]


# A DNS record's response time is tshark's dns.time on the first response
# of its conversation that tshark matched with a query; an ICMP one's,
# icmp.resptime (already in ms) on the last echo reply matched with its
# request.
DNS_APPS = ("DNS", "MDNS", "LLMNR")


def with_counts(cap, expect):
    """expect with the packets, bytes and times of each record that does
    not state them all taken from tshark's connection for it; a record that
    states them (one a lifecycle rule split from tshark's connection) is
    left alone; a DNS one, its response time as tshark's dns.time, an
    ICMP one its echo's as icmp.resptime. Every
    TCP record gets the TCP health keys (tcp_rules) of
    its segments (one it states must be theirs); a split one, of its own segments as tshark analyses them
    alone (what came before them belongs to another record).
    Raises ValueError when tshark disagrees with the rest."""
    expect = [dict(w) for w in expect]
    lone = [w for w in expect if any(k not in w for k in COUNTS)]
    conns = connections(tshark_frames(cap))
    found, problems = match(conns, lone)
    problems = [p for p in problems if not p.startswith("tshark has a connection")]
    if problems:
        raise ValueError("%s: %s" % (cap, "; ".join(problems)))
    for want, i in zip(lone, found):
        for k, v in counts(conns[i]).items():
            want.setdefault(k, v)
        if want.get("app") in DNS_APPS and "dns_time" in conns[i]:
            want.setdefault("dns_response_ms", conns[i]["dns_time"])
        if want["proto"] in ("ICMP", "ICMPv6") and "echo_time" in conns[i]:
            want.setdefault("icmp_response_ms", conns[i]["echo_time"])
    for want in expect:
        if want["proto"] == "TCP":
            segs = segments_of(conns, want) if want in lone else split_segments(cap, conns, want)
            for k, v in tcp_rules.health(segs).items():
                if want.setdefault(k, v) != v:
                    raise ValueError("%s: %s stated %r, tshark's frames by tcp_rules %r" % (cap, k, want[k], v))
        want.setdefault("local_mac", local_mac(conns, want))
    return expect


def local_mac(conns, want):
    """docs/JSON.md's local_mac of a record (reading a file the initiator
    is the local end): of its frames in order (those of tshark's
    connection with its endpoints and tunnel, within its first and last
    time), the first that has an Ethernet header of its own gives it: the
    source address when the initiator sent it, else the destination unless
    that is a group address (the I/G bit, broadcast and multicast). None
    for ARP (its records have arp_src_mac) and without Ethernet."""
    if want["proto"] == "ARP":
        return None
    ends = (endpoint(want, "src"), endpoint(want, "dst"))
    lo, hi = round(want["first_seen"] * 1e6), round(want["last_seen"] * 1e6)
    frames = []
    for c in conns:
        same_tunnel = all(want.get(k) == v for k, v in tunnel_keys(c["tunnel"]).items())
        if c["facts"]["proto"] == want["proto"] and {c["init"], c["resp"]} == set(ends) and same_tunnel:
            frames += [f for f in c.get("eth", []) if lo <= f[0] <= hi]
    for _, sender, (src, dst) in sorted(frames, key=lambda f: f[0]):
        if sender == ends[0]:
            return src
        if not int(dst[:2], 16) & 1:
            return dst
    return None


def split_segments(cap, conns, want):
    """The segments of a record cut from a longer conversation, from a
    capture of its frames alone."""
    frames = [str(n) for _, s in segments_of(conns, want) for n in s["frames"]]
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part.pcap")
        subprocess.run(["editcap", "-r", cap, part] + frames, check=True, capture_output=True)
        return segments_of(connections(tshark_frames(part)), want)


def segments_of(conns, want):
    """The segments of tshark's TCP connection(s) with want's endpoints
    that fall within want's first and last time."""
    ends = (endpoint(want, "src"), endpoint(want, "dst"))
    lo, hi = round(want["first_seen"] * 1e6), round(want["last_seen"] * 1e6)
    segs = []
    for c in conns:
        same_tunnel = all(want.get(k) == v for k, v in tunnel_keys(c["tunnel"]).items())
        if c["facts"]["proto"] == "TCP" and {c["init"], c["resp"]} == set(ends) and same_tunnel:
            flip = c["init"] != ends[0]
            segs += [(d ^ flip, s) for d, s in c["segs"] if lo <= s["us"] <= hi]
    return sorted(segs, key=lambda ds: ds[1]["us"])


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], MINE, lambda name, cap, expect: check(cap, expect)))

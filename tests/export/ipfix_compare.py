#!/usr/bin/env python3
"""Compares what nfdump read from nfcapd with wiretop's JSON and tshark.

usage: ipfix_compare.py RECORDS.json NFDUMP.txt TSHARK.tsv [--packets-only]

- every JSON record of an IP connection has nfdump records with the same
  5-tuple whose in/out packets add up to its src/dst packets, and whose
  first start is its first_seen (ms);
- nfdump has no connection that the JSON lacks;
- per ordered address pair and protocol, nfdump's bytes are tshark's sum
  of IP lengths (IPv4 total length, IPv6 payload length + 40) over every
  IP header of each frame (a tunnel's and the connection's inside it):
  IPFIX counts the IP header and payload, not the link layer (skipped with
  --packets-only: a capture whose datagrams wiretop discards on purpose).
Prints one line per mismatch and exits 1 if there is any.
"""
import ipaddress
import json
import sys
from collections import defaultdict

PROTOS = {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMPv6": 58}


def norm(a):
    return str(ipaddress.ip_address(a.strip()))


def load_json(path):
    recs = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["proto"] in PROTOS:
                recs.append(r)
    return recs


def port(text):
    """nfdump shows ICMP type and code as "T.C" in the port column."""
    if "." in text:
        t, c = text.split(".")
        return int(t) * 256 + int(c)
    return int(text)


def load_nfdump(path):
    flows = []
    with open(path) as f:
        for line in f:
            p = [x.strip() for x in line.split("|")]
            if len(p) != 11:
                continue
            flows.append({"start": float(p[0]), "proto": p[2], "sa": norm(p[3]), "sp": port(p[4]),
                          "da": norm(p[5]), "dp": port(p[6]), "ipkt": int(p[7]), "opkt": int(p[8]),
                          "ibyt": int(p[9]), "obyt": int(p[10])})
    return flows


def layers(text):
    return text.split(",") if text else []


def load_tshark(path):
    """(src, dst, proto) -> IP bytes, from every IP header tshark
    dissected in each frame (a tunnel's outer one and those inside it; not
    the header an ICMP error quotes). The protocol of an IPv6 header is the
    one after its extension headers."""
    sums = defaultdict(int)
    with open(path) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 10:
                continue
            v4src, v4dst, v4len, v4proto, v6src, v6dst, v6plen, v6nxt, fragnxt, icmp6 = map(layers, c[:10])
            for src, dst, length, proto in zip(v4src, v4dst, v4len, v4proto):
                sums[(norm(src), norm(dst), int(proto))] += int(length)
                if proto == "1":
                    break
            fragnxt = iter(fragnxt)
            v6 = list(zip(v6src, v6dst, v6plen, v6nxt))
            for i, (src, dst, plen, nxt) in enumerate(v6):
                nxt = int(next(fragnxt, nxt)) if nxt == "44" else int(nxt)
                if icmp6 and i == len(v6) - 1:  # after a hop-by-hop header (MLD)
                    nxt = 58
                sums[(norm(src), norm(dst), nxt)] += int(plen) + 40
                if nxt == 58:
                    break
    return sums


def nfproto(name):
    name = name.strip().upper()
    return {"TCP": 6, "UDP": 17, "ICMP": 1, "ICMP6": 58, "IPV6-ICMP": 58}.get(name, name)


def main():
    recs, flows, truth = load_json(sys.argv[1]), load_nfdump(sys.argv[2]), load_tshark(sys.argv[3])
    bad = []
    want = defaultdict(lambda: [0, 0, None])
    for r in recs:
        k = (PROTOS[r["proto"]], norm(r["src_ip"]), r["src_port"], norm(r["dst_ip"]), r["dst_port"])
        w = want[k]
        w[0] += r["src_packets"]
        w[1] += r["dst_packets"]
        first_ms = int(round(r["first_seen"] * 1e6)) // 1000
        w[2] = first_ms if w[2] is None else min(w[2], first_ms)
    got = defaultdict(lambda: [0, 0, None])
    pair_bytes = defaultdict(int)
    for f in flows:
        if nfproto(f["proto"]) not in PROTOS.values():
            continue  # other IP protocols are exported too, but checked here are these
        k = (nfproto(f["proto"]), f["sa"], f["sp"], f["da"], f["dp"])
        g = got[k]
        g[0] += f["ipkt"]
        g[1] += f["opkt"]
        start_ms = int(round(f["start"] * 1000))
        g[2] = start_ms if g[2] is None else min(g[2], start_ms)
        pair_bytes[(f["sa"], f["da"], k[0])] += f["ibyt"]
        pair_bytes[(f["da"], f["sa"], k[0])] += f["obyt"]
    for k, w in want.items():
        if k not in got:
            bad.append("missing in nfdump: %s" % (k,))
        elif got[k] != w:
            bad.append("%s: nfdump packets in/out, first ms %s, JSON %s" % (k, got[k], w))
    for k in got:
        if k not in want:
            bad.append("only in nfdump: %s" % (k,))
    for k, n in ({} if "--packets-only" in sys.argv else pair_bytes).items():
        if truth.get(k, 0) != n:
            bad.append("%s: nfdump %d IP bytes, tshark %d" % (k, n, truth.get(k, 0)))
    for line in bad:
        print(line)
    print("%d connections, %d nfdump records, %d mismatches" % (len(want), len(flows), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

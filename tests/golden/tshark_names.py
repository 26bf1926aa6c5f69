#!/usr/bin/env python3
"""Check the name expectations (dst_name, dst_name_source) of the names_*
golden captures against the DNS answers as tshark decodes them: a
connection's responder is named by the latest A/AAAA answer for its
address seen before the connection opened, while that answer's TTL held
(tshark's dns.resp.ttl); otherwise it has no name.

usage: tshark_names.py CAPTURE_DIR [NAME...]
Prints one line per capture and "N passed, N failed"; skips when tshark is
missing.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import tshark_main  # noqa: E402


def tshark(cap, filt, fields):
    args = ["tshark", "-r", cap, "-Y", filt, "-T", "fields", "-E", "separator=\t"]
    for f in fields:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def answers(cap):
    """(time, address, name, ttl) of every single-address answer."""
    rows = tshark(cap, "dns.flags.response == 1 && (dns.a || dns.aaaa)",
                  ["frame.time_epoch", "dns.resp.name", "dns.a", "dns.aaaa", "dns.resp.ttl"])
    for t, name, a, aaaa, ttl in rows:
        yield float(t), a or aaaa, name, int(ttl)


def openings(cap):
    """{(src, sport, dst, dport): time of the SYN} of every TCP connection."""
    rows = tshark(cap, "tcp.flags.syn == 1 && tcp.flags.ack == 0",
                  ["frame.time_epoch", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport"])
    return {(s, int(sp), d, int(dp)): float(t) for t, s, sp, d, dp in rows}


def expected_name(ans, dst, opened):
    held = [(t, name) for t, addr, name, ttl in ans if addr == dst and t <= opened < t + ttl]
    return max(held)[1] if held else None


def check_one(name, cap, expect):
    ans = list(answers(cap))
    opened = openings(cap)
    problems = []
    for r in expect:
        key = (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])
        if r["proto"] != "TCP" or "dst_name" not in r:
            continue
        if key not in opened:
            problems.append("%s: tshark sees no SYN" % (key,))
            continue
        want = expected_name(ans, r["dst_ip"], opened[key])
        if r["dst_name"] != want:
            problems.append("%s: dst_name %r, tshark's answers give %r" % (key, r["dst_name"], want))
        if r.get("dst_name_source") != ("dns" if want else None):
            problems.append("%s: dst_name_source %r" % (key, r.get("dst_name_source")))
    if not ans:
        problems.append("tshark finds no DNS answer")
    return problems


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], ("names_",), check_one))

#!/usr/bin/env python3
"""Check the MAC expectations (local_mac, remote_mac, remote_mac_vendor)
of the lan_* golden captures against ARP and neighbour discovery as
tshark decodes them: who is at which hardware address is an ARP packet's
sender (arp.src.proto_ipv4 / arp.src.hw_mac, sender address not 0.0.0.0),
a neighbour solicitation's source with its link-layer option, or an
advertisement's target with its option (icmpv6.opt.linkaddr), the latter
two only with hop limit 255 and code 0 (RFC 4861 sections 7.1.1, 7.1.2);
the latest wins. A record's remote end (the responder: reading a file, the
initiator is local) has remote_mac when it is named so, and then local_mac
when the initiator is too; the vendor is the registry's (oui.txt beside
this script) or "locally administered" for the U/L bit. ARP's own records
have none.

usage: tshark_lan.py CAPTURE_DIR [NAME...]
Prints one line per capture and "N passed, N failed"; skips when tshark is
missing.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check import tshark_main  # noqa: E402


def tshark(cap, filt, fields):
    args = ["tshark", "-r", cap, "-Y", filt, "-T", "fields", "-E", "separator=\t"]
    for f in fields:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def neighbours(cap):
    """{address: MAC}, in the order of the frames."""
    table = {}
    rows = tshark(cap, "arp || icmpv6.type == 135 || icmpv6.type == 136",
                  ["frame.number", "arp.src.proto_ipv4", "arp.src.hw_mac", "ipv6.hlim", "icmpv6.type",
                   "icmpv6.code", "ipv6.src", "icmpv6.nd.na.target_address", "icmpv6.opt.linkaddr"])
    for _, arp_ip, arp_mac, hlim, typ, code, src, target, lla in rows:
        if arp_ip:
            if arp_ip != "0.0.0.0":
                table[arp_ip] = arp_mac
        elif hlim == "255" and code == "0" and lla:
            table[src if typ == "135" else target] = lla.split(",")[0]
    return table


def registry():
    """{six hex digits: vendor} from oui.txt's "(hex)" lines."""
    out = {}
    with open(os.path.join(HERE, "oui.txt")) as fh:
        for line in fh:
            m = re.match(r"([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\s+\(hex\)\s+(.*\S)", line)
            if m:
                out["".join(m.groups()[:3]).lower()] = m.group(4)
    return out


def vendor(mac, reg):
    if int(mac[:2], 16) & 0x02:
        return "locally administered"
    return reg.get(mac.replace(":", "")[:6])


def check_one(name, cap, expect):
    table, reg = neighbours(cap), registry()
    problems = []
    if not table:
        problems.append("tshark finds no neighbour")
    for r in expect:
        key = (r["proto"], r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])
        remote = None if r["proto"] == "ARP" else table.get(r["dst_ip"])
        want = {"remote_mac": remote, "local_mac": table.get(r["src_ip"]) if remote else None,
                "remote_mac_vendor": vendor(remote, reg) if remote else None}
        for k, v in want.items():
            if r.get(k) != v:
                problems.append("%s: %s %r, tshark's neighbours give %r" % (key, k, r.get(k), v))
    return problems


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], ("lan_",), check_one))

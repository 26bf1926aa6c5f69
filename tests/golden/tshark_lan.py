#!/usr/bin/env python3
"""Check the MAC expectations against tshark. local_mac, of every golden
capture: the Ethernet address of the record's local end (reading a file,
the initiator) in its own frames as tshark dissects them
(tshark_agree.local_mac: eth.src of a frame it sent, eth.dst of one it
received unless a group address; none without an Ethernet header of the
record's own, as on Linux cooked and raw IP captures and inside IP in IP).
remote_mac and remote_mac_vendor, of the lan_* captures: against ARP and
neighbour discovery as tshark decodes them: who is at which hardware
address is an ARP packet's
sender (arp.src.proto_ipv4 / arp.src.hw_mac, sender address not 0.0.0.0),
a neighbour solicitation's source with its link-layer option, or an
advertisement's target with its option (icmpv6.opt.linkaddr), the latter
two only with hop limit 255 and code 0 (RFC 4861 sections 7.1.1, 7.1.2);
the latest wins. A record's remote end (the responder: reading a file, the
initiator is local) has remote_mac when it is named so; the vendor is the
registry's (oui.txt beside this script) or "locally administered" for the
U/L bit. ARP's own records have none.

usage: tshark_lan.py CAPTURE_DIR [NAME...]   (no NAME: every capture)
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
from tshark_agree import connections, local_mac, tshark_frames  # noqa: E402


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


def key_of(r):
    return (r["proto"], r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"], r.get("tunnel"))


def check_local(cap, expect):
    conns = connections(tshark_frames(cap))
    return ["%s: local_mac %r, tshark's frames give %r" % (key_of(r), r.get("local_mac"), want)
            for r in expect for want in [local_mac(conns, r)] if r.get("local_mac") != want]


def check_remote(cap, expect):
    table, reg = neighbours(cap), registry()
    problems = []
    if not table:
        problems.append("tshark finds no neighbour")
    for r in expect:
        remote = None if r["proto"] == "ARP" else table.get(r["dst_ip"])
        want = {"remote_mac": remote, "remote_mac_vendor": vendor(remote, reg) if remote else None}
        for k, v in want.items():
            if r.get(k) != v:
                problems.append("%s: %s %r, tshark's neighbours give %r" % (key_of(r), k, r.get(k), v))
    return problems


def check_one(name, cap, expect):
    problems = check_local(cap, expect)
    if name.startswith("lan_"):
        problems += check_remote(cap, expect)
    return problems


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], ("",), check_one))

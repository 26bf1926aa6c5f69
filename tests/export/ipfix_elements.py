#!/usr/bin/env python3
"""Holds wiretop's IPFIX enterprise elements, as tshark decodes them, to
the JSON records of the same run.

usage: ipfix_elements.py RECORDS.json IPFIX.pdml
RECORDS.json: wiretop --json; IPFIX.pdml: tshark -T pdml of the IPFIX
messages. For every connection with traffic, the application (element 6),
server name (7) and HTTP host (8) must be the JSON's app, sni and
http_host (tshark leaves out empty ones). Prints a line of counts.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

ELEMENTS = {6: "app", 7: "sni", 8: "http_host"}


def flows(pdml):
    out = []
    for flow in ET.parse(pdml).iter("field"):
        if not flow.get("show", "").startswith("Flow "):
            continue
        rec = {"ents": {}}
        for f in flow.iter("field"):
            name = f.get("name")
            if name in ("cflow.srcport", "cflow.dstport"):
                rec[name] = int(f.get("show"))
            elif name == "cflow.enterprise_private_entry":
                m = re.search(r"Type (\d+):", f.get("showname", ""))
                if m:
                    rec["ents"][int(m.group(1))] = bytes.fromhex(f.get("value", "")).decode()
        out.append(rec)
    return out


def main():
    records = {}
    for line in open(sys.argv[1]):
        r = json.loads(line)
        if r["proto"] in ("TCP", "UDP"):
            records[(r["src_port"], r["dst_port"])] = r
    got = flows(sys.argv[2])
    errors, checked, strings = [], 0, 0
    for f in got:
        r = records.get((f.get("cflow.srcport"), f.get("cflow.dstport")))
        if r is None:
            continue
        checked += 1
        for etype, key in ELEMENTS.items():
            want = r.get(key) or None
            have = f["ents"].get(etype)
            strings += have is not None
            if have != want:
                errors.append("%s:%s %s: IPFIX %r, JSON %r" % (f.get("cflow.srcport"), f.get("cflow.dstport"), key, have, want))
    if not checked:
        errors.append("no IPFIX flow matched a JSON record (%d flows)" % len(got))
    print("%d flows, %d strings" % (checked, strings))
    if errors:
        print("; ".join(errors[:5]))
        sys.exit(1)


main()

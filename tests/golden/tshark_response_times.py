#!/usr/bin/env python3
"""Response times against tshark.

DNS: every record wiretop writes with
dns_response_ms must carry tshark's dns.time of the first response in its
conversation, and every DNS conversation whose first query tshark sees
answered (a response with that query's ID and a dns.time) must have one.
Only a conversation's first record counts (a later one, after a timeout,
starts afresh); DNS carried by another protocol (DNS over HTTPS) is not
wiretop's DNS.

QUIC: every connection tshark dissects as QUIC (DNS over QUIC on UDP 853
too) carries, as quic_handshake_rtt_ms, the time from the client's first
datagram to its first after the server's first, when there is one, and no
other UDP connection has it, whatever wiretop named its app.

ICMP and ICMPv6 echo: every connection with an echo reply tshark timed
(icmp.resptime, icmpv6.resptime) carries the last one as icmp_response_ms,
and no other has the key.

usage: tshark_response_times.py BINARY FOLDER...   (every .pcap / .pcapng in them)
Prints one line per capture with either and "N passed, N failed".
"""
import glob
import json
import os
import subprocess
import sys

DNS_APPS = ("DNS", "MDNS", "LLMNR")
FIELDS = ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "udp.srcport", "tcp.srcport",
          "udp.dstport", "tcp.dstport", "dns.flags.response", "dns.id", "dns.time"]


def tshark_exchanges(cap):
    """(client ip, client port, server ip, server port) -> (first query's
    ID, ms of the first response tshark timed, that response's ID)."""
    args = ["tshark", "-r", cap, "-Y", "dns", "-T", "fields", "-E", "occurrence=f"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    conv = {}
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        src, dst = v["ip.src"] or v["ipv6.src"], v["ip.dst"] or v["ipv6.dst"]
        sport = int(v["udp.srcport"] or v["tcp.srcport"] or 0)
        dport = int(v["udp.dstport"] or v["tcp.dstport"] or 0)
        if v["dns.flags.response"] in ("0", "False"):
            conv.setdefault((src, sport, dst, dport), [v["dns.id"], None, None])
        elif v["dns.time"]:
            # to the asker, or (mDNS) to the group the question went to
            c = conv.get((dst, dport, src, sport)) or conv.get((src, sport, dst, dport))
            if c is not None and c[1] is None:
                c[1], c[2] = round(float(v["dns.time"]) * 1000, 3), v["dns.id"]
    return conv


def tshark_echoes(cap):
    """{address, address} -> ms of the last echo reply tshark timed."""
    args = ["tshark", "-r", cap, "-Y", "icmp.resptime || icmpv6.resptime", "-T", "fields",
            "-E", "occurrence=l"]
    for f in ("ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "icmp.resptime", "icmpv6.resptime"):
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    last = {}
    for line in out.splitlines():
        s4, s6, d4, d6, t4, t6 = line.split("\t")
        last[frozenset((s4 or s6, d4 or d6))] = round(float(t4 or t6), 3)
    return last


def check_echoes(recs, cap):
    """The records of an address pair (several when tunnels carry the same
    inner pair) must hold tshark's last reply time in one of them."""
    pairs = {}
    for r in recs:
        if r["proto"] in ("ICMP", "ICMPv6"):
            pairs.setdefault(frozenset((r["src_ip"], r["dst_ip"])), []).append(r.get("icmp_response_ms"))
    if not pairs:
        return 0, []
    echoes = tshark_echoes(cap)
    problems, seen = [], 0
    for pair, gots in pairs.items():
        want = echoes.get(pair)
        if want is None and all(g is None for g in gots):
            continue
        seen += 1
        if want is None or not any(g is not None and abs(g - want) <= 0.001 for g in gots):
            problems.append("%s: icmp_response_ms %r, tshark resptime %r ms" % (
                " <-> ".join(sorted(pair)), gots, want))
    return seen, problems


def tshark_quic_rtts(cap):
    """(client ip, port, server ip, port) -> ms from the client's first
    datagram to its first after the server's first, for every UDP
    conversation tshark dissects as QUIC (or Google QUIC) and the client
    opened; the client is the sender of the conversation's first frame.
    UDP 853 is DNS over QUIC's (RFC 9250) as well as DNS over DTLS's, which
    tshark assumes."""
    args = ["tshark", "-r", cap, "-d", "udp.port==853,quic", "-Y", "udp", "-T", "fields",
            "-E", "occurrence=l"]
    for f in ("frame.time_epoch", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
              "udp.srcport", "udp.dstport", "frame.protocols"):
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True).stdout
    convs = {}
    for line in out.splitlines():
        t, s4, s6, d4, d6, sp, dp, protos = line.split("\t")
        a, b = (s4 or s6, int(sp)), (d4 or d6, int(dp))
        c = convs.setdefault(frozenset((a, b)), {"client": a, "server": b, "first": float(t),
                                               "server_seen": False, "quic": False})
        c["quic"] |= ":quic" in protos or ":gquic" in protos
        if a == c["server"]:
            c["server_seen"] = True
        elif c["server_seen"] and "rtt" not in c:
            c["rtt"] = round((float(t) - c["first"]) * 1000, 3)
    return {c["client"] + c["server"]: c["rtt"] for c in convs.values() if c["quic"] and "rtt" in c}


def check_quic(recs, cap):
    """Every UDP record, whatever its app (QUIC, DoQ, or none): the key is
    there exactly when tshark saw a QUIC handshake's round trip on those
    ends. Only the first record of the same ends counts (a later one, after
    a timeout, starts afresh, where tshark's conversation goes on)."""
    quic = [r for r in recs if r["proto"] == "UDP"]
    if not any(r.get("app") in ("QUIC", "DoQ") or "quic_handshake_rtt_ms" in r for r in quic):
        return 0, []
    rtts = tshark_quic_rtts(cap)
    problems, seen, done = [], 0, set()
    for r in sorted(quic, key=lambda r: r["first_seen"]):
        key = (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])
        if key in done:
            continue
        done.add(key)
        got, want = r.get("quic_handshake_rtt_ms"), rtts.get(key)
        if got is None and want is None:
            continue
        seen += 1
        if got is None or want is None or abs(got - want) > 0.001:
            problems.append("%s:%d -> %s:%d: quic_handshake_rtt_ms %r, from tshark's frames %r ms" % (
                key + (got, want)))
    return seen, problems


def check(binary, cap):
    out = subprocess.run([binary, "--read", cap, "--json"], capture_output=True, text=True).stdout
    recs = [json.loads(l) for l in out.splitlines() if l.strip()]
    seen, problems = check_dns(recs, cap)
    n, more = check_echoes(recs, cap)
    m, most = check_quic(recs, cap)
    return seen + n + m, problems + more + most


def check_dns(recs, cap):
    if not any(r.get("app") in DNS_APPS for r in recs):
        return 0, []
    conv = tshark_exchanges(cap)
    problems, seen, done = [], 0, set()
    for r in sorted(recs, key=lambda r: r["first_seen"]):
        key = (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"])
        if r.get("app") not in DNS_APPS or key in done:
            continue  # DNS inside another protocol (DoH); a later record of the same ends
        done.add(key)
        got, c = r.get("dns_response_ms"), conv.get(key)
        want = c[1] if c and c[2] == c[0] else None
        if got is None and want is None:
            continue
        seen += 1
        if got is None or want is None or abs(got - want) > 0.001:
            problems.append("%s:%d -> %s:%d: dns_response_ms %r, tshark dns.time %r ms" % (key + (got, want)))
    return seen, problems


def main():
    binary, folders = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    for folder in folders:
        if not os.path.isdir(folder):
            print("note: %s absent, skipped" % folder)
            continue
        for cap in sorted(glob.glob(os.path.join(folder, "*.pcap")) + glob.glob(os.path.join(folder, "*.pcapng"))):
            seen, problems = check(binary, cap)
            if not seen:
                continue
            name = os.path.basename(cap)
            if problems:
                failed += 1
                print("FAIL %s\n     %s" % (name, "\n     ".join(problems)))
            else:
                passed += 1
                print("ok   %s: %d response times as tshark's" % (name, seen))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""--findings against its golden captures (tests/golden/findings/).

For each NAME.pcap: wiretop --read NAME.pcap --findings must write exactly
the lines of NAME.findings.json (made by make_findings_captures.py from
the protocol rules), with one worker and with several; and those
expectations must agree with what tshark sees in the same frames
(tcp.flags.reset, tcp.analysis.retransmission, the round trips of
tcp_rules.py over each connection's segments, each of their samples
tshark's tcp.analysis.ack_rtt where it names the timed segment's frame as
the one acknowledged, icmp.type == 3 and the
connection its quote names, dns.flags.rcode, queries without a response),
under docs/FINDINGS.md's rules and default thresholds. A damaged file is a clear error (status 2,
a message, no findings).

Usage: findings_check.py WIRETOP_BINARY
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tcp_rules  # noqa: E402

DIR = os.path.join(HERE, "findings")
NO_ANSWER_S, RETRANSMIT_PERCENT, RETRANSMIT_MIN, RTT_RISE_US = 5, 10, 3, 100000
TIME_KEYS = ("first_seen", "last_seen")
failures, passes = [], []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    (passes if ok else failures).append(what)


def norm(x):
    """Times to microseconds, so a float's last bit does not matter."""
    if isinstance(x, dict):
        return {k: (round(v * 1e6) if k in TIME_KEYS else norm(v)) for k, v in x.items()}
    if isinstance(x, list):
        return [norm(v) for v in x]
    return x


def lines(text):
    return [norm(json.loads(line)) for line in text.splitlines() if line.strip()]


# ---- tshark's view ----

FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "ip.proto", "tcp.srcport", "tcp.dstport",
          "udp.srcport", "udp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset",
          "tcp.flags.fin", "tcp.analysis.retransmission", "icmp.type", "dns.flags.response",
          "dns.flags.rcode", "dns.qry.name", "dns.id",
          # what tcp_rules.segment reads of a segment
          "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "frame.number",
          "tcp.analysis.ack_rtt", "tcp.analysis.acks_frame"] + \
    [flag for flag in tcp_rules.FLAGS.values() if flag != "tcp.analysis.retransmission"] + \
    ["tcp.analysis.zero_window_probe"]


def tshark_frames(pcap):
    cmd = ["tshark", "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]


def conn_key(proto, src, sport, dst, dport):
    return (proto, src, sport, dst, dport)


def tcp_conversations(frames):
    """TCP conversations by address pair, their initiator the first SYN's sender."""
    convs = {}
    for f in frames:
        if f["ip.proto"] != "6":
            continue
        a = (f["ip.src"], int(f["tcp.srcport"]))
        b = (f["ip.dst"], int(f["tcp.dstport"]))
        c = convs.get((a, b)) or convs.get((b, a))
        if c is None:
            c = convs[(a, b)] = {"init": a, "resp": b, "frames": []}
        c["frames"].append(f)
    return list(convs.values())


def segments(conv):
    """The conversation's segments as tcp_rules.py reads them."""
    segs = []
    for f in conv["frames"]:
        tcp = {k: [v] for k, v in f.items() if k.startswith("tcp.") and v != ""}
        d = 0 if (f["ip.src"], int(f["tcp.srcport"])) == conv["init"] else 1
        segs.append((d, tcp_rules.segment(tcp, f["frame.time_epoch"], [int(f["frame.number"])])))
    return segs


def tcp_findings(frames, end):
    out = []
    for c in tcp_conversations(frames):
        init, resp, fs = c["init"], c["resp"], c["frames"]
        from_resp = [f for f in fs if (f["ip.src"], int(f["tcp.srcport"])) == resp]
        syn = any(f["tcp.flags.syn"] == "1" and f["tcp.flags.ack"] == "0" for f in fs)
        synack = any(f["tcp.flags.syn"] == "1" and f["tcp.flags.ack"] == "1" for f in from_resp)
        rst = any(f["tcp.flags.reset"] == "1" for f in fs)
        fins = {(f["ip.src"], f["tcp.srcport"]) for f in fs if f["tcp.flags.fin"] == "1"}
        first = float(fs[0]["frame.time_epoch"])
        kinds = []
        if syn and not synack and not rst and not from_resp and end - first >= NO_ANSWER_S:
            kinds.append("tcp_no_answer")
        if syn and not synack and rst:
            kinds.append("tcp_refused")
        if synack and rst and len(fins) < 2:
            kinds.append("tcp_reset")
        retrans = sum(f["tcp.analysis.retransmission"] != "" for f in fs)
        if synack and retrans >= RETRANSMIT_MIN and retrans * 100 >= RETRANSMIT_PERCENT * len(fs):
            kinds.append("tcp_retransmits")
        segs = segments(c)
        wrong = tcp_rules.ack_rtt_disagreements(segs)
        check(not wrong, "%s:%d: the round-trip samples are tshark's ack_rtt %s" % (resp + (wrong,)))
        hs, (srtt, spikes) = tcp_rules.handshake_us(segs), tcp_rules.estimators(segs)
        if synack and hs is not None and srtt is not None and srtt >= 2 * hs and srtt - hs >= RTT_RISE_US:
            kinds.append("tcp_rtt_rise")
        if synack and spikes:
            kinds.append("tcp_rtt_spike")
        for k in kinds:
            out.append((k, ("TCP", resp[0], resp[1]), conn_key("TCP", init[0], init[1], resp[0], resp[1]), fs))
    return out


def icmp_findings(frames):
    return [("icmp_unreachable", ("ICMP", f["ip.src"], f["ip.dst"]), conn_key("ICMP", f["ip.src"], 0, f["ip.dst"], 0), [f])
            for f in frames if f["icmp.type"] == "3"]


def quoted_findings(pcap, frames):
    """The connections ICMP destination unreachable errors quote, from
    tshark's dissection of each quote (its inner ip and udp / tcp): a
    connection of frames the capture showed by then, sent by the error's
    receiver; about the pair of the error's sender and receiver."""
    cmd = ["tshark", "-r", pcap, "-Y", "icmp.type == 3", "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a"]
    for f in ("frame.time_epoch", "ip.src", "ip.dst", "ip.proto", "udp.srcport", "udp.dstport",
              "tcp.srcport", "tcp.dstport"):
        cmd += ["-e", f]
    out = []
    for line in subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines():
        t, srcs, dsts, protos, usp, udp_, tsp, tdp = line.split("\t")
        srcs, dsts, protos = srcs.split(","), dsts.split(","), protos.split(",")
        if len(srcs) < 2 or srcs[1] != dsts[0]:
            continue
        layer = {"17": "udp", "6": "tcp"}.get(protos[1])
        sport, dport = (usp, udp_) if layer == "udp" else (tsp, tdp)
        if not layer or not sport or not dport:
            continue
        ends = {(srcs[1], sport), (dsts[1], dport)}
        conn = [f for f in frames if f["ip.proto"] == protos[1] and
                {(f["ip.src"], f[layer + ".srcport"]), (f["ip.dst"], f[layer + ".dstport"])} == ends]
        if not conn or float(conn[0]["frame.time_epoch"]) > float(t):
            continue
        first = conn[0]
        key = conn_key(layer.upper(), first["ip.src"], int(first[layer + ".srcport"]), first["ip.dst"],
                       int(first[layer + ".dstport"]))
        out.append(("icmp_unreachable", ("ICMP", srcs[0], dsts[0]), key, conn))
    return out


RCODES = {"2": "dns_servfail", "3": "dns_nxdomain", "5": "dns_refused"}


def dns_findings(frames, end):
    out = []
    queries = [f for f in frames if f["dns.flags.response"] == "0"]
    for q in queries:
        key = conn_key("UDP", q["ip.src"], int(q["udp.srcport"]), q["ip.dst"], int(q["udp.dstport"]))
        resp = [f for f in frames if f["dns.flags.response"] == "1" and f["dns.id"] == q["dns.id"] and
                int(f["udp.dstport"]) == key[2]]
        if resp and resp[0]["dns.flags.rcode"] in RCODES:
            out.append((RCODES[resp[0]["dns.flags.rcode"]], q["dns.qry.name"], key, [q, resp[0]]))
        elif not resp and end - float(q["frame.time_epoch"]) >= NO_ANSWER_S:
            out.append(("dns_no_answer", q["dns.qry.name"], key, [q]))
    return out


def subject_of(finding):
    if "dns_query" in finding:
        return finding["dns_query"]
    if "src_ip" in finding:
        return (finding["proto"], finding["src_ip"], finding["dst_ip"])
    return (finding["proto"], finding["dst_ip"], finding["dst_port"])


def tshark_agrees(name, pcap, want):
    """The expectation's findings are the ones tshark's frames make."""
    frames = tshark_frames(pcap)
    end = max(float(f["frame.time_epoch"]) for f in frames)
    seen = {}
    made = tcp_findings(frames, end) + icmp_findings(frames) + quoted_findings(pcap, frames) + dns_findings(frames, end)
    for kind, subject, key, fs in made:
        s = seen.setdefault((kind, subject), {"conns": set(), "times": []})
        s["conns"].add(key)
        s["times"] += [float(f["frame.time_epoch"]) for f in fs]
    stated = {}
    for f in want:
        conns = {conn_key(c["proto"], c["src_ip"], c["src_port"], c["dst_ip"], c["dst_port"]) for c in f["connections"]}
        stated[(f["finding"], subject_of(f))] = (conns, f["count"], f["first_seen"], f["last_seen"])
    check(set(stated) == set(seen), "%s: tshark finds the same kinds and subjects (%s)" % (name, sorted(seen)))
    for k, s in seen.items():
        if k not in stated:
            continue
        conns, count, first, last = stated[k]
        times = (round(min(s["times"]) * 1e6), round(max(s["times"]) * 1e6))
        check(conns == s["conns"] and count == len(s["conns"]) and (first, last) == times,
              "%s: %s %s: connections, count and times as tshark's frames" % (name, k[0], k[1]))


def run(binary, args):
    return subprocess.run([binary] + args, capture_output=True, text=True, timeout=60)


def main():
    binary = sys.argv[1]
    names = sorted(f[:-5] for f in os.listdir(DIR) if f.endswith(".pcap"))
    check(bool(names), "captures found in " + DIR)
    for name in names:
        pcap = os.path.join(DIR, name + ".pcap")
        with open(os.path.join(DIR, name + ".findings.json")) as f:
            want = lines(f.read())
        tshark_agrees(name, pcap, want)
        for threads in ("1", "3"):
            p = run(binary, ["--read", pcap, "--findings", "--threads", threads])
            got = lines(p.stdout)
            check(p.returncode == 0 and got == want,
                  "%s, %s worker(s): status 0 and the findings stated" % (name, threads))
            if got != want:
                print("  got:  %s\n  want: %s" % (json.dumps(got), json.dumps(want)))
    # A threshold changes what is a finding: 20 s without an answer is
    # longer than anything in problems.pcap waited.
    p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--findings", "--findings-no-answer", "20"])
    kinds = [json.loads(line)["finding"] for line in p.stdout.splitlines()]
    check(p.returncode == 0 and "tcp_no_answer" not in kinds and "dns_no_answer" not in kinds
          and "dns_nxdomain" in kinds, "--findings-no-answer 20: no unanswered findings, the others stay")
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
        conf.write("findings-no-answer = 20\nfindings-retransmit-percent = 50\nfindings-rtt-spike = 250\n")
        conf.flush()
        p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--findings", "--config", conf.name])
        kinds = [json.loads(line)["finding"] for line in p.stdout.splitlines()]
        check(p.returncode == 0 and kinds == ["tcp_refused", "tcp_reset", "tcp_rtt_rise", "tcp_rtt_spike",
                                               "icmp_unreachable", "dns_nxdomain", "dns_servfail"],
              "the thresholds as config keys: %s" % kinds)
    p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--findings", "--filter", "dport:53"])
    kinds = [json.loads(line)["finding"] for line in p.stdout.splitlines()]
    check(p.returncode == 0 and kinds == ["dns_nxdomain", "dns_servfail", "dns_no_answer"],
          "--filter dport:53: the DNS findings only: %s" % kinds)
    p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--findings", "--findings-retransmit-min", "5"])
    check(p.returncode == 0 and '"tcp_retransmits"' not in p.stdout,
          "--findings-retransmit-min 5: 4 retransmissions are no finding")
    # the round trip rose 156.8 ms over the handshake's: a finding at 150, none at 160 or 0
    for rise, want_it in (("150", True), ("160", False), ("0", False)):
        p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--findings", "--findings-rtt-rise", rise])
        check(p.returncode == 0 and ('"tcp_rtt_rise"' in p.stdout) == want_it,
              "--findings-rtt-rise %s: %s" % (rise, "a finding" if want_it else "no finding"))
    # the spikes were 237.5 ms (10.2.0.15) and 380 ms (10.2.0.16) over
    # SRTT, and 10.2.0.17's jitter 199.999 ms over it (and over its
    # SRTT + 4 * RTTVAR): three findings at 199, two at 200, one at 238,
    # none at 381 or 0; the records count what the threshold makes spikes
    for spike, want_n in (("199", 3), ("200", 2), ("238", 1), ("381", 0), ("0", 0)):
        p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--findings", "--findings-rtt-spike", spike])
        check(p.returncode == 0 and p.stdout.count('"tcp_rtt_spike"') == want_n,
              "--findings-rtt-spike %s: %d finding(s)" % (spike, want_n))
        p = run(binary, ["--read", os.path.join(DIR, "problems.pcap"), "--json", "--findings-rtt-spike", spike])
        check(p.returncode == 0 and p.stdout.count('"rtt_spikes": 1,') == want_n,
              "--findings-rtt-spike %s: %d record(s) with a spike" % (spike, want_n))
    with tempfile.NamedTemporaryFile(suffix=".pcap") as bad:
        bad.write(b"this is not a capture file\n")
        bad.flush()
        p = run(binary, ["--read", bad.name, "--findings"])
        check(p.returncode == 2 and p.stdout == "" and p.stderr.startswith("wiretop: ") and "\n" in p.stderr,
              "a damaged file: status 2, a message, no findings (%r)" % p.stderr.strip())
    p = run(binary, ["--read", os.path.join(DIR, "clean.pcap"), "--findings", "--json"])
    check(p.returncode == 2 and "--findings" in p.stderr, "--findings with --json: a usage error")
    print("findings: %d passed, %d failed" % (len(passes), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

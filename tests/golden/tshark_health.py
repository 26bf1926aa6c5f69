#!/usr/bin/env python3
"""TCP health against tshark's own analysis: for every TCP connection of
the project's captures (tests/golden/captures) and of the reference
captures in ../shared/pcaps (skipped, with a note, when absent), wiretop's
per-direction counts of retransmissions, out-of-order segments, duplicate
ACKs and zero windows must equal the number of frames tshark flags
tcp.analysis.retransmission (fast and spurious ones included),
.out_of_order, .duplicate_ack and .zero_window in that direction, and its
handshake RTT must be within 1 ms of tshark's tcp.analysis.initial_rtt,
and its round-trip spikes (rtt_spikes, rtt_spike_max_ms, rtt_spike_at) must
be those tcp_rules.py finds in tshark's segments, each sample tshark's
tcp.analysis.ack_rtt where that names the timed segment.

tshark reads all the captures in one run (mergecap -a puts them one after
another): starting it is what costs. A connection is known on both sides
by its endpoints and the time of its first frame.

usage: tshark_health.py WIRETOP_BIN CAPTURE_DIR [SHARED_PCAPS_DIR]
Prints one line per capture and "N passed, N failed".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import report  # noqa: E402
import tcp_rules  # noqa: E402
from tcp_rules import FLAGS as COUNTS  # noqa: E402
FIELDS = ["frame.time_epoch", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
          "tcp.dstport", "tcp.stream", "tcp.analysis.initial_rtt"] + list(COUNTS.values()) + \
    ["frame.number", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.analysis.ack_rtt",
     "tcp.analysis.acks_frame", "tcp.analysis.zero_window_probe",  # what tcp_rules.segment reads
     "icmp.type", "icmpv6.type"]
SEGMENT = ("tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len")
SPIKE_KEYS = ("rtt_spikes", "rtt_spike_max_ms", "rtt_spike_at")
RTT_TOLERANCE_MS = 1.0


def whole_tcp(shared, name):
    """Whether a reference capture has TCP and is whole, by its truth file
    (a damaged or cut one is for robustness tests, and mergecap refuses it)."""
    path = os.path.join(shared, name.rsplit(".", 1)[0] + ".truth.json")
    if not os.path.exists(path):
        return False
    with open(path) as fh:
        truth = json.load(fh)
    whole = not truth["file"].get("damaged") and not truth["file"].get("truncated")
    return whole and any(f.get("proto") == "TCP" for f in truth.get("flows", []))


def captures(folder, shared):
    """The captures to check: every one of the project's, and the whole
    reference ones with TCP (pcap and pcapng)."""
    out = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".pcap"))
    if shared:
        out += sorted(os.path.join(shared, n) for n in os.listdir(shared)
                      if n.endswith((".pcap", ".pcapng")) and whole_tcp(shared, n))
    return out


def first_of(value):
    return value.split(",")[0] if value else ""


def tshark_run(paths):
    """tshark's TCP streams of captures with no endpoints in common, read
    in one run: [{"ends", "first_us", "counts", "rtt_ms"}], where counts
    holds each flag by the sender's endpoint and rtt_ms the initial RTT
    once tshark knows it."""
    with tempfile.TemporaryDirectory() as tmp:
        merged = os.path.join(tmp, "all.pcapng")
        subprocess.run(["mergecap", "-a", "-w", merged] + paths, check=True)
        args = ["tshark", "-r", merged, "-Y", "tcp", "-T", "fields", "-E", "occurrence=f"]
        for f in FIELDS:
            args += ["-e", f]
        out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    streams = {}
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        src = (v["ip.src"] or v["ipv6.src"], int(v["tcp.srcport"]))
        dst = (v["ip.dst"] or v["ipv6.dst"], int(v["tcp.dstport"]))
        s = streams.setdefault(v["tcp.stream"], {
            "ends": frozenset((src, dst)), "first_us": float(v["frame.time_epoch"]) * 1e6,
            "counts": {}, "rtt_ms": None, "segs": []})
        tcp = {k: [x] for k, x in v.items() if k.startswith("tcp.") and x != ""}
        # a segment of the stream's own, not one an ICMP error quotes (nor a cut header)
        if all(k in tcp for k in SEGMENT) and not v["icmp.type"] and not v["icmpv6.type"]:
            s["segs"].append((src, tcp_rules.segment(tcp, v["frame.time_epoch"], [int(v["frame.number"])])))
        for key, flag in COUNTS.items():
            if v[flag]:
                s["counts"][(key, src)] = s["counts"].get((key, src), 0) + 1
        if v["tcp.analysis.initial_rtt"]:
            s["rtt_ms"] = float(first_of(v["tcp.analysis.initial_rtt"])) * 1000
    return list(streams.values())


def ends_of(rec):
    return frozenset(((rec["src_ip"], rec["src_port"]), (rec["dst_ip"], rec["dst_port"])))


def batches(records):
    """The captures in groups that share no connection's endpoints: the
    synthetic ones reuse addresses and ports, and tshark would take the
    same endpoints in two captures read together for one connection."""
    groups = []
    for cap, recs in records.items():
        mine = {ends_of(r) for r in recs}
        for g in groups:
            if not mine & g["ends"]:
                g["caps"].append(cap)
                g["ends"] |= mine
                break
        else:
            groups.append({"caps": [cap], "ends": mine})
    return [g["caps"] for g in groups]


def wiretop_records(binary, cap):
    """wiretop's TCP records of a capture; those inside a tunnel are left
    out (their endpoints are the inner ones, which tshark's fields here
    do not pick)."""
    p = subprocess.run([binary, "--read", cap, "--json"], capture_output=True, timeout=60)
    recs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    return [r for r in recs if r.get("proto") == "TCP" and not r.get("tunnel")]


def agree(rec, stream):
    """Problems between one wiretop record and tshark's stream."""
    src, dst = (rec["src_ip"], rec["src_port"]), (rec["dst_ip"], rec["dst_port"])
    name = "%s:%d -> %s:%d" % (src + dst)
    problems = []
    for key in COUNTS:
        for side, end in (("src_", src), ("dst_", dst)):
            want = stream["counts"].get((key, end), 0)
            if rec.get(side + key) != want:
                problems.append("%s: %s%s = %r, tshark %d" % (name, side, key, rec.get(side + key), want))
    want, got = stream["rtt_ms"], rec.get("handshake_rtt_ms")
    if (want is None) != (got is None) or (want is not None and abs(got - want) > RTT_TOLERANCE_MS):
        problems.append("%s: handshake_rtt_ms = %r, tshark initial_rtt %r" % (name, got, want))
    segs = [(0 if end == src else 1, seg) for end, seg in stream["segs"]]
    problems += ["%s: %s" % (name, p) for p in tcp_rules.ack_rtt_disagreements(segs)]
    spikes = tcp_rules.spike_keys(segs)
    for key in SPIKE_KEYS:
        if rec.get(key) != spikes.get(key):
            problems.append("%s: %s = %r, tshark's segments %r" % (name, key, rec.get(key), spikes.get(key)))
    return problems


def check(recs, streams):
    """Problems of one capture's records, the number compared and the
    number left out: a connection wiretop retired when idle and took up
    again is one stream to tshark, and neither part is compared."""
    def stream_of(rec):
        for s in streams:
            if s["ends"] == ends_of(rec) and abs(s["first_us"] - rec["first_seen"] * 1e6) < 2:
                return s
        return None
    matched = [(r, stream_of(r)) for r in recs]
    split = {id(s) for s in streams for r, m in matched if m is None and s["ends"] == ends_of(r)}
    problems, n, left = [], 0, 0
    for rec, stream in matched:
        if stream is None and any(s["ends"] == ends_of(rec) for s in streams) or \
                stream is not None and id(stream) in split:
            left += 1
        elif stream is None:
            problems.append("no tshark stream for %s:%d -> %s:%d" % (
                rec["src_ip"], rec["src_port"], rec["dst_ip"], rec["dst_port"]))
        else:
            n += 1
            problems += agree(rec, stream)
    return problems, n, left


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else None
    for tool in ("tshark", "mergecap"):
        if not shutil.which(tool):
            print("skip: %s not installed" % tool)
            print("0 passed, 0 failed, 1 skipped")
            return 0
    if shared and not os.path.isdir(shared):
        print("note: %s absent, the project's captures only" % shared)
        shared = None
    records = {cap: wiretop_records(binary, cap) for cap in captures(folder, shared)}
    records = {cap: recs for cap, recs in records.items() if recs}
    streams = {}
    for group in batches(records):
        found = tshark_run(group)
        for cap in group:
            streams[cap] = found
    results = []
    for cap, recs in records.items():
        problems, n, left = check(recs, streams[cap])
        note = ", %d split by idle timeout not compared" % left if left else ""
        results.append((os.path.basename(cap), problems,
                        "%s: TCP health agrees with tshark (%d connections%s)" % (
                            os.path.basename(cap), n, note)))
    return report(results)


if __name__ == "__main__":
    sys.exit(main())

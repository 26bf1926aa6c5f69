#!/usr/bin/env python3
"""Compare wiretop's JSON records on each golden capture with the
expectations written beside it (NAME.expect.json, made by
make_captures.py). Records are compared whole: every key wiretop writes
must be one docs/JSON.md lists and have the value the expectation gives
it; a key the expectation leaves out must be null (a key every record
has) or absent (a protocol's own key). Prints one line per capture and
"N passed, N failed".

usage: check.py WIRETOP_BIN CAPTURE_DIR [extra wiretop args...]
"""
import json
import os
import subprocess
import sys

IDENT = ("proto", "src_ip", "src_port", "dst_ip", "dst_port")
COUNTS = ("src_packets", "src_bytes", "dst_packets", "dst_bytes", "first_seen", "last_seen")
JSON_MD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "JSON.md")
ABSENT = object()


def contract_keys(path=JSON_MD):
    """(keys every record has, keys a record has only when known), as the
    key tables of docs/JSON.md list them; the optional keys of live mode
    are neither."""
    always, when_known, known = [], [], False
    with open(path) as fh:
        section = ""
        for line in fh:
            if line.startswith("## "):
                section, known = line, False
            if line.startswith("Each protocol below has keys of its own"):
                known = True
            if not section.startswith("## Keys") or not line.startswith("| `"):
                continue
            key_cell, type_cell = [c.strip() for c in line.split("|")[1:3]]
            if "optional" in type_cell:
                continue
            keys = [k.strip().strip("`") for k in key_cell.split(",")]
            (when_known if known else always).extend(keys)
    return always, when_known


ALWAYS, WHEN_KNOWN = contract_keys()


def run(binary, cap, extra):
    p = subprocess.run([binary, "--read", cap, "--json"] + extra, capture_output=True, timeout=60)
    recs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    return p.returncode, recs, p.stderr.decode()


def check(binary, cap, expect, extra):
    rc, recs, err = run(binary, cap, extra)
    problems = []
    if rc != 0:
        problems.append("exit status %d: %s" % (rc, err.strip()))
    recs.sort(key=lambda r: r.get("first_seen", 0))
    used = set()
    for want in expect:
        ident = tuple(want[k] for k in IDENT)
        match = next((i for i, r in enumerate(recs)
                      if i not in used and tuple(r.get(k) for k in IDENT) == ident), None)
        if match is None:
            problems.append("missing record %s" % (ident,))
            continue
        used.add(match)
        problems += compare(ident, want, recs[match])
    for i, r in enumerate(recs):
        if i not in used:
            problems.append("unexpected record %s" % (tuple(r.get(k) for k in IDENT),))
    return problems


def expected(want, key):
    """What a record must hold at key: what want states, null for an
    unstated key every record has, absent for any other (a protocol's own
    key is absent too where want states null: not known)."""
    if key in want and not (want[key] is None and key in WHEN_KNOWN):
        return want[key]
    return None if key in ALWAYS and key not in want else ABSENT


def compare(ident, want, got):
    """Problems between a record and its expectation, key by key, over
    every key either has or docs/JSON.md says every record has."""
    def show(v):
        return "(absent)" if v is ABSENT else repr(v)
    problems = []
    for key in dict.fromkeys(ALWAYS + list(want) + list(got)):
        v, g = expected(want, key), got.get(key, ABSENT)
        if key not in ALWAYS and key not in WHEN_KNOWN:
            problems.append("%s: %s is not a key docs/JSON.md lists" % (ident, key))
        elif g != v:
            problems.append("%s: %s = %s, want %s" % (ident, key, show(g), show(v)))
    return problems


def frame_counts(frames, initiator):
    """The counter and time keys of a record made of frames, each (its
    sender, its length on the wire, its epoch time); initiator is the
    sender that opened the connection."""
    mine = [f for f in frames if f[0] == initiator]
    theirs = [f for f in frames if f[0] != initiator]
    times = [f[2] for f in frames]
    return {"src_packets": len(mine), "src_bytes": sum(f[1] for f in mine),
            "dst_packets": len(theirs), "dst_bytes": sum(f[1] for f in theirs),
            "first_seen": round(min(times), 6), "last_seen": round(max(times), 6)}


def expectations(folder, names=None):
    """(name, capture path, expected records) of the captures in folder
    (all of them, or those named)."""
    if names is None:
        names = sorted(n[: -len(".expect.json")] for n in os.listdir(folder)
                       if n.endswith(".expect.json"))
    for name in names:
        with open(os.path.join(folder, name + ".expect.json")) as fh:
            yield name, os.path.join(folder, name + ".pcap"), json.load(fh)


def report(results):
    """Prints each (name, problems, ok line) and the totals; exit status."""
    passed = failed = 0
    for name, problems, ok_line in results:
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems:
                print("     %s" % p)
        else:
            passed += 1
            print("ok   %s" % ok_line)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def tshark_main(argv, prefixes, check_one):
    """main() of a script that checks expectations against tshark: argv is
    CAPTURE_DIR [NAME...] (no NAME: the captures whose names start with one
    of prefixes); check_one(name, capture, expected records) returns the
    problems. Skips when tshark is missing."""
    import shutil
    folder, names = argv[0], argv[1:]
    if not shutil.which("tshark"):
        print("skip: tshark not installed")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    if not names:
        names = sorted(n[:-len(".expect.json")] for n in os.listdir(folder)
                       if n.endswith(".expect.json") and n.startswith(tuple(prefixes)))
    return report((name, check_one(name, cap, expect), "%s agrees with tshark (%d connections)" % (
        name, len(expect))) for name, cap, expect in expectations(folder, names))


def main():
    binary, folder, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    return report((name, check(binary, cap, expect, extra), "%s (%d records)" % (name, len(expect)))
                  for name, cap, expect in expectations(folder))


if __name__ == "__main__":
    sys.exit(main())

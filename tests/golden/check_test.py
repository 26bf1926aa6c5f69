#!/usr/bin/env python3
"""check.py's whole-record comparison fails where it must: a record that
differs from its expectation in any one key, in any of the ways below,
is a problem; the record itself is none. Prints "N passed, N failed"."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import ALWAYS, compare  # noqa: E402

WANT = {"proto": "UDP", "src_ip": "10.1.0.2", "src_port": 40123, "dst_ip": "10.2.0.3", "dst_port": 123,
        "state": "UDP_ACTIVE", "app": "NTP", "ntp_version": 4, "ntp_stratum": None,
        "src_packets": 1, "src_bytes": 90, "dst_packets": 0, "dst_bytes": 0,
        "first_seen": 1700000000.0, "last_seen": 1700000000.0}
RECORD = dict({k: None for k in ALWAYS}, **{k: v for k, v in WANT.items() if v is not None})
IDENT = ("UDP", "10.1.0.2", 40123, "10.2.0.3", 123)


def changed(**kw):
    r = dict(RECORD, **kw)
    return {k: v for k, v in r.items() if v is not Ellipsis}


# (what differs, the record, how many problems, the expectation when not WANT)
CASES = [
    ("the record as expected", RECORD, 0),
    ("a stated value differs", changed(ntp_version=3), 1),
    ("a counter differs", changed(dst_bytes=1), 1),
    ("a time differs by a microsecond", changed(last_seen=1700000000.000001), 1),
    ("an unstated key of every record has a value", changed(http_status=200), 1),
    ("a key every record has is missing", changed(upgrade=...), 1),
    ("a stated key is missing", changed(ntp_version=...), 1),
    ("a protocol's key stated null is written", changed(ntp_stratum=2), 1),
    ("a protocol's key is written null", changed(ntp_mode=None), 1),
    ("a key docs/JSON.md does not list", changed(ntp_leap=0), 1),
    ("... even when the expectation states it", changed(ntp_leap=0), 1, dict(WANT, ntp_leap=0)),
    ("a TCP health key the expectation leaves out", changed(retransmits=0), 1),
    ("a TCP health key differs", changed(rtt_ms=20.001), 1, dict(WANT, rtt_ms=20.0)),
]


def main():
    failed = 0
    for what, record, problems, *want in CASES:
        got = compare(IDENT, want[0] if want else WANT, record)
        if len(got) != problems:
            failed += 1
            print("FAIL %s: %d problems, want %d: %s" % (what, len(got), problems, got))
        else:
            print("ok   %s" % what)
    print("%d passed, %d failed" % (len(CASES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

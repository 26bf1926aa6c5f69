#!/usr/bin/env python3
"""Checks an event log (--json-log) against the --json records of the same run.

usage: jsonlog_check.py RECORDS.json EVENTS.log [MIN_UPDATE_INTERVAL]

- every line is a JSON object with "event" (open, update, close) and a
  numeric "ts", then every key of a record;
- each record has exactly one close whose other keys equal it, with
  "duration" = last_seen - first_seen, and exactly one open before it,
  at ts = first_seen;
- updates fall between the open and the close of their connection, at
  least MIN_UPDATE_INTERVAL seconds apart and after first_seen + it.
Prints one line per problem, then a summary; exit 1 on any problem.
"""
import json
import sys

TUPLE = ("proto", "src_ip", "src_port", "dst_ip", "dst_port", "first_seen")


def main():
    records = [json.loads(l) for l in open(sys.argv[1])]
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else None
    bad = []
    events = []
    for n, line in enumerate(open(sys.argv[2]), 1):
        try:
            e = json.loads(line)
        except ValueError as ex:
            bad.append("line %d is not JSON: %s" % (n, ex))
            continue
        if e.get("event") not in ("open", "update", "close") or not isinstance(e.get("ts"), (int, float)):
            bad.append("line %d: no event/ts: %s" % (n, line[:80]))
            continue
        events.append(e)
    by_conn = {}
    for e in events:
        by_conn.setdefault(tuple(e[k] for k in TUPLE), []).append(e)
    updates = 0
    for r in records:
        k = tuple(r[x] for x in TUPLE)
        evs = by_conn.pop(k, [])
        kinds = [e["event"] for e in evs]
        if kinds.count("open") != 1 or kinds.count("close") != 1 or kinds[0] != "open" or kinds[-1] != "close":
            bad.append("%s: events %s" % (k, kinds))
            continue
        op, cl = evs[0], evs[-1]
        body = {x: v for x, v in cl.items() if x not in ("event", "ts", "duration")}
        if body != r:
            bad.append("%s: close differs from the record: %s" % (k, {x: (body.get(x), r.get(x)) for x in r if body.get(x) != r.get(x)}))
        if abs(cl.get("duration", -1) - (r["last_seen"] - r["first_seen"])) > 2e-6:
            bad.append("%s: duration %s, last_seen - first_seen %s" % (k, cl.get("duration"), r["last_seen"] - r["first_seen"]))
        if abs(op["ts"] - r["first_seen"]) > 1e-6:
            bad.append("%s: open at %s, first_seen %s" % (k, op["ts"], r["first_seen"]))
        prev = r["first_seen"]
        for u in evs[1:-1]:
            updates += 1
            if interval is not None and u["ts"] + 1e-6 < prev + interval:
                bad.append("%s: update at %s, %s s after the previous one" % (k, u["ts"], u["ts"] - prev))
            if not (op["ts"] <= u["ts"] <= cl["ts"]):
                bad.append("%s: update at %s outside [%s, %s]" % (k, u["ts"], op["ts"], cl["ts"]))
            prev = u["ts"]
    for k, evs in by_conn.items():
        bad.append("%s: events %s without a record" % (k, [e["event"] for e in evs]))
    for line in bad:
        print(line)
    print("%d records, %d events, %d updates, %d problems" % (len(records), len(events), updates, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

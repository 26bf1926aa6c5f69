#!/bin/sh
# Accuracy against tshark's truth on the reference captures in ../shared
# (present in CI, absent in a user's clone: then this skips and says so).
set -eu
cd "$(dirname "$0")/../.."
SHARED=${WIRETOP_SHARED:-../shared}
BIN=${WIRETOP_BIN:-build/wiretop}
. tests/need.sh
if [ ! -f "$SHARED/tools/score.py" ] || [ ! -d "$SHARED/pcaps" ]; then
    skip_suite "needs $SHARED/pcaps (reference captures, present in CI only)"
fi
need_tool python3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
python3 "$SHARED/tools/score.py" "$BIN" "$SHARED/pcaps" --timeout 30 --json-summary > "$out"
python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d.get("fields", {})
checks = [("flow recall", d.get("flow_recall", 0), 0.99), ("overall", d.get("overall", 0), 0.98)]
for k in ("packets", "bytes", "initiator"):
    checks.append((k, f.get(k, {}).get("accuracy", 0), 0.99))
for k in ("sni", "alpn", "http_host", "http_method", "http_path", "dns_query", "dns_qtype",
          "ssh_client", "ssh_server", "quic_version", "quic_sni"):
    if f.get(k, {}).get("n"):
        checks.append((k, f[k]["accuracy"], 0.97))
bad = [x["file"] for x in d.get("files", []) if x.get("signal") or x.get("hung")]
passed = failed = 0
for name, got, need in checks:
    ok = got >= need
    print("%-4s %-12s %.3f (need >= %.2f)" % ("ok" if ok else "FAIL", name, got, need))
    passed, failed = passed + ok, failed + (not ok)
if bad:
    print("FAIL crashed or hung on: " + ", ".join(bad)); failed += 1
else:
    print("ok   no crash, no hang"); passed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY

#!/bin/sh
# Response times against tshark on the reference captures in ../shared/pcaps
# (present in CI, absent in a user's clone: then the suite skips, saying
# so): DNS (dns.time of the first query's answer), ICMP echo (icmp.resptime
# of the last reply) and the QUIC handshake's round trip (from tshark's
# frames). tests/golden/run.sh runs the same check on the project's own
# captures.
set -eu
cd "$(dirname "$0")/../.."
SHARED=${WIRETOP_SHARED:-../shared}
BIN=${WIRETOP_BIN:-build/wiretop}
. tests/need.sh
need_tool python3 tshark
[ -x "$BIN" ] || skip_suite "$BIN not built"
[ -d "$SHARED/pcaps" ] || skip_suite "needs $SHARED/pcaps (the reference captures)"
exec python3 tests/golden/tshark_response_times.py "$BIN" "$SHARED/pcaps"

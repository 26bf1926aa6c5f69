#!/bin/sh
# Response times against tshark on the reference captures in ../shared/pcaps
# (present in CI, absent in a user's clone: then the suite skips, saying
# so): DNS (dns.time of the first query's answer), ICMP echo (icmp.resptime
# of the last reply) and the QUIC handshake's round trip (from tshark's
# frames). The project's own captures hold the DNS and ICMP figures in
# their golden expectations, which take them from tshark (tests/golden).
set -eu
cd "$(dirname "$0")/../.."
SHARED=${WIRETOP_SHARED:-../shared}
BIN=${WIRETOP_BIN:-build/wiretop}
. tests/need.sh
need_tool python3 tshark
[ -x "$BIN" ] || skip_suite "$BIN not built"
[ -d "$SHARED/pcaps" ] || skip_suite "needs $SHARED/pcaps (the reference captures)"
exec python3 tests/golden/tshark_response_times.py "$BIN" "$SHARED/pcaps"

#!/bin/sh
# Response times against tshark: DNS (dns.time of the first query's
# answer), ICMP echo (icmp.resptime of the last reply) and the QUIC
# handshake's round trip (from tshark's frames), on the project's
# captures and (present in CI, absent in a user's clone: then only the
# project's, and it says so) the reference captures in ../shared/pcaps.
set -eu
cd "$(dirname "$0")/../.."
SHARED=${WIRETOP_SHARED:-../shared}
BIN=${WIRETOP_BIN:-build/wiretop}
. tests/need.sh
need_tool python3 tshark
[ -x "$BIN" ] || skip_suite "$BIN not built"
exec python3 tests/golden/tshark_response_times.py "$BIN" tests/golden/captures "$SHARED/pcaps"

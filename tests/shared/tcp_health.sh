#!/bin/sh
# TCP health against tshark's analysis: retransmissions, out-of-order
# segments, duplicate ACKs and zero windows per direction, exact, and the
# handshake RTT within 1 ms of tcp.analysis.initial_rtt, on the project's
# captures and (present in CI, absent in a user's clone: then only the
# project's, and it says so) the reference captures in ../shared/pcaps.
set -eu
cd "$(dirname "$0")/../.."
SHARED=${WIRETOP_SHARED:-../shared}
BIN=${WIRETOP_BIN:-build/wiretop}
. tests/need.sh
need_tool python3 tshark mergecap
[ -x "$BIN" ] || skip_suite "$BIN not built"
exec python3 tests/golden/tshark_health.py "$BIN" tests/golden/captures "$SHARED/pcaps"

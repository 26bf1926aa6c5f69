#!/bin/sh
# Golden captures: every capture under tests/golden/captures must yield the
# records its .expect.json describes. Regenerate the captures with
#   /usr/bin/python3 tests/golden/make_captures.py
#   /usr/bin/python3 tests/golden/make_dpi_captures.py
#   /usr/bin/python3 tests/golden/make_ip_captures.py
#   /usr/bin/python3 tests/golden/make_icmp_captures.py
#   /usr/bin/python3 tests/golden/make_app_captures.py
#   /usr/bin/python3 tests/golden/make_upgrade_captures.py   (as root: real traffic)
#   /usr/bin/python3 tests/golden/make_name_captures.py
#   /usr/bin/python3 tests/golden/make_lan_captures.py
# (tshark_conv.py builds its captures itself, in a temporary folder)
set -eu
cd "$(dirname "$0")/../.."
. tests/need.sh
need_tool python3
BIN=${WIRETOP_BIN:-build/wiretop}
# the comparison itself: any key that differs from its expectation fails
python3 tests/golden/check_test.py
# records compared whole (docs/HACKING.md: how to write an expectation);
# one worker and several: sharding must not change any record
python3 tests/golden/check.py "$BIN" tests/golden/captures --threads 1 --oui-file tests/golden/oui.txt --no-geoip
python3 tests/golden/check.py "$BIN" tests/golden/captures --threads 3 --oui-file tests/golden/oui.txt --no-geoip
# The expectations against tshark's dissection run no wiretop: the run
# under the sanitizers (make asan-check) leaves them to the plain one.
if [ "${WIRETOP_SANITIZED:-0}" = 1 ]; then
    echo "skip: the expectations against tshark (no wiretop in them; make check runs them)"
else
# the expectations of the IP-layer captures agree with tshark's dissection
python3 tests/golden/tshark_agree.py tests/golden/captures
# ... and so do the application fields of the app_* captures
python3 tests/golden/tshark_app_agree.py tests/golden/captures
# and those of protocol upgrades with its DPI
python3 tests/golden/tshark_agree_dpi.py tests/golden/captures
# ICMP errors joined to the connections whose packets they quote, as
# tshark dissects the quotes
python3 tests/golden/tshark_icmp_errors.py tests/golden/captures
# the names of remote ends with the DNS answers tshark decodes
python3 tests/golden/tshark_names.py tests/golden/captures
# the MACs of on-link peers with ARP and neighbour discovery as tshark
# decodes them
python3 tests/golden/tshark_lan.py tests/golden/captures
fi
# response times as tshark times them: DNS (dns.time), ICMP echo
# (icmp.resptime) and the QUIC handshake's round trip from its frames
python3 tests/golden/tshark_response_times.py "$BIN" tests/golden/captures
# connections inside tunnels, built here with scapy, against tshark's
# conversation statistics
/usr/bin/python3 tests/golden/tshark_conv.py "$BIN"
# --findings: its captures' findings as stated, and as tshark sees them
python3 tests/golden/findings_check.py "$BIN"

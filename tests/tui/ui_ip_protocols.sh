#!/bin/sh
# The tmux UI tests on the IP-protocols capture: GRE, ESP, SCTP and IGMP
# rows with their states, and the status bar's count of the two frames
# that went into no row (an LLDP frame, an IPv4 header cut short).
cd "$(dirname "$0")/../.." || exit 1
WIRETOP_EXPECT="GRE|ESP|SCTP|IGMP|LEAVE_GROUP|IP-253|2 unparsed" \
    exec tests/tui/ui_tmux.sh tests/golden/captures/ip_protocols.pcap

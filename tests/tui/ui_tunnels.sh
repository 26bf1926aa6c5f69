#!/bin/sh
# The tmux UI tests on the tunnels capture: connections inside VXLAN,
# GENEVE, GRE and IP in IP beside the tunnels' own flows; `tunnel:vxlan`
# keeps the three VXLAN inner connections (VNI 42, on port 4789 and on
# 8472), and Details names the tunnel's outer addresses and VNI.
cd "$(dirname "$0")/../.." || exit 1
WIRETOP_EXPECT="vxlan.golden.test|GRE|IPv4|172.16.0.1" \
WIRETOP_FILTER="tunnel:vxlan" WIRETOP_FILTER_SHOWN=3 \
WIRETOP_DETAILS="Tunnel from|192.0.2.1|Tunnel to|192.0.2.2|Tunnel VNI / key|42" \
    exec tests/tui/ui_tmux.sh tests/golden/captures/tunnels.pcap

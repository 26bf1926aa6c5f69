#!/bin/sh
# The tmux UI tests against the real program on a capture of our own:
# `wiretop --read ui_mix.pcap` must list its connections with their
# SNI, HTTP host, DNS query and SSH software.
cd "$(dirname "$0")/../.." || exit 1
WIRETOP_EXPECT="split.golden.test|web.golden.test|www.golden.test|OpenSSH_9.2p1" \
    exec tests/tui/ui_tmux.sh tests/golden/captures/ui_mix.pcap

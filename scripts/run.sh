#!/bin/sh
# `make run`: start wiretop on the default interface, with the privilege
# it needs. As root it just runs; otherwise it says what to do.
set -eu
BIN=${1:-build/wiretop}
shift || true
if [ "$(id -u)" -eq 0 ]; then
    exec "$BIN" "$@"
fi
if command -v getcap >/dev/null 2>&1 && getcap "$BIN" 2>/dev/null | grep -q cap_net_raw; then
    exec "$BIN" "$@"
fi
echo "wiretop needs CAP_NET_RAW to capture. Either:" >&2
echo "  sudo $BIN" >&2
echo "or grant the capability once:" >&2
echo "  sudo setcap cap_net_raw,cap_net_admin,cap_bpf,cap_perfmon=eip $BIN && $BIN" >&2
exit 1

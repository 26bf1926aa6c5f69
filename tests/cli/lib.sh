# shellcheck shell=bash
# lib.sh - shared by the tests/cli suites (sourced, not run).
# Each suite calls ok/fail per check and `finish` at the end, which prints
# "N passed, N failed[, N skipped]" and sets the exit status.

cd "$(dirname "$0")/../.." || exit 1
. tests/need.sh
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
PASSED=0 FAILED=0 SKIPPED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wiretop_cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip: $*"; }
check() { # DESCRIPTION COMMAND...: passes when the command succeeds
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}

finish() {
    echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
}

# run ARGS...: runs the binary; sets RC, OUT (stdout) and ERR (stderr).
# shellcheck disable=SC2034
run() {
    timeout 60 "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

lines() { # TEXT: number of lines
    if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l; fi
}

# The long options --help lists (its option lines only), one per line, sorted.
help_options() {
    "$BIN" --help | sed '/^Timeouts/,$d' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# write_pcap FILE: four Ethernet/IPv4 frames (a TCP handshake and one UDP
# datagram), classic pcap, microsecond timestamps.
write_pcap() {
    /usr/bin/python3 - "$1" <<'EOF'
import struct, sys

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF

def ipv4(proto, src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                    bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def tcp(sport, dport, seq, ack, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)

def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data

A, B = [10, 0, 0, 1], [10, 0, 0, 2]
eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
frames = [
    eth + ipv4(6, A, B, tcp(40000, 80, 1, 0, 0x02)),
    eth + ipv4(6, B, A, tcp(80, 40000, 100, 2, 0x12)),
    eth + ipv4(6, A, B, tcp(40000, 80, 2, 101, 0x10)),
    eth + ipv4(17, A, B, udp(40001, 9999, b"hello")),
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)) + fr)
EOF
}

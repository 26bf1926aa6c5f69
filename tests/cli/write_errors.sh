#!/usr/bin/env bash
# Write errors are never silent. A record that cannot be written (a full
# disk, a closed stdout) is said once on stderr and the run ends with
# status 1; a reader that goes away (`| head`) ends it quietly with 0. The
# log is best effort: when it cannot be written (here a file-size limit)
# one warning says so and every record still reaches stdout.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 # write_pcap

write_pcap "$TMP/four.pcap"
# 3,000 UDP flows: some 1.3 MB of records, far more than a pipe holds.
/usr/bin/python3 - "$TMP/many.pcap" <<'PY'
import struct, sys
eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i in range(3000):
        udp = struct.pack("!HHHH", 10000 + i, 53, 8, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, 0, 64, 17, 0,
                         bytes([10, 1, i >> 8, i & 255]), bytes([10, 2, 0, 1]))
        fr = eth + ip + udp
        f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)
PY

one_error() { # WHAT WANT-IN-MESSAGE: after `run`: status 1 and one line saying it
    check "$1: exit status 1 (got $RC)" [ "$RC" -eq 1 ]
    check "$1: one line on stderr (got: $ERR)" [ "$(lines "$ERR")" -eq 1 ]
    check "$1: says '$2' (got: $ERR)" grep -qF -- "$2" <<<"$ERR"
}

timeout 60 "$BIN" --read "$TMP/four.pcap" --json >/dev/full 2>"$TMP/err"
RC=$? ERR=$(cat "$TMP/err")
one_error "--json >/dev/full" "wiretop: stdout: No space left on device"
timeout 60 "$BIN" --read "$TMP/many.pcap" --json >/dev/full 2>"$TMP/err"
RC=$? ERR=$(cat "$TMP/err")
one_error "3,000 records >/dev/full" "wiretop: stdout: No space left on device"

timeout 60 "$BIN" --read "$TMP/four.pcap" --json >&- 2>"$TMP/err"
RC=$? ERR=$(cat "$TMP/err")
one_error "--json with stdout closed" "wiretop: stdout: closed"

timeout 60 "$BIN" --read tests/golden/findings/problems.pcap --findings >/dev/full 2>"$TMP/err"
RC=$? ERR=$(cat "$TMP/err")
one_error "--findings >/dev/full" "wiretop: stdout: No space left on device: findings lost"

timeout 60 "$BIN" --help >/dev/full 2>"$TMP/err"
RC=$? ERR=$(cat "$TMP/err")
one_error "--help >/dev/full" "wiretop: stdout: No space left on device"

# A reader that stops early: no message, status 0.
timeout 60 "$BIN" --read "$TMP/many.pcap" --json 2>"$TMP/err" | head -1 >"$TMP/first"
rc=${PIPESTATUS[0]}
check "| head -1: status 0 (got $rc)" [ "$rc" -eq 0 ]
check "| head -1: nothing on stderr (got: $(cat "$TMP/err"))" [ ! -s "$TMP/err" ]
check "| head -1: head got a record" grep -q '"proto": "UDP"' "$TMP/first"

# The log hits a 2 KiB file-size limit; stdout is a pipe, so the limit
# does not touch the records.
all=$("$BIN" --read "$TMP/many.pcap" --json | wc -l)
got=$(bash -c "ulimit -f 2; '$BIN' --read '$TMP/many.pcap' --json -l debug --log-dir '$TMP/logs' 2>'$TMP/err' | wc -l; exit \${PIPESTATUS[0]}")
rc=$?
ERR=$(cat "$TMP/err")
check "a log past the file-size limit: status 0 (got $rc)" [ "$rc" -eq 0 ]
check "... every record still written ($got of $all)" [ "$got" -eq "$all" ] && [ "$all" -eq 3000 ]
check "... one warning line (got: $ERR)" [ "$(lines "$ERR")" -eq 1 ]
check "... naming the log and the cause (got: $ERR)" \
    grep -qE "^wiretop: warning: log $TMP/logs/wiretop_.*\.log: File too large" <<<"$ERR"

finish

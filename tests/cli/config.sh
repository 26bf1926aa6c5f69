#!/usr/bin/env bash
# --config is trusted only as sshd trusts its files: a regular file owned
# by root or the invoking user, writable by neither group nor others.
# Anything else is exit 2 with one line, at once (a FIFO with no writer
# and /dev/zero included). Lines are read whole, however long, and the
# settings that weaken confinement are refused in a file.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 # write_pcap

write_pcap "$TMP/four.pcap"

config() { # FILE MODE LINES...: writes a config file with that mode
    local f=$1 mode=$2
    shift 2
    printf '%s\n' "$@" >"$f"
    chmod "$mode" "$f"
}

refused() { # WANT-IN-MESSAGE ARGS...: exit 2, one line, nothing on stdout, within 5 s
    local want=$1 t0 t1
    shift
    t0=$(date +%s%N)
    timeout 5 "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    t1=$(date +%s%N)
    ERR=$(cat "$TMP/err")
    check "'$*' exits 2 (got $RC: $ERR)" [ "$RC" -eq 2 ]
    check "'$*' says '$want' (got: $ERR)" grep -qF -- "$want" <<<"$ERR"
    check "'$*' prints one line on stderr" [ "$(lines "$ERR")" -eq 1 ]
    check "'$*' writes no records" [ ! -s "$TMP/out" ]
    check "'$*' returns within a second ($(((t1 - t0) / 1000000)) ms)" [ $(((t1 - t0) / 1000000)) -lt 1000 ]
}

# A trusted file is read: it names the capture and asks for JSON.
config "$TMP/good.conf" 600 "read = $TMP/four.pcap" "json"
run --config "$TMP/good.conf"
check "a 0600 file of one's own is read (got $RC: $ERR)" [ "$RC" -eq 0 ]
check "... and applied: 2 records (got $(lines "$OUT"))" [ "$(lines "$OUT")" -eq 2 ]

config "$TMP/world.conf" 666 "read = $TMP/four.pcap" "json"
refused "--config $TMP/world.conf: refused: writable by others (mode 0666)" --config "$TMP/world.conf"
config "$TMP/group.conf" 620 "read = $TMP/four.pcap" "json"
refused "refused: writable by its group (mode 0620)" --config "$TMP/group.conf"

if [ "$(id -u)" -eq 0 ]; then
    config "$TMP/other.conf" 600 "read = $TMP/four.pcap" "json"
    chown 4242:4242 "$TMP/other.conf"
    refused "refused: owned by uid 4242, not by root or you (uid 0)" --config "$TMP/other.conf"
    # Under sudo the invoking user is SUDO_UID: their own file is theirs.
    SUDO_UID=4242 run --config "$TMP/other.conf"
    check "under sudo, SUDO_UID's own file is read (got $RC: $ERR)" [ "$RC" -eq 0 ] && [ "$(lines "$OUT")" -eq 2 ]
    SUDO_UID=4243 refused "not by root or uid 4243 (SUDO_UID)" --config "$TMP/other.conf"
else
    skip "a file owned by another user (needs root to make one)"
fi

# Not a regular file: refused before anything is read, never waiting.
refused "--config /dev/zero: refused: not a regular file" --config /dev/zero
refused "--config $TMP: refused: not a regular file" --config "$TMP"
mkfifo "$TMP/fifo"
refused "refused: not a regular file" --config "$TMP/fifo"
refused "refused: not a regular file" --config <(echo "json")

# A comment longer than any line buffer stays a comment: its tail
# ("filter = dport:1", which would hide both records) is not a setting.
pad=$(printf '%*s' 1100 '')
config "$TMP/long.conf" 600 "read = $TMP/four.pcap" "json" "#${pad:0:1022}filter = dport:1" \
    "# ${pad// /x}${pad// /x}"
run --config "$TMP/long.conf"
check "a 1,040-byte comment is one line (got $RC: $ERR)" [ "$RC" -eq 0 ] && [ "$(lines "$OUT")" -eq 2 ]

# Confinement is relaxed only on the command line.
config "$TMP/weak.conf" 600 "read = $TMP/four.pcap" "json" "no-sandbox"
refused "$TMP/weak.conf:3: 'no-sandbox' is taken only from the command line" --config "$TMP/weak.conf"
config "$TMP/weak.conf" 600 "no-priv-drop"
refused "$TMP/weak.conf:1: 'no-priv-drop' is taken only from the command line" --config "$TMP/weak.conf"

finish

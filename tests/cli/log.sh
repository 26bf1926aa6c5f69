#!/usr/bin/env bash
# -l LEVEL: one new log file named wiretop_YYYY-MM-DD_HH-MM-SS.log, mode
# 0600 in a 0700 directory, holding start-up, capture statistics and
# shutdown lines; no log at all without -l.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 # write_pcap

write_pcap "$TMP/four.pcap"
mkdir "$TMP/cwd"
STAMP='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}'

# Off by default: nothing written anywhere near the working directory.
(cd "$TMP/cwd" && "$BIN" --read "$TMP/four.pcap" --json >/dev/null 2>&1)
check "no -l: no logs directory" [ ! -e "$TMP/cwd/logs" ]

run --read "$TMP/four.pcap" --json -l debug --log-dir "$TMP/logs"
check "-l debug run exits 0 (got $RC: $ERR)" [ "$RC" -eq 0 ]
check "-l debug leaves stdout to the records" [ "$(lines "$OUT")" -eq 2 ]
check "log directory created" [ -d "$TMP/logs" ]
check "log directory mode 0700" [ "$(stat -c %a "$TMP/logs" 2>/dev/null)" = 700 ]
mapfile -t files < <(ls "$TMP/logs" 2>/dev/null)
check "exactly one log file (got ${#files[@]})" [ "${#files[@]}" -eq 1 ]
name=${files[0]:-none}
log=$TMP/logs/$name
check "log file name pattern (got $name)" \
    grep -qE '^wiretop_[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}\.log$' <<<"$name"
check "log file is a regular file" [ -f "$log" ] && [ ! -L "$log" ]
check "log file mode 0600 (got $(stat -c %a "$log" 2>/dev/null))" \
    [ "$(stat -c %a "$log" 2>/dev/null)" = 600 ]
version=$("$BIN" --version | cut -d' ' -f2)
check "start-up line" grep -qE "^$STAMP INFO  wiretop $version starting" "$log"
check "capture statistics line with the file's 4 packets" \
    grep -qE "^$STAMP INFO  capture stats: packets=4( |$)" "$log"
check "shutdown line" grep -qE "^$STAMP INFO  wiretop stopping" "$log"
check "debug: a line per connection opened" grep -qE "^$STAMP DEBUG opened (TCP|UDP|ICMP)" "$log"
check "debug: closing lines carry the final state" \
    grep -qE "^$STAMP DEBUG closed [A-Za-z0-9]+ .* state [A-Z_]+, [0-9]+\+[0-9]+ packets \(" "$log"
check "start-up comes first, shutdown last" \
    bash -c "head -1 '$log' | grep -q starting && tail -1 '$log' | grep -q stopping"
check "every line is stamped with a level" \
    bash -c "[ -s '$log' ] && ! grep -vE '^$STAMP (ERROR|WARN |INFO |DEBUG|TRACE) ' '$log'"

# A second run within the same second gets a new file, never the old one.
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/logs"
check "second run: two log files" [ "$(find "$TMP/logs" -type f | wc -l)" -eq 2 ]

# -l error: nothing at info level is written.
run --read "$TMP/four.pcap" --json -l error --log-dir "$TMP/quiet"
check "-l error: a log file but no info lines" \
    bash -c "ls '$TMP'/quiet/wiretop_*.log >/dev/null && ! grep -q ' INFO ' '$TMP'/quiet/*.log"

# A log directory that cannot be made is an error with one line that names it.
touch "$TMP/file"
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/file/logs"
check "unusable --log-dir fails (got $RC)" [ "$RC" -ne 0 ]
check "unusable --log-dir: one line (got: $ERR)" [ "$(lines "$ERR")" -eq 1 ]
check "unusable --log-dir: the message names it" grep -qF "$TMP/file" <<<"$ERR"
check "unusable --log-dir: no records written" [ -z "$OUT" ]

finish

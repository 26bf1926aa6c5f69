#!/usr/bin/env bash
# The log directory and file cannot be turned against the run:
# - a user who can write the log directory cannot make wiretop exit by
#   taking the names it tries (the plain name and every "_2".."_100" of the
#   next seconds are taken here): a name with a random suffix is used;
# - a symbolic link on the way to the directory is followed only when root
#   or the invoking user owns it: a ./logs link of another user is an
#   error for root, and nothing is written where it points.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 # write_pcap

write_pcap "$TMP/four.pcap"
RANDOM_NAME='^wiretop_[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}_[0-9a-f]{8}\.log$'

# ---- names taken in advance --------------------------------------------------
mkdir -m 0777 "$TMP/taken"
now=$(date +%s)
for s in $(seq 0 30); do # the next 30 seconds, in one touch each
    stamp=$(date -d "@$((now + s))" +%Y-%m-%d_%H-%M-%S)
    (cd "$TMP/taken" && touch "wiretop_$stamp.log" $(printf "wiretop_${stamp}_%d.log " $(seq 2 100)))
done
ls "$TMP/taken" | sort >"$TMP/before.lst"
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/taken"
check "every predictable name taken: the run goes on (got $RC: $ERR)" [ "$RC" -eq 0 ]
check "... with its records" [ "$(lines "$OUT")" -eq 2 ]
mapfile -t new < <(ls "$TMP/taken" | sort | comm -13 "$TMP/before.lst" -)
check "... one new log file (got ${#new[@]}: ${new[*]})" [ "${#new[@]}" -eq 1 ]
check "... named with a random suffix (got ${new[0]:-none})" grep -qE "$RANDOM_NAME" <<<"${new[0]:-}"
check "... holding the run's log lines" grep -q "wiretop stopping" "$TMP/taken/${new[0]:-none}"

# The plain name is a symlink to a file elsewhere: never written through.
mkdir "$TMP/linked" "$TMP/elsewhere"
echo precious >"$TMP/elsewhere/file"
for s in 0 1 2 3 4; do
    ln -s "$TMP/elsewhere/file" "$TMP/linked/wiretop_$(date -d "@$(($(date +%s) + s))" +%Y-%m-%d_%H-%M-%S).log"
done
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/linked"
check "a symlink at the log's name: the run goes on (got $RC: $ERR)" [ "$RC" -eq 0 ]
check "... and the file it points to is untouched" [ "$(cat "$TMP/elsewhere/file")" = precious ]

# ---- symbolic links on the way to the directory --------------------------------
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$TMP/mine"
    ln -s "$TMP/mine" "$TMP/mylink"
    run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/mylink"
    check "one's own link is followed (got $RC: $ERR)" [ "$RC" -eq 0 ] && [ -n "$(ls "$TMP/mine")" ]
    skip "links of another user (needs root to make them)"
    finish
    exit
fi

# as root, in a directory with ./logs -> another user's link
mkdir "$TMP/cwd" "$TMP/target"
chmod 0777 "$TMP/target"
ln -s "$TMP/target" "$TMP/cwd/logs"
chown -h 4242:4242 "$TMP/cwd/logs"
(cd "$TMP/cwd" && timeout 60 "$BIN" --read "$TMP/four.pcap" --json -l info >"$TMP/out" 2>"$TMP/err")
RC=$? ERR=$(cat "$TMP/err")
check "./logs, another user's link: refused (status $RC)" [ "$RC" -eq 1 ]
check "... saying so (got: $ERR)" grep -qF "logs: log directory: 'logs' is a symbolic link owned by uid 4242: not followed" <<<"$ERR"
check "... one line" [ "$(lines "$ERR")" -eq 1 ]
check "... nothing written where it points" [ -z "$(ls -A "$TMP/target")" ]

# deeper in the path, and behind a link that is trusted
mkdir -p "$TMP/a"
ln -s "$TMP/target" "$TMP/a/link"
chown -h 4242:4242 "$TMP/a/link"
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/a/link/sub"
check "a foreign link in the middle of --log-dir: refused (got $RC: $ERR)" \
    [ "$RC" -eq 1 ] && grep -qF "'link' is a symbolic link owned by uid 4242" <<<"$ERR"
ln -s "$TMP/a/link" "$TMP/rootlink" # root's own link to the foreign one
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/rootlink"
check "a trusted link does not launder a foreign one behind it (got $RC: $ERR)" \
    [ "$RC" -eq 1 ] && grep -qF "'link' is a symbolic link owned by uid 4242" <<<"$ERR"
check "... nothing written where they point" [ -z "$(ls -A "$TMP/target")" ]

# links that are trusted: root's own, and the sudo user's under sudo
ln -s "$TMP/target" "$TMP/ownlink"
run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/ownlink"
check "root's own link is followed (got $RC: $ERR)" [ "$RC" -eq 0 ] && [ -n "$(ls -A "$TMP/target")" ]
rm -rf "$TMP"/target/*
SUDO_UID=4242 run --read "$TMP/four.pcap" --json -l info --log-dir "$TMP/a/link"
check "under sudo, SUDO_UID's link is followed (got $RC: $ERR)" [ "$RC" -eq 0 ] && [ -n "$(ls -A "$TMP/target")" ]

finish

#!/usr/bin/env bash
# scripts/clear_old_logs.sh removes wiretop logs older than N days and
# nothing else: not newer logs, other files, symlinks or what they point to.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

CLEAR=scripts/clear_old_logs.sh
d=$TMP/logs
setup() {
    rm -rf "$d" "$TMP/outside"
    mkdir -p "$d/sub" "$TMP/outside"
    touch -d '10 days ago' "$d/wiretop_2020-01-01_00-00-00.log" "$d/notes.txt" \
        "$d/sub/wiretop_2020-01-02_00-00-00.log" "$TMP/outside/precious"
    touch -d '8 days ago' "$d/wiretop_2020-01-03_00-00-00_2.log"
    touch -d '2 days ago' "$d/wiretop_2020-01-08_00-00-00.log"
    touch "$d/wiretop_2020-01-10_00-00-00.log"
    ln -s "$TMP/outside/precious" "$d/wiretop_2020-01-04_00-00-00.log"
    touch -h -d '10 days ago' "$d/wiretop_2020-01-04_00-00-00.log"
}
exists() { [ -e "$d/$1" ] || [ -L "$d/$1" ]; }

setup
out=$("$CLEAR" -n 7 "$d")
check "-n exits 0" [ $? -eq 0 ]
check "-n lists the two old logs" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
check "-n removes nothing" exists wiretop_2020-01-01_00-00-00.log

"$CLEAR" 7 "$d" >/dev/null
check "removed the 10-day-old log" bash -c "[ ! -e '$d/wiretop_2020-01-01_00-00-00.log' ]"
check "removed the 8-day-old log" bash -c "[ ! -e '$d/wiretop_2020-01-03_00-00-00_2.log' ]"
check "keeps a 2-day-old log" exists wiretop_2020-01-08_00-00-00.log
check "keeps today's log" exists wiretop_2020-01-10_00-00-00.log
check "keeps other files" exists notes.txt
check "does not descend into subdirectories" exists sub/wiretop_2020-01-02_00-00-00.log
check "keeps a symlink named like a log" exists wiretop_2020-01-04_00-00-00.log
check "keeps what the symlink points to" [ -e "$TMP/outside/precious" ]

setup
"$CLEAR" 0 "$d" >/dev/null
check "0 days removes today's log too" bash -c "[ ! -e '$d/wiretop_2020-01-10_00-00-00.log' ]"
check "0 days still keeps other files" exists notes.txt

setup
(cd "$TMP" && "$OLDPWD/$CLEAR" 7 >/dev/null)
check "default directory is ./logs" bash -c "[ ! -e '$d/wiretop_2020-01-01_00-00-00.log' ]"

"$CLEAR" soon "$d" 2>/dev/null
check "non-numeric days: status 2" [ $? -eq 2 ]
"$CLEAR" 7 "$TMP/nowhere" 2>/dev/null
check "missing directory: status 1" [ $? -eq 1 ]
"$CLEAR" 1 2 3 2>/dev/null
check "too many arguments: status 2" [ $? -eq 2 ]

finish

#!/bin/sh
# Removes wiretop log files older than DAYS days (default 7) from DIR
# (default ./logs). Only files named wiretop_*.log directly in DIR are
# touched; symlinks and other files are left alone.
#   scripts/clear_old_logs.sh [-n] [DAYS [DIR]]     -n: list, do not remove
set -eu

usage() {
    echo "usage: $0 [-n] [DAYS [DIR]]   remove DIR/wiretop_*.log older than DAYS days" >&2
    exit 2
}

dry=""
if [ "${1:-}" = "-n" ]; then
    dry=1
    shift
fi
case "${1:-}" in -h | --help) usage ;; esac
[ $# -le 2 ] || usage
days=${1:-7}
dir=${2:-logs}
case "$days" in '' | *[!0-9]*) echo "$0: DAYS must be a whole number, not '$days'" >&2; exit 2 ;; esac
if [ ! -d "$dir" ]; then
    echo "$0: no directory '$dir'" >&2
    exit 1
fi

# -mmin +M matches files whose age in whole minutes exceeds M, so
# M = DAYS*1440 - 1 means "at least DAYS days old". DAYS 0 means every log.
age=""
if [ "$days" -gt 0 ]; then age="-mmin +$((days * 1440 - 1))"; fi
if [ -n "$dry" ]; then action="-print"; else action="-print -delete"; fi
# shellcheck disable=SC2086
find "$dir" -mindepth 1 -maxdepth 1 -type f -name 'wiretop_*.log' $age $action

#!/usr/bin/env bash
# fresh-machine.sh - the README's two commands on a bare Debian 12, in both
# orders. Builds a minimal Debian 12 with debootstrap (--variant=minbase plus
# gcc, make, git and python3), clones the committed tree (HEAD) into
# /root/wiretop of a copy of it and runs there, as root in a chroot with
# /proc, /sys, /dev and an empty /run mounted:
#   check-first   make check, then make run
#   run-first     make run, then make check
# each order in its own copy of the bare system. `make run` runs in a tmux
# pane: the UI must show its status bar ("N/N shown"), then q q must end it
# with status 0. Prints one summary line per step and keeps the whole output
# in DIR/logs.
#   scripts/fresh-machine.sh [--dir DIR] [--order check-first|run-first|both] [--keep]
#     --dir DIR    where the systems and logs go (default /tmp/wiretop-fresh;
#                  about 2.5 GB per order while it runs)
#     --keep       keep the systems afterwards (default: unmount and remove
#                  them, keep DIR/logs)
#   MIRROR=URL     the Debian mirror (default: the first Debian URI of
#                  /etc/apt/sources.list*, else http://deb.debian.org/debian)
# Needs root, tmux and the network (debootstrap and the chroot's apt-get);
# installs debootstrap when it is missing. Takes 20-40 minutes. Not run in CI.
set -euo pipefail
SELF=$(realpath "$0")
cd "$(dirname "$SELF")/.."
REPO=$PWD
DIR=/tmp/wiretop-fresh ORDERS="check-first run-first" KEEP=0
RUN_TIMEOUT=${FRESH_RUN_TIMEOUT:-1800} # seconds for make run to show the UI (apt, build)
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

usage() { sed -n '2,22s/^# \{0,1\}//p' "$SELF" >&2; exit 2; }
say() { echo "fresh-machine: $*"; }
die() { echo "fresh-machine: $*" >&2; exit 1; }

# ---- one order, inside a private mount namespace ----------------------------
# Everything mounted here disappears with the namespace, whatever happens.

mount_system() { # ROOT
    mount --bind "$1" "$1" # / must be a mount point: ip netns makes it a slave mount
    mount -t proc proc "$1/proc"
    mount --rbind /sys "$1/sys" && mount --make-rslave "$1/sys"
    mount --rbind /dev "$1/dev" && mount --make-rslave "$1/dev"
    mount -t tmpfs -o mode=755 tmpfs "$1/run" # ip netns keeps its namespaces here
}

kill_chroot_processes() { # ROOT: whatever still runs from inside it
    local p root
    for p in /proc/[0-9]*; do
        root=$(readlink "$p/root" 2>/dev/null) || continue
        case $root in "$1" | "$1"/*) kill -9 "${p#/proc/}" 2>/dev/null || true ;; esac
    done
}

in_chroot() { # ROOT COMMAND: a login-like environment of a bare machine, as root
    chroot "$1" /usr/bin/env -i HOME=/root PATH=$CHROOT_PATH TERM=xterm-256color \
        SHELL=/bin/bash bash -c "cd /root/wiretop && $2"
}

step_check() { # ORDER ROOT LOGDIR: make check, summarised from tests/run.sh's last lines
    local order=$1 root=$2 log=$3/$1-check.log rc=0 start=$SECONDS total skips
    in_chroot "$root" "make check" </dev/null >"$log" 2>&1 || rc=$?
    total=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -1)
    skips=$(grep -E '^\[[^]]+\] .*skip' "$log" | grep -vE '[0-9]+ passed, [0-9]+ failed' | sed 's/^/    /')
    echo "$order: make check: exit $rc after $((SECONDS - start)) s: ${total:-no summary line}"
    grep -E '^failing suites:' "$log" | sed 's/^/    /'
    grep -E '^\[[^]]+\] (not ok|FAIL)' "$log" | head -20 | sed 's/^/    /'
    [ -z "$skips" ] || printf '%s\n' "$skips"
    [ "$rc" -eq 0 ]
}

step_run() { # ORDER ROOT LOGDIR: make run in a tmux pane until the UI shows, then q q
    local order=$1 root=$2 log=$3/$1-run.log sock=wt-fresh-$$ start=$SECONDS screen="" status
    T() { tmux -L "$sock" "$@"; }
    printf 'set -g default-terminal tmux-256color\n' >"$3/tmux.conf"
    cat >"$3/$order-run.sh" <<EOF
chroot $root /usr/bin/env -i HOME=/root PATH=$CHROOT_PATH TERM=tmux-256color SHELL=/bin/bash \\
    bash -c 'cd /root/wiretop && make run; echo "make run exited \$?"'
sleep 3600
EOF
    T -f "$3/tmux.conf" new-session -d -s run -x 160 -y 40 "sh $3/$order-run.sh"
    T pipe-pane -t run -o "cat >>$log"
    while ((SECONDS - start < RUN_TIMEOUT)); do
        screen=$(T capture-pane -p -t run)
        grep -qE '[0-9]+/[0-9]+ shown' <<<"$screen" && break
        grep -q 'make run exited' <<<"$screen" && break
        sleep 2
    done
    printf '%s\n' "$screen" >"$3/$order-run.screen"
    if ! grep -qE '[0-9]+/[0-9]+ shown' <<<"$screen"; then
        echo "$order: make run: no UI after $((SECONDS - start)) s; the screen:"
        sed 's/^/    | /' <<<"$screen" | grep -v '^    | *$' | tail -15
        T kill-server
        return 1
    fi
    echo "$order: make run: the UI opened after $((SECONDS - start)) s"
    sleep 3 # a few refreshes on the live interface
    echo "$order: make run: its status bar 3 s later:" \
        "$(T capture-pane -p -t run | grep -E '[0-9]+/[0-9]+ shown' | sed 's/^ *//;s/ *$//')"
    T send-keys -t run q && sleep 0.5 && T send-keys -t run q
    for _ in $(seq 20); do
        status=$(T capture-pane -p -t run | sed -n 's/^make run exited \([0-9]*\)$/\1/p')
        [ -n "$status" ] && break
        sleep 0.5
    done
    echo "$order: make run: q q ended it with status ${status:-none (still running)}"
    T kill-server
    [ "${status:-}" = 0 ]
}

one_order() { # ORDER: a fresh copy of the base system, the two commands in ORDER
    local order=$1 root=$DIR/$1 logs=$DIR/logs ok=0
    rm -rf --one-file-system "$root"
    cp -a "$DIR/base" "$root"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    git clone -q --no-checkout "$REPO" "$root/root/wiretop"
    git -C "$root/root/wiretop" checkout -q --detach "$(git -C "$REPO" rev-parse HEAD)"
    mount_system "$root"
    case $order in
    check-first) step_check "$order" "$root" "$logs" || ok=1; step_run "$order" "$root" "$logs" || ok=1 ;;
    run-first) step_run "$order" "$root" "$logs" || ok=1; step_check "$order" "$root" "$logs" || ok=1 ;;
    esac
    kill_chroot_processes "$root"
    umount -R "$root" 2>/dev/null || true
    return $ok
}

# ---- the whole run ---------------------------------------------------------------

mirror() { # the first Debian archive among apt's sources
    {
        sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
        sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null
    } | grep -E '/debian/?$' | head -1
}

remove_systems() { # unless --keep; the mounts lived in the namespaces of --one
    [ "$KEEP" -eq 1 ] && return
    if grep -q " $DIR/" /proc/self/mounts; then
        echo "fresh-machine: something is still mounted under $DIR; not removing it" >&2
        return
    fi
    rm -rf --one-file-system "$DIR/base" "$DIR/check-first" "$DIR/run-first"
}

base_system() { # DIR/base: debootstrap once, copied for each order
    [ -f "$DIR/base/.wiretop-base" ] && return
    say "debootstrap bookworm (minbase + gcc make git python3) from $MIRROR"
    rm -rf --one-file-system "$DIR/base"
    debootstrap --variant=minbase --include=gcc,make,git,python3 bookworm "$DIR/base" "$MIRROR" \
        >"$DIR/logs/debootstrap.log" 2>&1 || die "debootstrap failed; see $DIR/logs/debootstrap.log"
    touch "$DIR/base/.wiretop-base"
}

main() {
    if [ "${1:-}" = --one ]; then # re-executed by the code below, in its own mount namespace
        DIR=$3
        one_order "$2"
        return
    fi
    while [ $# -gt 0 ]; do
        case $1 in
        --dir) DIR=${2:?--dir needs a directory}; shift ;;
        --order) case ${2:-} in both) ;; check-first | run-first) ORDERS=$2 ;; *) usage ;; esac; shift ;;
        --keep) KEEP=1 ;;
        *) usage ;;
        esac
        shift
    done
    [ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"
    command -v tmux >/dev/null || die "needs tmux for make run's terminal (apt-get install tmux)"
    git diff --quiet HEAD || say "note: uncommitted changes are not in the clone (it takes HEAD)"
    MIRROR=${MIRROR:-$(mirror)}
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
    if ! command -v debootstrap >/dev/null; then
        say "installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    mkdir -p "$DIR/logs"
    trap remove_systems EXIT
    base_system
    local status=0 order
    for order in $ORDERS; do
        say "$order: $(git log -1 --format='%h %s' HEAD)"
        unshare --mount --propagation private "$SELF" --one "$order" "$DIR" 2>&1 |
            tee "$DIR/logs/$order.summary" || status=1
        [ "$KEEP" -eq 1 ] || rm -rf --one-file-system "${DIR:?}/$order"
    done
    say "logs in $DIR/logs"
    return $status
}

# the whole file is read before anything runs: it may change while it runs
main "$@"
exit

#!/usr/bin/env bash
# privdrop.sh - wiretop started as root with SUDO_UID set gives up root
# once the capture is open and keeps capturing.
#
# 1. wiretop -i lo --json, SUDO_UID=4242 SUDO_GID=4242: every thread in
#    /proc/<pid>/task/*/status shows uid/gid 4242 (real, effective, saved,
#    fs), CapEff/CapPrm/CapInh/CapAmb 0, NoNewPrivs 1, Seccomp 2; then UDP
#    datagrams sent to a port chosen here show up as a JSON record, so the
#    capture still works after the drop; exit status 0.
# 2. --no-priv-drop --no-sandbox relax both: root, capabilities, Seccomp 0,
#    yet NoNewPrivs 1 on every thread.
# 3. The sandbox module alone, wired the same way (tests/live/sbcheck.c,
#    built here): the same checks, with the attribution thread that was
#    started while privileged confined too.
# 4. With --attr sock_diag, the attribution helper: a child holding only
#    CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, as uid 4242, NoNewPrivs 1,
#    Seccomp 2, not dumpable, no packet socket or capture ring, gone with
#    wiretop.
# Needs root and loopback; skipped otherwise.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=${WIRETOP_BIN:-$PWD/$BUILD/wiretop}
ID=4242
SUITE=privdrop
. tests/live/lib.sh
. tests/need.sh
need_root "privilege drop"
TMP=$(mktemp -d /tmp/wt-privdrop.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

field() { # STATUS-FILE KEY -> the value(s) after "KEY:"
    sed -n "s/^$2:[[:space:]]*//p" "$1" | tr -s '[:space:]' ' ' | sed 's/ $//'
}

# Problems with one /proc/<pid>/task/<tid>/status, one per line; none when
# the thread runs as $ID with no capabilities, no_new_privs and seccomp.
confined_problems() { # STATUS-FILE
    local f=$1 k v
    [ "$(field "$f" Uid)" = "$ID $ID $ID $ID" ] || echo "$f: Uid $(field "$f" Uid)"
    [ "$(field "$f" Gid)" = "$ID $ID $ID $ID" ] || echo "$f: Gid $(field "$f" Gid)"
    for k in CapInh CapPrm CapEff CapAmb; do
        v=$(field "$f" $k)
        [ "$v" = "0000000000000000" ] || echo "$f: $k $v"
    done
    [ "$(field "$f" NoNewPrivs)" = 1 ] || echo "$f: NoNewPrivs $(field "$f" NoNewPrivs)"
    [ "$(field "$f" Seccomp)" = 2 ] || echo "$f: Seccomp $(field "$f" Seccomp)"
}

# Copies every thread's status into $TMP/tasks/TID at once: the checks
# afterwards take their time (seconds on a loaded machine) while the
# process runs for a fixed duration.
snapshot_threads() { # PID
    local t
    rm -rf "$TMP/tasks" && mkdir "$TMP/tasks"
    for t in /proc/"$1"/task/*; do
        cp "$t/status" "$TMP/tasks/${t##*/}" 2>/dev/null
    done
}

all_threads_problems() { # the snapshot's
    local t
    for t in "$TMP"/tasks/*; do
        confined_problems "$t" | sed "s|$t|task ${t##*/}|"
    done
}

send_udp() { # PORT: a few datagrams to 127.0.0.1
    for _ in 1 2 3; do echo "privdrop" >/dev/udp/127.0.0.1/"$1"; done 2>/dev/null
}

# Runs CMD... (stdout to $TMP/out.json, stderr to $TMP/err) as root with
# SUDO_UID, waits for the drop, checks every thread, sends traffic, waits
# for the end. Fills the array probs.
run_dropped() {
    local port=$1
    shift
    probs=()
    SUDO_UID=$ID SUDO_GID=$ID "$@" >"$TMP/out.json" 2>"$TMP/err" &
    local pid=$!
    pids+=("$pid")
    if ! live_wait_for_uid "$pid" "$ID"; then
        probs+=("never ran as uid $ID (is sandbox_enter() wired into the start-up?)")
    else
        live_wait_threads "$pid" 3 # the engine threads start right after the drop
        snapshot_threads "$pid"
        send_udp "$port"
        mapfile -t -O ${#probs[@]} probs < <(all_threads_problems)
        [ "$(ls "$TMP/tasks" | wc -l)" -ge 3 ] || probs+=("fewer than 3 threads: capture not running?")
        sleep 2 # the datagrams through the capture ring and a worker, on a loaded machine
        kill -INT "$pid" # ends the run (and flushes it): the duration only bounds it
    fi
    wait "$pid"
    local rc=$?
    [ $rc -eq 0 ] || probs+=("exit status $rc: $(head -c 300 "$TMP/err")")
    grep -q "\"dst_port\": *$port[,}]" "$TMP/out.json" ||
        probs+=("no record of the UDP flow to port $port sent after the drop")
}

# ---- 1. wiretop -------------------------------------------------------------
if [ -x "$BIN" ]; then
    port=$((40000 + RANDOM % 20000))
    run_dropped "$port" "$BIN" -i lo --json --duration 30
    live_result "wiretop runs as uid $ID with no capabilities, NoNewPrivs 1, Seccomp 2, and captures" "${probs[@]}"
else
    echo "skip: $BIN not built (privdrop: wiretop)"
    skipped=$((skipped + 1))
fi

# ---- 2. the flags relax it ----------------------------------------------------
if [ -x "$BIN" ]; then
    probs=()
    SUDO_UID=$ID SUDO_GID=$ID "$BIN" -i lo --json --duration 30 --no-priv-drop --no-sandbox \
        >/dev/null 2>"$TMP/err" &
    pid=$!
    pids+=("$pid")
    live_wait_threads "$pid" 3 # the engine threads start once the (relaxed) sandbox step is done
    cp /proc/$pid/status "$TMP/status" 2>/dev/null || probs+=("process gone: $(head -c 300 "$TMP/err")")
    if [ -s "$TMP/status" ]; then
        [ "$(field "$TMP/status" Uid)" = "0 0 0 0" ] || probs+=("Uid $(field "$TMP/status" Uid)")
        [ "$(field "$TMP/status" CapEff)" != "0000000000000000" ] || probs+=("CapEff 0")
        [ "$(field "$TMP/status" Seccomp)" = 0 ] || probs+=("Seccomp $(field "$TMP/status" Seccomp)")
    fi
    # ... but no thread may gain privilege by execve: once the main thread
    # has no_new_privs (start-up is over), every thread has it
    nnp=
    for _ in $(seq 100); do
        nnp=$(field /proc/"$pid"/status NoNewPrivs 2>/dev/null)
        [ "$nnp" = 1 ] && break
        sleep 0.1
    done
    [ "$nnp" = 1 ] || probs+=("main thread: NoNewPrivs ${nnp:-(process gone)}")
    for t in /proc/"$pid"/task/*; do
        cp "$t/status" "$TMP/status" 2>/dev/null || continue
        [ "$(field "$TMP/status" NoNewPrivs)" = 1 ] || probs+=("task ${t##*/}: NoNewPrivs $(field "$TMP/status" NoNewPrivs)")
    done
    kill -INT "$pid" 2>/dev/null # --duration only bounds the run
    wait "$pid" || probs+=("exit status $?")
    live_result "--no-priv-drop --no-sandbox keep root and add no filter, with NoNewPrivs 1" "${probs[@]}"
fi

# ---- 3. the module alone ----------------------------------------------------------
build_sbcheck() {
    local libs flags="-std=c11 -O2 -g -Isrc -D_GNU_SOURCE -pthread"
    [ -f "$BUILD/libwiretop.a" ] || { echo "no $BUILD/libwiretop.a (make tests)" >"$TMP/cc.err"; return 1; }
    libs=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory --eval='wt-print-ldlibs: ; @echo $(LDLIBS)' wt-print-ldlibs 2>/dev/null)
    # An ASan build of the library (make asan) needs the same at link time.
    if nm "$BUILD/libwiretop.a" 2>/dev/null | grep -q __asan_init; then
        flags="$flags -fsanitize=address,undefined"
    fi
    if pkg-config --exists libseccomp 2>/dev/null; then
        flags="$flags -DWT_HAVE_SECCOMP"
        libs="$libs $(pkg-config --libs libseccomp)"
    fi
    # The sandbox sources first, so they (with seccomp) win over the archive's.
    # shellcheck disable=SC2086
    cc $flags -o "$TMP/sbcheck" tests/live/sbcheck.c src/sandbox/*.c "$BUILD/libwiretop.a" $libs -pthread \
        2>"$TMP/cc.err"
}
if ! command -v cc >/dev/null; then
    echo "skip: cc not installed (privdrop: the sandbox module alone)"
    skipped=$((skipped + 1))
elif build_sbcheck; then
    port=$((40000 + RANDOM % 20000))
    run_dropped "$port" "$TMP/sbcheck" lo 30
    grep -q "^sbcheck: threads [0-9]* confined [0-9]*$" "$TMP/err" ||
        probs+=("no census line: $(head -c 300 "$TMP/err")")
    live_result "the sandbox module confines every thread of a live capture" "${probs[@]}"
else
    live_result "tests/live/sbcheck.c builds" "$(head -c 300 "$TMP/cc.err" 2>/dev/null)"
fi

# ---- 4. the attribution helper -------------------------------------------------
# Problems with the helper process PID, one per line: it must run as $ID
# holding only CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (bits 2 and 19),
# permitted, effective and bounding, nothing inheritable or ambient, with
# NoNewPrivs 1, Seccomp 2, not dumpable (the files of its /proc entry then
# belong to root), /dev/null on 0-2, its socket to wiretop on 3, besides
# only its sock_diag socket and the /proc files of a scan, no packet socket
# and nothing of the capture mapped.
helper_problems() { # PID
    local p=$1 f="$TMP/helper.status" k fd link
    cp /proc/"$p"/status "$f" 2>/dev/null || { echo "helper $p gone"; return; }
    [ "$(field "$f" Uid)" = "$ID $ID $ID $ID" ] || echo "Uid $(field "$f" Uid)"
    for k in CapPrm CapEff CapBnd; do
        [ "$(field "$f" $k)" = "0000000000080004" ] || echo "$k $(field "$f" $k)"
    done
    for k in CapInh CapAmb; do
        [ "$(field "$f" $k)" = "0000000000000000" ] || echo "$k $(field "$f" $k)"
    done
    [ "$(field "$f" NoNewPrivs)" = 1 ] || echo "NoNewPrivs $(field "$f" NoNewPrivs)"
    [ "$(field "$f" Seccomp)" = 2 ] || echo "Seccomp $(field "$f" Seccomp)"
    [ "$(stat -c %u /proc/"$p"/status)" = 0 ] ||
        echo "dumpable: /proc/$p/status belongs to uid $(stat -c %u /proc/"$p"/status)"
    for fd in /proc/"$p"/fd/*; do
        link=$(readlink "$fd")
        case "${fd##*/}:$link" in
        [012]:/dev/null | 3:socket:*) ;;
        [012]:* | 3:*) echo "descriptor ${fd##*/} -> $link" ;;
        *:socket:* | *:/proc/* | *:) ;; # its sock_diag socket; a scan's /proc files, open or just closed
        *) echo "descriptor ${fd##*/} -> $link" ;;
        esac
        if [[ $link == socket:* ]] && grep -q " ${link//[^0-9]/}\$" /proc/net/packet; then
            echo "descriptor ${fd##*/} is a packet socket"
        fi
    done
    grep -q "socket:" /proc/"$p"/maps && echo "a socket is mapped: $(grep socket: /proc/"$p"/maps | head -1)"
}

if [ -x "$BIN" ]; then
    probs=()
    SUDO_UID=$ID SUDO_GID=$ID "$BIN" -i lo --json --duration 30 --attr sock_diag >/dev/null 2>"$TMP/err" &
    pid=$!
    pids+=("$pid")
    if ! live_wait_for_uid "$pid" "$ID"; then
        probs+=("wiretop never ran as uid $ID: $(head -c 300 "$TMP/err")")
    else
        helper=$(pgrep -P "$pid" -x wt-attr-helper)
        if [ -z "$helper" ]; then
            probs+=("no child named wt-attr-helper")
        else
            mapfile -t probs < <(helper_problems "$helper")
        fi
    fi
    kill -INT "$pid" 2>/dev/null
    wait "$pid" || probs+=("exit status $?: $(head -c 300 "$TMP/err")")
    [ -z "${helper:-}" ] || ! kill -0 "$helper" 2>/dev/null || probs+=("the helper outlived wiretop")
    live_result "the attribution helper holds only CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, confined, no packet" \
        "${probs[@]}"
fi

live_summary

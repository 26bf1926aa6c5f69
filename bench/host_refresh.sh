#!/usr/bin/env bash
# What the Host view costs while it shows. In a network namespace made
# here, TCP listeners and bound UDP sockets (default 300 and 100) held by
# four python3 processes; `wiretop -i lo` there, in tmux, its UI traced
# (--trace-ui), shows the overview for SECS seconds, then the Host view
# (L) for SECS seconds. Prints:
# - the Host view's listing on the UI thread at each refresh (the trace's
#   host=, wall ms): median and largest;
# - the CPU time a second of wiretop and its attribution helper (utime and
#   stime from /proc, every thread) in each view: the difference is what
#   the Host view costs, the scans it asks of the attribution thread or
#   the helper included;
# - `wiretop --listening --json` on the same sockets: wall and CPU ms (one
#   listing on its own: a scan of every process's sockets, then owners).
# Needs root (the namespace). Figures from a busy machine are no claim.
#   bench/host_refresh.sh BIN [TCP [UDP [SECS [REFRESH_MS]]]]
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "$1")
TCP=${2:-300} UDP=${3:-100} SECS=${4:-10} REFRESH=${5:-1000}
for t in tmux python3 ip; do
    command -v "$t" >/dev/null 2>&1 || { echo "skip: $t not installed"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "skip: needs root (a network namespace)"; exit 0; }
TMP=$(mktemp -d /tmp/wt-hostbench.XXXXXX)
SOCK=wt-hostbench-$$ NS=wthostbench$$
pids=()
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
ip netns add "$NS" && ip -n "$NS" link set lo up || { echo "cannot make namespace $NS"; exit 1; }

# four holders, each a quarter of the sockets on ports of its own
for i in 0 1 2 3; do
    ip netns exec "$NS" python3 -c '
import socket, sys, time
i, tcp, udp, ready = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
held = []
for n in range(i, tcp, 4):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 20000 + n)); s.listen(); held.append(s)
for n in range(i, udp, 4):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 30000 + n)); held.append(s)
open(ready, "w").write(str(len(held)))
time.sleep(3600)
' "$i" "$TCP" "$UDP" "$TMP/ready.$i" &
    pids+=($!)
done
for i in 0 1 2 3; do
    for _ in $(seq 100); do [ -s "$TMP/ready.$i" ] && break; sleep 0.1; done
    [ -s "$TMP/ready.$i" ] || { echo "holder $i did not bind its sockets"; exit 1; }
done

# one listing on its own
s=$(date +%s%N)
/usr/bin/time -f "%U %S" -o "$TMP/time" ip netns exec "$NS" "$BIN" --listening --json >"$TMP/listing"
e=$(date +%s%N)
listed=$(wc -l <"$TMP/listing")
read -r u sy <"$TMP/time"
echo "--listening --json: $listed sockets, wall $(((e - s) / 1000000)) ms, cpu $(echo "$u $sy" | awk '{ printf "%d", ($1 + $2) * 1000 }') ms"

# the UI: its pid (ip netns exec and sh exec it) and its helper's
tmux -L "$SOCK" new-session -d -s ui -x 160 -y 50 \
    "sh -c 'echo \$\$ >$TMP/pid; exec ip netns exec $NS $BIN -i lo --no-resolve --no-geoip --refresh-interval $REFRESH --trace-ui $TMP/trace'"
for _ in $(seq 100); do [ -s "$TMP/pid" ] && break; sleep 0.1; done
PID=$(cat "$TMP/pid")
sleep 3 # started, the first scans done
ticks() { # the CPU ticks of PID and its children
    local all="$PID $(cat /proc/"$PID"/task/*/children 2>/dev/null)" t=0 p
    for p in $all; do
        t=$((t + $(awk '{ print $14 + $15 }' /proc/"$p"/stat 2>/dev/null || echo 0)))
    done
    echo "$t"
}
HZ=$(getconf CLK_TCK)
cpu_per_s() { # SECONDS: CPU ms a second over that long
    local a b
    a=$(ticks)
    sleep "$1"
    b=$(ticks)
    echo "$a $b" | awk -v hz="$HZ" -v s="$1" '{ printf "%.1f", ($2 - $1) * 1000 / hz / s }'
}
over=$(cpu_per_s "$SECS")
tmux -L "$SOCK" send-keys -t ui L
sleep 1
host=$(cpu_per_s "$SECS")
tmux -L "$SOCK" send-keys -t ui q q
sleep 1

grep ' refresh ' "$TMP/trace" | sed -n 's/.* host=\([^ ]*\).*/\1/p' | awk '$1 > 0' | sort -n >"$TMP/host"
n=$(wc -l <"$TMP/host")
med=$(awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }' "$TMP/host")
echo "UI, refresh every $REFRESH ms: the Host view's listing on the UI thread: median $med ms, largest $(tail -1 "$TMP/host") ms ($n refreshes)"
echo "UI: CPU of wiretop and its helper: $over ms a second on the overview, $host ms a second on the Host view"

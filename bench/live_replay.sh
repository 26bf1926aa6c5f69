#!/usr/bin/env bash
# Replays a capture at top speed into a veth pair between two network
# namespaces made here, with `wiretop -i VETH --json` (default settings)
# on the receiving end; prints what the kernel and wiretop dropped and the
# CPU wiretop used. Needs root, iproute2 and tcpreplay.
#   bench/live_replay.sh BIN CAPTURE
set -u
BIN=$1 CAP=$2
if [ "$(id -u)" -ne 0 ] || ! command -v tcpreplay >/dev/null || [ ! -f "$CAP" ]; then
    echo "skip: needs root, tcpreplay and a capture ($CAP)"; exit 0
fi
NA=wtrep_a_$$ NB=wtrep_b_$$ VA=wtra$$ VB=wtrb$$
ERR=$(mktemp) TIMES=$(mktemp)
cleanup() { ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null; rm -f "$ERR" "$TIMES"; }
trap cleanup EXIT
ip netns add "$NA"; ip netns add "$NB"
ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB"
ip -n "$NA" link set "$VA" up; ip -n "$NB" link set "$VB" up
ip netns exec "$NB" /usr/bin/time -o "$TIMES" -f "%U %S %e" "$BIN" -i "$VB" --json --duration 8 > /dev/null 2> "$ERR" &
WT=$!
sleep 1
ip netns exec "$NA" tcpreplay -q --topspeed -i "$VA" "$CAP" 2>&1 | grep -E "Actual|Rated" | sed 's/^/tcpreplay: /'
wait $WT
grep -E "packets" "$ERR" | tail -1
read -r u s e < "$TIMES"
echo "wiretop cpu: user ${u}s sys ${s}s over ${e}s wall"

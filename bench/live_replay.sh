#!/usr/bin/env bash
# Replays a capture at top speed into a veth pair between two network
# namespaces made here, with `wiretop -i VETH --json` (default settings:
# DPI, names, RTT, rates, tunnels all on) on the receiving end. Prints the
# sender's rate (the ceiling), what the kernel and wiretop dropped, whether
# every connection of the capture was shown, and wiretop's CPU per packet
# live beside the same capture read offline. Needs root, iproute2,
# tcpreplay and python3.
#   bench/live_replay.sh BIN CAPTURE
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
BIN=$(realpath "$1") CAP=$2
if [ "$(id -u)" -ne 0 ] || ! command -v tcpreplay >/dev/null || ! command -v python3 >/dev/null ||
    [ ! -f "$CAP" ]; then
    echo "skip: needs root, tcpreplay, python3 and a capture ($CAP)"; exit 0
fi
NA=wtrep_a_$$ NB=wtrep_b_$$ VA=wtra$$ VB=wtrb$$
TMP=$(mktemp -d /tmp/wt-replay.XXXXXX)
cleanup() { ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
ip netns add "$NA"; ip netns add "$NB"
ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB"
ip -n "$NA" link set "$VA" up; ip -n "$NB" link set "$VB" up

ip netns exec "$NB" /usr/bin/time -o "$TMP/live_times" -f "%U %S %e" "$BIN" -i "$VB" --json \
    --duration 8 > "$TMP/live.json" 2> "$TMP/err" &
WT=$!
sleep 1
ip netns exec "$NA" tcpreplay -q --topspeed -i "$VA" "$CAP" > "$TMP/replay" 2>&1
wait $WT
/usr/bin/time -o "$TMP/file_times" -f "%U %S %e" "$BIN" --read "$CAP" --json > "$TMP/file.json" 2>/dev/null

packets=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$TMP/replay" | head -1)
rate=$(sed -n 's/.*Rated: .*, \([0-9.]*\) pps.*/\1/p' "$TMP/replay" | head -1)
stats=$(grep -E "packets" "$TMP/err" | tail -1)
kdrops=$(echo "$stats" | sed -n 's/.*kernel drops \([0-9]*\).*/\1/p')
idrops=$(echo "$stats" | sed -n 's/.*internal drops \([0-9]*\).*/\1/p')
flow_keys "$TMP/file.json" > "$TMP/file.keys"
flow_keys "$TMP/live.json" > "$TMP/live.keys"
missing=$(comm -23 "$TMP/file.keys" "$TMP/live.keys" | wc -l)
read -r lu ls _ < "$TMP/live_times"
read -r fu fs _ < "$TMP/file_times"
ns() { echo "($1 + $2) * 1000000000 / ${3:-1}" | bc; } # USER SYS PACKETS

echo "replayed ${packets:-?} packets at ${rate:-?} packets/s (tcpreplay --topspeed, the sender's ceiling)"
echo "$stats"
row "kernel and internal drops" "${kdrops:-?} and ${idrops:-?}" "0 and 0"
row "connections shown live" "$(wc -l < "$TMP/live.keys") of the $(wc -l < "$TMP/file.keys") read offline, $missing missing" "every one"
row "CPU per packet live" "$(ns "$lu" "$ls" "$packets") ns (user ${lu}s, sys ${ls}s)" "reported"
row "CPU per packet offline (--read)" "$(ns "$fu" "$fs" "$packets") ns (user ${fu}s, sys ${fs}s)" "reported"

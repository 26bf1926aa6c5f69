#!/usr/bin/env bash
# --filter and the exporters: the filter chooses what the UI shows and
# --json writes; the event log and the pcapng file get every connection
# and packet captured (docs/FLEET.md). --daemon with a --filter that has
# nothing to act on is refused.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3 tshark

cap=tests/golden/captures/udp_icmp_arp.pcap
run --read "$cap" --json
all=$(grep -c . <<<"$OUT")
run --read "$cap" --json --filter 'proto:udp' --json-log "$TMP/ev.log" --pcapng "$TMP/out.pcapng"
check "the filtered run succeeds: $ERR" [ "$RC" -eq 0 ]
shown=$(grep -c . <<<"$OUT")
check "--json writes only the matching connections ($shown of $all)" \
    [ "$shown" -ge 1 ] && [ "$shown" -lt "$all" ] && ! grep -qv '"proto": "UDP"' <<<"$OUT"
closes=$(python3 -c '
import json, sys
print(sum(json.loads(l)["event"] == "close" for l in open(sys.argv[1])))' "$TMP/ev.log")
check "the event log closes every connection ($closes, want $all)" [ "$closes" = "$all" ]
want=$(tshark -r "$cap" 2>/dev/null | wc -l)
got=$(tshark -r "$TMP/out.pcapng" 2>/dev/null | wc -l)
check "the pcapng file has every packet ($got, want $want)" [ "$got" = "$want" ] && [ "$want" -gt 0 ]

run --read "$cap" --daemon --json-log "$TMP/ev2.log" --filter 'proto:udp'
check "--daemon --filter without --json is a usage error ($RC)" [ "$RC" -eq 2 ]
check "that says the exporters are not filtered" grep -q "bpf-filter" <<<"$ERR"
run --read "$cap" --daemon --json --json-log "$TMP/ev3.log" --filter 'proto:udp'
check "--daemon --json --filter runs ($RC: $ERR)" [ "$RC" -eq 0 ]
finish

#!/usr/bin/env bash
# Frames that fit in no connection are counted, never silently lost: the
# golden capture ip_protocols.pcap holds 21 frames, one LLDP frame (not IP)
# and one IPv4 header cut short; the other 19 all belong to rows. Fragments
# of datagrams that reassembly gives up on count too.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

CAP=tests/golden/captures/ip_protocols.pcap
for threads in 1 3; do
    run --read "$CAP" --json --threads "$threads" -l info --log-dir "$TMP/logs$threads"
    check "threads $threads: exit 0 (got $RC: $ERR)" [ "$RC" -eq 0 ]
    check "threads $threads: closing line on stderr counts 2 unparsed (got: $ERR)" \
        grep -qE "^wiretop: $CAP: 21 packets, .*unparsed 2$" <<<"$ERR"
    check "threads $threads: the log's capture stats say unparsed=2" \
        grep -qE "capture stats: packets=21 .*unparsed=2 " "$TMP/logs$threads"/wiretop_*.log
done

# fragments: two IPv4 and two IPv6 of datagrams discarded for overlapping
# (RFC 5722; Linux does it for IPv4 too), two of one that never completes
run --read tests/golden/captures/frag_overlaps.pcap --json
check "fragments: exit 0" [ "$RC" -eq 0 ]
check "fragments: 6 of 9 frames unparsed (got: $ERR)" \
    grep -qE "^wiretop: .*: 9 packets, .*unparsed 6$" <<<"$ERR"
run --read tests/golden/captures/frag_orders.pcap --json
check "fragments in any order all land in rows: nothing on stderr (got: $ERR)" [ -z "$ERR" ]

# a capture where every frame has its row: nothing on stderr
run --read tests/golden/captures/tcp_states.pcap --json
check "all frames placed: exit 0" [ "$RC" -eq 0 ]
check "all frames placed: nothing on stderr (got: $ERR)" [ -z "$ERR" ]
run --read tests/golden/captures/tcp_states.pcap --json -l info --log-dir "$TMP/clean"
check "all frames placed: unparsed=0 in the log" \
    grep -qE "capture stats: .*unparsed=0 " "$TMP"/clean/wiretop_*.log
finish

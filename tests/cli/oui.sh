#!/usr/bin/env bash
# The IEEE OUI registry names the vendors of ARP hardware addresses: read
# from --oui-file (default Debian's ieee-data), a registry that is not
# installed means no vendors and no error, one that cannot be read is an
# error (status 2) that names it. The capture is the golden app_arp.pcap:
# 00:00:0c (Cisco) asks, 00:1b:21 (Intel) answers.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool python3

CAP=tests/golden/captures/app_arp.pcap
field() { # KEY: the value of KEY in the first record of $OUT, or "absent"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1].splitlines()[0]); print(r.get(sys.argv[2], "absent"))' \
        "$OUT" "$1"
}

run --read "$CAP" --json --oui-file "$TMP/not-there.txt"
check "missing registry: exit 0, nothing on stderr (got $RC: $ERR)" test "$RC" -eq 0 -a -z "$ERR"
check "missing registry: the hardware address is still kept ($(field arp_src_mac))" \
    [ "$(field arp_src_mac)" = "00:00:0c:12:34:56" ]
check "missing registry: no vendor key ($(field arp_src_vendor))" [ "$(field arp_src_vendor)" = absent ]

run --read "$CAP" --json --oui-file "$TMP"
check "a registry that cannot be read: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "a registry that cannot be read: the message names it (got: $ERR)" grep -qF "$TMP" <<<"$ERR"

printf 'oui-file = tests/golden/oui.txt\n' >"$TMP/conf"
run --config "$TMP/conf" --read "$CAP" --json
check "from a config file: both vendors ($(field arp_src_vendor) / $(field arp_dst_vendor))" \
    test "$(field arp_src_vendor)" = "Cisco Systems, Inc" -a "$(field arp_dst_vendor)" = "Intel Corporate"

if [ -r /usr/share/ieee-data/oui.txt ]; then
    run --read "$CAP" --json
    check "default registry (ieee-data): exit 0 (got $RC: $ERR)" [ "$RC" -eq 0 ]
    check "default registry (ieee-data): Cisco's vendor ($(field arp_src_vendor))" \
        [ "$(field arp_src_vendor)" = "Cisco Systems, Inc" ]
else
    skip "ieee-data not installed (scripts/install-deps.sh --test installs it)"
fi
finish

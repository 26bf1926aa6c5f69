#!/usr/bin/python3
"""Build the captures of --findings and the findings wiretop must report.

Run:  /usr/bin/python3 tests/golden/make_findings_captures.py   (needs python3-scapy)

Writes tests/golden/findings/NAME.pcap and NAME.findings.json (one finding
per line, in the order docs/FINDINGS.md gives: by kind, then by first
time). The expectations are stated here from the protocol rules and the
thresholds of docs/FINDINGS.md (defaults: 5 s without an answer, 10 % and
at least 3 retransmissions, a smoothed round trip 100 ms over the
handshake's, a round-trip sample over SRTT + 4 * RTTVAR and 200 ms over
SRTT), not from wiretop's output;
tests/golden/findings_check.py compares wiretop's lines with them and
checks them against tshark's view of the same frames.
"""
import json
import os

from scapy.all import DNS, DNSQR, DNSRR, ICMP, IP, TCP, UDP, Ether, Raw, wrpcap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "findings")
T0 = 1700000000.0
C = "10.1.0.2"                       # the client, where the capture is taken
RESOLVER = "10.0.0.53"
MAC_C, MAC_S = "02:00:00:00:00:02", "02:00:00:00:00:03"


def frame(src, dst, l4, t):
    eth = Ether(src=MAC_C, dst=MAC_S) if src == C else Ether(src=MAC_S, dst=MAC_C)
    p = eth / IP(src=src, dst=dst) / l4
    p.time = t
    return p


class Conv:
    """A TCP conversation with correct sequence numbers."""

    def __init__(self, pkts, t, cport, s, sport):
        self.pkts, self.t = pkts, t
        self.cport, self.s, self.sport = cport, s, sport
        self.seq = {True: 1000, False: 5000}

    def send(self, from_client, flags, data=b"", dt=0.01, seq=None):
        self.t += dt
        src, dst = (C, self.s) if from_client else (self.s, C)
        sp, dp = (self.cport, self.sport) if from_client else (self.sport, self.cport)
        ack = self.seq[not from_client] if "A" in flags else 0
        tcp = TCP(sport=sp, dport=dp, flags=flags, seq=self.seq[from_client] if seq is None else seq,
                  ack=ack, window=65535)
        self.pkts.append(frame(src, dst, tcp / Raw(data) if data else tcp, self.t))
        if seq is None:
            self.seq[from_client] += len(data) + ("S" in flags) + ("F" in flags)

    def at_us(self, us):
        """The next segment at T0 + us microseconds (exactly: no sum of
        floats on the way)."""
        self.t = T0 + us / 1e6
        return self

    def handshake(self):
        self.send(True, "S")
        self.send(False, "SA")
        self.send(True, "A")

    def close(self):
        self.send(True, "FA")
        self.send(False, "FA")
        self.send(True, "A")


def dns(pkts, t, sport, name, rcode=None, answer=None):
    """A query from C:sport, and its response after 20 ms unless rcode is None."""
    q = DNS(id=sport, rd=1, qd=DNSQR(qname=name))
    pkts.append(frame(C, RESOLVER, UDP(sport=sport, dport=53) / q, t))
    if rcode is None:
        return
    r = DNS(id=sport, qr=1, rd=1, ra=1, rcode=rcode, qd=DNSQR(qname=name),
            an=DNSRR(rrname=name, rdata=answer) if answer else None)
    pkts.append(frame(RESOLVER, C, UDP(sport=53, dport=sport) / r, t + 0.02))


def at(t):
    """A time as the records write it: epoch seconds, six decimals."""
    return round(T0 + t, 6)


def conn(proto, src, sport, dst, dport, t):
    return {"proto": proto, "src_ip": src, "src_port": sport, "dst_ip": dst, "dst_port": dport,
            "first_seen": at(t)}


def finding(kind, severity, first, last, subject, conns):
    f = {"finding": kind, "severity": severity, "count": len(conns), "first_seen": at(first),
         "last_seen": at(last)}
    f.update(subject)
    f["connections"] = conns
    return f


def save(name, pkts, findings):
    os.makedirs(OUT, exist_ok=True)
    pkts.sort(key=lambda p: p.time)
    wrpcap(os.path.join(OUT, name + ".pcap"), pkts)
    with open(os.path.join(OUT, name + ".findings.json"), "w") as f:
        for x in findings:
            f.write(json.dumps(x) + "\n")


# The round trips of connections 9 and 10 below, in microseconds.
SPIKE_SAMPLES = [20000] * 5 + [400000] + [20000] * 2
JITTER_SAMPLES = [20000, 219999, 274995, 20000, 20000]


def late_acks(pkts, start_us, cport, server, samples):
    """A connection from T0 + start_us: a 20-ms handshake, then a 100-byte
    segment 10 ms after each ACK, ACKed samples[i] us after it, then FINs.
    Returns the time of its last segment (s after T0)."""
    c = Conv(pkts, T0, cport, server, 80)
    t = start_us
    for from_client, flags in ((True, "S"), (False, "SA"), (True, "A")):
        c.at_us(t).send(from_client, flags, dt=0)
        t += 10000
    for sample in samples:
        c.at_us(t).send(True, "PA", b"s" * 100, dt=0)
        t += sample
        c.at_us(t).send(False, "A", dt=0)
        t += 10000
    for from_client, flags in ((True, "FA"), (False, "FA"), (True, "A")):
        c.at_us(t).send(from_client, flags, dt=0)
        t += 10000
    return (t - 10000) / 1e6


def problems():
    """One of each kind of trouble, and a healthy connection beside them."""
    pkts = []
    # 1. 10.2.0.10:80 never answers: a SYN sent three times (RFC 6298's
    #    backoff: 1 s, then 2 s), and a second attempt from another port
    #    at 4 s, more than 5 s before the capture ends (at 12 s).
    for t in (0.0, 1.0, 3.0):
        pkts.append(frame(C, "10.2.0.10", TCP(sport=41000, dport=80, flags="S", seq=1000, window=65535), T0 + t))
    pkts.append(frame(C, "10.2.0.10", TCP(sport=41001, dport=80, flags="S", seq=7000, window=65535), T0 + 4.0))
    # 2. 10.2.0.11:81 answers the SYN with RST+ACK (RFC 793: no listener).
    pkts.append(frame(C, "10.2.0.11", TCP(sport=41010, dport=81, flags="S", seq=2000, window=65535), T0 + 1.0))
    pkts.append(frame("10.2.0.11", C, TCP(sport=81, dport=41010, flags="RA", seq=0, ack=2001, window=0), T0 + 1.01))
    # 3. 10.2.0.12:443 resets an established connection in the middle.
    c = Conv(pkts, T0 + 2.0, 41020, "10.2.0.12", 443)
    c.handshake()
    c.send(True, "PA", b"x" * 100)
    c.send(False, "PA", b"y" * 200)
    c.send(False, "RA")
    # 4. A UDP datagram to 10.2.0.13:9999 answered by ICMP port unreachable
    #    (RFC 792 type 3 code 3, quoting the datagram's header): the
    #    finding lists the datagram's connection, which the error quotes,
    #    and the ICMP exchange.
    udp = IP(src=C, dst="10.2.0.13") / UDP(sport=41030, dport=9999) / Raw(b"ping")
    pkts.append(frame(C, "10.2.0.13", UDP(sport=41030, dport=9999) / Raw(b"ping"), T0 + 2.5))
    pkts.append(frame("10.2.0.13", C, ICMP(type=3, code=3) / bytes(udp)[:28], T0 + 2.51))
    # 5. DNS: NXDOMAIN, SERVFAIL, a query nobody answers (at 5 s; the
    #    capture goes on to 12 s), and one answered with NOERROR.
    dns(pkts, T0 + 3.0, 50001, "nx.example.com", rcode=3)
    dns(pkts, T0 + 3.5, 50002, "broken.example.net", rcode=2)
    dns(pkts, T0 + 5.0, 50003, "slow.example.org")
    dns(pkts, T0 + 5.5, 50004, "ok.example.com", rcode=0, answer="10.2.0.20")
    # 6. 10.2.0.14:80: ten segments, four of them sent again (the same
    #    sequence numbers 0.2 s apart, before the receiver ACKs): 4 of 26 packets.
    c = Conv(pkts, T0 + 6.0, 41040, "10.2.0.14", 80)
    c.handshake()
    starts = []
    for i in range(10):
        starts.append(c.seq[True])
        c.send(True, "PA", bytes([65 + i]) * 100)
    for i in (2, 4, 6, 8):
        c.send(True, "PA", bytes([65 + i]) * 100, dt=0.2, seq=starts[i])
    for i in range(6):
        c.send(False, "A")
    c.close()
    # 8. 10.2.0.15:80 gets slower as the connection runs: a 20-ms
    #    handshake (the SYN at 8.01 s to the ACK of the SYN+ACK at 8.03 s),
    #    then five segments, each ACKed 50, 150, 300, 400 and 500 ms after
    #    it. RFC 6298's SRTT over those samples (the first, then
    #    SRTT + (sample - SRTT) / 8, to the microsecond): 50000, 62500,
    #    92187, 130663, 176830 us: 176.8 ms, more than twice the
    #    handshake's and over 100 ms above it (findings-rtt-rise). The
    #    300-ms sample is also a spike: before it SRTT was 62500 and RTTVAR
    #    43750 (RFC 6298: the first sample's half, 25000, then
    #    25000 + (|50000 - 150000| - 25000) / 4), so 300 ms is over
    #    SRTT + 4 * RTTVAR = 237.5 ms and 237.5 ms over SRTT (>= 200 ms).
    #    The ones after it are not: RTTVAR grew to 92187 with it.
    c = Conv(pkts, T0 + 8.0, 41070, "10.2.0.15", 80)
    c.handshake()
    for delay in (0.05, 0.15, 0.3, 0.4, 0.5):
        c.send(True, "PA", b"r" * 100)
        c.send(False, "A", dt=delay)
    c.close()
    rtt_last = c.t - T0
    # 9. 10.2.0.16:80: one late ACK among steady ones: a 20-ms handshake
    #    from 9.6 s, then eight segments, each sent 10 ms after the last
    #    ACK and ACKed 20 ms after it but the sixth, ACKed 400 ms after.
    #    RFC 6298 (us, rounded toward zero): SRTT 20000 throughout the
    #    first five, RTTVAR 10000, 7500, 5625, 4219, 3165; then 400000 is
    #    over SRTT + 4 * RTTVAR = 32660 and 380000 over SRTT: a spike.
    spike_end = late_acks(pkts, 9600000, 41080, "10.2.0.16", SPIKE_SAMPLES)
    # 10. 10.2.0.17:80: jitter just under the rule, from 10.6 s. After
    #    20000 (SRTT 20000, RTTVAR 10000): 219999 is over SRTT + 4 * RTTVAR
    #    but 1 us short of 200 ms over SRTT; then (RTTVAR 57499, SRTT
    #    44999) 274995 is 229996 over SRTT but just SRTT + 4 * RTTVAR, not
    #    over it; then two of 20 ms. No spike, no finding.
    late_acks(pkts, 10600000, 41090, "10.2.0.17", JITTER_SAMPLES)
    # 7. A healthy connection to 10.2.0.20:80 (the answer of ok.example.com),
    #    closed with FINs; its last segment ends the capture at 12 s.
    c = Conv(pkts, T0 + 11.9, 41050, "10.2.0.20", 80)
    c.handshake()
    c.send(True, "PA", b"GET / HTTP/1.1\r\nHost: ok.example.com\r\n\r\n")
    c.send(False, "PA", b"HTTP/1.1 204 No Content\r\n\r\n")
    c.close()

    syn0 = conn("TCP", C, 41000, "10.2.0.10", 80, 0.0)
    syn1 = conn("TCP", C, 41001, "10.2.0.10", 80, 4.0)
    want = [
        finding("tcp_no_answer", "error", 0.0, 4.0, {"proto": "TCP", "dst_ip": "10.2.0.10", "dst_port": 80},
                [syn0, syn1]),
        finding("tcp_refused", "error", 1.0, 1.01, {"proto": "TCP", "dst_ip": "10.2.0.11", "dst_port": 81},
                [conn("TCP", C, 41010, "10.2.0.11", 81, 1.0)]),
        finding("tcp_reset", "warning", 2.01, 2.06, {"proto": "TCP", "dst_ip": "10.2.0.12", "dst_port": 443},
                [conn("TCP", C, 41020, "10.2.0.12", 443, 2.01)]),
        finding("tcp_retransmits", "warning", 6.01, 7.02, {"proto": "TCP", "dst_ip": "10.2.0.14", "dst_port": 80},
                [conn("TCP", C, 41040, "10.2.0.14", 80, 6.01)]),
        finding("tcp_rtt_rise", "warning", 8.01, rtt_last, {"proto": "TCP", "dst_ip": "10.2.0.15", "dst_port": 80},
                [conn("TCP", C, 41070, "10.2.0.15", 80, 8.01)]),
        finding("tcp_rtt_spike", "warning", 8.01, rtt_last, {"proto": "TCP", "dst_ip": "10.2.0.15", "dst_port": 80},
                [conn("TCP", C, 41070, "10.2.0.15", 80, 8.01)]),
        finding("tcp_rtt_spike", "warning", 9.6, spike_end, {"proto": "TCP", "dst_ip": "10.2.0.16", "dst_port": 80},
                [conn("TCP", C, 41080, "10.2.0.16", 80, 9.6)]),
        finding("icmp_unreachable", "warning", 2.5, 2.51, {"proto": "ICMP", "src_ip": "10.2.0.13", "dst_ip": C},
                [conn("UDP", C, 41030, "10.2.0.13", 9999, 2.5), conn("ICMP", "10.2.0.13", 0, C, 0, 2.51)]),
        finding("dns_nxdomain", "warning", 3.0, 3.02, {"dns_query": "nx.example.com"},
                [conn("UDP", C, 50001, RESOLVER, 53, 3.0)]),
        finding("dns_servfail", "error", 3.5, 3.52, {"dns_query": "broken.example.net"},
                [conn("UDP", C, 50002, RESOLVER, 53, 3.5)]),
        finding("dns_no_answer", "error", 5.0, 5.0, {"dns_query": "slow.example.org"},
                [conn("UDP", C, 50003, RESOLVER, 53, 5.0)]),
    ]
    save("problems", pkts, want)


def clean():
    """Healthy traffic: a resolved name, a closed connection, a ping."""
    pkts = []
    dns(pkts, T0, 50010, "ok.example.com", rcode=0, answer="10.2.0.20")
    c = Conv(pkts, T0 + 0.1, 41060, "10.2.0.20", 80)
    c.handshake()
    c.send(True, "PA", b"GET / HTTP/1.1\r\nHost: ok.example.com\r\n\r\n")
    c.send(False, "PA", b"HTTP/1.1 204 No Content\r\n\r\n")
    c.close()
    pkts.append(frame(C, "10.2.0.20", ICMP(type=8, id=7, seq=1) / Raw(b"abcd"), T0 + 1.0))
    pkts.append(frame("10.2.0.20", C, ICMP(type=0, id=7, seq=1) / Raw(b"abcd"), T0 + 1.001))
    pkts.append(frame(C, RESOLVER, UDP(sport=50011, dport=53) / DNS(id=1, rd=1, qd=DNSQR(qname="late.example.com")),
                      T0 + 8.0))  # unanswered, but the capture ends 1 s later: not (yet) a finding
    pkts.append(frame(C, "10.2.0.20", TCP(sport=41061, dport=80, flags="S", seq=1, window=65535), T0 + 8.5))
    pkts.append(frame(C, "10.2.0.20", ICMP(type=8, id=7, seq=2) / Raw(b"abcd"), T0 + 9.0))
    pkts.append(frame("10.2.0.20", C, ICMP(type=0, id=7, seq=2) / Raw(b"abcd"), T0 + 9.001))
    save("clean", pkts, [])


if __name__ == "__main__":
    problems()
    clean()

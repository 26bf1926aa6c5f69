#!/usr/bin/python3
"""Build the golden captures and what wiretop must report for each.

Run:  /usr/bin/python3 tests/golden/make_captures.py   (needs python3-scapy)

Each scenario writes tests/golden/captures/NAME.pcap and NAME.expect.json.
The expectations are written here by hand from the protocol rules (RFC 793
states as a passive observer sees them, the headless contract's counting
rules), not copied from wiretop's output; each record's packets, bytes and
first and last times come from tshark's dissection of the capture
(tshark_agree.with_counts), or, for a record a lifecycle rule cuts from a
longer conversation, from its frames here (lifetime). tests/golden/check.py
compares wiretop's records with them key by key.
"""
import json
import os
import struct
import sys

from scapy.all import (ARP, DNS, DNSQR, DNSRR, ICMP, IP, IPv6, TCP, UDP, Dot1Q, Ether, Raw,
                       IPv6ExtHdrFragment, fragment, wrpcap, CookedLinux, PcapWriter)

from check import frame_counts
from tshark_agree import with_counts

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "captures")
T0 = 1700000000.0
C, S = "10.1.0.2", "10.2.0.3"          # client, server
C6, S6 = "fd00::2", "2001:db8::3"
MAC_C, MAC_S = "02:00:00:00:00:02", "02:00:00:00:00:03"


class Conv:
    """A TCP conversation with correct sequence numbers."""

    def __init__(self, pkts, t, cport=40000, sport=80, c=C, s=S, v6=False):
        self.pkts, self.t = pkts, t
        self.cport, self.sport, self.c, self.s, self.v6 = cport, sport, c, s, v6
        self.cseq, self.sseq = 1000, 5000

    def _ip(self, from_client):
        src, dst = (self.c, self.s) if from_client else (self.s, self.c)
        ip = IPv6(src=src, dst=dst) if self.v6 else IP(src=src, dst=dst)
        eth = Ether(src=MAC_C, dst=MAC_S) if from_client else Ether(src=MAC_S, dst=MAC_C)
        return eth / ip

    def send(self, from_client, flags, data=b"", dt=0.01, ack=None):
        self.t += dt
        sp, dp = (self.cport, self.sport) if from_client else (self.sport, self.cport)
        seq, cur = (self.cseq, self.sseq) if from_client else (self.sseq, self.cseq)
        ack = cur if ack is None else ack
        if "A" not in flags:
            ack = 0
        p = self._ip(from_client) / TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack, window=65535)
        if data:
            p = p / Raw(data)
        p.time = self.t
        self.pkts.append(p)
        adv = len(data) + (1 if "S" in flags else 0) + (1 if "F" in flags else 0)
        if from_client:
            self.cseq += adv
        else:
            self.sseq += adv
        return p

    def handshake(self):
        self.send(True, "S")
        self.send(False, "SA")
        self.send(True, "A")


def rec(proto, src, sport, dst, dport, **kw):
    r = {"proto": proto, "src_ip": src, "src_port": sport, "dst_ip": dst, "dst_port": dport}
    r.update(kw)
    return r


def lifetime(want, pkts):
    """want, with the packets, bytes and times of the frames pkts: for a
    record that a lifecycle rule (a timeout, a new SYN after a close) cuts
    from a longer conversation, which tshark sees as one. Counts want
    states already must agree."""
    got = frame_counts([(p.payload.src, len(p), float(p.time)) for p in pkts], want["src_ip"])
    for k, v in got.items():
        assert want.setdefault(k, v) == v, (want, k, v)
    return want


def with_names(expect):
    """expect with each record's responder named by what its client
    claimed, when the record does not state a name: the TLS / QUIC server
    name, else the HTTP Host (docs/JSON.md's dst_name; reading a file no
    side is known to be local, so the responder is the remote end)."""
    expect = [dict(w) for w in expect]
    for w in expect:
        for key, source in (("sni", "sni"), ("http_host", "http")):
            if "dst_name" not in w and w.get(key):
                w["dst_name"], w["dst_name_source"] = w[key], source
    return expect


def save(name, pkts, expect, linktype=None):
    path = os.path.join(OUT, name + ".pcap")
    if linktype is None:
        wrpcap(path, pkts)
    else:
        w = PcapWriter(path, linktype=linktype, sync=True)
        for p in pkts:
            w.write(p)
        w.close()
    expect = with_names(with_counts(path, expect))
    with open(os.path.join(OUT, name + ".expect.json"), "w") as fh:
        json.dump(expect, fh, indent=1)
        fh.write("\n")


def tcp_states():
    """One connection per TCP state a passive observer can end in."""
    pk, ex, t = [], [], T0

    def conv(port, sport=80):
        return Conv(pk, t + port % 100, cport=port, sport=sport)

    # active close by the client: FIN, ACK, FIN, ACK -> TIME_WAIT
    c = conv(40001); c.handshake(); c.send(True, "PA", b"x" * 10); c.send(False, "A")
    c.send(True, "FA"); c.send(False, "A"); c.send(False, "FA"); c.send(True, "A")
    ex.append(rec("TCP", C, 40001, S, 80, state="TIME_WAIT", src_packets=5, dst_packets=4))
    # the server closes first: the client sees CLOSE_WAIT, then LAST_ACK, then CLOSED
    c = conv(40002); c.handshake(); c.send(False, "FA"); c.send(True, "A")
    ex.append(rec("TCP", C, 40002, S, 80, state="CLOSE_WAIT", src_packets=3, dst_packets=2))
    c = conv(40003); c.handshake(); c.send(False, "FA"); c.send(True, "A"); c.send(True, "FA")
    ex.append(rec("TCP", C, 40003, S, 80, state="LAST_ACK"))
    c = conv(40004); c.handshake(); c.send(False, "FA"); c.send(True, "A"); c.send(True, "FA"); c.send(False, "A")
    ex.append(rec("TCP", C, 40004, S, 80, state="CLOSED"))
    # FIN sent, not yet acknowledged / acknowledged
    c = conv(40005); c.handshake(); c.send(True, "FA")
    ex.append(rec("TCP", C, 40005, S, 80, state="FIN_WAIT1"))
    c = conv(40006); c.handshake(); c.send(True, "FA"); c.send(False, "A")
    ex.append(rec("TCP", C, 40006, S, 80, state="FIN_WAIT2"))
    # simultaneous close: both FINs cross before either is acknowledged
    c = conv(40007); c.handshake(); before = c.cseq; c.send(True, "FA"); c.send(False, "FA", ack=before)
    ex.append(rec("TCP", C, 40007, S, 80, state="CLOSING"))
    # reset
    c = conv(40008); c.handshake(); c.send(False, "R")
    ex.append(rec("TCP", C, 40008, S, 80, state="CLOSED"))
    # refused: SYN answered by RST
    c = conv(40009); c.send(True, "S"); c.send(False, "RA")
    ex.append(rec("TCP", C, 40009, S, 80, state="CLOSED", src_packets=1, dst_packets=1))
    # handshake stages
    c = conv(40010); c.send(True, "S")
    ex.append(rec("TCP", C, 40010, S, 80, state="SYN_SENT", dst_packets=0))
    c = conv(40011); c.send(True, "S"); c.send(False, "SA")
    ex.append(rec("TCP", C, 40011, S, 80, state="SYN_RECV"))
    c = conv(40012); c.handshake()
    ex.append(rec("TCP", C, 40012, S, 80, state="ESTABLISHED"))
    # picked up mid-stream: no handshake seen
    c = conv(40013); c.send(True, "PA", b"hello"); c.send(False, "A")
    ex.append(rec("TCP", C, 40013, S, 80, state="ESTABLISHED"))
    # a closed 5-tuple that starts again is a new record
    first = []
    c = Conv(first, t + 14, cport=40014); c.handshake(); c.send(True, "R")
    second = []
    c2 = Conv(second, c.t + 1, cport=40014, sport=80); c2.cseq = 90000; c2.handshake()
    pk += first + second
    ex.append(lifetime(rec("TCP", C, 40014, S, 80, state="CLOSED", src_packets=3, dst_packets=1), first))
    ex.append(lifetime(rec("TCP", C, 40014, S, 80, state="ESTABLISHED", src_packets=2, dst_packets=1),
                       second))
    pk.sort(key=lambda p: p.time)
    save("tcp_states", pk, ex)


def udp_icmp_arp():
    pk, ex = [], []
    t = T0
    for i in range(3):
        p = Ether() / IP(src=C, dst=S) / UDP(sport=5000, dport=6000) / Raw(b"a" * 20)
        p.time = t + i * 0.1
        pk.append(p)
    r = Ether() / IP(src=S, dst=C) / UDP(sport=6000, dport=5000) / Raw(b"b" * 30)
    r.time = t + 0.5
    pk.append(r)
    ex.append(rec("UDP", C, 5000, S, 6000, src_packets=3, dst_packets=1,
                  src_bytes=3 * 62, dst_bytes=72, state="UDP_ACTIVE"))
    for i in range(2):
        q = Ether() / IP(src=C, dst=S) / ICMP(type=8, id=7, seq=i)
        q.time = t + 1 + i
        a = Ether() / IP(src=S, dst=C) / ICMP(type=0, id=7, seq=i)
        a.time = t + 1.001 + i
        pk += [q, a]
    ex.append(rec("ICMP", C, 0, S, 0, src_packets=2, dst_packets=2, state="ECHO_REPLY"))
    q6 = Ether() / IPv6(src=C6, dst=S6) / Raw(bytes([128, 0, 0, 0, 0, 1, 0, 1]))
    q6[IPv6].nh = 58
    q6.time = t + 3
    pk.append(q6)
    ex.append(rec("ICMPv6", C6, 0, S6, 0, src_packets=1, dst_packets=0, state="ECHO_REQUEST"))
    who = Ether(src=MAC_C, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, psrc=C, pdst="10.1.0.1", hwsrc=MAC_C)
    who.time = t + 4
    ans = Ether(src=MAC_S, dst=MAC_C) / ARP(op=2, psrc="10.1.0.1", pdst=C, hwsrc=MAC_S, hwdst=MAC_C)
    ans.time = t + 4.001
    pk += [who, ans]
    ex.append(rec("ARP", C, 0, "10.1.0.1", 0, src_packets=1, dst_packets=1, state="ARP_REPLY",
                  arp_src_mac=MAC_C, arp_dst_mac=MAC_S))
    pk.sort(key=lambda p: p.time)
    save("udp_icmp_arp", pk, ex)


def one_tcp_flow(wrap):
    """A short TCP exchange, each frame passed through wrap(ip_packet)."""
    pk = []
    c = Conv(pk, T0, cport=41000, sport=8080)
    c.handshake()
    c.send(True, "PA", b"GET /x HTTP/1.1\r\nHost: golden.test\r\n\r\n")
    c.send(False, "A")
    out = []
    for p in pk:
        q = wrap(p[IP])
        q.time = p.time
        out.append(q)
    return out


def link_types():
    base = dict(state="ESTABLISHED", app="HTTP", src_packets=3, dst_packets=2, http_host="golden.test",
                http_method="GET", http_path="/x")
    want = [rec("TCP", C, 41000, S, 8080, **base)]
    save("link_vlan", one_tcp_flow(lambda ip: Ether() / Dot1Q(vlan=10) / ip), want)
    save("link_qinq", one_tcp_flow(lambda ip: Ether(type=0x88a8) / Dot1Q(vlan=100, type=0x8100)
                                   / Dot1Q(vlan=10) / ip), want)
    save("link_sll", one_tcp_flow(lambda ip: CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6,
                                                         proto=0x0800) / ip), want, linktype=113)
    sll2 = lambda ip: Raw(struct.pack(">HHIHBB8s", 0x0800, 0, 2, 1, 0, 6, b"\x02" * 8)) / ip
    save("link_sll2", [p for p in one_tcp_flow(sll2)], want, linktype=276)
    save("link_raw", one_tcp_flow(lambda ip: ip), want, linktype=101)
    null = lambda ip: Raw(struct.pack("<I", 2)) / ip
    save("link_null", one_tcp_flow(null), want, linktype=0)


def fragments():
    """A UDP datagram in three IPv4 fragments and one in two IPv6 fragments:
    every fragment counts to its flow."""
    pk, ex = [], []
    big = Ether() / IP(src=C, dst=S, id=4242) / UDP(sport=7000, dport=7001) / Raw(b"z" * 2000)
    frags = fragment(big[IP], fragsize=800)
    for i, f in enumerate(frags):
        e = Ether() / f
        e.time = T0 + i * 0.001
        pk.append(e)
    total = sum(len(Ether() / f) for f in frags)
    ex.append(rec("UDP", C, 7000, S, 7001, state="UDP_ACTIVE", src_packets=len(frags), src_bytes=total))
    payload = bytes(UDP(sport=7100, dport=7101) / Raw(b"y" * 1500))
    payload = payload[:4] + struct.pack(">H", len(payload)) + payload[6:]
    first, second = payload[:1000], payload[1000:]
    f1 = Ether() / IPv6(src=C6, dst=S6, nh=44) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=99) / Raw(first)
    f2 = Ether() / IPv6(src=C6, dst=S6, nh=44) / IPv6ExtHdrFragment(nh=17, offset=1000 // 8, m=0, id=99) / Raw(second)
    f1.time, f2.time = T0 + 1, T0 + 1.001
    pk += [f1, f2]
    ex.append(rec("UDP", C6, 7100, S6, 7101, state="UDP_ACTIVE", src_packets=2, src_bytes=len(f1) + len(f2)))
    save("fragments", pk, ex)


def timeouts():
    """Silence longer than a timeout retires a flow; the next packet starts a
    new record. Defaults: udp 60 s, dns 30 s, tcp_closed 5 s."""
    pk, ex = [], []

    def udp(t, sport, dport, from_c=True, data=b"u"):
        src, dst = (C, S) if from_c else (S, C)
        sp, dp = (sport, dport) if from_c else (dport, sport)
        p = Ether() / IP(src=src, dst=dst) / UDP(sport=sp, dport=dp) / Raw(data)
        p.time = t
        pk.append(p)

    udp(T0, 9000, 9001)
    udp(T0 + 59, 9000, 9001)            # within 60 s: same record
    udp(T0 + 59 + 61, 9000, 9001)       # after 61 s of silence: a new record
    ex.append(lifetime(rec("UDP", C, 9000, S, 9001, src_packets=2, state="UDP_STALE"), pk[0:2]))
    ex.append(lifetime(rec("UDP", C, 9000, S, 9001, state="UDP_ACTIVE", src_packets=1), pk[2:3]))
    q = Ether() / IP(src=C, dst=S) / UDP(sport=53000, dport=53) / DNS(id=1, rd=1, qd=DNSQR(qname="a.golden.test"))
    q.time = T0 + 1
    r = Ether() / IP(src=S, dst=C) / UDP(sport=53, dport=53000) / DNS(id=1, qr=1, qd=DNSQR(qname="a.golden.test"),
                                                                  an=DNSRR(rrname="a.golden.test", rdata="10.9.9.9"))
    r.time = T0 + 1.01
    q2 = q.copy()
    q2[DNS].id = 2
    q2[DNS].qd = DNSQR(qname="b.golden.test")
    q2.time = T0 + 40                   # 39 s after the answer: past dns 30 s
    pk += [q, r, q2]
    ex.append(lifetime(rec("UDP", C, 53000, S, 53, dns_query="a.golden.test", dns_qtype="A", state="DNS_RESPONSE",
                  app="DNS", app_state="DNS_RESPONSE", dns_rcode=0, dns_answers=["10.9.9.9"],
                  dns_response_ms=round(float(r.time - q.time) * 1000, 3),  # the answer to ID 1
                  src_packets=1, dst_packets=1), [q, r]))
    ex.append(lifetime(rec("UDP", C, 53000, S, 53, dns_query="b.golden.test", dns_qtype="A",
                           state="DNS_QUERY", app="DNS", app_state="DNS_QUERY", src_packets=1), [q2]))
    tcp = []
    c = Conv(tcp, T0 + 2, cport=42000, sport=443)
    c.handshake()
    c.send(True, "R")
    c.t += 6                            # past tcp_closed 5 s: a stray ACK opens a new record
    c.send(False, "A")
    pk += tcp
    ex.append(lifetime(rec("TCP", C, 42000, S, 443, state="CLOSED", src_packets=3, dst_packets=1), tcp[:4]))
    # first seen mid-stream: ESTABLISHED (docs/ARCHITECTURE.md)
    ex.append(lifetime(rec("TCP", S, 443, C, 42000, state="ESTABLISHED", src_packets=1, dst_packets=0),
                       tcp[4:]))
    pk.sort(key=lambda p: p.time)
    save("timeouts", pk, ex)


def rfc6298_spikes(samples, spike_us=200000):
    """RFC 6298's estimators over round-trip samples (us; each step rounded
    toward zero as docs/JSON.md says): the final SRTT, and the spikes,
    (index, sample) of each sample over SRTT + 4 * RTTVAR and spike_us
    over SRTT as they stood."""
    srtt, var, out = samples[0], samples[0] // 2, []
    for i, r in enumerate(samples[1:], 1):
        if r > srtt + 4 * var and r - srtt >= spike_us:
            out.append((i, r))
        d = abs(srtt - r) - var
        var += -(-d // 4) if d < 0 else d // 4
        d = r - srtt
        srtt += -(-d // 8) if d < 0 else d // 8
    return srtt, out


def tcp_rtt_spikes():
    """Round-trip spikes (docs/JSON.md's rtt_spikes): a connection with one
    late ACK among steady ones, and one whose jitter stays just under the
    rule. Each: a 20-ms handshake, then 100-byte segments from the client,
    each sent 10 ms after the ACK of the one before and ACKed after its
    sample, then FINs (the client's first: TIME_WAIT). Times are whole
    microseconds, so the edges are exact."""
    pk, ex = [], []

    def conn(cport, start_us, samples):
        c, t, acks = Conv(pk, T0, cport=cport, sport=8080), start_us, []
        for from_client, flags in ((True, "S"), (False, "SA"), (True, "A")):
            c.send(from_client, flags, dt=t / 1e6 - (c.t - T0))
            t += 10000
        for r in samples:
            c.send(True, "PA", b"q" * 100, dt=t / 1e6 - (c.t - T0))
            t += r
            c.send(False, "A", dt=t / 1e6 - (c.t - T0))
            acks.append(t)
            t += 10000
        for from_client, flags in ((True, "FA"), (False, "FA"), (True, "A")):
            c.send(from_client, flags, dt=t / 1e6 - (c.t - T0))
            t += 10000
        return acks

    # 20 ms five times (SRTT 20000, RTTVAR 10000 down to 3165), then 400 ms:
    # over SRTT + 4 * RTTVAR = 32660 and 380 ms over SRTT, a spike; then 20 ms
    steady = [20000] * 5 + [400000] + [20000] * 2
    acks = conn(41080, 0, steady)
    srtt, ((i, r),) = rfc6298_spikes(steady)
    ex.append(rec("TCP", C, 41080, S, 8080, state="TIME_WAIT", rtt_ms=srtt / 1000, rtt_spikes=1,
                  rtt_spike_max_ms=r / 1000, rtt_spike_at=round(T0 + acks[i] / 1e6, 6)))
    # after 20 ms (SRTT 20000, RTTVAR 10000), 219999 us: over SRTT + 4 *
    # RTTVAR but 1 us short of 200 ms over SRTT; then (SRTT 44999, RTTVAR
    # 57499) 274995 us: 229996 over SRTT, exactly SRTT + 4 * RTTVAR, not over
    jitter = [20000, 219999, 274995, 20000, 20000]
    srtt, spikes = rfc6298_spikes(jitter)
    assert not spikes
    conn(41090, 2000000, jitter)
    # its SRTT stated too: tshark's frames give these very samples
    ex.append(rec("TCP", C, 41090, S, 8080, state="TIME_WAIT", rtt_ms=srtt / 1000))
    save("tcp_rtt_spikes", pk, ex)


def main():
    os.makedirs(OUT, exist_ok=True)
    for fn in (tcp_states, udp_icmp_arp, link_types, fragments, timeouts, tcp_rtt_spikes):
        fn()
    print("wrote", len([n for n in os.listdir(OUT) if n.endswith(".pcap")]), "captures to", OUT)


if __name__ == "__main__":
    sys.exit(main())

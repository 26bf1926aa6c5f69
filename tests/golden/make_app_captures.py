#!/usr/bin/python3
"""Golden captures for the protocols recognised by content beyond the web
and name services: one capture per protocol, each with what wiretop must
report (see make_captures.py for the scheme).

Run:  /usr/bin/python3 tests/golden/make_app_captures.py   (needs python3-scapy)

Every message is built here byte by byte from its specification, not by
wiretop's code, and the values expected are the ones the specification
gives those bytes; tests/golden/tshark_app_agree.py checks that tshark
reads the same values from the same captures.
"""
import os
import struct
import sys

from scapy.all import ARP, IP, IPv6, TCP, UDP, Ether, Raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import C, C6, S, S6, T0, Conv, rec, save  # noqa: E402

S2 = "10.2.0.4"


def udp(src, sport, dst, dport, data, t):
    p = Ether() / IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(data)
    p.time = t
    return p


# ---- NTP (RFC 5905 section 7.3) ----

def ntp_packet(vn, mode, stratum=0, origin=b"\0" * 8, xmt=b"\0" * 8):
    flags = (0 << 6) | (vn << 3) | mode
    return (struct.pack(">BBbb", flags, stratum, 6, -20) + struct.pack(">II", 0x100, 0x200)
            + b"GPS\0" + b"\x11" * 8 + origin + b"\x22" * 8 + xmt)


def ntp():
    pk, ex = [], []
    t = T0
    xmt = bytes.fromhex("e8a1b2c3d4e5f607")
    pk.append(udp(C, 40123, S, 123, ntp_packet(4, 3, xmt=xmt), t))
    pk.append(udp(S, 123, C, 40123, ntp_packet(4, 4, stratum=2, origin=xmt,
                                               xmt=bytes.fromhex("e8a1b2c3d5000000")), t + 0.012345))
    ex.append(rec("UDP", C, 40123, S, 123, state="UDP_ACTIVE", app="NTP", ntp_version=4, ntp_mode=["client", "server"],
                  ntp_stratum=2, ntp_response_ms=12.345))
    # symmetric peers, NTPv3: no client, so no response time
    pk.append(udp(C, 123, S2, 123, ntp_packet(3, 1, stratum=3), t + 1))
    pk.append(udp(S2, 123, C, 123, ntp_packet(3, 2, stratum=2), t + 1.002))
    ex.append(rec("UDP", C, 123, S2, 123, state="UDP_ACTIVE", app="NTP", ntp_version=3,
                  ntp_mode=["symmetric active", "symmetric passive"], ntp_stratum=3,
                  ntp_response_ms=None))
    # version 0 is not NTP, even on its port
    pk.append(udp(C, 40124, S, 123, b"\x03" + b"\0" * 47, t + 2))
    ex.append(rec("UDP", C, 40124, S, 123, state="UDP_ACTIVE", app=None, ntp_version=None))
    save("app_ntp", pk, ex)


# ---- SSDP (UPnP Device Architecture 2.0 section 1) ----

def ssdp():
    pk, ex = [], []
    t = T0
    search = (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
              b"MX: 2\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n")
    pk.append(udp(C, 50000, "239.255.255.250", 1900, search, t))
    ex.append(rec("UDP", C, 50000, "239.255.255.250", 1900, state="UDP_ACTIVE", app="SSDP", ssdp_method="M-SEARCH",
                  ssdp_type="urn:schemas-upnp-org:device:MediaServer:1"))
    answer = (b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n"
              b"LOCATION: http://10.2.0.3:8200/rootDesc.xml\r\nSERVER: Linux/6.1 UPnP/1.0 golden/1\r\n"
              b"ST: urn:schemas-upnp-org:device:MediaServer:1\r\nUSN: uuid:4d696e69::upnp\r\n\r\n")
    pk.append(udp(S, 1900, C, 50000, answer, t + 0.1))
    ex.append(rec("UDP", S, 1900, C, 50000, state="UDP_ACTIVE", app="SSDP", ssdp_method=None,
                  ssdp_type="urn:schemas-upnp-org:device:MediaServer:1"))
    # an announcement to another port: the request line is the signature
    notify = (b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\n"
              b"NTS: ssdp:alive\r\nUSN: uuid:4d696e69::upnp:rootdevice\r\n\r\n")
    pk.append(udp(S2, 41900, "239.255.255.250", 11900, notify, t + 1))
    ex.append(rec("UDP", S2, 41900, "239.255.255.250", 11900, state="UDP_ACTIVE", app="SSDP", ssdp_method="NOTIFY",
                  ssdp_type="upnp:rootdevice"))
    save("app_ssdp", pk, ex)


# ---- SNMP (RFC 1157, 3416, 3412; BER per X.690) ----

def tlv(tag, body):
    n = len(body)
    if n < 128:
        return bytes([tag, n]) + body
    return bytes([tag, 0x81, n]) + body if n < 256 else bytes([tag, 0x82]) + struct.pack(">H", n) + body


def ber_int(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))


OID_SYSDESCR = bytes.fromhex("2b06010201010100")    # 1.3.6.1.2.1.1.1.0


def varbinds(value=b"\x05\x00"):
    return tlv(0x30, tlv(0x30, tlv(0x06, OID_SYSDESCR) + value))


def pdu(tag, reqid=0x1234):
    return tlv(tag, ber_int(reqid) + ber_int(0) + ber_int(0) + varbinds())


def snmp_v12(version, community, body):
    return tlv(0x30, ber_int(version) + tlv(0x04, community) + body)


def snmp_v3(flags, scoped):
    glob = tlv(0x30, ber_int(77) + ber_int(65507) + tlv(0x04, bytes([flags])) + ber_int(3))
    usm = tlv(0x04, tlv(0x30, tlv(0x04, b"\x80\x00\x1f\x88\x04golden") + ber_int(1) + ber_int(2)
                        + tlv(0x04, b"monitor") + tlv(0x04, b"") + tlv(0x04, b"")))
    return tlv(0x30, ber_int(3) + glob + usm + scoped)


def snmp():
    pk, ex = [], []
    t = T0
    pk.append(udp(C, 40161, S, 161, snmp_v12(1, b"public", pdu(0xa0)), t))
    pk.append(udp(S, 161, C, 40161, snmp_v12(1, b"public", pdu(0xa2)), t + 0.003))
    ex.append(rec("UDP", C, 40161, S, 161, state="UDP_ACTIVE", app="SNMP", snmp_version="2c", snmp_community="public",
                  snmp_pdu=["get-request", "response"]))
    trap = tlv(0xa4, tlv(0x06, bytes.fromhex("2b0601040181e21e")) + tlv(0x40, bytes([10, 2, 0, 3]))
               + ber_int(6) + ber_int(1) + tlv(0x43, b"\x01\x00") + varbinds())
    pk.append(udp(S, 40162, C, 162, snmp_v12(0, b"trapcomm", trap), t + 1))
    ex.append(rec("UDP", S, 40162, C, 162, state="UDP_ACTIVE", app="SNMP", snmp_version="1", snmp_community="trapcomm",
                  snmp_pdu=["trap"]))
    # v3 on another port: the BER shape is the signature
    scoped = tlv(0x30, tlv(0x04, b"\x80\x00\x1f\x88\x04golden") + tlv(0x04, b"") + pdu(0xa1))
    pk.append(udp(C, 40163, S2, 10161, snmp_v3(0x04, scoped), t + 2))
    ex.append(rec("UDP", C, 40163, S2, 10161, state="UDP_ACTIVE", app="SNMP", snmp_version="3", snmp_community=None,
                  snmp_pdu=["get-next-request"]))
    # v3 with privacy: the PDU is encrypted, its type unknown
    pk.append(udp(C, 40164, S2, 161, snmp_v3(0x07, tlv(0x04, b"\x9a" * 48)), t + 3))
    ex.append(rec("UDP", C, 40164, S2, 161, state="UDP_ACTIVE", app="SNMP", snmp_version="3", snmp_pdu=None))
    save("app_snmp", pk, ex)


# ---- STUN / TURN (RFC 8489, 8656) ----

def stun_msg(method, cls, attrs=b"", tid=b"golden-tid01"):
    t = (method & 0xf) | ((method & 0x70) << 1) | ((method & 0xf80) << 2)
    t |= ((cls & 1) << 4) | ((cls & 2) << 7)
    return struct.pack(">HHI", t, len(attrs), 0x2112A442) + tid + attrs


def stun_attr(kind, value):
    pad = (4 - len(value) % 4) % 4
    return struct.pack(">HH", kind, len(value)) + value + b"\0" * pad


def stun():
    pk, ex = [], []
    t = T0
    sw = stun_attr(0x8022, b"golden-agent 1.0")
    xor_addr = stun_attr(0x0020, struct.pack(">BBH", 0, 1, 40478 ^ 0x2112) + bytes(
        a ^ b for a, b in zip(bytes([10, 1, 0, 2]), bytes.fromhex("2112A442"))))
    pk.append(udp(C, 40478, S, 3478, stun_msg(1, 0, sw), t))
    pk.append(udp(S, 3478, C, 40478, stun_msg(1, 2, xor_addr + stun_attr(0x8022, b"coturn-4.6")), t + 0.02))
    ex.append(rec("UDP", C, 40478, S, 3478, state="UDP_ACTIVE", app="STUN", stun_method="Binding",
                  stun_class=["request", "success response"], stun_software="golden-agent 1.0"))
    # TURN on another port: the magic cookie is the signature
    transport = stun_attr(0x0019, b"\x11\0\0\0")          # REQUESTED-TRANSPORT UDP
    err = stun_attr(0x0009, b"\0\0\x04\x01Unauthorized")  # ERROR-CODE 401
    pk.append(udp(C, 40479, S2, 5000, stun_msg(3, 0, transport, b"golden-tid02"), t + 1))
    pk.append(udp(S2, 5000, C, 40479, stun_msg(3, 3, err, b"golden-tid02"), t + 1.01))
    ex.append(rec("UDP", C, 40479, S2, 5000, state="UDP_ACTIVE", app="TURN", stun_method="Allocate",
                  stun_class=["request", "error response"], stun_software=None))
    # STUN over TCP: messages back to back in the stream
    c = Conv(pk, t + 2, cport=40480, sport=3478)
    c.handshake()
    c.send(True, "PA", stun_msg(1, 0, sw, b"golden-tid03"))
    c.send(False, "PA", stun_msg(1, 2, xor_addr, b"golden-tid03"))
    ex.append(rec("TCP", C, 40480, S, 3478, state="ESTABLISHED", app="STUN", stun_method="Binding",
                  stun_class=["request", "success response"], stun_software="golden-agent 1.0"))
    pk.sort(key=lambda p: p.time)
    save("app_stun", pk, ex)


# ---- DHCP (RFC 2131, 2132) and DHCPv6 (RFC 8415, 4704) ----

def dhcp_msg(op, mtype, mac, xid, hostname=None, yiaddr="0.0.0.0"):
    hdr = struct.pack(">BBBBIHH", op, 1, 6, 0, xid, 0, 0x8000)
    hdr += bytes(4) + bytes(int(x) for x in yiaddr.split(".")) + bytes(8)
    hdr += mac + bytes(10) + bytes(64) + bytes(128) + bytes([99, 130, 83, 99])
    opts = bytes([53, 1, mtype])
    if hostname:
        opts += bytes([12, len(hostname)]) + hostname
    opts += bytes([55, 3, 1, 3, 6]) + b"\xff"
    return hdr + opts


def v6opt(code, data):
    return struct.pack(">HH", code, len(data)) + data


def dns_wire(name, full=True):
    out = b"".join(bytes([len(l)]) + l.encode() for l in name.split("."))
    return out + (b"\0" if full else b"")


def dhcp():
    pk, ex = [], []
    t = T0
    mac = bytes.fromhex("0002b3a1b2c3")
    pk.append(udp("0.0.0.0", 68, "255.255.255.255", 67, dhcp_msg(1, 1, mac, 0x1234, b"golden-pc"), t))
    pk.append(udp("0.0.0.0", 68, "255.255.255.255", 67, dhcp_msg(1, 3, mac, 0x1234, b"golden-pc"), t + 1))
    ex.append(rec("UDP", "0.0.0.0", 68, "255.255.255.255", 67, state="UDP_ACTIVE", app="DHCP",
                  dhcp_type=["DISCOVER", "REQUEST"], dhcp_hostname="golden-pc",
                  dhcp_client_mac="00:02:b3:a1:b2:c3"))
    # the server's answers, to another port: the magic cookie is the signature
    pk.append(udp(S, 1067, C, 1068, dhcp_msg(2, 2, mac, 0x1234, yiaddr=C), t + 0.5))
    pk.append(udp(S, 1067, C, 1068, dhcp_msg(2, 5, mac, 0x1234, yiaddr=C), t + 1.5))
    ex.append(rec("UDP", S, 1067, C, 1068, state="UDP_ACTIVE", app="DHCP", dhcp_type=["OFFER", "ACK"],
                  dhcp_hostname=None, dhcp_client_mac="00:02:b3:a1:b2:c3"))
    # DHCPv6: a Solicit with a DUID-LLT and a Client FQDN, and the Advertise
    duid = struct.pack(">HHI", 1, 1, 0x2a5c3b10) + bytes.fromhex("0002b3a1b2c4")
    sol = b"\x01\x0a\x0b\x0c" + v6opt(1, duid) + v6opt(8, b"\0\0") + v6opt(39, b"\x01" + dns_wire("golden6.example.test"))
    adv = b"\x02\x0a\x0b\x0c" + v6opt(1, duid) + v6opt(2, struct.pack(">HH", 3, 1) + bytes(10))

    def u6(src, sport, dst, dport, data, at):
        p = Ether() / IPv6(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(data)
        p.time = at
        return p
    pk.append(u6("fe80::202:b3ff:fea1:b2c4", 546, "ff02::1:2", 547, sol, t + 2))
    ex.append(rec("UDP", "fe80::202:b3ff:fea1:b2c4", 546, "ff02::1:2", 547, state="UDP_ACTIVE", app="DHCPv6",
                  dhcp_type=["SOLICIT"], dhcp_hostname="golden6.example.test",
                  dhcp_client_mac="00:02:b3:a1:b2:c4"))
    pk.append(u6("fe80::1", 547, "fe80::202:b3ff:fea1:b2c4", 546, adv, t + 2.01))
    ex.append(rec("UDP", "fe80::1", 547, "fe80::202:b3ff:fea1:b2c4", 546, state="UDP_ACTIVE", app="DHCPv6",
                  dhcp_type=["ADVERTISE"], dhcp_client_mac="00:02:b3:a1:b2:c4"))
    save("app_dhcp", pk, ex)


# ---- NetBIOS Name Service (RFC 1001 14.1, RFC 1002 4.2) ----

def nb_encode(name, suffix):
    raw = name.encode().ljust(15, b" ") + bytes([suffix])
    return bytes([32]) + b"".join(bytes([0x41 + (c >> 4), 0x41 + (c & 15)]) for c in raw)


def nbns():
    pk, ex = [], []
    t = T0
    # a broadcast name query for WORKGROUP<1d> (the master browser)
    q = struct.pack(">HHHHHH", 0x8001, 0x0110, 1, 0, 0, 0) + nb_encode("WORKGROUP", 0x1d) + b"\0"
    q += struct.pack(">HH", 0x20, 1)
    pk.append(udp(C, 137, "10.1.255.255", 137, q, t))
    ex.append(rec("UDP", C, 137, "10.1.255.255", 137, state="UDP_ACTIVE", app="NBNS", netbios_name="WORKGROUP<1d>",
                  dns_query=None))
    # a registration with a scope, on another port
    reg = struct.pack(">HHHHHH", 0x8002, 0x2910, 1, 0, 0, 1) + nb_encode("GOLDEN-PC", 0x20)
    reg += bytes([6]) + b"golden" + bytes([4]) + b"test" + b"\0" + struct.pack(">HH", 0x20, 1)
    reg += b"\xc0\x0c" + struct.pack(">HHIH", 0x20, 1, 300000, 6) + b"\0\0" + bytes([10, 1, 0, 2])
    pk.append(udp(C, 40137, S, 10137, reg, t + 1))
    ex.append(rec("UDP", C, 40137, S, 10137, state="UDP_ACTIVE", app="NBNS", netbios_name="GOLDEN-PC<20>.golden.test"))
    save("app_nbns", pk, ex)


# ---- MQTT (OASIS MQTT 3.1.1 and 5.0) ----

def mstr(b):
    return struct.pack(">H", len(b)) + b


def mpacket(kind, flags, body):
    n, enc = len(body), b""
    while True:
        byte, n = n & 0x7f, n >> 7
        enc += bytes([byte | (0x80 if n else 0)])
        if not n:
            return bytes([kind << 4 | flags]) + enc + body


def mqtt():
    pk, ex = [], []
    t = T0
    c = Conv(pk, t, cport=41883, sport=1883)
    c.handshake()
    c.send(True, "PA", mpacket(1, 0, mstr(b"MQTT") + b"\x04\x02\x00\x3c" + mstr(b"golden-sensor-1")))
    c.send(False, "PA", mpacket(2, 0, b"\x00\x00"))
    c.send(True, "PA", mpacket(3, 0, mstr(b"home/kitchen/temp") + b"21.5"))
    ex.append(rec("TCP", C, 41883, S, 1883, state="ESTABLISHED", app="MQTT", mqtt_version="3.1.1",
                  mqtt_client_id="golden-sensor-1", mqtt_topic="home/kitchen/temp"))
    # MQTT 5 on another port: a CONNECT with properties, then a SUBSCRIBE
    c = Conv(pk, t + 1, cport=41884, sport=18830)
    c.handshake()
    props = b"\x05\x11\x00\x00\x0e\x10"            # Session Expiry Interval 3600
    c.send(True, "PA", mpacket(1, 0, mstr(b"MQTT") + b"\x05\x02\x00\x3c" + props + mstr(b"golden-v5")))
    c.send(False, "PA", mpacket(2, 0, b"\x00\x00\x00"))
    c.send(True, "PA", mpacket(8, 2, b"\x00\x01" + b"\x00" + mstr(b"alerts/#") + b"\x01"))
    ex.append(rec("TCP", C, 41884, S, 18830, state="ESTABLISHED", app="MQTT", mqtt_version="5.0",
                  mqtt_client_id="golden-v5", mqtt_topic="alerts/#"))
    pk.sort(key=lambda p: p.time)
    save("app_mqtt", pk, ex)


# ---- BitTorrent (BEP 3, 5, 20) ----

def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, bytes):
        return b"%d:" % len(v) + v
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    return b"l" + b"".join(bencode(x) for x in v) + b"e"


def bittorrent():
    pk, ex = [], []
    t = T0
    info = bytes.fromhex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a")
    hs = lambda pid: b"\x13BitTorrent protocol" + bytes.fromhex("0000000000100005") + info + pid
    c = Conv(pk, t, cport=46881, sport=51413)
    c.handshake()
    c.send(True, "PA", hs(b"-qB4250-k8hj0wgej6ch"))
    c.send(False, "PA", hs(b"-TR2940-5t4y7d8ak2xq"))
    c.send(True, "PA", b"\x00\x00\x00\x01\x02")   # interested
    ex.append(rec("TCP", C, 46881, S, 51413, state="ESTABLISHED", app="BitTorrent",
                  bt_info_hash="c12fe1c06bba254a9dc9f519b335aa7c1367a88a",
                  bt_client=["qBittorrent 4250", "Transmission 2940"]))
    # the DHT: a get_peers query and its answer, on an arbitrary port
    q = bencode({b"t": b"aa", b"y": b"q", b"q": b"get_peers",
                 b"a": {b"id": b"abcdefghij0123456789", b"info_hash": info}})
    r = bencode({b"t": b"aa", b"y": b"r", b"r": {b"id": b"mnopqrstuvwxyz123456", b"token": b"aoeusnth",
                                                 b"values": [bytes([10, 2, 0, 3, 0x1a, 0xe1])]}})
    pk.append(udp(C, 46882, S2, 33445, q, t + 2))
    pk.append(udp(S2, 33445, C, 46882, r, t + 2.05))
    ex.append(rec("UDP", C, 46882, S2, 33445, state="UDP_ACTIVE", app="BitTorrent", bt_dht_query=["get_peers"],
                  bt_info_hash="c12fe1c06bba254a9dc9f519b335aa7c1367a88a"))
    pk.sort(key=lambda p: p.time)
    save("app_bittorrent", pk, ex)


# ---- ARP (RFC 826) and the vendors of its hardware addresses ----

def arp():
    """Vendors come from the IEEE registry excerpt beside these scripts
    (tests/golden/oui.txt, lines copied from ieee-data), which run.sh
    hands wiretop with --oui-file."""
    pk, ex = [], []
    t = T0
    cisco, intel, apple = "00:00:0c:12:34:56", "00:1b:21:aa:bb:cc", "3c:22:fb:01:02:03"
    docker = "02:42:ac:11:00:02"     # locally administered: in no registry

    def frame(src_mac, dst_mac, op, hwsrc, psrc, hwdst, pdst, at):
        p = Ether(src=src_mac, dst=dst_mac) / ARP(op=op, hwsrc=hwsrc, psrc=psrc, hwdst=hwdst, pdst=pdst)
        p.time = at
        return p
    bcast, zero = "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"
    # a request and its reply: each side's address and vendor
    pk.append(frame(cisco, bcast, 1, cisco, "10.3.0.9", zero, "10.3.0.1", t))
    pk.append(frame(intel, cisco, 2, intel, "10.3.0.1", cisco, "10.3.0.9", t + 0.001))
    ex.append(rec("ARP", "10.3.0.9", 0, "10.3.0.1", 0, state="ARP_REPLY", arp_src_mac=cisco,
                  arp_src_vendor="Cisco Systems, Inc", arp_dst_mac=intel,
                  arp_dst_vendor="Intel Corporate"))
    # a request nobody answers, from an address no registry names
    pk.append(frame(docker, bcast, 1, docker, "10.3.0.20", zero, "10.3.0.30", t + 1))
    ex.append(rec("ARP", "10.3.0.20", 0, "10.3.0.30", 0, state="ARP_REQUEST", arp_src_mac=docker,
                  arp_src_vendor=None, arp_dst_mac=None, arp_dst_vendor=None))
    # the hardware address in the ARP body is the one kept, not the frame's
    pk.append(frame(cisco, bcast, 1, apple, "10.3.0.40", zero, "10.3.0.41", t + 2))
    ex.append(rec("ARP", "10.3.0.40", 0, "10.3.0.41", 0, state="ARP_REQUEST", arp_src_mac=apple,
                  arp_src_vendor="Apple, Inc."))
    save("app_arp", pk, ex)


# ---- FTP control connections (RFC 959 4.2 and 5.3) ----

def ftp_session(c, lines):
    """lines: (from_client, text) each; every line ends in CR LF."""
    c.handshake()
    for from_client, text in lines:
        c.send(from_client, "PA", text.encode() + b"\r\n")


def ftp():
    pk, ex = [], []
    t = T0
    # a login on the well-known port; the greeting names the software
    ftp_session(Conv(pk, t, cport=42021, sport=21), [
        (False, "220 (vsFTPd 3.0.3)"), (True, "USER anonymous"),
        (False, "331 Please specify the password."), (True, "PASS golden@secret"),
        (False, "230 Login successful."), (True, "SYST"), (False, "215 UNIX Type: L8"),
        (True, "FEAT"), (False, "211-Features:\r\n EPSV\r\n PASV\r\n MDTM\r\n211 End"),
        (True, "TYPE I"), (False, "200 Switching to Binary mode."), (True, "quit"),
        (False, "221 Goodbye.")])
    ex.append(rec("TCP", C, 42021, S, 21, state="ESTABLISHED", app="FTP", ftp_server="vsFTPd 3.0.3",
                  ftp_user="anonymous", ftp_commands=["USER", "PASS", "SYST", "FEAT", "TYPE", "QUIT"],
                  ftp_replies=["220", "331", "230", "215", "211", "200", "221"]))
    # another port, a greeting that does not say FTP: the first command does
    ftp_session(Conv(pk, t + 1, cport=42022, sport=2121), [
        (False, "220 golden.test ready"), (True, "USER bob"),
        (False, "331 Password required for bob"), (True, "PASS hunter2"),
        (False, "530 Login incorrect."), (True, "QUIT"), (False, "221 Bye")])
    ex.append(rec("TCP", C, 42022, S, 2121, state="ESTABLISHED", app="FTP", ftp_server="golden.test ready",
                  ftp_user="bob", ftp_commands=["USER", "PASS", "QUIT"],
                  ftp_replies=["220", "331", "530", "221"]))
    # SMTP on FTP's port is still SMTP: its greeting says so
    ftp_session(Conv(pk, t + 2, cport=42023, sport=21), [
        (False, "220 mail.golden.test ESMTP"), (True, "EHLO client.golden.test"),
        (False, "250 mail.golden.test"), (True, "QUIT"), (False, "221 Bye")])
    ex.append(rec("TCP", C, 42023, S, 21, state="ESTABLISHED", app="SMTP"))
    pk.sort(key=lambda p: p.time)
    save("app_ftp", pk, ex)


class Clock:
    """One time line for several connections: each send happens after
    the one before it, whichever connection it is on."""

    def __init__(self, t):
        self.t = t

    def send(self, conv, from_client, flags, data=b""):
        conv.t = self.t
        conv.send(from_client, flags, data)
        self.t = conv.t

    def say(self, conv, from_client, text):
        self.send(conv, from_client, "PA", text.encode() + b"\r\n")

    def transfer(self, conv, body):
        """A data connection: handshake, the body from the side that
        serves it, both sides close."""
        for from_client, flags in ((True, "S"), (False, "SA"), (True, "A")):
            self.send(conv, from_client, flags)
        self.send(conv, conv.initiator_sends, "PA", body)
        self.send(conv, conv.initiator_sends, "FA")
        self.send(conv, not conv.initiator_sends, "FA")
        self.send(conv, conv.initiator_sends, "A")


# How a data connection ends (RFC 793 3.5, as an observer sees it from
# the initiator's side): the side that sends the file closes first. A
# passive-mode connection's initiator (the client) closes second and
# its FIN is acknowledged: CLOSED; an active-mode one's initiator (the
# server) sends and closes first: TIME_WAIT.
PASSIVE_CLOSE, ACTIVE_CLOSE = "CLOSED", "TIME_WAIT"


def data_conv(pk, opener, oport, to, tport, v6=False):
    c = Conv(pk, 0, cport=oport, sport=tport, c=opener, s=to, v6=v6)
    c.initiator_sends = opener in (S, S6)  # PORT, EPRT: the server opens it and sends
    return c


def ftp_data():
    """RFC 959 PASV (227) and PORT, RFC 2428 EPSV (229) and EPRT: each data
    connection is FTP-DATA, linked to the control connection that
    announced it, whichever side opens it."""
    pk, ex = [], []
    k = Clock(T0)
    ctl = Conv(pk, T0, cport=42031, sport=21)
    for fc, flags in ((True, "S"), (False, "SA"), (True, "A")):
        k.send(ctl, fc, flags)
    for fc, text in ((False, "220 (vsFTPd 3.0.3)"), (True, "USER anonymous"),
                     (False, "230 Login successful."), (True, "PASV"),
                     (False, "227 Entering Passive Mode (10,2,0,3,195,80).")):
        k.say(ctl, fc, text)
    k.transfer(data_conv(pk, C, 42032, S, 50000), b"golden file one\n")
    for fc, text in ((True, "EPSV"), (False, "229 Entering Extended Passive Mode (|||50001|)")):
        k.say(ctl, fc, text)
    k.transfer(data_conv(pk, C, 42033, S, 50001), b"golden file two\n")
    for fc, text in ((True, "PORT 10,1,0,2,164,97"), (False, "200 PORT command successful.")):
        k.say(ctl, fc, text)
    k.transfer(data_conv(pk, S, 20, C, 42081), b"golden file three\n")
    # numbers out of range announce nothing
    for fc, text in ((True, "PASV"), (False, "227 Entering Passive Mode (300,2,0,3,195,82)."),
                     (True, "QUIT"), (False, "221 Goodbye.")):
        k.say(ctl, fc, text)
    k.transfer(data_conv(pk, C, 42034, S, 50002), b"not announced\n")
    control = "%s:42031 -> %s:21" % (C, S)
    ex.append(rec("TCP", C, 42031, S, 21, state="ESTABLISHED", app="FTP", ftp_server="vsFTPd 3.0.3",
                  ftp_user="anonymous",
                  ftp_commands=["USER", "PASV", "EPSV", "PORT", "QUIT"],
                  ftp_replies=["220", "230", "227", "229", "200", "221"]))
    ex.append(rec("TCP", C, 42032, S, 50000, state=PASSIVE_CLOSE, app="FTP-DATA", ftp_control=control, ftp_data_setup="PASV"))
    ex.append(rec("TCP", C, 42033, S, 50001, state=PASSIVE_CLOSE, app="FTP-DATA", ftp_control=control, ftp_data_setup="EPSV"))
    ex.append(rec("TCP", S, 20, C, 42081, state=ACTIVE_CLOSE, app="FTP-DATA", ftp_control=control, ftp_data_setup="PORT"))
    ex.append(rec("TCP", C, 42034, S, 50002, state=PASSIVE_CLOSE, app=None, ftp_control=None))
    # IPv6: EPRT |2| (active) and EPSV (passive)
    ctl6 = Conv(pk, 0, cport=42041, sport=21, c=C6, s=S6, v6=True)
    for fc, flags in ((True, "S"), (False, "SA"), (True, "A")):
        k.send(ctl6, fc, flags)
    for fc, text in ((False, "220 ProFTPD Server (golden)"), (True, "USER bob"),
                     (False, "230 User bob logged in"), (True, "EPRT |2|%s|42091|" % C6),
                     (False, "200 EPRT command successful")):
        k.say(ctl6, fc, text)
    k.transfer(data_conv(pk, S6, 20, C6, 42091, v6=True), b"golden file four\n")
    for fc, text in ((True, "EPSV"), (False, "229 Entering Extended Passive Mode (|||50003|)")):
        k.say(ctl6, fc, text)
    k.transfer(data_conv(pk, C6, 42042, S6, 50003, v6=True), b"golden file five\n")
    control6 = "[%s]:42041 -> [%s]:21" % (C6, S6)
    ex.append(rec("TCP", C6, 42041, S6, 21, state="ESTABLISHED", app="FTP", ftp_server="ProFTPD Server (golden)",
                  ftp_user="bob",
                  ftp_commands=["USER", "EPRT", "EPSV"], ftp_replies=["220", "230", "200", "229"]))
    ex.append(rec("TCP", S6, 20, C6, 42091, state=ACTIVE_CLOSE, app="FTP-DATA", ftp_control=control6, ftp_data_setup="EPRT"))
    ex.append(rec("TCP", C6, 42042, S6, 50003, state=PASSIVE_CLOSE, app="FTP-DATA", ftp_control=control6,
                  ftp_data_setup="EPSV"))
    save("app_ftp_data", pk, ex)


def udp_exchange(pk, c, cport, s, sport, msgs, t, dt=0.01):
    """msgs: (from the client, payload) each, dt apart from t on."""
    for i, (out, msg) in enumerate(msgs):
        pk.append(udp(c, cport, s, sport, msg, t + dt * i) if out else
                  udp(s, sport, c, cport, msg, t + dt * i))


# ---- WireGuard (whitepaper section 5.4: message formats, little-endian indices) ----

def wg_message(kind, *fields, body=0):
    """type, three zero bytes, the 32-bit little-endian index fields, then
    `body` bytes of stand-ins for keys, MACs and ciphertext."""
    out = bytes([kind, 0, 0, 0]) + b"".join(struct.pack("<I", f) for f in fields)
    return out + bytes((7 * i + kind) & 0xff for i in range(body))


def wg_initiation(sender):      # sender, ephemeral 32, static 32+16, timestamp 12+16, mac1, mac2
    return wg_message(1, sender, body=32 + 48 + 28 + 16 + 16)


def wg_response(sender, receiver):  # sender, receiver, ephemeral 32, empty 0+16, mac1, mac2
    return wg_message(2, sender, receiver, body=32 + 16 + 16 + 16)


def wg_cookie(receiver):        # receiver, nonce 24, cookie 16+16
    return wg_message(3, receiver, body=24 + 32)


def wg_transport(receiver, counter, plain):
    """counter 64-bit little endian; the plaintext padded to 16 bytes
    (cut at the MTU: plain may be given unpadded) plus the 16-byte tag."""
    return bytes([4, 0, 0, 0]) + struct.pack("<IQ", receiver, counter) + bytes(plain + 16)


def wireguard():
    """Port 41641 (Tailscale's, not WireGuard's 51820): the message shapes
    are the signature. tshark -d udp.port==41641,wg shows every message
    below as WireGuard but the 147-byte one (tshark: not WireGuard, its
    length fits no type), with the types, indices and counters given."""
    pk, ex = [], []
    t = T0
    a, b, a2 = 0x1A2B3C4D, 0x5E6F7081, 0x2A3B4C5D
    # a handshake, transport both ways (a keepalive, a full-MTU 1420 packet
    # whose padding stops at the MTU), then a second handshake (a rekey)
    flow = [(True, wg_initiation(a)), (False, wg_response(b, a)), (True, wg_transport(b, 0, 0)),
            (False, wg_transport(a, 0, 80)), (True, wg_transport(b, 1, 1420)),
            (True, wg_initiation(a2)), (False, wg_response(0x6A7B8C9D, a2)),
            (True, wg_transport(0x6A7B8C9D, 0, 48))]
    udp_exchange(pk, C, 38000, S, 41641, flow, t)
    ex.append(rec("UDP", C, 38000, S, 41641, state="UDP_ACTIVE", app="WireGuard",
                  wg_type=["Handshake Initiation", "Handshake Response", "Transport Data"],
                  wg_sender="0x1a2b3c4d", wg_receiver="0x5e6f7081", wg_handshakes=2))
    # a long session: the rekey after 70 keepalives is counted too (the
    # flow is read whole, past the 64 packets other protocols are read for)
    long = [(True, wg_initiation(0x0C0FFEE0)), (False, wg_response(0x0DECADE0, 0x0C0FFEE0))]
    long += [(True, wg_transport(0x0DECADE0, n, 0)) for n in range(70)]
    long += [(True, wg_initiation(0x0C0FFEE1)), (False, wg_response(0x0DECADE1, 0x0C0FFEE1))]
    udp_exchange(pk, C, 38005, S, 41641, long, t + 5)
    ex.append(rec("UDP", C, 38005, S, 41641, state="UDP_ACTIVE", app="WireGuard",
                  wg_type=["Handshake Initiation", "Handshake Response", "Transport Data"],
                  wg_sender="0x0c0ffee0", wg_receiver="0x0decade0", wg_handshakes=2))
    # a responder under load answers with a cookie; the initiator retries
    pk.append(udp(C, 38001, S, 41641, wg_initiation(0x11223344), t + 1))
    pk.append(udp(S, 41641, C, 38001, wg_cookie(0x11223344), t + 1.01))
    pk.append(udp(C, 38001, S, 41641, wg_initiation(0x11223345), t + 1.02))
    ex.append(rec("UDP", C, 38001, S, 41641, state="UDP_ACTIVE", app="WireGuard",
                  wg_type=["Handshake Initiation", "Cookie Reply"], wg_sender="0x11223344",
                  wg_handshakes=2))
    # a capture that starts inside a session: transport data alone, one
    # side's receiver index repeated with a new counter proves it
    for i in range(3):
        pk.append(udp(S2, 41641, C, 38002, wg_transport(0x0BADCAFE, 100 + i, 64), t + 2 + 0.01 * i))
    ex.append(rec("UDP", S2, 41641, C, 38002, state="UDP_ACTIVE", app="WireGuard",
                  wg_type=["Transport Data"]))
    # the transport shape with a new receiver index each time: not proven
    for i in range(3):
        pk.append(udp(C, 38003, S2, 41641, wg_transport(0x100 + i, 0, 16), t + 3 + 0.01 * i))
    ex.append(rec("UDP", C, 38003, S2, 41641, state="UDP_ACTIVE", app=None, wg_type=None))
    # an initiation one byte short is not one
    pk.append(udp(C, 38004, S2, 41641, wg_initiation(a)[:147], t + 4))
    ex.append(rec("UDP", C, 38004, S2, 41641, state="UDP_ACTIVE", app=None, wg_type=None))
    pk.sort(key=lambda p: p.time)
    save("app_wireguard", pk, ex)


# ---- OpenVPN (ssl_pkt.h: opcode << 3 | key id; control packets carry a
# session id, ACKs and a packet id; over TCP a 2-byte length first) ----

OVPN = {"RESET_CLIENT_V2": 7, "RESET_SERVER_V2": 8, "RESET_CLIENT_V3": 10, "CONTROL_V1": 4,
        "ACK_V1": 5, "DATA_V1": 6, "DATA_V2": 9, "SOFT_RESET_V1": 3}


def ovpn_control(op, sid, pid=None, acks=(), remote=b"", key=0, payload=b""):
    """A control packet without tls-auth: opcode/key id, session id, the ACK
    array (length, packet ids, the peer's session id when not empty), the
    message packet id (absent in P_ACK_V1), the TLS payload."""
    out = bytes([OVPN[op] << 3 | key]) + sid + bytes([len(acks)])
    out += b"".join(struct.pack(">I", a) for a in acks) + (remote if acks else b"")
    return out + (struct.pack(">I", pid) if pid is not None else b"") + payload


def ovpn_data_v2(peer, n, key=0):
    return bytes([OVPN["DATA_V2"] << 3 | key]) + peer.to_bytes(3, "big") + bytes(range(n))


def ovpn_session(sc, ss, hello=b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00"):
    """A session's start as OpenVPN 2.x sends it: the two hard resets, the
    client's ACK, its first TLS bytes and the server's ACK, then data."""
    return [(True, ovpn_control("RESET_CLIENT_V2", sc, pid=0)),
            (False, ovpn_control("RESET_SERVER_V2", ss, pid=0, acks=[0], remote=sc)),
            (True, ovpn_control("ACK_V1", sc, acks=[0], remote=ss)),
            (True, ovpn_control("CONTROL_V1", sc, pid=1, payload=hello)),
            (False, ovpn_control("ACK_V1", ss, acks=[1], remote=sc)),
            (True, ovpn_data_v2(1, 40)), (False, ovpn_data_v2(1, 56))]


def openvpn():
    """UDP on 1195 and TCP on 8443 (not 1194). tshark -d udp.port==1195,openvpn
    and -d tcp.port==8443,openvpn show the opcodes, key ids and session ids
    given here (openvpn.type, openvpn.sessionid)."""
    pk, ex = [], []
    t = T0
    sc, ss = bytes.fromhex("a1b2c3d4e5f60718"), bytes.fromhex("1122334455667788")
    udp_exchange(pk, C, 40194, S, 1195, ovpn_session(sc, ss), t)
    ex.append(rec("UDP", C, 40194, S, 1195, state="UDP_ACTIVE", app="OpenVPN",
                  openvpn_opcode=["P_CONTROL_HARD_RESET_CLIENT_V2", "P_CONTROL_HARD_RESET_SERVER_V2",
                                  "P_ACK_V1", "P_CONTROL_V1", "P_DATA_V2"],
                  openvpn_src_session="a1b2c3d4e5f60718", openvpn_dst_session="1122334455667788"))
    # over TCP: each packet behind its length
    c = Conv(pk, t + 1, cport=40195, sport=8443)
    c.handshake()
    sc2, ss2 = bytes.fromhex("0f1e2d3c4b5a6978"), bytes.fromhex("8877665544332211")
    for out, msg in ovpn_session(sc2, ss2):
        c.send(out, "PA", struct.pack(">H", len(msg)) + msg)
    ex.append(rec("TCP", C, 40195, S, 8443, state="ESTABLISHED", app="OpenVPN",
                  openvpn_opcode=["P_CONTROL_HARD_RESET_CLIENT_V2", "P_CONTROL_HARD_RESET_SERVER_V2",
                                  "P_ACK_V1", "P_CONTROL_V1", "P_DATA_V2"],
                  openvpn_src_session="0f1e2d3c4b5a6978", openvpn_dst_session="8877665544332211"))
    # a client hard reset nobody answers: one packet proves nothing
    pk.append(udp(C, 40196, S2, 1195, ovpn_control("RESET_CLIENT_V2", sc, pid=0), t + 2))
    ex.append(rec("UDP", C, 40196, S2, 1195, state="UDP_ACTIVE", app=None, openvpn_opcode=None))
    # control-shaped datagrams whose "session id" changes: not OpenVPN
    pk.append(udp(C, 40197, S2, 1195, ovpn_control("CONTROL_V1", sc, pid=0), t + 3))
    pk.append(udp(C, 40197, S2, 1195, ovpn_control("CONTROL_V1", ss, pid=1), t + 3.01))
    pk.append(udp(C, 40197, S2, 1195, ovpn_control("CONTROL_V1", ss, pid=2), t + 3.02))
    ex.append(rec("UDP", C, 40197, S2, 1195, state="UDP_ACTIVE", app=None, openvpn_opcode=None))
    # tls-crypt-v2's start: a V3 client reset and the server's reset read
    # like QUIC short headers; the client's next control packet repeats its
    # session id in a packet QUIC cannot send (bit 0x40 clear)
    sc3, ss3 = bytes.fromhex("3333333344444444"), bytes.fromhex("5555555566666666")
    v3 = [(True, ovpn_control("RESET_CLIENT_V3", sc3, pid=0)),
          (False, ovpn_control("RESET_SERVER_V2", ss3, pid=0, acks=[0], remote=sc3)),
          (True, ovpn_control("ACK_V1", sc3, acks=[0], remote=ss3))]
    udp_exchange(pk, C, 40198, S2, 1195, v3, t + 4)
    ex.append(rec("UDP", C, 40198, S2, 1195, state="UDP_ACTIVE", app="OpenVPN",
                  openvpn_opcode=["P_CONTROL_HARD_RESET_CLIENT_V3", "P_CONTROL_HARD_RESET_SERVER_V2",
                                  "P_ACK_V1"],
                  openvpn_src_session="3333333344444444", openvpn_dst_session="5555555566666666"))
    pk.sort(key=lambda p: p.time)
    save("app_openvpn", pk, ex)


def main():
    for fn in (ntp, ssdp, snmp, stun, dhcp, nbns, mqtt, bittorrent, ftp, ftp_data, arp, wireguard,
               openvpn):
        fn()
    print("wrote application protocol captures")


if __name__ == "__main__":
    sys.exit(main())

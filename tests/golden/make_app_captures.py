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

from scapy.all import IP, TCP, UDP, Ether, Raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_captures import C, S, T0, Conv, rec, save  # noqa: E402

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
    ex.append(rec("UDP", C, 40123, S, 123, app="NTP", ntp_version=4, ntp_mode=["client", "server"],
                  ntp_stratum=2, ntp_response_ms=12.345))
    # symmetric peers, NTPv3: no client, so no response time
    pk.append(udp(C, 123, S2, 123, ntp_packet(3, 1, stratum=3), t + 1))
    pk.append(udp(S2, 123, C, 123, ntp_packet(3, 2, stratum=2), t + 1.002))
    ex.append(rec("UDP", C, 123, S2, 123, app="NTP", ntp_version=3,
                  ntp_mode=["symmetric active", "symmetric passive"], ntp_stratum=3,
                  ntp_response_ms=None))
    # version 0 is not NTP, even on its port
    pk.append(udp(C, 40124, S, 123, b"\x03" + b"\0" * 47, t + 2))
    ex.append(rec("UDP", C, 40124, S, 123, app=None, ntp_version=None))
    save("app_ntp", pk, ex)


# ---- SSDP (UPnP Device Architecture 2.0 section 1) ----

def ssdp():
    pk, ex = [], []
    t = T0
    search = (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
              b"MX: 2\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n")
    pk.append(udp(C, 50000, "239.255.255.250", 1900, search, t))
    ex.append(rec("UDP", C, 50000, "239.255.255.250", 1900, app="SSDP", ssdp_method="M-SEARCH",
                  ssdp_type="urn:schemas-upnp-org:device:MediaServer:1"))
    answer = (b"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n"
              b"LOCATION: http://10.2.0.3:8200/rootDesc.xml\r\nSERVER: Linux/6.1 UPnP/1.0 golden/1\r\n"
              b"ST: urn:schemas-upnp-org:device:MediaServer:1\r\nUSN: uuid:4d696e69::upnp\r\n\r\n")
    pk.append(udp(S, 1900, C, 50000, answer, t + 0.1))
    ex.append(rec("UDP", S, 1900, C, 50000, app="SSDP", ssdp_method=None,
                  ssdp_type="urn:schemas-upnp-org:device:MediaServer:1"))
    # an announcement to another port: the request line is the signature
    notify = (b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\n"
              b"NTS: ssdp:alive\r\nUSN: uuid:4d696e69::upnp:rootdevice\r\n\r\n")
    pk.append(udp(S2, 41900, "239.255.255.250", 11900, notify, t + 1))
    ex.append(rec("UDP", S2, 41900, "239.255.255.250", 11900, app="SSDP", ssdp_method="NOTIFY",
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
    ex.append(rec("UDP", C, 40161, S, 161, app="SNMP", snmp_version="2c", snmp_community="public",
                  snmp_pdu=["get-request", "response"]))
    trap = tlv(0xa4, tlv(0x06, bytes.fromhex("2b0601040181e21e")) + tlv(0x40, bytes([10, 2, 0, 3]))
               + ber_int(6) + ber_int(1) + tlv(0x43, b"\x01\x00") + varbinds())
    pk.append(udp(S, 40162, C, 162, snmp_v12(0, b"trapcomm", trap), t + 1))
    ex.append(rec("UDP", S, 40162, C, 162, app="SNMP", snmp_version="1", snmp_community="trapcomm",
                  snmp_pdu=["trap"]))
    # v3 on another port: the BER shape is the signature
    scoped = tlv(0x30, tlv(0x04, b"\x80\x00\x1f\x88\x04golden") + tlv(0x04, b"") + pdu(0xa1))
    pk.append(udp(C, 40163, S2, 10161, snmp_v3(0x04, scoped), t + 2))
    ex.append(rec("UDP", C, 40163, S2, 10161, app="SNMP", snmp_version="3", snmp_community=None,
                  snmp_pdu=["get-next-request"]))
    # v3 with privacy: the PDU is encrypted, its type unknown
    pk.append(udp(C, 40164, S2, 161, snmp_v3(0x07, tlv(0x04, b"\x9a" * 48)), t + 3))
    ex.append(rec("UDP", C, 40164, S2, 161, app="SNMP", snmp_version="3", snmp_pdu=None))
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
    ex.append(rec("UDP", C, 40478, S, 3478, app="STUN", stun_method="Binding",
                  stun_class=["request", "success response"], stun_software="golden-agent 1.0"))
    # TURN on another port: the magic cookie is the signature
    transport = stun_attr(0x0019, b"\x11\0\0\0")          # REQUESTED-TRANSPORT UDP
    err = stun_attr(0x0009, b"\0\0\x04\x01Unauthorized")  # ERROR-CODE 401
    pk.append(udp(C, 40479, S2, 5000, stun_msg(3, 0, transport, b"golden-tid02"), t + 1))
    pk.append(udp(S2, 5000, C, 40479, stun_msg(3, 3, err, b"golden-tid02"), t + 1.01))
    ex.append(rec("UDP", C, 40479, S2, 5000, app="TURN", stun_method="Allocate",
                  stun_class=["request", "error response"], stun_software=None))
    # STUN over TCP: messages back to back in the stream
    c = Conv(pk, t + 2, cport=40480, sport=3478)
    c.handshake()
    c.send(True, "PA", stun_msg(1, 0, sw, b"golden-tid03"))
    c.send(False, "PA", stun_msg(1, 2, xor_addr, b"golden-tid03"))
    ex.append(rec("TCP", C, 40480, S, 3478, app="STUN", stun_method="Binding",
                  stun_class=["request", "success response"], stun_software="golden-agent 1.0"))
    pk.sort(key=lambda p: p.time)
    save("app_stun", pk, ex)


def main():
    for fn in (ntp, ssdp, snmp, stun):
        fn()
    print("wrote application protocol captures")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check the application fields of the golden expectations against tshark:
tshark dissects each capture, its per-packet fields are gathered per
connection (protocol and unordered endpoints), and the value each field
of docs/JSON.md should have is derived from them by the rule that field
states (the first value, or each kind once in the order seen), and so are
its packets, bytes and first and last times; every expected record must
agree with them.

usage: tshark_app_agree.py CAPTURE_DIR [NAME...]   (no NAME: the app_* captures)
Prints one line per capture and "N passed, N failed"; skips when tshark is
missing.
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import COUNTS, frame_counts, tshark_main  # noqa: E402

NTP_MODES = ["reserved", "symmetric active", "symmetric passive", "client", "server",
             "broadcast", "control", "private"]
SNMP_VERSIONS = {"0": "1", "1": "2c", "3": "3"}
SNMP_PDUS = ["get-request", "get-next-request", "response", "set-request", "trap",
             "get-bulk-request", "inform-request", "snmpV2-trap", "report"]
STUN_METHODS = {1: "Binding", 3: "Allocate", 4: "Refresh", 6: "Send", 7: "Data",
                8: "CreatePermission", 9: "ChannelBind", 10: "Connect", 11: "ConnectionBind",
                12: "ConnectionAttempt"}
STUN_CLASSES = ["request", "indication", "success response", "error response"]


def first(vals):
    return vals[0] if vals else None


def once(vals):
    out = []
    for v in vals:
        if v not in out:
            out.append(v)
    return out or None


def header(lines, name):
    for line in lines:
        k, _, v = line.partition(":")
        if k.strip().lower() == name.lower():
            return v.strip().replace("\\r\\n", "")
    return None


def ntp(pk):
    pk = [p for p in pk if p["ntp.flags.vn"] and 1 <= int(p["ntp.flags.vn"][0]) <= 4]
    modes = [int(p["ntp.flags.mode"][0]) for p in pk if p["ntp.flags.mode"]]
    strata = [int(p["ntp.stratum"][0]) for p in pk if p["ntp.flags.mode"] and
              int(p["ntp.flags.mode"][0]) != 3]
    delta = [round(float(p["ntp.delta_time"][0]) * 1000, 3) for p in pk if p["ntp.delta_time"]]
    vn = [int(p["ntp.flags.vn"][0]) for p in pk if p["ntp.flags.vn"]]
    return {"ntp_version": first(vn), "ntp_mode": once(NTP_MODES[m] for m in modes),
            "ntp_stratum": first(strata), "ntp_response_ms": first(delta)}


def ssdp(pk):
    methods = [p["http.request.method"][0] for p in pk if p["http.request.method"]]
    types = []
    for p in pk:
        name = "NT" if p["http.request.method"][:1] == ["NOTIFY"] else "ST"
        v = header(p["text"], name)
        if v:
            types.append(v)
    return {"ssdp_method": first(methods), "ssdp_type": first(types)}


def snmp(pk):
    versions = [SNMP_VERSIONS[(p["snmp.version"] or p["snmp.msgVersion"])[0]] for p in pk
                if p["snmp.version"] or p["snmp.msgVersion"]]
    pdus = [SNMP_PDUS[int(p["snmp.data"][0])] for p in pk if p["snmp.data"]]
    return {"snmp_version": first(versions),
            "snmp_community": first([p["snmp.community"][0] for p in pk if p["snmp.community"]]),
            "snmp_pdu": once(pdus)}


def stun(pk):
    msgs = [(int(p["stun.type.method"][0], 16), int(p["stun.type.class"][0], 16)) for p in pk
            if p["stun.type.method"]]
    methods = [STUN_METHODS.get(m, "0x%03x" % m) for m, _ in msgs]
    # tshark shows the class bits C1 C0 (type bits 8 and 4) shifted right by 4
    classes = [STUN_CLASSES[(c >> 4 & 1) << 1 | (c & 1)] for _, c in msgs]
    turn = any(m > 1 and m in STUN_METHODS for m, _ in msgs)
    return {"app": ("TURN" if turn else "STUN") if msgs else None, "stun_method": first(methods),
            "stun_class": once(classes),
            "stun_software": first([p["stun.att.software"][0] for p in pk if p["stun.att.software"]])}


DHCP_TYPES = [None, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"]
DHCPV6_TYPES = [None, "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY",
                "RELEASE", "DECLINE", "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW",
                "RELAY-REPL"]
MQTT_VERSIONS = {"3": "3.1", "4": "3.1.1", "5": "5.0"}
BT_CLIENTS = {"qB": "qBittorrent", "TR": "Transmission", "UT": "uTorrent", "DE": "Deluge",
              "LT": "libtorrent", "lt": "libTorrent", "AZ": "Vuze", "BC": "BitComet"}


def dhcp(pk):
    types = [DHCP_TYPES[int(v)] for p in pk for v in p["dhcp.option.dhcp"]]
    types += [DHCPV6_TYPES[int(v)] for p in pk for v in p["dhcpv6.msgtype"]]
    names = [v for p in pk for v in p["dhcp.option.hostname"] + p["dhcpv6.client_domain"]]
    macs = [v for p in pk for v in p["dhcp.hw.mac_addr"] + p["dhcpv6.duidllt.link_layer_addr"]
            + p["dhcpv6.duidll.link_layer_addr"]]
    # a domain name is kept without its trailing dot, as dns_query
    return {"dhcp_type": once(types), "dhcp_hostname": first([n.rstrip(".") for n in names]),
            "dhcp_client_mac": first(macs)}


def nbns(pk):
    return {"netbios_name": first([v for p in pk for v in p["nbns.name"]])}


def mqtt(pk):
    return {"mqtt_version": first([MQTT_VERSIONS[v] for p in pk for v in p["mqtt.ver"]]),
            "mqtt_client_id": first([v for p in pk for v in p["mqtt.clientid"]]),
            "mqtt_topic": first([v for p in pk for v in p["mqtt.topic"]])}


def bittorrent(pk):
    """The handshake's fields, and the DHT's as tshark shows them in text."""
    clients = []
    for p in pk:
        for pid, ver in zip(p["bittorrent.peer_id"], p["bittorrent.version"]):
            code = bytes.fromhex(pid)[1:3].decode()
            clients.append("%s %s" % (BT_CLIENTS.get(code, code), ver))
    hashes = [v for p in pk for v in p["bittorrent.info_hash"]]
    queries = []
    for p in pk:
        for line in p["text"]:
            k, _, v = line.partition(": ")
            if k == "info_hash":
                hashes.append(v)
            elif k == "Request type":
                queries.append(v)
    return {"bt_info_hash": first(hashes), "bt_client": clients or None, "bt_dht_query": once(queries)}


MANUF = "/usr/share/wireshark/manuf"


def manuf_names():
    """tshark's own vendor table: a 24-bit prefix ("00:00:0c") -> its long
    name, which is the IEEE registry's."""
    names = {}
    with open(MANUF, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and len(parts[0]) == 8:
                names[parts[0].lower()] = parts[2]
    return names


def arp(pk):
    """Each side's first sender hardware address, and tshark's vendor of it."""
    names = manuf_names()
    initiator = first(pk[0]["arp.src.proto_ipv4"])
    got = {}
    for side, mine in (("src", True), ("dst", False)):
        mac = first([p["arp.src.hw_mac"][0] for p in pk
                     if (first(p["arp.src.proto_ipv4"]) == initiator) == mine])
        got["arp_%s_mac" % side] = mac
        got["arp_%s_vendor" % side] = names.get(mac[:8]) if mac else None
    return got


EPSV_NAME = {"EPASV": "EPSV"}  # tshark's name for the method


def ends_text(pk):
    """A connection as wiretop writes ftp_control: its FTP client (the
    side sending commands) first."""
    p = next(p for p in pk if p["ftp.request.command"])
    six = bool(p["ipv6.src"])
    src, dst = first(p["ip.src"] or p["ipv6.src"]), first(p["ip.dst"] or p["ipv6.dst"])
    wrap = (lambda a: "[%s]" % a) if six else (lambda a: a)
    return "%s:%s -> %s:%s" % (wrap(src), p["tcp.srcport"][0], wrap(dst), p["tcp.dstport"][0])


def ftp(pk, conns):
    """RFC 959: the greeting is the first 220 reply (its enclosing
    parentheses dropped), the user USER's argument; commands and reply
    codes each once, in the order seen. A data connection: tshark's
    setup method, and the connection of its setup frame."""
    setup = first([EPSV_NAME.get(m, m) for p in pk for m in p["ftp-data.setup-method"]])
    if not setup and not any(p["ftp.request.command"] or p["ftp.response.code"] for p in pk):
        return {}  # not linked by tshark (4.0 does not follow EPRT |2|): RFC 2428 decides
    if setup:
        frame = int(first([f for p in pk for f in p["ftp-data.setup-frame"]]))
        ctl = next(c for c in conns.values() if any(int(p["frame.number"][0]) == frame for p in c))
        return {"app": "FTP-DATA", "ftp_data_setup": setup, "ftp_control": ends_text(ctl)}
    cmds = [(c, p["ftp.request.arg"]) for p in pk for c in p["ftp.request.command"]]
    greet = [a for p in pk for c, a in zip(p["ftp.response.code"], p["ftp.response.arg"])
             if c == "220"]
    server = first(greet)
    if server and server.startswith("(") and server.endswith(")"):
        server = server[1:-1]
    return {"ftp_server": server,
            "ftp_user": first([a[0] for c, a in cmds if c.upper() == "USER" and a]),
            "ftp_commands": once(c.upper() for c, _ in cmds),
            "ftp_replies": once(c for p in pk for c in p["ftp.response.code"]),
            "ftp_data_setup": None, "ftp_control": None}


ftp.all_conns = True  # derived with every connection at hand


WG_TYPES = {1: "Handshake Initiation", 2: "Handshake Response", 3: "Cookie Reply",
            4: "Transport Data"}  # tshark's names of wg.type's values


def wireguard(pk):
    """tshark decodes each message (the type, zero bytes and exact length
    are its test too). Named WireGuard, by docs/JSON.md's rule, when it
    carries a handshake message, or when one side's transport data repeats
    its receiver index with another counter at a padded length (16 plus a
    multiple of 16)."""
    msgs = [p for p in pk if p["wg.type"]]
    named = any(int(p["wg.type"][0]) != 4 for p in msgs)
    last = {}
    for p in (p for p in msgs if int(p["wg.type"][0]) == 4):
        now = (p["wg.receiver"][0], p["wg.counter"][0])
        before = last.get(p["sender"])
        aligned = (int(p["udp.length"][0]) - 8) % 16 == 0
        named |= bool(before) and before[0] == now[0] and before[1] != now[1] and aligned
        last[p["sender"]] = now
    if not named:
        return {"app": None, "wg_type": None}
    kinds = [int(p["wg.type"][0]) for p in msgs]
    return {"app": "WireGuard", "wg_type": once(WG_TYPES[k] for k in kinds),
            "wg_sender": first([p["wg.sender"][0] for p in msgs if p["wg.type"] == ["1"]]),
            "wg_receiver": first([p["wg.sender"][0] for p in msgs if p["wg.type"] == ["2"]]),
            "wg_handshakes": kinds.count(1) or None}


def openvpn(pk):
    """Each frame holds one OpenVPN packet here. The opcode names are
    tshark's (its "Opcode:" line); the flow is OpenVPN by docs/JSON.md's
    rule: the initiator's V2 client hard reset (type 0x38) answered by the
    responder's server hard reset (0x40), or a side's session id again in
    another of its control packets, one of the two below 0x40 (what QUIC
    cannot send); a side's session id that changes first rules it out.
    Over UDP the opcodes count from the first control packet."""
    init = pk[0]["sender"]
    pk = [p for p in pk if p["openvpn.type"]]
    if pk and pk[0]["udp.srcport"]:
        while pk and not pk[0]["openvpn.sessionid"]:
            pk = pk[1:]
    sid, quic_free, client_reset, named = {}, {}, False, False
    for p in pk:
        kind, side = int(p["openvpn.type"][0], 16), p["sender"] == init
        if not p["openvpn.sessionid"] or named:
            continue
        now = p["openvpn.sessionid"][0]
        if side in sid and sid[side] != now:
            return {"app": None, "openvpn_opcode": None}
        named = side in sid and (quic_free[side] or kind < 0x40)
        quic_free[side] = quic_free.get(side, False) or kind < 0x40
        sid[side] = now
        client_reset |= side and kind == 0x38
        named |= not side and kind == 0x40 and client_reset
    if not named:
        return {"app": None, "openvpn_opcode": None}
    names = [line.split(": ", 1)[1].split(" (")[0] for p in pk for line in p["text"]
             if line.lstrip("0123456789. ").startswith("= Opcode: ")]
    sessions = {side: first(["%016x" % int(p["openvpn.sessionid"][0]) for p in pk
                             if p["openvpn.sessionid"] and (p["sender"] == init) == side])
                for side in (True, False)}
    return {"app": "OpenVPN", "openvpn_opcode": once(names),
            "openvpn_src_session": sessions[True], "openvpn_dst_session": sessions[False]}


# capture name prefix -> (tshark fields, extra tshark arguments, derivation)
PROTOCOLS = {
    "app_ntp": (["ntp.flags.vn", "ntp.flags.mode", "ntp.stratum", "ntp.delta_time"], [], ntp),
    "app_ssdp": (["http.request.method", "text"], ["-d", "udp.port==11900,ssdp"], ssdp),
    "app_snmp": (["snmp.version", "snmp.msgVersion", "snmp.community", "snmp.data"],
                 ["-d", "udp.port==10161,snmp"], snmp),
    "app_stun": (["stun.type.method", "stun.type.class", "stun.att.software"], [], stun),
    "app_dhcp": (["dhcp.option.dhcp", "dhcp.option.hostname", "dhcp.hw.mac_addr", "dhcpv6.msgtype",
                  "dhcpv6.client_domain", "dhcpv6.duidllt.link_layer_addr",
                  "dhcpv6.duidll.link_layer_addr"], ["-d", "udp.port==1067,dhcp"], dhcp),
    "app_nbns": (["nbns.name"], ["-d", "udp.port==10137,nbns"], nbns),
    "app_mqtt": (["mqtt.ver", "mqtt.clientid", "mqtt.topic"], ["-d", "tcp.port==18830,mqtt"], mqtt),
    "app_bittorrent": (["bittorrent.info_hash", "bittorrent.peer_id", "bittorrent.version", "text"],
                       ["-o", "bittorrent.decode_client:TRUE"], bittorrent),
    "app_ftp": (["ftp.request.command", "ftp.request.arg", "ftp.response.code",
                 "ftp.response.arg", "ftp-data.setup-method", "ftp-data.setup-frame"],
                ["-d", "tcp.port==2121,ftp"], ftp),
    "app_arp": (["arp.src.hw_mac"], [], arp),
    "app_wireguard": (["wg.type", "wg.sender", "wg.receiver", "wg.counter", "udp.length"],
                      ["-d", "udp.port==41641,wg"], wireguard),
    "app_openvpn": (["openvpn.type", "openvpn.sessionid", "text"],
                    ["-d", "udp.port==1195,openvpn", "-d", "tcp.port==8443,openvpn"], openvpn),
}
CONN = ["frame.number", "frame.len", "frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
        "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "arp.src.proto_ipv4", "arp.dst.proto_ipv4"]


def pdml_texts(cap, extra):
    """frame number -> every line tshark shows of it (SSDP's headers among them)."""
    out = subprocess.run(["tshark", "-r", cap, "-T", "pdml"] + extra, capture_output=True,
                         check=True, text=True).stdout
    texts = {}
    for pkt in ET.fromstring(out).iter("packet"):
        num = int(next(f for f in pkt.iter("field") if f.get("name") == "num").get("show"))
        texts[num] = [f.get("showname") or f.get("show") for f in pkt.iter("field")
                      if f.get("showname") or f.get("show")]
    return texts


def tshark_conns(cap, fields, extra):
    texts = pdml_texts(cap, extra) if "text" in fields else {}
    fields = [f for f in fields if f != "text"]
    allf = CONN + fields
    args = ["tshark", "-2", "-r", cap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
            "-E", "aggregator=\x1f"] + extra
    for f in allf:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    conns = {}
    for line in out.splitlines():
        p = {k: (v.split("\x1f") if v else []) for k, v in zip(allf, line.split("\t"))}
        p["text"] = texts.get(int(p["frame.number"][0]), [])
        if p["arp.src.proto_ipv4"]:  # ARP: a row per address pair, no ports
            proto = "ARP"
            a, b = (p["arp.src.proto_ipv4"][0], 0), (p["arp.dst.proto_ipv4"][0], 0)
        else:
            proto = "TCP" if p["tcp.srcport"] else "UDP"
            low = proto.lower()
            src = first(p["ip.src"] or p["ipv6.src"])
            dst = first(p["ip.dst"] or p["ipv6.dst"])
            a, b = (src, int(p[low + ".srcport"][0])), (dst, int(p[low + ".dstport"][0]))
        p["sender"] = a
        conns.setdefault((proto, frozenset((a, b))), []).append(p)
    return conns


def check(name, cap, expect):
    fields, extra, derive = next(v for k, v in PROTOCOLS.items() if name.startswith(k))
    conns = tshark_conns(cap, fields, extra)
    problems = []
    for want in expect:
        key = (want["proto"], frozenset(((want["src_ip"], want["src_port"]),
                                         (want["dst_ip"], want["dst_port"]))))
        if key not in conns:
            problems.append("tshark has no connection %s" % (key,))
            continue
        got = derive(conns[key], conns) if getattr(derive, "all_conns", False) else derive(conns[key])
        got.update(frame_counts([(p["sender"], int(p["frame.len"][0]), float(p["frame.time_epoch"][0]))
                                 for p in conns[key]], (want["src_ip"], want["src_port"])))
        for k, v in want.items():
            if k in got and got[k] != v:
                problems.append("%s:%s %s: expect %r, tshark %r" % (
                    want["src_ip"], want["src_port"], k, v, got[k]))
    return problems


if __name__ == "__main__":
    sys.exit(tshark_main(sys.argv[1:], PROTOCOLS, check))

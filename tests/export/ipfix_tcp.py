#!/usr/bin/env python3
"""A minimal IPFIX-over-TCP collector for the tests (RFC 7011 framing).

usage: ipfix_tcp.py PORTFILE OUT.json
Listens on 127.0.0.1 (port written to PORTFILE), takes one connection,
reads messages until it closes, and writes what it saw: messages, the
template sets (ids), data records per template and the sequence numbers,
after checking every message header and set length tiles its message.
"""
import json
import socket
import struct
import sys


def records(templates, tid, body):
    """Count the records in a data set body by walking the template."""
    n, pos = 0, 0
    fields = templates[tid]
    while pos < len(body):
        if len(body) - pos < 4 and not any(f == 65535 for f in fields):
            break  # padding
        for length in fields:
            if length == 65535:
                length = body[pos]
                pos += 1
                if length == 255:
                    length = struct.unpack_from("!H", body, pos)[0]
                    pos += 2
            pos += length
        if pos > len(body):
            raise ValueError("record overruns its set")
        n += 1
    return n


def main():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    open(sys.argv[1], "w").write(str(srv.getsockname()[1]))
    srv.settimeout(60)
    conn, _ = srv.accept()
    data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    out = {"messages": 0, "template_sets": 0, "records": 0, "sequence_ok": True, "errors": []}
    templates, pos, expect_seq = {}, 0, None
    while pos < len(data):
        version, length, _, seq, _ = struct.unpack_from("!HHIII", data, pos)
        if version != 10 or length < 16 or pos + length > len(data):
            out["errors"].append("bad message header at %d" % pos)
            break
        if expect_seq is not None and seq != expect_seq:
            out["sequence_ok"] = False
        msg, spos, nrec = data[pos:pos + length], 16, 0
        while spos < length:
            sid, slen = struct.unpack_from("!HH", msg, spos)
            if slen < 4 or spos + slen > length:
                out["errors"].append("bad set length")
                break
            body = msg[spos + 4:spos + slen]
            if sid == 2:
                out["template_sets"] += 1
                tpos = 0
                while tpos + 4 <= len(body):
                    tid, count = struct.unpack_from("!HH", body, tpos)
                    tpos += 4
                    lengths = []
                    for _ in range(count):
                        fid, flen = struct.unpack_from("!HH", body, tpos)
                        tpos += 8 if fid & 0x8000 else 4
                        lengths.append(flen)
                    templates[tid] = lengths
            elif sid >= 256:
                nrec += records(templates, sid, body)
            spos += slen
        out["records"] += nrec
        out["messages"] += 1
        expect_seq = seq + nrec
        pos += length
    json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()

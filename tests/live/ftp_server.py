#!/usr/bin/env python3
"""A small FTP server for tests/live/ftp_data.sh (standard library only).

    ftp_server.py ADDR PORT ROOT READY LOG

Listens on ADDR:PORT and serves the files of the directory ROOT, read
only, one control connection at a time: USER, PASS, SYST, PWD, CWD, TYPE,
SIZE, EPSV, PASV, EPRT, PORT, RETR, LIST, NLST, NOOP and QUIT, with the
replies of RFC 959 and RFC 2428 (anything else: 502). Active-mode data
connections are opened from port 20, as RFC 959 3.2 has it. Writes READY
once it listens; appends one JSON line per data transfer to LOG: the
command, the setup (EPSV, PASV, EPRT or PORT), the control connection and
the data connection, each initiator first, and the bytes sent. Ends by
itself after 60 s, should the test that started it not end it.
"""
import json
import os
import signal
import socket
import sys

ADDR, PORT, ROOT, READY, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
DATA_PORT = 20  # RFC 959 3.2: the server's default data port, L-1
TIMEOUT = 10


def ends(initiator, responder):
    return "%s:%d -> %s:%d" % (initiator[0], initiator[1], responder[0], responder[1])


def file_path(arg):
    """The file ARG names under ROOT, or None when it names none."""
    name = os.path.basename(arg.strip().lstrip("/"))
    path = os.path.join(ROOT, name)
    return path if name and os.path.isfile(path) else None


class Session:
    def __init__(self, conn, client):
        self.conn, self.client = conn, client
        self.rfile = conn.makefile("rb")
        self.passive = None  # a listening socket after PASV / EPSV
        self.active = None   # (address, port) after PORT / EPRT
        self.setup = None    # the command that set the data connection up
        self.type = "A"

    def reply(self, text):
        self.conn.sendall(text.encode() + b"\r\n")

    def drop_data_setup(self):
        if self.passive:
            self.passive.close()
        self.passive = self.active = self.setup = None

    def listen_passive(self, setup):
        self.drop_data_setup()
        s = socket.socket()
        s.bind((ADDR, 0))
        s.listen(1)
        s.settimeout(TIMEOUT)
        self.passive, self.setup = s, setup
        return s.getsockname()[1]

    def open_data(self):
        """The data connection and its initiator's and responder's ends."""
        if self.passive:
            s, _ = self.passive.accept()
            return s, s.getpeername(), s.getsockname()
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((ADDR, DATA_PORT))
        s.settimeout(TIMEOUT)
        s.connect(self.active)
        return s, s.getsockname(), s.getpeername()

    def transfer(self, command, payload, what):
        if not self.setup:
            self.reply("425 Use PORT, EPRT, PASV or EPSV first.")
            return
        self.reply("150 Opening %s mode data connection for %s (%d bytes)."
                   % ("BINARY" if self.type == "I" else "ASCII", what, len(payload)))
        try:
            data, initiator, responder = self.open_data()
            data.sendall(payload)
            data.close()
        except OSError as e:
            self.reply("425 Cannot open data connection: %s." % e.strerror)
            self.drop_data_setup()
            return
        with open(LOG, "a") as log:
            log.write(json.dumps({"command": command, "setup": self.setup,
                                  "control": ends(self.client, self.conn.getsockname()),
                                  "data": ends(initiator, responder), "bytes": len(payload)}) + "\n")
        self.drop_data_setup()
        self.reply("226 Transfer complete.")

    def listing(self, names_only):
        lines = []
        for name in sorted(os.listdir(ROOT)):
            size = os.path.getsize(os.path.join(ROOT, name))
            lines.append(name if names_only else
                         "-rw-r--r--    1 ftp      ftp      %8d Jan 01 00:00 %s" % (size, name))
        return "".join(line + "\r\n" for line in lines).encode()

    def eprt(self, arg):
        """RFC 2428 2: |1|132.235.1.2|6275| (IPv4 only here)."""
        parts = arg.split(arg[:1]) if arg else []
        if len(parts) != 5 or parts[1] != "1":
            return None
        return parts[2], int(parts[3])

    def port(self, arg):
        """RFC 959 4.1.2: h1,h2,h3,h4,p1,p2."""
        v = [int(x) for x in arg.split(",")]
        if len(v) != 6 or not all(0 <= x <= 255 for x in v):
            return None
        return "%d.%d.%d.%d" % tuple(v[:4]), v[4] * 256 + v[5]

    def command(self, word, arg):
        if word == "USER":
            self.reply("331 Password required for %s." % arg)
        elif word == "PASS":
            self.reply("230 User logged in.")
        elif word == "SYST":
            self.reply("215 UNIX Type: L8")
        elif word == "PWD":
            self.reply('257 "/" is the current directory.')
        elif word == "CWD":
            self.reply("250 Directory changed to /." if arg.strip("/") == "" else
                       "550 No such directory.")
        elif word == "TYPE":
            if arg.upper() in ("A", "I", "A N", "L 8"):
                self.type = arg.upper()[0]
                self.reply("200 Type set to %s." % arg.upper())
            else:
                self.reply("504 Type not implemented.")
        elif word == "SIZE":
            path = file_path(arg)
            self.reply("213 %d" % os.path.getsize(path) if path else "550 No such file.")
        elif word == "EPSV":
            if arg.upper() == "ALL" or arg in ("", "1"):
                port = self.listen_passive("EPSV")
                self.reply("229 Entering Extended Passive Mode (|||%d|)" % port)
            else:
                self.reply("522 Network protocol not supported, use (1)")
        elif word == "PASV":
            port = self.listen_passive("PASV")
            self.reply("227 Entering Passive Mode (%s,%d,%d)."
                       % (ADDR.replace(".", ","), port >> 8, port & 255))
        elif word in ("EPRT", "PORT"):
            try:
                target = self.eprt(arg) if word == "EPRT" else self.port(arg)
            except ValueError:
                target = None
            if not target:
                self.reply("501 Syntax error in parameters.")
                return
            self.drop_data_setup()
            self.active, self.setup = target, word
            self.reply("200 %s command successful." % word)
        elif word == "RETR":
            path = file_path(arg)
            if not path:
                self.reply("550 No such file.")
                return
            with open(path, "rb") as f:
                self.transfer(word, f.read(), os.path.basename(path))
        elif word in ("LIST", "NLST"):
            self.transfer(word, self.listing(word == "NLST"), "file list")
        elif word == "NOOP":
            self.reply("200 NOOP ok.")
        else:
            self.reply("502 Command not implemented.")

    def run(self):
        self.reply("220 wiretop test FTP server ready.")
        for raw in self.rfile:
            line = raw.decode("latin-1").rstrip("\r\n")
            word, _, arg = line.partition(" ")
            word = word.upper()
            if word == "QUIT":
                self.reply("221 Goodbye.")
                break
            self.command(word, arg)
        self.drop_data_setup()
        self.conn.close()


def main():
    signal.alarm(60)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((ADDR, PORT))
    srv.listen(4)
    open(READY, "w").close()
    while True:
        conn, client = srv.accept()
        conn.settimeout(TIMEOUT)
        # a reply is written whole at once: sent at once, not after the
        # client's delayed acknowledgement of the one before (Nagle)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            Session(conn, client).run()
        except OSError:
            conn.close()


main()

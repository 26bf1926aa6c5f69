#!/usr/bin/python3
"""A lossy link between two interfaces: every Ethernet frame that comes in
on one goes out of the other 10 ms later, except that a TCP segment
carrying data is dropped with a probability of 3 % and held back behind
the next frame with a probability of 4 % (reordered). A fixed seed makes a
run repeatable as far as the traffic is.

usage: lossy_link.py IFACE_A IFACE_B   (as root, in the namespace holding both)
"""
import heapq
import random
import select
import socket
import sys
import time

DELAY = 0.010
DROP, SWAP = 0.03, 0.04
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def tcp_data(frame):
    """Whether an Ethernet frame is IPv4 TCP with a payload."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return False
    ihl = (frame[14] & 15) * 4
    total = int.from_bytes(frame[16:18], "big")
    if len(frame) < 14 + ihl + 13:
        return False
    thl = (frame[14 + ihl + 12] >> 4) * 4
    return total > ihl + thl


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def fix_tcp_checksum(frame):
    """The frame with its TCP checksum filled in: a veth leaves it to the
    hardware that is not there (checksum offload), and the peer drops a
    frame it receives with a wrong one."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return frame
    ihl = (frame[14] & 15) * 4
    total = int.from_bytes(frame[16:18], "big")
    seg = bytearray(frame[14 + ihl:14 + total])
    if len(seg) < 20:
        return frame
    seg[16:18] = b"\0\0"
    pseudo = frame[26:34] + b"\0\x06" + len(seg).to_bytes(2, "big")
    seg[16:18] = checksum(pseudo + bytes(seg)).to_bytes(2, "big")
    return frame[:14 + ihl] + bytes(seg) + frame[14 + total:]


def main(a, b):
    rng = random.Random(17)
    socks = {}
    for name in (a, b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        socks[name] = s
    other = {a: socks[b], b: socks[a]}
    queue, held, seq = [], {a: None, b: None}, 0
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        ready, _, _ = select.select(list(socks.values()), [], [], timeout)
        for name, s in socks.items():
            if s not in ready:
                continue
            frame, addr = s.recvfrom(65536)
            if addr[2] == PACKET_OUTGOING:
                continue
            frame = fix_tcp_checksum(frame)
            due = time.monotonic() + DELAY
            if tcp_data(frame):
                r = rng.random()
                if r < DROP:
                    continue
                if r < DROP + SWAP and held[name] is None:
                    held[name] = frame
                    continue
            seq += 1
            heapq.heappush(queue, (due, seq, name, frame))
            if held[name] is not None:
                seq += 1
                heapq.heappush(queue, (due, seq, name, held[name]))
                held[name] = None
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, name, frame = heapq.heappop(queue)
            other[name].send(frame)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""The TCP health keys of a record (docs/JSON.md), from tshark's dissection
of the connection's frames: the counts are the frames tshark's analysis
flags in each direction; the round trips follow the rules JSON.md states,
applied here to the frames' own sequence numbers, ACKs and times:

  handshake_rtt_ms  the latest SYN to the first ACK after it (the ACK of
                    the SYN+ACK); tshark's tcp.analysis.initial_rtt says
                    the same, and tests/shared/tcp_health.sh holds
                    wiretop to it
  rtt_ms            RFC 6298's SRTT in whole microseconds (the first
                    sample, then SRTT + (sample - SRTT) / 8) over samples
                    from a data segment of the initiator (a capture read
                    from a file has no local side) that continues its
                    stream to the first ACK of the responder covering it,
                    one segment at a time; a retransmitted or out-of-order
                    segment of the initiator while one is timed spoils the
                    sample (Karn's rule); until the first sample, the
                    handshake's

Used by tshark_agree.with_counts, through which every make_*.py writes its
expectations.
"""

# each count's key and the flag of tshark it counts (tshark flags a fast
# or spurious retransmission tcp.analysis.retransmission too)
FLAGS = {"retransmits": "tcp.analysis.retransmission",
         "out_of_order": "tcp.analysis.out_of_order",
         "dup_acks": "tcp.analysis.duplicate_ack",
         "zero_windows": "tcp.analysis.zero_window"}
SYN, ACK, FIN = 0x02, 0x10, 0x01


def seq_ge(a, b):
    """a at or after b in sequence space (RFC 1982 arithmetic, 32 bits)."""
    return ((a - b) & 0xffffffff) < 0x80000000


def micros(epoch_text):
    """Microseconds since the epoch of tshark's frame.time_epoch text,
    without a float's rounding."""
    sec, _, frac = epoch_text.partition(".")
    return int(sec) * 1000000 + int((frac + "000000")[:6])


def segment(tcp, time_text, frames):
    """What the rules read of one TCP segment: tshark's fields of its TCP
    layer ({field: [values]}), its frame.time_epoch and the numbers of the
    frames that brought it (more than one for a fragmented datagram)."""
    def num(name):
        return int(tcp[name][0], 0)
    return {"frames": frames, "us": micros(time_text), "flags": num("tcp.flags"), "seq": num("tcp.seq_raw"),
            "ack": num("tcp.ack_raw"), "len": num("tcp.len"),
            "flagged": {k for k, flag in FLAGS.items() if flag in tcp},
            "zwp": "tcp.analysis.zero_window_probe" in tcp}


def counts(segs):
    """Each count for both directions and per side; segs are
    (0 initiator / 1 responder, segment)."""
    out = {}
    for key in FLAGS:
        side = [sum(1 for d, s in segs if d == which and key in s["flagged"]) for which in (0, 1)]
        out.update({key: side[0] + side[1], "src_" + key: side[0], "dst_" + key: side[1]})
    return out


def handshake_us(segs):
    syn_at = None
    for _, s in segs:
        fl = s["flags"] & (SYN | ACK)
        if fl == SYN:
            syn_at = s["us"]
        elif fl == ACK and syn_at is not None:
            return s["us"] - syn_at
    return None


def srtt_us(segs):
    srtt, timed, next_seq = None, None, None
    for d, s in segs:
        if d == 0:
            spoiled = s["flagged"] & {"retransmits", "out_of_order"}
            advanced = next_seq is None or s["seq"] == next_seq
            end = s["seq"] + s["len"] + (1 if s["flags"] & (SYN | FIN) else 0)
            if spoiled:
                timed = None
            elif timed is None and s["len"] and advanced:
                timed = ((s["seq"] + s["len"]) & 0xffffffff, s["us"])
            if (next_seq is None or not seq_ge(next_seq, end)) and not s["zwp"]:
                next_seq = end & 0xffffffff
        elif timed and s["flags"] & ACK and seq_ge(s["ack"], timed[0]):
            sample = s["us"] - timed[1]
            if srtt is None:
                srtt = max(sample, 1)
            else:
                diff = sample - srtt
                srtt += -(-diff // 8) if diff < 0 else diff // 8  # C's division: toward zero
            timed = None
    return srtt


def health(segs):
    """The TCP health keys of a connection made of segs, in capture order."""
    out = counts(segs)
    hs, srtt = handshake_us(segs), srtt_us(segs)
    rtt = srtt if srtt is not None else hs
    out["handshake_rtt_ms"] = None if hs is None else hs / 1000
    out["rtt_ms"] = None if rtt is None else rtt / 1000
    return out

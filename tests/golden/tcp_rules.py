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
  rtt_spikes, rtt_spike_max_ms, rtt_spike_at
                    over the same samples, RFC 6298's RTTVAR beside SRTT
                    (the first sample R: SRTT = R, RTTVAR = R / 2; each
                    later R': RTTVAR += (|SRTT - R'| - RTTVAR) / 4, then
                    SRTT += (R' - SRTT) / 8, in whole microseconds
                    rounded toward zero); a later sample is a spike when
                    R' > SRTT + 4 * RTTVAR and R' - SRTT >= SPIKE_US, both
                    taken before it moves them; the count, the largest
                    (the first of equals) and the time of its ACK; absent
                    without a spike. Each sample must be tshark's
                    tcp.analysis.ack_rtt of its ACK where tshark says that
                    ACK acknowledges the timed segment (tcp.analysis.acks_frame)

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
SPIKE_US = 200000  # --findings-rtt-spike's default, 200 ms


def seq_ge(a, b):
    """a at or after b in sequence space (RFC 1982 arithmetic, 32 bits)."""
    return ((a - b) & 0xffffffff) < 0x80000000


def micros(epoch_text, digits=6):
    """Microseconds since the epoch of tshark's frame.time_epoch text,
    without a float's rounding (digits=9: nanoseconds)."""
    sec, _, frac = epoch_text.partition(".")
    return int(sec) * 10 ** digits + int((frac + "0" * digits)[:digits])


def segment(tcp, time_text, frames):
    """What the rules read of one TCP segment: tshark's fields of its TCP
    layer ({field: [values]}), its frame.time_epoch and the numbers of the
    frames that brought it (more than one for a fragmented datagram)."""
    def num(name):
        return int(tcp[name][0], 0)
    ack_rtt = tcp.get("tcp.analysis.ack_rtt", [""])[0]
    acks = tcp.get("tcp.analysis.acks_frame", [""])[0]
    return {"frames": frames, "us": micros(time_text), "flags": num("tcp.flags"), "seq": num("tcp.seq_raw"),
            "ack": num("tcp.ack_raw"), "len": num("tcp.len"),
            "flagged": {k for k, flag in FLAGS.items() if flag in tcp},
            "zwp": "tcp.analysis.zero_window_probe" in tcp,
            # tshark's own round trip on an ACK, and the frame it says the ACK acknowledges
            "ack_rtt_ns": micros(ack_rtt, 9) if ack_rtt else None, "acks_frame": int(acks) if acks else None}


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


def toward_zero(a, b):
    """a / b as C's integer division does it."""
    return -(-a // b) if a < 0 else a // b


def samples(segs):
    """(timed segment, its ACK, the sample in us) in order."""
    out, timed, next_seq = [], None, None
    for d, s in segs:
        if d == 0:
            spoiled = s["flagged"] & {"retransmits", "out_of_order"}
            advanced = next_seq is None or s["seq"] == next_seq
            end = s["seq"] + s["len"] + (1 if s["flags"] & (SYN | FIN) else 0)
            if spoiled:
                timed = None
            elif timed is None and s["len"] and advanced:
                timed = ((s["seq"] + s["len"]) & 0xffffffff, s)
            if (next_seq is None or not seq_ge(next_seq, end)) and not s["zwp"]:
                next_seq = end & 0xffffffff
        elif timed and s["flags"] & ACK and seq_ge(s["ack"], timed[0]):
            out.append((timed[1], s, s["us"] - timed[1]["us"]))
            timed = None
    return out


def estimators(segs, spike_us=SPIKE_US):
    """SRTT (None before a sample) and the spikes: [(sample, ACK's us)]."""
    srtt, rttvar, spikes = None, None, []
    for _, ack, sample in samples(segs):
        if srtt is None:
            srtt, rttvar = max(sample, 1), sample // 2
            continue
        if spike_us and sample > srtt + 4 * rttvar and sample - srtt >= spike_us:
            spikes.append((sample, ack["us"]))
        rttvar += toward_zero(abs(srtt - sample) - rttvar, 4)
        srtt += toward_zero(sample - srtt, 8)
    return srtt, spikes


def srtt_us(segs):
    return estimators(segs)[0]


def ack_rtt_disagreements(segs):
    """The samples tshark times otherwise: where it says the ACK
    acknowledges the timed segment's frame, its ack_rtt must be the sample
    (within a microsecond when the capture has nanoseconds, which the
    samples, like wiretop, take whole microseconds of each time)."""
    return ["sample %d us, tshark's ack_rtt %.3f us (frame %s)" % (sample, ack["ack_rtt_ns"] / 1000, ack["frames"])
            for seg, ack, sample in samples(segs)
            if ack["acks_frame"] in seg["frames"] and abs(ack["ack_rtt_ns"] - sample * 1000) >= 1000]


def spike_keys(segs):
    """rtt_spikes, rtt_spike_max_ms and rtt_spike_at, or {} without a spike."""
    spikes = estimators(segs)[1]
    if not spikes:
        return {}
    largest = max(spikes, key=lambda sa: sa[0])  # max keeps the first of equals
    return {"rtt_spikes": len(spikes), "rtt_spike_max_ms": largest[0] / 1000,
            "rtt_spike_at": largest[1] / 1e6}


def health(segs):
    """The TCP health keys of a connection made of segs, in capture order."""
    out = counts(segs)
    hs, srtt = handshake_us(segs), srtt_us(segs)
    rtt = srtt if srtt is not None else hs
    out["handshake_rtt_ms"] = None if hs is None else hs / 1000
    out["rtt_ms"] = None if rtt is None else rtt / 1000
    wrong = ack_rtt_disagreements(segs)
    if wrong:
        raise ValueError("tshark's tcp.analysis.ack_rtt disagrees: " + "; ".join(wrong))
    out.update(spike_keys(segs))
    return out

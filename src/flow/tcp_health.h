/* tcp_health.h - how a TCP connection fares, seen by a passive observer.
 *
 * Per direction (the sender of the segment): retransmissions, out-of-order
 * segments, duplicate ACKs and zero windows, each as tshark's TCP analysis
 * flags them (tcp.analysis.retransmission, which includes fast and
 * spurious ones, .out_of_order, .duplicate_ack, .zero_window); the
 * handshake's round-trip time as tshark's tcp.analysis.initial_rtt (the
 * latest SYN to the first ACK after it); and a smoothed round-trip time
 * from data to the ACK that covers it, timed on the segments the local
 * side sends (the initiator's when the local side is unknown), one at a
 * time, never on retransmitted data (Karn's rule), smoothed as RFC 6298's
 * SRTT (7/8 old, 1/8 new).
 *
 * A round-trip spike is one sample R' far over the SRTT of that moment:
 * above the retransmission timeout's base, R' > SRTT + 4 * RTTVAR (RFC
 * 6298 section 2, K = 4), and at least spike_us over SRTT (a floor, so a
 * steady LAN's 0.2 ms becoming 2 ms is no spike). A sender whose timer
 * kept to that base would have resent the segment for nothing; the
 * default floor, 200 ms, is Linux's smallest timeout (its timer is about
 * SRTT + max(4 * RTTVAR, 200 ms)). RTTVAR is
 * RFC 6298's (the first sample R sets SRTT = R, RTTVAR = R / 2; each later
 * one moves RTTVAR by a quarter of |SRTT - R'| - RTTVAR, then SRTT by an
 * eighth of R' - SRTT, each rounded toward zero), and the sample is judged
 * against the two before it moves them. The spikes are counted with the
 * largest and the time of the ACK that ended it (META_TCP_RTT_SPIKE*).
 *
 * The figures are numbers in the flow's meta block (META_TCP_*), stored
 * once they are non-zero, so a healthy connection's row carries none and
 * rows do not grow; what finding them takes is a small block allocated
 * with the connection's second segment (a first one has nothing to be
 * compared with: what the next needs of it is kept in the flow, struct
 * tcp_first). Called by the owning worker only.
 */
#ifndef WT_FLOW_TCP_HEALTH_H
#define WT_FLOW_TCP_HEALTH_H

#include "decode/pkt.h"
#include "flow/flow.h"

/* Account a TCP segment sent by side dir (DIR_INIT / DIR_RESP); a round
 * trip at least spike_us over SRTT may be a spike (0: none is). */
void tcp_health_track(struct flow *f, int dir, const struct pkt *p, uint32_t spike_us);
/* Releases what f holds for the analysis; f can be tracked afresh. */
void tcp_health_release(struct flow *f);
/* Whether f's analysis has its block of state (after a second segment). */
bool tcp_health_has_block(const struct flow *f);

#endif

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

/* Account a TCP segment sent by side dir (DIR_INIT / DIR_RESP). */
void tcp_health_track(struct flow *f, int dir, const struct pkt *p);
/* Releases what f holds for the analysis; f can be tracked afresh. */
void tcp_health_release(struct flow *f);
/* Whether f's analysis has its block of state (after a second segment). */
bool tcp_health_has_block(const struct flow *f);

#endif

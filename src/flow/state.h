/* state.h - protocol state machines of a flow, from a passive observer.
 *
 * TCP state is derived from what each side sent (SYN, FIN, RST) and what
 * the other side acknowledged, and shown from one side's perspective: the
 * local side when known, else the initiator. An ordinary active close ends
 * in TIME_WAIT on the closing side; a connection picked up mid-stream is
 * ESTABLISHED. Called by the owning worker only.
 */
#ifndef WT_FLOW_STATE_H
#define WT_FLOW_STATE_H

#include <stdint.h>

#include "base/clock.h"
#include "decode/pkt.h"
#include "flow/flow.h"

enum tcp_state {
	TCP_ST_SYN_SENT,
	TCP_ST_SYN_RECV,
	TCP_ST_ESTABLISHED,
	TCP_ST_FIN_WAIT1,
	TCP_ST_FIN_WAIT2,
	TCP_ST_TIME_WAIT,
	TCP_ST_CLOSE_WAIT,
	TCP_ST_LAST_ACK,
	TCP_ST_CLOSING,
	TCP_ST_CLOSED,
};

enum udp_activity { UDP_ST_ACTIVE, UDP_ST_IDLE, UDP_ST_STALE };

/* Silence after which UDP (and a protocol without states of its own) is
 * shown idle, and past which it is stale (the reference's thresholds:
 * ACTIVE under 30 s, IDLE from 30 to 60 s, STALE beyond). */
#define UDP_IDLE_AFTER_US (30 * US_PER_SEC)
#define UDP_STALE_AFTER_US (60 * US_PER_SEC)

/* Account a TCP segment sent by side dir (DIR_INIT / DIR_RESP). */
void tcp_track(struct flow *f, int dir, const struct pkt *p);
enum tcp_state tcp_state_of(const struct flow *f, int perspective);
const char *tcp_state_name(enum tcp_state s);
/* True once the connection is over: RST, or FIN from both sides. */
bool tcp_is_closed(const struct flow *f);

/* The state word shown in the UI and JSON ("ESTABLISHED", "DNS_QUERY", ...). */
const char *flow_state_name(const struct flow *f, uint64_t now_us);

#endif

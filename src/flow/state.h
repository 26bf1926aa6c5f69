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
/* True once the connection is over: RST, or FIN from both sides. */
bool tcp_is_closed(const struct flow *f);
/* What f's opening and end went through: flow/row.h's ROW_TCP_* bits. */
uint8_t tcp_seen_of(const struct flow *f);

/* A connection's state as a published row holds it: one byte, spelled by
 * flow_state_word. TCP's states come in enum tcp_state's order; an
 * application's own state (meta's enum app_state) is FS_APP + its value. */
enum flow_state {
	FS_NONE,                      /* "" */
	FS_TCP,                       /* FS_TCP + enum tcp_state */
	FS_UDP_ACTIVE = FS_TCP + TCP_ST_CLOSED + 1,
	FS_UDP_IDLE,
	FS_UDP_STALE,
	FS_ECHO_REPLY,
	FS_ECHO_REQUEST,
	FS_DEST_UNREACHABLE,
	FS_TIME_EXCEEDED,
	FS_REDIRECT,
	FS_PARAMETER_PROBLEM,
	FS_TIMESTAMP_REQUEST,
	FS_TIMESTAMP_REPLY,
	FS_PACKET_TOO_BIG,
	FS_ROUTER_SOLICIT,
	FS_ROUTER_ADVERT,
	FS_NEIGHBOR_SOLICIT,
	FS_NEIGHBOR_ADVERT,
	FS_MLD_REPORT,
	FS_ICMP_OTHER,
	FS_MEMBERSHIP_QUERY,
	FS_MEMBERSHIP_REPORT,
	FS_LEAVE_GROUP,
	FS_IGMP_OTHER,
	FS_ARP_REQUEST,
	FS_ARP_REPLY,
	FS_ACTIVE,                    /* any other protocol, by how recently it was heard */
	FS_IDLE,
	FS_STALE,
	FS_APP,                       /* FS_APP + enum app_state */
	FS_COUNT = FS_APP + APP_STATE_COUNT,
};
_Static_assert(FS_COUNT <= 256, "a row holds its state in a byte");

/* The state shown in the UI and JSON, as of now_us. */
enum flow_state flow_state_of(const struct flow *f, uint64_t now_us);
/* Its word ("ESTABLISHED", "DNS_QUERY", ...); "" for FS_NONE or a code
 * out of range. */
const char *flow_state_word(unsigned code);
/* The code of a word (exact spelling); FS_NONE when no state has it. */
enum flow_state flow_state_parse(const char *word);

#endif

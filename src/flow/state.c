#include "flow/state.h"

#include <string.h>

#include "base/macros.h"
#include "flow/row.h"

/* Serial-number comparison (RFC 1982) for 32-bit sequence numbers. */
static bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

static void note_ack(struct flow *f, int dir, uint32_t ack)
{
	struct tcp_side *peer = &f->tcp[!dir];
	if (peer->fin && !peer->fin_acked && seq_geq(ack, f->proto.tcp_fin_seq[!dir]))
		peer->fin_acked = 1;
}

static void note_fin(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_side *me = &f->tcp[dir];
	if (me->fin)
		return;
	me->fin = 1;
	me->fin_first = !f->tcp[!dir].fin;
	f->proto.tcp_fin_seq[dir] = p->seq + p->l4_len + 1 + ((p->tcp_flags & TCP_SYN) ? 1 : 0);
}

void tcp_track(struct flow *f, int dir, const struct pkt *p)
{
	uint8_t fl = p->tcp_flags;
	if (fl & TCP_SYN) {
		f->tcp[dir].syn = 1;
		if ((fl & TCP_ACK) && dir == DIR_RESP)
			f->syn_ack = 1;
	} else if (!f->tcp[DIR_INIT].syn && !f->tcp[DIR_RESP].syn) {
		f->established = 1; /* picked up mid-stream */
	} else if (dir == DIR_INIT && f->syn_ack && (fl & TCP_ACK)) {
		f->established = 1;
	} else if (p->l4_len > 0 && f->syn_ack) {
		f->established = 1;
	}
	if (fl & TCP_ACK)
		note_ack(f, dir, p->ack); /* before FIN: a FIN+ACK acks first */
	if (fl & TCP_FIN)
		note_fin(f, dir, p);
	if (fl & TCP_RST)
		f->rst = 1;
}

bool tcp_is_closed(const struct flow *f)
{
	return f->rst || (f->tcp[0].fin && f->tcp[1].fin);
}

uint8_t tcp_seen_of(const struct flow *f)
{
	return (uint8_t)((f->tcp[DIR_INIT].syn ? ROW_TCP_SYN : 0) | (f->syn_ack ? ROW_TCP_SYN_ACK : 0) |
			 (f->established ? ROW_TCP_ESTABLISHED : 0) | (f->rst ? ROW_TCP_RST : 0) |
			 (f->tcp[0].fin && f->tcp[1].fin ? ROW_TCP_FIN_BOTH : 0));
}

static enum tcp_state opening_state(const struct flow *f, int persp)
{
	if (f->established)
		return TCP_ST_ESTABLISHED;
	if (f->syn_ack)
		return TCP_ST_SYN_RECV;
	if (f->tcp[DIR_INIT].syn)
		return persp == DIR_INIT ? TCP_ST_SYN_SENT : TCP_ST_SYN_RECV;
	return TCP_ST_ESTABLISHED;
}

enum tcp_state tcp_state_of(const struct flow *f, int persp)
{
	const struct tcp_side *me = &f->tcp[persp], *peer = &f->tcp[!persp];
	if (f->rst)
		return TCP_ST_CLOSED;
	if (!me->fin && !peer->fin)
		return opening_state(f, persp);
	if (me->fin && !peer->fin)
		return me->fin_acked ? TCP_ST_FIN_WAIT2 : TCP_ST_FIN_WAIT1;
	if (!me->fin)
		return TCP_ST_CLOSE_WAIT;
	if (me->fin_first)
		return me->fin_acked ? TCP_ST_TIME_WAIT : TCP_ST_CLOSING;
	return me->fin_acked ? TCP_ST_CLOSED : TCP_ST_LAST_ACK;
}

/* Every state's word: the one home of their spelling, beside meta's
 * application states (FS_APP on). */
static const char *const words[FS_APP] = {
	[FS_NONE] = "",
	[FS_TCP + TCP_ST_SYN_SENT] = "SYN_SENT",
	[FS_TCP + TCP_ST_SYN_RECV] = "SYN_RECV",
	[FS_TCP + TCP_ST_ESTABLISHED] = "ESTABLISHED",
	[FS_TCP + TCP_ST_FIN_WAIT1] = "FIN_WAIT1",
	[FS_TCP + TCP_ST_FIN_WAIT2] = "FIN_WAIT2",
	[FS_TCP + TCP_ST_TIME_WAIT] = "TIME_WAIT",
	[FS_TCP + TCP_ST_CLOSE_WAIT] = "CLOSE_WAIT",
	[FS_TCP + TCP_ST_LAST_ACK] = "LAST_ACK",
	[FS_TCP + TCP_ST_CLOSING] = "CLOSING",
	[FS_TCP + TCP_ST_CLOSED] = "CLOSED",
	[FS_UDP_ACTIVE] = "UDP_ACTIVE",
	[FS_UDP_IDLE] = "UDP_IDLE",
	[FS_UDP_STALE] = "UDP_STALE",
	[FS_ECHO_REPLY] = "ECHO_REPLY",
	[FS_ECHO_REQUEST] = "ECHO_REQUEST",
	[FS_DEST_UNREACHABLE] = "DEST_UNREACHABLE",
	[FS_TIME_EXCEEDED] = "TIME_EXCEEDED",
	[FS_REDIRECT] = "REDIRECT",
	[FS_PARAMETER_PROBLEM] = "PARAMETER_PROBLEM",
	[FS_TIMESTAMP_REQUEST] = "TIMESTAMP_REQUEST",
	[FS_TIMESTAMP_REPLY] = "TIMESTAMP_REPLY",
	[FS_PACKET_TOO_BIG] = "PACKET_TOO_BIG",
	[FS_ROUTER_SOLICIT] = "ROUTER_SOLICIT",
	[FS_ROUTER_ADVERT] = "ROUTER_ADVERT",
	[FS_NEIGHBOR_SOLICIT] = "NEIGHBOR_SOLICIT",
	[FS_NEIGHBOR_ADVERT] = "NEIGHBOR_ADVERT",
	[FS_MLD_REPORT] = "MLD_REPORT",
	[FS_ICMP_OTHER] = "ICMP_OTHER",
	[FS_MEMBERSHIP_QUERY] = "MEMBERSHIP_QUERY",
	[FS_MEMBERSHIP_REPORT] = "MEMBERSHIP_REPORT",
	[FS_LEAVE_GROUP] = "LEAVE_GROUP",
	[FS_IGMP_OTHER] = "IGMP_OTHER",
	[FS_ARP_REQUEST] = "ARP_REQUEST",
	[FS_ARP_REPLY] = "ARP_REPLY",
	[FS_ACTIVE] = "ACTIVE",
	[FS_IDLE] = "IDLE",
	[FS_STALE] = "STALE",
};

const char *flow_state_word(unsigned code)
{
	const char *w = NULL;
	if (code < FS_APP)
		w = words[code];
	else if (code < FS_COUNT)
		w = meta_app_state_name((enum app_state)(code - FS_APP));
	return w ? w : "";
}

enum flow_state flow_state_parse(const char *word)
{
	for (unsigned c = FS_NONE + 1; c < FS_COUNT; c++)
		if (strcmp(flow_state_word(c), word) == 0)
			return (enum flow_state)c;
	return FS_NONE;
}

static const struct { uint8_t v6, type, state; } icmp_states[] = {
	{0, 0, FS_ECHO_REPLY},         {0, 8, FS_ECHO_REQUEST},
	{0, 3, FS_DEST_UNREACHABLE},   {0, 11, FS_TIME_EXCEEDED},
	{0, 5, FS_REDIRECT},           {0, 12, FS_PARAMETER_PROBLEM},
	{0, 13, FS_TIMESTAMP_REQUEST}, {0, 14, FS_TIMESTAMP_REPLY},
	{1, 128, FS_ECHO_REQUEST},     {1, 129, FS_ECHO_REPLY},
	{1, 1, FS_DEST_UNREACHABLE},   {1, 2, FS_PACKET_TOO_BIG},
	{1, 3, FS_TIME_EXCEEDED},      {1, 4, FS_PARAMETER_PROBLEM},
	{1, 133, FS_ROUTER_SOLICIT},   {1, 134, FS_ROUTER_ADVERT},
	{1, 135, FS_NEIGHBOR_SOLICIT}, {1, 136, FS_NEIGHBOR_ADVERT},
	{1, 137, FS_REDIRECT},         {1, 143, FS_MLD_REPORT},
};

static enum flow_state icmp_state(const struct flow *f)
{
	for (unsigned i = 0; i < ARRAY_LEN(icmp_states); i++)
		if (icmp_states[i].v6 == (f->key.l4 == L4_ICMPV6) && icmp_states[i].type == f->proto.last.icmp_type)
			return (enum flow_state)icmp_states[i].state;
	return FS_ICMP_OTHER;
}

/* IGMP (RFC 2236, 3376): queries, reports, and a leave, be it v2's Leave
 * Group or a v3 report whose record includes no source any more. */
static enum flow_state igmp_state(const struct flow *f)
{
	switch (f->proto.last.icmp_type) {
	case 0x11:
		return FS_MEMBERSHIP_QUERY;
	case 0x12: /* v1 */
	case 0x16: /* v2 */
		return FS_MEMBERSHIP_REPORT;
	case 0x22: /* v3 */
		return f->proto.last.igmp_leave ? FS_LEAVE_GROUP : FS_MEMBERSHIP_REPORT;
	case 0x17:
		return FS_LEAVE_GROUP;
	default:
		return FS_IGMP_OTHER;
	}
}

static int perspective(const struct flow *f)
{
	return f->local_side == DIR_RESP ? DIR_RESP : DIR_INIT;
}

static enum udp_activity activity(const struct flow *f, uint64_t now_us)
{
	uint64_t idle = now_us > f->last_us ? now_us - f->last_us : 0;
	if (idle < UDP_IDLE_AFTER_US)
		return UDP_ST_ACTIVE;
	return idle <= UDP_STALE_AFTER_US ? UDP_ST_IDLE : UDP_ST_STALE;
}

enum flow_state flow_state_of(const struct flow *f, uint64_t now_us)
{
	unsigned app = f->meta.app_state;
	bool has_app = app != APP_STATE_NONE && app < APP_STATE_COUNT;
	switch (f->key.l4) {
	case L4_TCP: {
		enum tcp_state s = tcp_state_of(f, perspective(f));
		return (s == TCP_ST_ESTABLISHED && has_app) ? FS_APP + app : FS_TCP + s;
	}
	case L4_UDP:
		return has_app ? FS_APP + app : FS_UDP_ACTIVE + activity(f, now_us);
	case L4_ICMP:
	case L4_ICMPV6:
		return icmp_state(f);
	case L4_IGMP:
		return igmp_state(f);
	case L4_ARP:
		return f->proto.last.arp_op == 2 ? FS_ARP_REPLY : FS_ARP_REQUEST;
	default: /* every other protocol: how recently it was heard */
		return FS_ACTIVE + activity(f, now_us);
	}
}

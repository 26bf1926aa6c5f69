#include "flow/state.h"

#include "base/macros.h"

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

static const char *const tcp_names[] = {
	[TCP_ST_SYN_SENT] = "SYN_SENT",     [TCP_ST_SYN_RECV] = "SYN_RECV",
	[TCP_ST_ESTABLISHED] = "ESTABLISHED", [TCP_ST_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_ST_FIN_WAIT2] = "FIN_WAIT2",   [TCP_ST_TIME_WAIT] = "TIME_WAIT",
	[TCP_ST_CLOSE_WAIT] = "CLOSE_WAIT", [TCP_ST_LAST_ACK] = "LAST_ACK",
	[TCP_ST_CLOSING] = "CLOSING",       [TCP_ST_CLOSED] = "CLOSED",
};

const char *tcp_state_name(enum tcp_state s) { return tcp_names[s]; }

static const struct { uint8_t v6, type; const char *name; } icmp_names[] = {
	{0, 0, "ECHO_REPLY"},         {0, 8, "ECHO_REQUEST"},
	{0, 3, "DEST_UNREACHABLE"},   {0, 11, "TIME_EXCEEDED"},
	{0, 5, "REDIRECT"},           {0, 12, "PARAMETER_PROBLEM"},
	{0, 13, "TIMESTAMP_REQUEST"}, {0, 14, "TIMESTAMP_REPLY"},
	{1, 128, "ECHO_REQUEST"},     {1, 129, "ECHO_REPLY"},
	{1, 1, "DEST_UNREACHABLE"},   {1, 2, "PACKET_TOO_BIG"},
	{1, 3, "TIME_EXCEEDED"},      {1, 4, "PARAMETER_PROBLEM"},
	{1, 133, "ROUTER_SOLICIT"},   {1, 134, "ROUTER_ADVERT"},
	{1, 135, "NEIGHBOR_SOLICIT"}, {1, 136, "NEIGHBOR_ADVERT"},
	{1, 137, "REDIRECT"},         {1, 143, "MLD_REPORT"},
};

static const char *icmp_state_name(const struct flow *f)
{
	for (unsigned i = 0; i < ARRAY_LEN(icmp_names); i++)
		if (icmp_names[i].v6 == (f->key.l4 == L4_ICMPV6) && icmp_names[i].type == f->proto.last.icmp_type)
			return icmp_names[i].name;
	return "ICMP_OTHER";
}

/* IGMP (RFC 2236, 3376): queries, reports, and a leave, be it v2's Leave
 * Group or a v3 report whose record includes no source any more. */
static const char *igmp_state_name(const struct flow *f)
{
	switch (f->proto.last.icmp_type) {
	case 0x11:
		return "MEMBERSHIP_QUERY";
	case 0x12: /* v1 */
	case 0x16: /* v2 */
		return "MEMBERSHIP_REPORT";
	case 0x22: /* v3 */
		return f->proto.last.igmp_leave ? "LEAVE_GROUP" : "MEMBERSHIP_REPORT";
	case 0x17:
		return "LEAVE_GROUP";
	default:
		return "IGMP_OTHER";
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

const char *flow_state_name(const struct flow *f, uint64_t now_us)
{
	const char *app = meta_app_state_name(f->meta.app_state);
	switch (f->key.l4) {
	case L4_TCP: {
		enum tcp_state s = tcp_state_of(f, perspective(f));
		return (s == TCP_ST_ESTABLISHED && app) ? app : tcp_state_name(s);
	}
	case L4_UDP: {
		static const char *const udp[] = { "UDP_ACTIVE", "UDP_IDLE", "UDP_STALE" };
		return app ? app : udp[activity(f, now_us)];
	}
	case L4_ICMP:
	case L4_ICMPV6:
		return icmp_state_name(f);
	case L4_IGMP:
		return igmp_state_name(f);
	case L4_ARP:
		return f->proto.last.arp_op == 2 ? "ARP_REPLY" : "ARP_REQUEST";
	default: { /* every other protocol: how recently it was heard */
		static const char *const other[] = { "ACTIVE", "IDLE", "STALE" };
		return other[activity(f, now_us)];
	}
	}
}

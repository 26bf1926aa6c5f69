/* Connection tracking driven packet by packet: directions fold into one
 * flow, idle flows retire on their timeouts, the cap evicts, a reused
 * 5-tuple starts a new connection, and the counters (created, retired,
 * evicted, peak tracked at once) say what happened. */
#include <stdio.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/strpool.h"
#include "check.h"
#include "decode/decode.h"
#include "flow/macs.h"
#include "flow/state.h"
#include "flow/tracker.h"

#define SEC 1000000ull

/* What the sink was told, in order. */
struct seen {
	int n;
	enum retire_reason why[16];
	uint16_t sport[16];
	uint64_t packets[16]; /* both directions */
	struct conn_row row[16];     /* its meta only borrowed: gone after the call */
	uint64_t icmp_errors[16], icmp_error[16];
	char icmp_error_from[16][48];
	const struct tracker *tracker;
};

static void on_retired(void *opaque, const struct flow *f, uint64_t now_us, enum retire_reason why)
{
	struct seen *s = opaque;
	if (s->n >= 16)
		return;
	s->why[s->n] = why;
	s->sport[s->n] = f->init_is_b ? f->key.pb : f->key.pa;
	s->packets[s->n] = f->packets[DIR_INIT] + f->packets[DIR_RESP];
	tracker_fill_row(s->tracker, f, &s->row[s->n], now_us, true);
	meta_num(&f->meta, META_ICMP_ERRORS, &s->icmp_errors[s->n]);
	meta_num(&f->meta, META_ICMP_ERROR, &s->icmp_error[s->n]);
	const char *from = meta_str(&f->meta, META_ICMP_ERROR_FROM);
	snprintf(s->icmp_error_from[s->n], sizeof s->icmp_error_from[s->n], "%s", from ? from : "");
	s->n++;
}

static struct tracker *tracker_for_test(uint32_t max_flows, struct seen *s)
{
	struct tracker_opts o;
	memset(&o, 0, sizeof o);
	timeouts_default(&o.timeouts);
	o.max_flows = max_flows;
	o.no_dpi = true;
	struct tracker_sink sink = { on_retired, NULL, s };
	struct tracker *t = tracker_new(&o, &sink);
	s->tracker = t;
	return t;
}

/* 10.0.0.1:sport <-> 192.0.2.1:dport, or the reverse with `reply`. */
static struct pkt udp_packet(uint64_t ts, uint16_t sport, uint16_t dport, bool reply)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.ts_us = ts;
	p.wirelen = p.caplen = 100;
	p.family = 4;
	p.l4 = L4_UDP;
	const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 192, 0, 2, 1 };
	memcpy(p.src, reply ? b : a, 4);
	memcpy(p.dst, reply ? a : b, 4);
	p.sport = reply ? dport : sport;
	p.dport = reply ? sport : dport;
	return p;
}

static struct pkt tcp_packet(uint64_t ts, uint16_t sport, bool reply, uint8_t flags, uint32_t seq)
{
	struct pkt p = udp_packet(ts, sport, 80, reply);
	p.l4 = L4_TCP;
	p.tcp_flags = flags;
	p.seq = seq;
	return p;
}

static void feed(struct tracker *t, struct pkt p)
{
	tracker_packet(t, &p, DECODE_OK, NULL);
}

static void test_both_directions_are_one_flow(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, udp_packet(1 * SEC, 5000, 53, false));
	feed(t, udp_packet(1 * SEC + 10, 5000, 53, true));
	feed(t, udp_packet(1 * SEC + 20, 5000, 53, false));
	CHECK_INT(tracker_count(t), 1);
	tracker_flush(t, 2 * SEC);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.why[0], RETIRE_END);
	CHECK_INT(s.sport[0], 5000);
	CHECK_INT(s.packets[0], 3);
	CHECK_INT(tracker_count(t), 0);
	tracker_free(t);
}

static void test_idle_flows_retire_and_the_peak_remains(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	struct timeouts to;
	timeouts_default(&to);
	uint64_t udp_idle = (uint64_t)to.sec[TO_UDP] * SEC;
	feed(t, udp_packet(1 * SEC, 6001, 9999, false));
	feed(t, udp_packet(1 * SEC, 6002, 9999, false));
	feed(t, udp_packet(1 * SEC, 6003, 9999, false));
	CHECK_INT(tracker_count(t), 3);
	/* only the third keeps talking */
	feed(t, udp_packet(1 * SEC + udp_idle / 2, 6003, 9999, false));
	tracker_tick(t, 1 * SEC + udp_idle + 2 * SEC);
	CHECK_INT(tracker_count(t), 1);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.why[0], RETIRE_TIMEOUT);
	CHECK_INT(s.why[1], RETIRE_TIMEOUT);
	feed(t, udp_packet(1 * SEC + udp_idle + 3 * SEC, 6004, 9999, false));
	const struct tracker_stats *st = tracker_stats(t);
	CHECK_INT(st->flows_created, 4);
	CHECK_INT(st->flows_retired, 2);
	CHECK_INT(st->flows_peak, 3);
	CHECK_INT(tracker_count(t), 2);
	tracker_free(t);
}

static void test_the_cap_evicts_one_flow_per_new_one(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(2, &s);
	for (uint16_t port = 7001; port <= 7005; port++)
		feed(t, udp_packet(port * 10ull, port, 9999, false));
	const struct tracker_stats *st = tracker_stats(t);
	CHECK_INT(tracker_count(t), 2);
	CHECK_INT(st->flows_created, 5);
	CHECK_INT(st->flows_evicted, 3);
	CHECK_INT(st->flows_peak, 2);
	CHECK_INT(s.n, 3);
	for (int i = 0; i < s.n; i++)
		CHECK_INT(s.why[i], RETIRE_EVICTED);
	tracker_free(t);
}

static void test_a_new_syn_on_a_closed_tuple_is_a_new_connection(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, tcp_packet(1 * SEC, 40000, false, TCP_SYN, 100));
	feed(t, tcp_packet(1 * SEC + 1, 40000, true, TCP_SYN | TCP_ACK, 500));
	feed(t, tcp_packet(1 * SEC + 2, 40000, false, TCP_ACK, 101));
	feed(t, tcp_packet(1 * SEC + 3, 40000, false, TCP_RST, 101));
	CHECK_INT(tracker_count(t), 1);
	feed(t, tcp_packet(2 * SEC, 40000, false, TCP_SYN, 9000));
	CHECK_INT(s.n, 1);
	CHECK_INT(s.why[0], RETIRE_REUSED);
	CHECK_INT(s.packets[0], 4);
	CHECK_INT(tracker_count(t), 1);
	CHECK_INT(tracker_stats(t)->flows_created, 2);
	CHECK_INT(tracker_stats(t)->flows_peak, 1);
	tracker_free(t);
}

/* The state word of the only tracked flow, as a published row says it. */
static void state_at(struct tracker *t, uint64_t now_us, char *out, size_t cap)
{
	struct snapshot *s = snapshot_new(4);
	tracker_rows(t, s, now_us);
	snprintf(out, cap, "%s", s->n == 1 ? row_state_word(&s->rows[0]) : "(none)");
	snapshot_free(s);
}

static void test_udp_activity_uses_the_reference_thresholds(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	char st[32];
	feed(t, udp_packet(1 * SEC, 6100, 7777, false));
	state_at(t, 1 * SEC + 29 * SEC + 999999, st, sizeof st);
	CHECK_STR(st, "UDP_ACTIVE");
	state_at(t, 1 * SEC + 30 * SEC, st, sizeof st);
	CHECK_STR(st, "UDP_IDLE");
	state_at(t, 1 * SEC + 60 * SEC, st, sizeof st);
	CHECK_STR(st, "UDP_IDLE");
	state_at(t, 1 * SEC + 60 * SEC + 1, st, sizeof st);
	CHECK_STR(st, "UDP_STALE");
	tracker_free(t);
}

/* A closed connection goes within a quarter second of its deadline, not
 * at the next whole second: live records follow the close closely. */
static void test_retired_within_a_quarter_second_of_the_deadline(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	struct timeouts to;
	timeouts_default(&to);
	uint64_t closed_at = 1 * SEC + 300000, deadline = closed_at + to.sec[TO_TCP_CLOSED] * SEC;
	feed(t, tcp_packet(1 * SEC, 41000, false, TCP_SYN, 100));
	feed(t, tcp_packet(closed_at, 41000, false, TCP_RST, 101));
	tracker_tick(t, deadline - 100000);
	CHECK_INT(s.n, 0);
	tracker_tick(t, deadline + 250000);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.why[0], RETIRE_TIMEOUT);
	tracker_free(t);
}

/* A packet of IP protocol proto, 10.0.0.1 -> 192.0.2.1 (or back). */
static struct pkt ip_packet(uint64_t ts, uint16_t proto, bool reply)
{
	struct pkt p = udp_packet(ts, 0, 0, reply);
	p.l4 = proto;
	return p;
}

static struct pkt with_xid(struct pkt p, uint32_t xid, bool has)
{
	p.xid = xid;
	p.has_xid = has;
	return p;
}

static void test_every_ip_protocol_is_keyed_sensibly(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	/* OSPF: the address pair, both directions */
	feed(t, ip_packet(1 * SEC, 89, false));
	feed(t, ip_packet(1 * SEC, 89, true));
	/* ESP: one connection per SPI (each direction has its own SA) */
	feed(t, with_xid(ip_packet(1 * SEC, L4_ESP, false), 0x1001, true));
	feed(t, with_xid(ip_packet(1 * SEC, L4_ESP, true), 0x2002, true));
	feed(t, with_xid(ip_packet(1 * SEC, L4_ESP, false), 0x1001, true));
	/* GRE: by key when there is one; a keyless tunnel is another */
	feed(t, with_xid(ip_packet(1 * SEC, L4_GRE, false), 7, true));
	feed(t, with_xid(ip_packet(1 * SEC, L4_GRE, true), 7, true));
	feed(t, with_xid(ip_packet(1 * SEC, L4_GRE, false), 0, false));
	CHECK_INT(tracker_count(t), 5);
	tracker_flush(t, 2 * SEC);
	CHECK_INT(s.n, 5);
	uint64_t ospf = 0, esp = 0, gre = 0;
	for (int i = 0; i < s.n; i++) {
		const struct conn_row *r = &s.row[i];
		CHECK_INT(r->sport, 0);
		CHECK_STR(row_state_word(r), "ACTIVE");
		if (r->l4 == 89)
			ospf += r->src_packets * 10 + r->dst_packets;
		else if (r->l4 == L4_ESP)
			esp += r->src_packets + r->dst_packets;
		else if (r->l4 == L4_GRE)
			gre += r->src_packets * 10 + r->dst_packets;
	}
	CHECK_INT(ospf, 11);
	CHECK_INT(esp, 3);
	CHECK_INT(gre, 11 + 10);
	tracker_free(t);
}

static struct pkt igmp_packet(uint64_t ts, uint8_t type, uint8_t leave, uint32_t group)
{
	struct pkt p = ip_packet(ts, L4_IGMP, false);
	p.icmp_type = type;
	p.icmp_code = leave;
	p.igmp_group = group;
	return p;
}

static const char *igmp_state_after(struct pkt p)
{
	static struct seen s;
	memset(&s, 0, sizeof s);
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, p);
	tracker_flush(t, p.ts_us);
	tracker_free(t);
	return s.n == 1 ? flow_state_word(s.row[0].state) : "none";
}

static void test_igmp_states(void)
{
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x11, 0, 0)), "MEMBERSHIP_QUERY");
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x16, 0, 0xef010101)), "MEMBERSHIP_REPORT");
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x12, 0, 0xef010101)), "MEMBERSHIP_REPORT");
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x17, 0, 0xef010101)), "LEAVE_GROUP");
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x22, 0, 0xef010101)), "MEMBERSHIP_REPORT");
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x22, 1, 0xef010101)), "LEAVE_GROUP");
	CHECK_STR(igmp_state_after(igmp_packet(SEC, 0x30, 0, 0)), "IGMP_OTHER");
}

/* Every frame lands in a row or in the unparsed count. */
static void test_frames_in_no_row_are_counted_unparsed(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	struct pkt p = udp_packet(SEC, 1, 2, false);
	tracker_packet(t, &p, DECODE_OK, NULL);
	tracker_packet(t, &p, DECODE_NOT_IP, NULL);
	tracker_packet(t, &p, DECODE_TRUNCATED, NULL);
	tracker_packet(t, &p, DECODE_INVALID, NULL);
	const struct tracker_stats *st = tracker_stats(t);
	CHECK_INT(st->packets, 4);
	CHECK_INT(st->tracked_packets, 1);
	CHECK_INT(tracker_unparsed(st), 3);
	tracker_free(t);
}

/* A fragment of a UDP datagram 10.0.0.1:5000 -> 192.0.2.1:53 whose IP
 * payload is dgram[0, len). */
static struct pkt udp_fragment(const uint8_t *dgram, uint16_t id, uint32_t off, uint32_t n,
			       bool more, uint64_t ts)
{
	struct pkt p = udp_packet(ts, 0, 0, false);
	p.wirelen = n + 34;
	p.frag_id = id;
	p.frag_off = (uint16_t)off;
	p.frag_more = more;
	p.payload = dgram + off;
	p.payload_len = p.l4_len = n;
	return p;
}

static void test_fragments_count_to_their_datagrams_flow(void)
{
	uint8_t dgram[40] = { 0x13, 0x88, 0, 53, 0, 40 }; /* UDP 5000 -> 53, length 40 */
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	/* in reverse order: the flow exists once the datagram is whole */
	struct pkt last = udp_fragment(dgram, 1, 32, 8, false, 1 * SEC);
	struct pkt mid = udp_fragment(dgram, 1, 16, 16, true, 1 * SEC + 1);
	struct pkt first = udp_fragment(dgram, 1, 0, 16, true, 1 * SEC + 2);
	tracker_packet(t, &last, DECODE_FRAGMENT, NULL);
	tracker_packet(t, &mid, DECODE_FRAGMENT, NULL);
	CHECK_INT(tracker_count(t), 0);
	tracker_packet(t, &first, DECODE_FRAGMENT, NULL);
	CHECK_INT(tracker_count(t), 1);
	/* an overlap discards its datagram; an incomplete one waits */
	struct pkt a = udp_fragment(dgram, 2, 0, 24, true, 2 * SEC);
	struct pkt b = udp_fragment(dgram, 2, 16, 24, false, 2 * SEC);
	struct pkt c = udp_fragment(dgram, 3, 0, 16, true, 2 * SEC);
	tracker_packet(t, &a, DECODE_FRAGMENT, NULL);
	tracker_packet(t, &b, DECODE_FRAGMENT, NULL);
	tracker_packet(t, &c, DECODE_FRAGMENT, NULL);
	const struct tracker_stats *st = tracker_stats(t);
	CHECK_INT(st->packets, 6);
	CHECK_INT(st->tracked_packets, 3);
	CHECK_INT(tracker_unparsed(st), 2);
	tracker_flush(t, 3 * SEC); /* the one still waiting never will be whole */
	CHECK_INT(tracker_unparsed(st), 3);
	CHECK_INT(st->tracked_packets + tracker_unparsed(st), st->packets);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.row[0].l4, L4_UDP);
	CHECK_INT(s.row[0].sport, 5000);
	CHECK_INT(s.row[0].dport, 53);
	CHECK_INT(s.row[0].src_packets, 3);
	CHECK_INT(s.row[0].src_bytes, 40 + 3 * 34);
	CHECK_INT(s.row[0].first_seen_us, 1 * SEC); /* when its first fragment came */
	CHECK_INT(s.row[0].last_seen_us, 1 * SEC + 2);
	tracker_free(t);
}

/* The first row of a fresh publish at now_us. */
static struct conn_row rates_at(struct tracker *t, uint64_t now_us)
{
	struct snapshot *s = snapshot_new(4);
	tracker_rows(t, s, now_us);
	struct conn_row r = s->rows[0];
	meta_init(&r.meta); /* the copy's strings go with the snapshot */
	snapshot_free(s);
	return r;
}

/* Rates are the bytes of the window since the previous publish over its
 * length, exactly, and zero as soon as a whole window passes in silence:
 * no decay that never reaches zero, nothing kept per sample. */
static void test_rates_cover_one_window_and_fall_to_zero(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, udp_packet(10 * SEC, 6200, 7777, false)); /* 100 bytes each way */
	feed(t, udp_packet(10 * SEC + 1, 6200, 7777, true));
	rates_at(t, 10 * SEC + 500000);                   /* the window starts */
	for (int i = 0; i < 10; i++)
		feed(t, udp_packet(10 * SEC + 600000 + i * 10000, 6200, 7777, false));
	struct conn_row r = rates_at(t, 11 * SEC + 500000);
	CHECK(r.src_rate == 1000.0);                      /* 10 x 100 bytes in 1 s */
	CHECK(r.dst_rate == 0.0);
	r = rates_at(t, 12 * SEC + 500000);               /* a silent window */
	CHECK(r.src_rate == 0.0 && r.dst_rate == 0.0);
	/* a packet of the silent past, counted late, leaves the rate at zero */
	feed(t, udp_packet(12 * SEC + 400000, 6200, 7777, false));
	r = rates_at(t, 13 * SEC + 500000);
	CHECK(r.src_rate == 0.0);
	feed(t, udp_packet(13 * SEC + 700000, 6200, 7777, false));
	r = rates_at(t, 14 * SEC);                        /* half a second, 100 bytes */
	CHECK(r.src_rate == 200.0);
	tracker_free(t);
}

/* The row of a fresh publish with this port at either end. */
static bool row_of_port(struct tracker *t, uint16_t port, struct conn_row *out)
{
	struct snapshot *s = snapshot_new(4);
	bool found = false;
	tracker_rows(t, s, 20 * SEC);
	for (uint32_t i = 0; i < s->n && !found; i++)
		if (s->rows[i].sport == port || s->rows[i].dport == port) {
			*out = s->rows[i];
			meta_init(&out->meta);
			found = true;
		}
	snapshot_free(s);
	return found;
}

/* A connection whose remote end is a default gateway is marked when it
 * begins (either end when neither is local), never for a gateway at its
 * local end, and keeps its mark when the gateways change. */
static void test_connections_to_a_gateway_are_marked(void)
{
	static const uint8_t local[1][16] = { { 10, 0, 0, 1 } };
	static const uint8_t gw[1][16] = { { 192, 0, 2, 1 } };
	static const uint8_t gw_is_local[1][16] = { { 10, 0, 0, 1 } };
	struct seen s = { 0 };
	struct conn_row r;
	struct tracker *t = tracker_for_test(0, &s);
	tracker_set_locals(t, (struct local_addrs){ 1, local, 1, gw });
	feed(t, udp_packet(10 * SEC, 6300, 53, false));        /* 10.0.0.1 -> gateway */
	tracker_set_locals(t, (struct local_addrs){ 0, NULL, 1, gw });
	feed(t, udp_packet(10 * SEC, 6301, 53, true));         /* gateway -> 10.0.0.1, no local */
	tracker_set_locals(t, (struct local_addrs){ 1, local, 1, gw_is_local });
	feed(t, udp_packet(10 * SEC, 6302, 53, false));        /* the local end is no gateway */
	tracker_set_locals(t, (struct local_addrs){ 1, local, 0, NULL });
	feed(t, udp_packet(10 * SEC, 6303, 53, false));        /* no gateway any more */
	CHECK(row_of_port(t, 6300, &r) && r.gateway);
	CHECK(row_of_port(t, 6301, &r) && r.gateway);
	CHECK(row_of_port(t, 6302, &r) && !r.gateway);
	CHECK(row_of_port(t, 6303, &r) && !r.gateway);
	tracker_free(t);
}

/* The local MAC of the row with this port at either end, as text ("" none). */
static void local_mac_of_port(struct tracker *t, uint16_t port, char out[MAC_TEXT_MAX])
{
	struct snapshot *s = snapshot_new(4);
	tracker_rows(t, s, 20 * SEC);
	out[0] = '\0';
	for (uint32_t i = 0; i < s->n; i++) {
		const char *mac = row_lan(&s->rows[i], ROW_LAN_LOCAL_MAC);
		if ((s->rows[i].sport == port || s->rows[i].dport == port) && mac)
			snprintf(out, MAC_TEXT_MAX, "%s", mac);
	}
	snapshot_free(s);
}

/* A packet of udp_packet's in an Ethernet frame from src to dst. */
static void feed_eth(struct tracker *t, struct pkt p, const uint8_t dst[6], const uint8_t src[6])
{
	uint8_t eth[12];
	memcpy(eth, dst, 6);
	memcpy(eth + 6, src, 6);
	p.eth = eth;
	feed(t, p);
}

/* The local end's MAC comes from the connection's own frames: the
 * source of what it sent, the destination of what it received unless
 * that is broadcast or multicast; the first one found stays. Reading a
 * file the initiator is the local end. No Ethernet, or ARP: none. */
static void test_the_local_mac_comes_from_the_frames(void)
{
	static const uint8_t local[1][16] = { { 10, 0, 0, 1 } };
	static const uint8_t mine[6] = { 0x3c, 0x22, 0xfb, 1, 2, 3 }, router[6] = { 0, 0, 0x0c, 1, 2, 3 };
	static const uint8_t other[6] = { 0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc };
	static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 0xfb }, bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct seen s = { 0 };
	char mac[MAC_TEXT_MAX];
	struct tracker *t = tracker_for_test(0, &s);
	/* no local addresses: the initiator's frames */
	feed_eth(t, udp_packet(1 * SEC, 7000, 53, false), router, mine);
	feed_eth(t, udp_packet(1 * SEC, 7000, 53, true), mine, other);
	local_mac_of_port(t, 7000, mac);
	CHECK_STR(mac, "3c:22:fb:01:02:03");
	/* 10.0.0.1 is local and answers: a unicast frame to it names it */
	tracker_set_locals(t, (struct local_addrs){ 1, local, 0, NULL });
	feed_eth(t, udp_packet(2 * SEC, 7001, 53, true), mine, router);
	local_mac_of_port(t, 7001, mac);
	CHECK_STR(mac, "3c:22:fb:01:02:03");
	/* a group address names no one: the local end's own frame does */
	feed_eth(t, udp_packet(3 * SEC, 7002, 53, true), mcast, router);
	local_mac_of_port(t, 7002, mac);
	CHECK_STR(mac, "");
	feed_eth(t, udp_packet(3 * SEC, 7002, 53, true), bcast, router);
	feed_eth(t, udp_packet(3 * SEC, 7002, 53, false), router, mine);
	feed_eth(t, udp_packet(3 * SEC, 7002, 53, false), router, other); /* the first stays */
	local_mac_of_port(t, 7002, mac);
	CHECK_STR(mac, "3c:22:fb:01:02:03");
	/* no Ethernet header (a cooked or raw IP capture) */
	feed(t, udp_packet(4 * SEC, 7003, 53, false));
	local_mac_of_port(t, 7003, mac);
	CHECK_STR(mac, "");
	/* ARP's records carry their own addresses */
	struct pkt arp = udp_packet(5 * SEC, 0, 0, false);
	arp.l4 = L4_ARP;
	feed_eth(t, arp, bcast, mine);
	local_mac_of_port(t, 0, mac);
	CHECK_STR(mac, "");
	tracker_free(t);
}

/* Each address is held once, by one number; a full set gives MACS_NONE
 * for new ones and still knows those it holds. */
static void test_the_mac_set_is_bounded(void)
{
	struct macs *m = macs_new();
	uint8_t mac[6] = { 0 };
	CHECK(macs_row_lan(m, 0) == NULL);
	uint32_t numbered = 0;
	for (uint32_t i = 0; i < MACS_MAX; i++) {
		mac[3] = (uint8_t)(i >> 16), mac[4] = (uint8_t)(i >> 8), mac[5] = (uint8_t)i;
		numbered += macs_intern(m, mac) == i + 1;
	}
	CHECK_INT(numbered, MACS_MAX);
	mac[3] = 0, mac[4] = 0, mac[5] = 7;
	CHECK_INT(macs_intern(m, mac), 8);
	mac[3] = 1;
	CHECK_INT(macs_intern(m, mac), MACS_NONE);
	CHECK(macs_row_lan(m, MACS_NONE) == NULL);
	const char *lan = macs_row_lan(m, 8);
	CHECK_STR(strpool_part(lan, ROW_LAN_LOCAL_MAC), "00:00:00:00:00:07");
	CHECK(strpool_part(lan, ROW_LAN_REMOTE_MAC) == NULL);
	macs_free(m);
	CHECK_STR(strpool_part(lan, ROW_LAN_LOCAL_MAC), "00:00:00:00:00:07"); /* held past the set */
	strpool_put(lan);
}

/* Ethernet / IPv4 VTEP .1 <-> .2 / UDP oport -> 4789 / VXLAN vni /
 * Ethernet / IPv4 10.9.0.1:40000 -> 10.9.0.2:443 TCP (or the reverse). */
static size_t vxlan_frame(uint8_t *b, uint32_t vni, uint16_t oport, bool reply, uint8_t flags)
{
	static const uint8_t eth[14] = { [12] = 0x08, [13] = 0x00 };
	uint8_t vtep_a[4] = { 192, 0, 2, 1 }, vtep_b[4] = { 192, 0, 2, 2 };
	uint8_t host_a[4] = { 10, 9, 0, 1 }, host_b[4] = { 10, 9, 0, 2 };
	size_t n = 0;
	memcpy(b + n, eth, 14), n += 14;
	uint8_t oip[20] = { 0x45, 0, 0, 20 + 8 + 8 + 14 + 40, 0, 0, 0, 0, 64, 17 };
	memcpy(oip + 12, reply ? vtep_b : vtep_a, 4);
	memcpy(oip + 16, reply ? vtep_a : vtep_b, 4);
	memcpy(b + n, oip, 20), n += 20;
	uint8_t udp[8] = { (uint8_t)(oport >> 8), (uint8_t)oport, 0x12, 0xb5, 0, 8 + 8 + 14 + 40 };
	memcpy(b + n, udp, 8), n += 8;
	uint8_t vx[8] = { 0x08, 0, 0, 0, (uint8_t)(vni >> 16), (uint8_t)(vni >> 8), (uint8_t)vni };
	memcpy(b + n, vx, 8), n += 8;
	memcpy(b + n, eth, 14), n += 14;
	uint8_t iip[20] = { 0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6 };
	memcpy(iip + 12, reply ? host_b : host_a, 4);
	memcpy(iip + 16, reply ? host_a : host_b, 4);
	memcpy(b + n, iip, 20), n += 20;
	uint8_t tcp[20] = { 0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags };
	if (reply) {
		tcp[0] = 0x01, tcp[1] = 0xbb, tcp[2] = 0x9c, tcp[3] = 0x40;
	}
	memcpy(b + n, tcp, 20), n += 20;
	return n;
}

static void feed_frame(struct tracker *t, const uint8_t *b, size_t n, uint64_t ts)
{
	struct pkt p;
	p.ts_us = ts;
	p.wirelen = p.caplen = (uint32_t)n;
	enum decode_verdict v = decode_frame(LINK_ETHERNET, b, (uint32_t)n, &p);
	tracker_packet(t, &p, v, NULL);
}

static const struct conn_row *row_with(const struct seen *s, uint16_t l4, uint32_t vni)
{
	for (int i = 0; i < s->n; i++)
		if (s->row[i].l4 == l4 && (!vni || (s->row[i].tunnel && s->row[i].tunnel->id == vni)))
			return &s->row[i];
	return NULL;
}

static void test_tunnels_inner_connections(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	uint8_t b[256];
	/* a handshake in VNI 42: each way its own outer UDP source port */
	feed_frame(t, b, vxlan_frame(b, 42, 50000, false, TCP_SYN), 1 * SEC);
	feed_frame(t, b, vxlan_frame(b, 42, 50001, true, TCP_SYN | TCP_ACK), 1 * SEC + 1);
	feed_frame(t, b, vxlan_frame(b, 42, 50000, false, TCP_ACK), 1 * SEC + 2);
	/* the same inner 5-tuple in VNI 43: another tenant, another connection */
	size_t n = vxlan_frame(b, 43, 50002, false, TCP_SYN);
	feed_frame(t, b, n, 1 * SEC + 3);
	CHECK_INT(tracker_count(t), 2 + 1 + 2); /* outer UDP x3, inner TCP x2 */
	CHECK_INT(tracker_tunnel_count(t), 2);
	CHECK_INT(tracker_stats(t)->tracked_packets, 4); /* frames, each once */
	tracker_flush(t, 2 * SEC);
	CHECK_INT(tracker_tunnel_count(t), 0);
	const struct conn_row *r = row_with(&s, L4_TCP, 42);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(r->src_packets, 2);
		CHECK_INT(r->dst_packets, 1);
		CHECK_INT(r->src_bytes, 2 * n);
		CHECK_INT(r->sport, 40000);
		CHECK_STR(row_state_word(r), "ESTABLISHED");
		CHECK(r->tunnel && r->tunnel->type == TUNNEL_VXLAN);
		CHECK(r->tunnel && r->tunnel->src[3] == 1); /* the initiator's VTEP */
		CHECK(r->tunnel && r->tunnel->dst[3] == 2);
	}
	r = row_with(&s, L4_TCP, 43);
	CHECK(r && r->src_packets == 1 && r->tunnel && r->tunnel->id == 43);
	r = row_with(&s, L4_UDP, 0);
	CHECK(r && r->tunnel == NULL && r->dport == 4789);
	tracker_free(t);
	for (int i = 0; i < s.n; i++)
		row_fini_borrowed(&s.row[i]);
}

static void push_named(struct snapshot *s, const char *sni)
{
	struct conn_row *r = snapshot_push(s);
	meta_set_str(&r->meta, META_SNI, (const uint8_t *)sni, strlen(sni));
}

/* A renewed snapshot is empty and has room for what was asked; it takes
 * over the row array only when nobody else holds the old one, and lets a
 * far larger one go. The rows' strings are freed either way (ASan). */
static void test_a_renewed_snapshot_reuses_its_rows_only_when_free(void)
{
	struct snapshot *s = snapshot_new(1000);
	push_named(s, "a.example");
	struct conn_row *array = s->rows;
	s = snapshot_renew(s, 900);
	CHECK(s->rows == array && s->n == 0 && s->cap >= 900);
	CHECK(s->packets == 0 && !s->late && !s->shared);

	push_named(s, "b.example");
	struct snapshot *view = snapshot_share(s);
	struct snapshot *next = snapshot_renew(s, 900);
	CHECK(next->rows != array && next->n == 0);
	CHECK_STR(meta_str(&view->rows[0].meta, META_SNI), "b.example"); /* still the reader's */
	snapshot_free(view);

	push_named(next, "c.example");
	struct snapshot *small = snapshot_renew(next, 100);
	CHECK(small->cap < 900 && small->n == 0);
	snapshot_free(small);
}

/* An ICMP port unreachable (type 3 code 3) from `from` to 10.0.0.1,
 * quoting its UDP datagram to 192.0.2.1:53 from sport: the unused word,
 * the IPv4 header and the UDP header (RFC 792). */
static struct pkt icmp_error_packet(uint64_t ts, const uint8_t from[4], uint16_t sport,
				    uint8_t quote[36])
{
	const uint8_t q[36] = { 0, 0, 0, 0, 0x45, 0, 0, 28, 0, 1, 0, 0, 64, L4_UDP, 0, 0,
				10, 0, 0, 1, 192, 0, 2, 1, (uint8_t)(sport >> 8), (uint8_t)sport,
				0, 53, 0, 8, 0, 0 };
	memcpy(quote, q, sizeof q);
	struct pkt p = udp_packet(ts, 0, 0, true);
	p.l4 = L4_ICMP;
	p.sport = p.dport = 0;
	memcpy(p.src, from, 4);
	p.icmp_type = 3;
	p.icmp_code = 3;
	p.payload = quote;
	p.payload_len = p.l4_len = 32;
	return p;
}

/* An error is noted on the connection it quotes, not counted there: its
 * own ICMP exchange counts it. From another tracker (the quoted
 * connection's shard), only the note; a quote of a connection never seen
 * changes nothing. */
static void test_icmp_errors_are_noted_on_the_quoted_connection(void)
{
	const uint8_t peer[4] = { 192, 0, 2, 1 }, router[4] = { 198, 51, 100, 1 };
	uint8_t qb[36];
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, udp_packet(1 * SEC, 5000, 53, false));
	feed(t, icmp_error_packet(1 * SEC + 10, peer, 5000, qb));
	feed(t, icmp_error_packet(1 * SEC + 20, router, 5000, qb));
	feed(t, icmp_error_packet(1 * SEC + 30, peer, 5001, qb)); /* no such connection */
	CHECK_INT(tracker_count(t), 3);
	tracker_flush(t, 2 * SEC);
	CHECK_INT(s.n, 3);
	for (int i = 0; i < s.n; i++) {
		const struct conn_row *r = &s.row[i];
		if (r->l4 == L4_UDP) {
			CHECK_INT(r->src_packets + r->dst_packets, 1);
			CHECK_INT(s.icmp_errors[i], 2);
			struct meta_icmp_error e = meta_icmp_error_unpack(s.icmp_error[i]);
			CHECK_INT(e.type, 3);
			CHECK_INT(e.code, 3);
			CHECK_INT(e.mtu, 0);
			CHECK(!e.by_responder);
			CHECK_STR(s.icmp_error_from[i], "192.0.2.1");
		} else {
			CHECK_INT(r->l4, L4_ICMP);
			CHECK_INT(s.icmp_errors[i], 0);
		}
	}
	tracker_free(t);

	struct seen s2 = { 0 };
	t = tracker_for_test(0, &s2);
	feed(t, udp_packet(1 * SEC, 5000, 53, false));
	struct pkt e = icmp_error_packet(1 * SEC + 10, router, 5000, qb);
	tracker_note_quote(t, &e, DECODE_OK);
	tracker_note_quote(t, &e, DECODE_TRUNCATED);
	CHECK_INT(tracker_count(t), 1);
	CHECK_INT(tracker_stats(t)->packets, 1);
	tracker_flush(t, 2 * SEC);
	CHECK_INT(s2.n, 1);
	CHECK_INT(s2.row[0].src_packets, 1);
	CHECK_INT(s2.icmp_errors[0], 1);
	CHECK_STR(s2.icmp_error_from[0], "198.51.100.1");
	tracker_free(t);

	/* the responder's datagram quoted: 10.0.0.1's port was closed when
	 * 192.0.2.1's answer came, and 10.0.0.1 said so */
	struct seen s3 = { 0 };
	t = tracker_for_test(0, &s3);
	feed(t, udp_packet(1 * SEC, 5000, 53, false));
	feed(t, udp_packet(1 * SEC + 5, 5000, 53, true));
	const uint8_t client[4] = { 10, 0, 0, 1 };
	e = icmp_error_packet(1 * SEC + 10, client, 5000, qb);
	memcpy(e.dst, peer, 4);
	const uint8_t answer[8] = { 192, 0, 2, 1, 10, 0, 0, 1 }; /* quoted src, dst */
	memcpy(qb + 16, answer, 8);
	const uint8_t ports[4] = { 0, 53, 5000 >> 8, 5000 & 0xff };
	memcpy(qb + 24, ports, 4);
	feed(t, e);
	tracker_flush(t, 2 * SEC);
	CHECK_INT(s3.n, 2);
	for (int i = 0; i < s3.n; i++) {
		if (s3.row[i].l4 != L4_UDP)
			continue;
		CHECK_INT(s3.icmp_errors[i], 1);
		CHECK(meta_icmp_error_unpack(s3.icmp_error[i]).by_responder);
		CHECK_STR(s3.icmp_error_from[i], "10.0.0.1");
	}
	tracker_free(t);
}

int main(void)
{
	RUN(test_both_directions_are_one_flow);
	RUN(test_idle_flows_retire_and_the_peak_remains);
	RUN(test_the_cap_evicts_one_flow_per_new_one);
	RUN(test_a_new_syn_on_a_closed_tuple_is_a_new_connection);
	RUN(test_udp_activity_uses_the_reference_thresholds);
	RUN(test_retired_within_a_quarter_second_of_the_deadline);
	RUN(test_every_ip_protocol_is_keyed_sensibly);
	RUN(test_igmp_states);
	RUN(test_frames_in_no_row_are_counted_unparsed);
	RUN(test_fragments_count_to_their_datagrams_flow);
	RUN(test_rates_cover_one_window_and_fall_to_zero);
	RUN(test_tunnels_inner_connections);
	RUN(test_a_renewed_snapshot_reuses_its_rows_only_when_free);
	RUN(test_connections_to_a_gateway_are_marked);
	RUN(test_the_local_mac_comes_from_the_frames);
	RUN(test_the_mac_set_is_bounded);
	RUN(test_icmp_errors_are_noted_on_the_quoted_connection);
	return check_summary("tracker");
}

#include "flow/tracker.h"

#include <stdlib.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "decode/decode.h"
#include "flow/flowtab.h"
#include "flow/macs.h"
#include "flow/reasm.h"
#include "flow/state.h"
#include "flow/tcp_health.h"
#include "flow/tuntab.h"

/* A quarter-second slot: a flow is retired at most that long after its
 * deadline (plus the gap between ticks), which keeps a closed connection's
 * record within a second of its timeout; 4096 slots look 17 minutes ahead,
 * and a flow due later is re-examined then. */
#define WHEEL_SLOT_US (250 * US_PER_MS)
#define WHEEL_BITS 12
#define WHEEL_SLOTS (1u << WHEEL_BITS)
_Static_assert(WHEEL_BITS <= 16, "a flow keeps its wheel slot in 16 bits");
#define WHEEL_MASK (WHEEL_SLOTS - 1)
#define TUNNEL_DEPTH 4 /* tunnels opened inside one another, at most */

struct tracker {
	struct tracker_opts opts;
	struct tracker_sink sink;
	struct flowtab *tab;
	uint32_t wheel[WHEEL_SLOTS]; /* list heads (pool indices) */
	uint64_t cursor;             /* next wheel slot to examine (time / WHEEL_SLOT_US) */
	bool started;
	uint64_t now_us;
	uint64_t rows_us;            /* when tracker_rows last ran: the rate window's start */
	uint64_t next_id;
	struct tracker_stats stats;
	struct reasm *reasm;
	struct tuntab *tuns;
	struct macs *macs;           /* the local ends' MACs (struct flow.local_mac) */
};

void tracker_set_locals(struct tracker *t, struct local_addrs locals)
{
	t->opts.locals = locals;
}

/* A reassembly queue keeps the tunnel its fragments came through. */
static void hold_tunnel(void *arg, uint32_t id) { tuntab_ref(arg, id); }
static void release_tunnel(void *arg, uint32_t id) { tuntab_unref(arg, id); }

struct tracker *tracker_new(const struct tracker_opts *o, const struct tracker_sink *sink)
{
	struct tracker *t = xcalloc(1, sizeof *t);
	t->opts = *o;
	if (!t->opts.max_flows)
		t->opts.max_flows = TRACKER_DEFAULT_MAX_FLOWS;
	t->sink = *sink;
	t->tab = flowtab_new(4096);
	t->tuns = tuntab_new();
	t->macs = macs_new();
	struct reasm_hooks hooks = { hold_tunnel, release_tunnel, t->tuns };
	t->reasm = reasm_new(REASM_MEM_LIMIT, &hooks);
	for (uint32_t i = 0; i < WHEEL_SLOTS; i++)
		t->wheel[i] = FLOWTAB_NONE;
	t->next_id = 1;
	return t;
}

uint32_t tracker_count(const struct tracker *t) { return flowtab_count(t->tab); }
uint32_t tracker_tunnel_count(const struct tracker *t) { return tuntab_count(t->tuns); }
const struct tracker_stats *tracker_stats(const struct tracker *t) { return &t->stats; }

/* ---- expiry wheel ---- */

static uint64_t deadline_us(const struct tracker *t, const struct flow *f)
{
	return f->last_us + flow_timeout_us(f, &t->opts.timeouts);
}

static void wheel_unlink(struct tracker *t, struct flow *f)
{
	if (!f->in_wheel)
		return;
	if (f->wheel_prev != FLOWTAB_NONE)
		flowtab_at(t->tab, f->wheel_prev)->wheel_next = f->wheel_next;
	else
		t->wheel[f->wheel_slot] = f->wheel_next;
	if (f->wheel_next != FLOWTAB_NONE)
		flowtab_at(t->tab, f->wheel_next)->wheel_prev = f->wheel_prev;
	f->in_wheel = 0;
}

static void wheel_place(struct tracker *t, struct flow *f)
{
	uint64_t at = (deadline_us(t, f) + WHEEL_SLOT_US - 1) / WHEEL_SLOT_US;
	if (at < t->cursor)
		at = t->cursor;
	if (at > t->cursor + WHEEL_MASK)
		at = t->cursor + WHEEL_MASK; /* re-examined then, placed further */
	uint16_t slot = (uint16_t)(at & WHEEL_MASK);
	f->wheel_slot = slot;
	f->wheel_prev = FLOWTAB_NONE;
	f->wheel_next = t->wheel[slot];
	if (f->wheel_next != FLOWTAB_NONE)
		flowtab_at(t->tab, f->wheel_next)->wheel_prev = f->idx;
	t->wheel[slot] = f->idx;
	f->in_wheel = 1;
}

/* A connection a control connection announced (FTP data) is labelled so
 * and linked to it: looked up when the flow is made and, in case the
 * announcement was read on another worker only after that, once more
 * before it is reported retired. */
static void link_announced(const struct tracker *t, struct flow *f)
{
	if (t->opts.no_dpi || f->key.l4 != L4_TCP)
		return;
	bool b = f->init_is_b;
	struct dpi_ends c = { .family = f->key.family, .sport = b ? f->key.pb : f->key.pa,
			      .dport = b ? f->key.pa : f->key.pb };
	memcpy(c.src, b ? f->key.b : f->key.a, 16);
	memcpy(c.dst, b ? f->key.a : f->key.b, 16);
	dpi_link_announced(&f->meta, &c, f->first_us, t->opts.dpi_env);
}

static void retire(struct tracker *t, struct flow *f, enum retire_reason why)
{
	link_announced(t, f);
	if (t->sink.retired)
		t->sink.retired(t->sink.opaque, f, t->now_us, why);
	wheel_unlink(t, f);
	dpi_flow_free(f->dpi);
	f->dpi = NULL;
	tcp_health_release(f);
	meta_fini(&f->meta);
	tuntab_unref(t->tuns, f->key.tunnel);
	flowtab_remove(t->tab, f);
	t->stats.flows_retired++;
	if (why == RETIRE_EVICTED)
		t->stats.flows_evicted++;
}

static void expire_slot(struct tracker *t, uint32_t slot)
{
	uint32_t idx = t->wheel[slot];
	t->wheel[slot] = FLOWTAB_NONE;
	while (idx != FLOWTAB_NONE) {
		struct flow *f = flowtab_at(t->tab, idx);
		idx = f->wheel_next;
		f->in_wheel = 0;
		if (deadline_us(t, f) <= t->now_us)
			retire(t, f, RETIRE_TIMEOUT);
		else
			wheel_place(t, f);
	}
}

/* Fragments of datagrams reassembly gave up on count as unparsed. */
static void sync_reasm_stats(struct tracker *t)
{
	t->stats.frag_dropped = reasm_stats(t->reasm)->frames_dropped;
}

void tracker_tick(struct tracker *t, uint64_t now_us)
{
	if (now_us > t->now_us)
		t->now_us = now_us;
	reasm_expire(t->reasm, t->now_us);
	sync_reasm_stats(t);
	uint64_t now_slot = t->now_us / WHEEL_SLOT_US;
	if (!t->started) {
		t->started = true;
		t->cursor = now_slot;
		return;
	}
	if (now_slot > t->cursor + WHEEL_SLOTS) /* a long gap: one full turn suffices */
		t->cursor = now_slot - WHEEL_SLOTS;
	while (t->cursor <= now_slot) {
		expire_slot(t, (uint32_t)(t->cursor & WHEEL_MASK));
		t->cursor++;
	}
}

/* The connection cap: retire the flow nearest to its deadline. */
static void evict_one(struct tracker *t)
{
	for (uint32_t i = 0; i < WHEEL_SLOTS; i++) {
		uint32_t slot = (uint32_t)((t->cursor + i) & WHEEL_MASK);
		if (t->wheel[slot] != FLOWTAB_NONE) {
			retire(t, flowtab_at(t->tab, t->wheel[slot]), RETIRE_EVICTED);
			return;
		}
	}
}

void tracker_flush(struct tracker *t, uint64_t now_us)
{
	if (now_us > t->now_us)
		t->now_us = now_us;
	reasm_expire(t->reasm, UINT64_MAX); /* incomplete at the end: never will be */
	sync_reasm_stats(t);
	for (uint32_t s = 0; s < WHEEL_SLOTS; s++)
		while (t->wheel[s] != FLOWTAB_NONE)
			retire(t, flowtab_at(t->tab, t->wheel[s]), RETIRE_END);
}

void tracker_free(struct tracker *t)
{
	if (!t)
		return;
	for (uint32_t s = 0; s < WHEEL_SLOTS; s++) {
		for (uint32_t idx = t->wheel[s]; idx != FLOWTAB_NONE;) {
			struct flow *f = flowtab_at(t->tab, idx);
			idx = f->wheel_next;
			dpi_flow_free(f->dpi);
			tcp_health_release(f);
			meta_fini(&f->meta);
		}
	}
	flowtab_free(t->tab);
	reasm_free(t->reasm);
	tuntab_free(t->tuns);
	macs_free(t->macs);
	free(t);
}

/* ---- flows ---- */

static bool is_loopback(uint8_t family, const uint8_t *a)
{
	static const uint8_t v6lo[16] = { [15] = 1 };
	return family == 4 ? a[0] == 127 : memcmp(a, v6lo, 16) == 0;
}

static bool in_sorted(const uint8_t (*set)[16], uint32_t n, const uint8_t *a)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = memcmp(set[mid], a, 16);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool is_local(const struct local_addrs *l, const uint8_t *a)
{
	return in_sorted(l->addr, l->n, a);
}

/* Is the remote end of a new flow a default gateway? Either end when
 * neither is known to be local. */
static bool to_gateway(const struct local_addrs *l, int local_side, const struct pkt *p)
{
	if (!l->gw_n)
		return false;
	bool src = local_side != DIR_INIT && in_sorted(l->gw, l->gw_n, p->src);
	return src || (local_side != DIR_RESP && in_sorted(l->gw, l->gw_n, p->dst));
}

/* A total order of addresses (not memcmp's: two word compares, no call). */
static int addr_order(const uint8_t *x, const uint8_t *y)
{
	uint64_t x0, x1, y0, y1;
	memcpy(&x0, x, 8);
	memcpy(&x1, x + 8, 8);
	memcpy(&y0, y, 8);
	memcpy(&y1, y + 8, 8);
	if (x0 != y0)
		return x0 < y0 ? -1 : 1;
	return x1 < y1 ? -1 : x1 > y1;
}

/* Canonical key of a packet that came through tunnel number `tunnel` (0:
 * none); *from_b says whether the packet's sender is endpoint b. Every
 * byte of the key is set (it has no padding). */
static void make_key(const struct pkt *p, uint32_t tunnel, struct flow_key *k, bool *from_b)
{
	int c = addr_order(p->src, p->dst);
	bool swap = c > 0 || (c == 0 && p->sport > p->dport);
	memcpy(k->a, swap ? p->dst : p->src, 16);
	memcpy(k->b, swap ? p->src : p->dst, 16);
	k->pa = swap ? p->dport : p->sport;
	k->pb = swap ? p->sport : p->dport;
	k->l4 = p->l4;
	k->family = p->family;
	k->has_xid = p->has_xid;
	k->xid = p->xid;
	k->tunnel = tunnel;
	*from_b = swap;
}

/* Where a packet came from: what it adds to its flow's counters (one
 * frame, or the frames that brought a reassembled datagram; first_us:
 * when the first of them came), and the tunnel around it. */
struct wire {
	uint32_t frames;
	uint64_t bytes;
	uint64_t first_us;
	uint64_t ip_bytes;               /* IP header and payload of those frames */
	uint32_t tunnel;                 /* its number in t->tuns; 0 none */
	const struct pkt_tunnel *via;    /* that tunnel's header as this packet had it */
	int depth;                       /* tunnels around it */
};

static void note_text(struct flow_meta *m, int key, const char *s)
{
	if (*s)
		meta_set_str(m, (enum meta_key)key, (const uint8_t *)s, strlen(s));
}

/* Both ends' places, once per connection: the databases are asked (and
 * their cache holds each address) when it is made, never per packet. */
static void geo_note(struct geo *g, struct flow *f)
{
	if (f->key.l4 == L4_ARP)
		return;
	bool b = f->init_is_b;
	const uint8_t *end[2] = { b ? f->key.b : f->key.a, b ? f->key.a : f->key.b };
	meta_set_num(&f->meta, META_GEO_ASKED, 1);
	for (int side = 0; side < 2; side++) {
		struct geo_place pl;
		if (!geo_lookup(g, f->key.family, end[side], &pl))
			continue;
		note_text(&f->meta, META_GEO_COUNTRY + side, pl.country);
		note_text(&f->meta, META_GEO_CITY + side, pl.city);
		if (pl.asn)
			meta_set_num(&f->meta, (enum meta_key)(META_GEO_ASN + side), pl.asn);
		note_text(&f->meta, META_GEO_AS_ORG + side, pl.as_org);
	}
}

static struct flow *create_flow(struct tracker *t, const struct flow_key *k, uint64_t h,
				bool from_b, const struct pkt *p, const struct wire *w)
{
	if (flowtab_count(t->tab) >= t->opts.max_flows)
		evict_one(t);
	struct flow *f = flowtab_insert(t->tab, k, h);
	f->id = t->next_id++;
	f->init_is_b = from_b;
	if (k->tunnel) {
		tuntab_ref(t->tuns, k->tunnel);
		const struct tunnel_ent *e = tuntab_get(t->tuns, k->tunnel);
		f->tun_flip = memcmp(w->via->src, e->tun.src, 16) != 0;
	}
	f->first_us = w->first_us;
	f->last_us = p->ts_us;
	meta_init(&f->meta);
	if (t->opts.geo)
		geo_note(t->opts.geo, f);
	f->local_side = -1;
	if (t->opts.locals.n) {
		if (is_local(&t->opts.locals, p->src))
			f->local_side = DIR_INIT;
		else if (is_local(&t->opts.locals, p->dst))
			f->local_side = DIR_RESP;
	}
	f->to_gateway = to_gateway(&t->opts.locals, f->local_side, p);
	t->stats.flows_created++;
	if (flowtab_count(t->tab) > t->stats.flows_peak)
		t->stats.flows_peak = flowtab_count(t->tab);
	wheel_place(t, f);
	return f;
}

static bool starts_new_connection(const struct flow *f, const struct pkt *p)
{
	return f->key.l4 == L4_TCP && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	       tcp_is_closed(f);
}

static void inspect(struct tracker *t, struct flow *f, const struct pkt *p, int dir)
{
	if (p->l4 != L4_TCP && p->l4 != L4_UDP)
		return;
	/* SYN gives the stream's start; FIN and RST tell the driver a
	 * direction ended, so it can stop waiting for it */
	if (p->payload_len == 0 && !(p->tcp_flags & (TCP_SYN | TCP_FIN | TCP_RST)))
		return;
	if (!dpi_packet(&f->dpi, &f->meta, p, dir == DIR_INIT, t->opts.dpi_env))
		f->dpi_done = 1;
}

/* An echo request's time, and at the reply with its identifier and
 * sequence the time it took (tshark's icmp.resptime): the latest answered
 * request's. */
static void echo_time(struct flow *f, const struct pkt *p)
{
	struct echo_wait *w = &f->health.echo;
	uint32_t now = (uint32_t)p->ts_us;
	if (p->echo == PKT_ECHO_REQUEST) {
		*w = (struct echo_wait){ now ? now : 1, p->echo_id, p->echo_seq };
	} else if (w->sent_us && w->id == p->echo_id && w->seq == p->echo_seq) {
		meta_set_num(&f->meta, META_ICMP_RESPONSE_US, (uint32_t)(now - w->sent_us));
		w->sent_us = 0;
	}
}

/* An ICMP error noted on the connection whose datagram it quotes (one
 * of this tracker's, from the same tunnel), without touching its
 * counters: the error is counted in its own ICMP exchange. The first
 * error's kind and sender are kept, and how many came. */
static void note_icmp_error(struct tracker *t, const struct pkt *p, uint32_t tunnel)
{
	struct pkt_quote q;
	if (!decode_icmp_quote(p, &q))
		return;
	struct flow_key k;
	bool from_b;
	make_key(&q.inner, tunnel, &k, &from_b);
	struct flow *f = flowtab_find(t->tab, &k, flowtab_hash(&k));
	if (!f)
		return; /* a connection this capture never saw, or long gone */
	uint64_t n = 0;
	if (!meta_num(&f->meta, META_ICMP_ERRORS, &n)) {
		struct meta_icmp_error e = { p->icmp_type, p->icmp_code, q.mtu, from_b != f->init_is_b };
		meta_set_num(&f->meta, META_ICMP_ERROR, meta_icmp_error_pack(e));
		char from[ADDR_TEXT_MAX];
		meta_set_str(&f->meta, META_ICMP_ERROR_FROM, (const uint8_t *)from,
			     addr_text(from, p->family, p->src));
	}
	meta_set_num(&f->meta, META_ICMP_ERRORS, n + 1);
}

/* A QUIC connection's handshake round trip, by the rule of TCP's
 * (tshark's tcp.analysis.initial_rtt): from the client's first datagram
 * (its Initial, the flow's first packet) to the client's first datagram
 * after the server's first, which answers the server's Initial. */
static void quic_rtt(struct flow *f, const struct pkt *p, int dir)
{
	if (f->health.quic_rtt_done || dir != DIR_INIT || !f->packets[DIR_RESP])
		return;
	f->health.quic_rtt_done = 1;
	if (p->ts_us >= f->first_us)
		meta_set_num(&f->meta, META_QUIC_HANDSHAKE_RTT_US, p->ts_us - f->first_us);
}

/* Each side's hardware address, from the first ARP packet it sent, and
 * its vendor when the registry knows it. */
static void arp_note(struct flow_meta *m, const struct pkt *p, bool from_init, struct oui *oui)
{
	enum meta_key mac_key = from_init ? META_ARP_SRC_MAC : META_ARP_DST_MAC;
	if (meta_str(m, mac_key))
		return;
	char text[MAC_TEXT_MAX];
	meta_set_str(m, mac_key, (const uint8_t *)text, addr_mac_text(text, p->arp_sha));
	const char *vendor = oui_vendor(oui, p->arp_sha);
	if (vendor)
		meta_set_str(m, from_init ? META_ARP_SRC_VENDOR : META_ARP_DST_VENDOR,
			     (const uint8_t *)vendor, strlen(vendor));
}

static void update_protocol(const struct tracker *t, struct flow *f, const struct pkt *p, int dir)
{
	switch (p->l4) {
	case L4_TCP:
		tcp_track(f, dir, p);
		tcp_health_track(f, dir, p, t->opts.rtt_spike_us);
		break;
	case L4_UDP:
		if (f->meta.app == APP_QUIC || f->meta.app == APP_GQUIC)
			quic_rtt(f, p, dir);
		break;
	case L4_ICMP:
	case L4_ICMPV6:
		f->proto.last.icmp_type = p->icmp_type;
		if (p->echo)
			echo_time(f, p);
		break;
	case L4_IGMP:
		f->proto.last.icmp_type = p->icmp_type;
		f->proto.last.igmp_group = p->igmp_group;
		f->proto.last.igmp_leave = p->icmp_code;
		break;
	case L4_ARP:
		f->proto.last.arp_op = p->arp_op;
		arp_note(&f->meta, p, dir == DIR_INIT, t->opts.oui);
		break;
	default:
		break;
	}
}

/* Whether a packet may have changed how long its flow may live. */
static bool lifetime_may_change(const struct pkt *p, uint8_t app_before, uint8_t state_before,
				const struct flow *f)
{
	return (p->tcp_flags & (TCP_SYN | TCP_FIN | TCP_RST)) || f->meta.app != app_before ||
	       f->meta.app_state != state_before;
}

/* The local end's hardware address, from the connection's own frames:
 * the source of a frame the local end sent, or the destination of one it
 * received unless that is a group address (broadcast and multicast name
 * no one station). Exact on or off the link: a routed peer's frames carry
 * a router's address, never ours. Called until one is found, which is at
 * the first frame but for one received as broadcast or multicast. ARP's
 * records have their own (arp_src_mac ...). */
static void note_local_mac(struct tracker *t, struct flow *f, const struct pkt *p, int dir)
{
	if (p->l4 == L4_ARP) {
		f->local_mac = MACS_NONE;
		return;
	}
	int local = f->local_side == DIR_RESP ? DIR_RESP : DIR_INIT;
	struct rd r = rd_make(p->eth, 12);
	rd_skip(&r, dir == local ? 6 : 0); /* destination, then source */
	uint8_t mac[6];
	rd_copy(&r, mac, sizeof mac);
	if (rd_ok(&r) && !(mac[0] & 0x01)) /* the I/G bit: a group address */
		f->local_mac = macs_intern(t->macs, mac);
}

static void track(struct tracker *t, const struct pkt *p, const struct flow_lookup *lk,
		  const struct wire *w)
{
	struct flow_lookup own;
	if (!lk || !lk->ready) {
		make_key(p, w->tunnel, &own.key, &own.from_b);
		own.hash = flowtab_hash(&own.key);
		lk = &own;
	}
	const struct flow_key *k = &lk->key;
	bool from_b = lk->from_b;
	uint64_t h = lk->hash;
	struct flow *f = flowtab_find(t->tab, k, h);
	if (f && starts_new_connection(f, p)) {
		retire(t, f, RETIRE_REUSED);
		f = NULL;
	}
	bool created = !f;
	if (created && t->opts.own &&
	    own_ports_match(t->opts.own, p->family, p->src, p->sport, p->dst, p->dport)) {
		t->stats.own += w->frames;
		return;
	}
	if (created) {
		f = create_flow(t, k, h, from_b, p, w);
		link_announced(t, f);
	}
	int dir = (from_b == (bool)f->init_is_b) ? DIR_INIT : DIR_RESP;
	f->packets[dir] += w->frames;
	f->bytes[dir] += w->bytes;
	f->ip_bytes[dir] += w->ip_bytes;
	if (p->ts_us > f->last_us)
		f->last_us = p->ts_us;
	if (!f->local_mac && p->eth)
		note_local_mac(t, f, p, dir);
	if (!w->depth) /* the frames of a tunnel's packet were counted with the tunnel */
		t->stats.tracked_packets += w->frames;
	uint8_t app = f->meta.app, app_state = f->meta.app_state;
	update_protocol(t, f, p, dir);
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMPV6)
		note_icmp_error(t, p, w->tunnel);
	if (!t->opts.no_dpi && !f->dpi_done)
		inspect(t, f, p, dir);
	if (lifetime_may_change(p, app, app_state, f)) {
		wheel_unlink(t, f);
		wheel_place(t, f);
	}
	if (created && t->sink.created) /* with its first packet counted */
		t->sink.created(t->sink.opaque, f);
}

/* Counts `frames` that no connection can take, by why; true for the
 * verdicts that go on to be tracked. */
static bool accept_verdict(struct tracker *t, enum decode_verdict v, uint32_t frames)
{
	switch (v) {
	case DECODE_OK:
	case DECODE_FRAGMENT:
		return true;
	case DECODE_NOT_IP:
		t->stats.not_ip += frames;
		return false;
	case DECODE_TRUNCATED:
		t->stats.truncated += frames;
		return false;
	default:
		t->stats.invalid += frames;
		return false;
	}
}

static void open_tunnel(struct tracker *t, const struct pkt *outer, const struct wire *w);

/* A packet whose connection can be told: tracked, and what it carries
 * (a tunnel's inner packet) taken in turn. */
static void take(struct tracker *t, const struct pkt *p, const struct flow_lookup *lk,
		 const struct wire *w)
{
	track(t, p, lk, w);
	if (decode_may_carry_tunnel(p))
		open_tunnel(t, p, w);
}

/* Inside a tunnel, what cannot be decoded still counted to the tunnel. */
static bool inner_ok(struct tracker *t, enum decode_verdict v, const struct wire *w)
{
	if (v == DECODE_OK || v == DECODE_FRAGMENT)
		return true;
	if (w->depth)
		t->stats.tunneled_undecoded += w->frames;
	else
		accept_verdict(t, v, w->frames);
	return false;
}

/* A fragment joins its datagram; a whole datagram is decoded from its IP
 * payload on and taken like any packet, counting every frame that
 * brought it. */
static void defragment(struct tracker *t, const struct pkt *p, const struct wire *w)
{
	struct reasm_origin o = { w->tunnel, w->frames, w->bytes };
	struct reasm_datagram d;
	enum reasm_result r = reasm_add(t->reasm, p, &o, &d);
	sync_reasm_stats(t);
	if (r != REASM_DONE)
		return;
	struct pkt whole;
	whole.ts_us = p->ts_us;
	whole.caplen = p->caplen;
	whole.wirelen = p->wirelen;
	whole.family = d.family;
	whole.eth = p->eth;
	memcpy(whole.src, d.src, 16);
	memcpy(whole.dst, d.dst, 16);
	enum decode_verdict v = decode_datagram(&whole, d.proto, d.data, d.captured, d.len);
	struct wire dw = { d.frames, d.wire_bytes, d.first_us, d.ip_bytes, w->tunnel, w->via, w->depth };
	if (inner_ok(t, v, &dw))
		take(t, &whole, NULL, &dw);
	reasm_datagram_fini(&d);
}

/* The packet a tunnel carries is a connection of its own, keyed with the
 * tunnel's number; its frames are those of the tunnel's packet. */
static void open_tunnel(struct tracker *t, const struct pkt *outer, const struct wire *w)
{
	struct pkt inner;
	struct pkt_tunnel tun;
	enum decode_verdict v;
	if (w->depth >= TUNNEL_DEPTH || !decode_tunnel(outer, &inner, &tun, &v))
		return;
	/* held while the inner packet is taken: making room for its flow may
	 * retire the last one that held the tunnel */
	uint32_t id = tuntab_number(t->tuns, w->tunnel, &tun);
	tuntab_ref(t->tuns, id);
	struct wire iw = { w->frames, w->bytes, w->first_us, inner.ip_len, id, &tun, w->depth + 1 };
	if (inner_ok(t, v, &iw)) {
		if (v == DECODE_FRAGMENT)
			defragment(t, &inner, &iw);
		else
			take(t, &inner, NULL, &iw);
	}
	tuntab_unref(t->tuns, id);
}

void tracker_prefetch_slot(struct tracker *t, const struct pkt *p, enum decode_verdict v,
			   struct flow_lookup *lk)
{
	lk->ready = v == DECODE_OK;
	if (!lk->ready)
		return;
	make_key(p, 0, &lk->key, &lk->from_b);
	lk->hash = flowtab_hash(&lk->key);
	flowtab_prefetch_slot(t->tab, lk->hash);
}

void tracker_prefetch_flow(struct tracker *t, const struct flow_lookup *lk)
{
	if (lk->ready)
		flowtab_prefetch_flow(t->tab, lk->hash);
}

void tracker_packet(struct tracker *t, const struct pkt *pin, enum decode_verdict v,
		    const struct flow_lookup *lk)
{
	t->stats.packets++;
	t->stats.bytes += pin->wirelen;
	if (!accept_verdict(t, v, 1))
		return;
	if (t->opts.hide_localhost && is_loopback(pin->family, pin->src) &&
	    is_loopback(pin->family, pin->dst)) {
		t->stats.localhost++;
		return;
	}
	if (pin->ts_us / WHEEL_SLOT_US >= t->cursor || !t->started)
		tracker_tick(t, pin->ts_us);
	else if (pin->ts_us > t->now_us)
		t->now_us = pin->ts_us;
	struct wire w = { 1, pin->wirelen, pin->ts_us, pin->ip_len, 0, NULL, 0 };
	if (v == DECODE_FRAGMENT) {
		defragment(t, pin, &w);
		return;
	}
	/* take()'s body: take itself recurses through tunnels, so it cannot
	 * be inlined into the path every frame goes */
	track(t, pin, lk, &w);
	if (decode_may_carry_tunnel(pin))
		open_tunnel(t, pin, &w);
}

void tracker_note_quote(struct tracker *t, const struct pkt *p, enum decode_verdict v)
{
	if (v == DECODE_OK)
		note_icmp_error(t, p, 0);
}

/* ---- rows ---- */

/* The tunnel, its addresses turned so that the initiator's side is src. */
static void fill_tunnel(const struct tracker *t, const struct flow *f, struct conn_row *r)
{
	const struct tunnel_ent *e = tuntab_get(t->tuns, f->key.tunnel);
	struct pkt_tunnel tun = e ? e->tun : (struct pkt_tunnel){ 0 };
	if (e && f->tun_flip) {
		memcpy(tun.src, e->tun.dst, 16);
		memcpy(tun.dst, e->tun.src, 16);
	}
	row_set_tunnel(r, &tun);
}

void tracker_fill_row(const struct tracker *t, const struct flow *f, struct conn_row *r,
		      uint64_t now_us, bool borrow_meta)
{
	const struct timeouts *to = &t->opts.timeouts;
	const struct flow_key *k = &f->key;
	bool b = f->init_is_b;
	r->id = f->id;
	r->l4 = k->l4;
	r->family = k->family;
	r->local_side = f->local_side;
	r->gateway = f->to_gateway;
	memcpy(r->src, b ? k->b : k->a, 16);
	memcpy(r->dst, b ? k->a : k->b, 16);
	r->sport = b ? k->pb : k->pa;
	r->dport = b ? k->pa : k->pb;
	r->has_xid = k->has_xid;
	r->xid = k->xid;
	r->igmp_group = k->l4 == L4_IGMP ? f->proto.last.igmp_group : 0;
	fill_tunnel(t, f, r);
	r->lan = macs_row_lan(t->macs, f->local_mac);
	r->state = (uint8_t)flow_state_of(f, now_us);
	r->tcp_seen = k->l4 == L4_TCP ? tcp_seen_of(f) : 0;
	r->src_packets = f->packets[DIR_INIT];
	r->src_bytes = f->bytes[DIR_INIT];
	r->dst_packets = f->packets[DIR_RESP];
	r->dst_bytes = f->bytes[DIR_RESP];
	r->src_ip_bytes = f->ip_bytes[DIR_INIT];
	r->dst_ip_bytes = f->ip_bytes[DIR_RESP];
	r->first_seen_us = f->first_us;
	r->last_seen_us = f->last_us;
	r->expires_us = f->last_us + flow_timeout_us(f, to);
	if (borrow_meta)
		r->meta = f->meta;
	else
		meta_copy(&r->meta, &f->meta);
}

struct rows_ctx {
	const struct tracker *t;
	struct snapshot *s;
	uint64_t now_us, since_us;
};

/* Bytes per second over the window since the previous call of
 * tracker_rows (the reader's refresh interval): the bytes counted since
 * then over the time since then, and zero when the flow sent nothing in
 * that window (by packet time, so a packet that reached the worker late
 * does not keep a silent flow above zero). Two marks per flow, nothing
 * per sample; the marks' low 32 bits suffice for any refresh interval. */
static void fill_rates(struct flow *f, const struct rows_ctx *c, struct conn_row *r)
{
	double rate[2] = { 0, 0 };
	uint64_t dt = c->since_us && c->now_us > c->since_us ? c->now_us - c->since_us : 0;
	for (int d = 0; d < 2; d++) {
		uint32_t cur = (uint32_t)f->bytes[d];
		if (dt && f->last_us > c->since_us)
			rate[d] = (double)(uint32_t)(cur - f->rate_mark[d]) * (double)US_PER_SEC / (double)dt;
		f->rate_mark[d] = cur;
	}
	r->src_rate = rate[DIR_INIT];
	r->dst_rate = rate[DIR_RESP];
}

static void add_row(struct flow *f, void *arg)
{
	struct rows_ctx *c = arg;
	struct conn_row *r = snapshot_push(c->s);
	tracker_fill_row(c->t, f, r, c->now_us, false);
	fill_rates(f, c, r);
}

struct active_ctx {
	uint64_t since_us;
	void (*fn)(void *arg, const struct flow *f);
	void *arg;
};

static void visit_active(struct flow *f, void *arg)
{
	const struct active_ctx *c = arg;
	if (f->last_us >= c->since_us)
		c->fn(c->arg, f);
}

void tracker_each_active(struct tracker *t, uint64_t since_us, void (*fn)(void *arg, const struct flow *f),
			 void *arg)
{
	struct active_ctx c = { since_us, fn, arg };
	flowtab_each(t->tab, visit_active, &c);
}

void tracker_rows(struct tracker *t, struct snapshot *s, uint64_t now_us)
{
	struct rows_ctx c = { t, s, now_us, t->rows_us };
	flowtab_each(t->tab, add_row, &c);
	t->rows_us = now_us;
}

#include "output/findings.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/hash.h"
#include "base/macros.h"
#include "base/xalloc.h"
#include "decode/decode.h"
#include "dissect/meta.h"
#include "flow/state.h"
#include "output/json.h"

static const struct {
	const char *word;
	enum finding_severity severity;
	enum finding_subject by;
} kinds[FK_COUNT] = {
	[FK_TCP_NO_ANSWER] = { "tcp_no_answer", FINDING_ERROR, FINDING_BY_RESPONDER },
	[FK_TCP_REFUSED] = { "tcp_refused", FINDING_ERROR, FINDING_BY_RESPONDER },
	[FK_TCP_RESET] = { "tcp_reset", FINDING_WARNING, FINDING_BY_RESPONDER },
	[FK_TCP_RETRANSMITS] = { "tcp_retransmits", FINDING_WARNING, FINDING_BY_RESPONDER },
	[FK_TCP_RTT_RISE] = { "tcp_rtt_rise", FINDING_WARNING, FINDING_BY_RESPONDER },
	[FK_TCP_RTT_SPIKE] = { "tcp_rtt_spike", FINDING_WARNING, FINDING_BY_RESPONDER },
	[FK_ICMP_UNREACHABLE] = { "icmp_unreachable", FINDING_WARNING, FINDING_BY_PAIR },
	[FK_ICMP_TIME_EXCEEDED] = { "icmp_time_exceeded", FINDING_WARNING, FINDING_BY_PAIR },
	[FK_DNS_NXDOMAIN] = { "dns_nxdomain", FINDING_WARNING, FINDING_BY_NAME },
	[FK_DNS_SERVFAIL] = { "dns_servfail", FINDING_ERROR, FINDING_BY_NAME },
	[FK_DNS_REFUSED] = { "dns_refused", FINDING_ERROR, FINDING_BY_NAME },
	[FK_DNS_NO_ANSWER] = { "dns_no_answer", FINDING_ERROR, FINDING_BY_NAME },
	[FK_CAPTURE_DROPS] = { "capture_drops", FINDING_WARNING, FINDING_BY_CAPTURE },
	[FK_EXPORT_DROPS] = { "export_drops", FINDING_WARNING, FINDING_BY_CAPTURE },
	[FK_LINK_DOWN] = { "link_down", FINDING_WARNING, FINDING_BY_CAPTURE },
};

static const char *const severity_words[] = {
	[FINDING_NONE] = "", [FINDING_WARNING] = "warning", [FINDING_ERROR] = "error",
};

const char *findings_kind_word(enum finding_kind k) { return kinds[k].word; }
enum finding_severity findings_kind_severity(enum finding_kind k) { return kinds[k].severity; }
enum finding_subject findings_kind_subject(enum finding_kind k) { return kinds[k].by; }
const char *findings_severity_word(enum finding_severity s) { return severity_words[s]; }

struct findings {
	struct findings_opts o;
	struct finding *v;         /* in order of their first connection */
	size_t n, cap;
	uint32_t *index;           /* open addressing: 1 + position in v; 0 empty */
	size_t index_cap;          /* a power of two, at least twice n */
};

struct findings *findings_new(const struct findings_opts *o)
{
	struct findings *fs = xcalloc(1, sizeof *fs);
	fs->o = *o;
	return fs;
}

void findings_free(struct findings *fs)
{
	if (!fs)
		return;
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].name);
	free(fs->v);
	free(fs->index);
	free(fs);
}

size_t findings_count(const struct findings *fs) { return fs->n; }

/* ---- which findings a connection makes ---- */

static bool unanswered_long(const struct conn_row *r, uint64_t now_us, const struct findings_opts *o)
{
	return r->dst_packets == 0 && now_us >= r->first_seen_us + o->no_answer_us;
}

/* The round trip grew while the connection ran: its smoothed RTT (RFC
 * 6298, the rtt_ms of the record) ended at least twice the handshake's
 * and at least rtt_rise over it: a queue filling up (bufferbloat), a
 * path that changed, a peer that slowed down. */
static bool rtt_rose(const struct conn_row *r, const struct findings_opts *o)
{
	uint64_t hs, srtt;
	if (!o->rtt_rise_us || !meta_num(&r->meta, META_TCP_HANDSHAKE_RTT_US, &hs) ||
	    !meta_num(&r->meta, META_TCP_SRTT_US, &srtt))
		return false;
	return srtt >= 2 * hs && srtt >= hs + o->rtt_rise_us;
}

/* The kind an ICMP error quoting one of the connection's packets makes,
 * by the error's type as icmp_kinds goes by the exchange's last one
 * (packet too big is neither); FK_COUNT for none. */
static enum finding_kind quoted_kind(const struct conn_row *r, struct meta_icmp_error *e)
{
	uint64_t v;
	if (!meta_num(&r->meta, META_ICMP_ERROR, &v))
		return FK_COUNT;
	*e = meta_icmp_error_unpack(v);
	enum { UNREACH4 = 3, TIMXCEED4 = 11, UNREACH6 = 1, TIMXCEED6 = 3 };
	if (e->type == (r->family == 6 ? UNREACH6 : UNREACH4))
		return FK_ICMP_UNREACHABLE;
	if (e->type == (r->family == 6 ? TIMXCEED6 : TIMXCEED4))
		return FK_ICMP_TIME_EXCEEDED;
	return FK_COUNT;
}

/* A handshake that never completed: nothing came back (and waiting
 * longer would not have helped), or the SYN was answered by a RST. A SYN
 * a router answered with an ICMP error was answered: the error is the
 * finding (icmp_unreachable, icmp_time_exceeded), not silence. A RST once
 * established, unless both sides had closed, is a reset. */
static unsigned tcp_kinds(const struct conn_row *r, uint64_t now_us, const struct findings_opts *o)
{
	unsigned seen = r->tcp_seen, k = 0;
	bool opened = seen & (ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED);
	struct meta_icmp_error e;
	bool path_answered = quoted_kind(r, &e) != FK_COUNT;
	if ((seen & ROW_TCP_SYN) && !opened && !(seen & ROW_TCP_RST) && !path_answered &&
	    unanswered_long(r, now_us, o))
		k |= 1u << FK_TCP_NO_ANSWER;
	if ((seen & ROW_TCP_SYN) && !opened && (seen & ROW_TCP_RST))
		k |= 1u << FK_TCP_REFUSED;
	if ((seen & ROW_TCP_ESTABLISHED) && (seen & ROW_TCP_RST) && !(seen & ROW_TCP_FIN_BOTH))
		k |= 1u << FK_TCP_RESET;
	if (!(seen & ROW_TCP_ESTABLISHED))
		return k; /* a SYN sent again is the handshake's finding, not this one */
	uint64_t re[2] = { 0, 0 };
	meta_num(&r->meta, META_TCP_RETRANSMITS, &re[0]);
	meta_num(&r->meta, META_TCP_RETRANSMITS_RESP, &re[1]);
	uint64_t packets = r->src_packets + r->dst_packets, sum = re[0] + re[1];
	if (sum >= o->retransmit_min && sum * 100 >= (uint64_t)o->retransmit_percent * packets)
		k |= 1u << FK_TCP_RETRANSMITS;
	if (rtt_rose(r, o))
		k |= 1u << FK_TCP_RTT_RISE;
	if (o->rtt_spike_us && meta_num(&r->meta, META_TCP_RTT_SPIKES, NULL))
		k |= 1u << FK_TCP_RTT_SPIKE; /* the tracker judged its samples (flow/tcp_health.h) */
	return k;
}

static unsigned icmp_kinds(const struct conn_row *r)
{
	if (r->state == FS_DEST_UNREACHABLE)
		return 1u << FK_ICMP_UNREACHABLE;
	if (r->state == FS_TIME_EXCEEDED)
		return 1u << FK_ICMP_TIME_EXCEEDED;
	return 0;
}

/* DNS rcodes (RFC 1035, 6895) that are findings. */
enum { RCODE_SERVFAIL = 2, RCODE_NXDOMAIN = 3, RCODE_REFUSED = 5 };

static unsigned dns_kinds(const struct conn_row *r, uint64_t now_us, const struct findings_opts *o)
{
	uint64_t rcode;
	if (!meta_num(&r->meta, META_DNS_RCODE, &rcode))
		return unanswered_long(r, now_us, o) ? 1u << FK_DNS_NO_ANSWER : 0;
	switch (rcode) {
	case RCODE_SERVFAIL: return 1u << FK_DNS_SERVFAIL;
	case RCODE_NXDOMAIN: return 1u << FK_DNS_NXDOMAIN;
	case RCODE_REFUSED: return 1u << FK_DNS_REFUSED;
	default: return 0;
	}
}

static unsigned kinds_of(const struct conn_row *r, uint64_t now_us, const struct findings_opts *o)
{
	unsigned k = 0;
	if (r->l4 == L4_TCP)
		k |= tcp_kinds(r, now_us, o);
	if (r->l4 == L4_ICMP || r->l4 == L4_ICMPV6)
		k |= icmp_kinds(r);
	if (r->meta.app == APP_DNS)
		k |= dns_kinds(r, now_us, o);
	return k;
}

enum finding_severity findings_row_severity(const struct conn_row *r, uint64_t now_us,
					    const struct findings_opts *o)
{
	enum finding_severity worst = FINDING_NONE;
	for (unsigned k = kinds_of(r, now_us, o), i = 0; k; i++, k >>= 1)
		if ((k & 1) && kinds[i].severity > worst)
			worst = kinds[i].severity;
	struct meta_icmp_error e;
	enum finding_kind q = quoted_kind(r, &e);
	if (q != FK_COUNT && kinds[q].severity > worst)
		worst = kinds[q].severity;
	return worst;
}

/* ---- gathering them by what they are about ---- */

/* A pair hashes the same either way round: the ICMP exchange and the
 * errors it quoted name its two ends in either order. */
static void subject_hash(struct finding *f)
{
	bool swap = kinds[f->kind].by == FINDING_BY_PAIR && memcmp(f->a, f->b, 16) > 0;
	uint8_t key[36];
	memcpy(key, swap ? f->b : f->a, 16);
	memcpy(key + 16, swap ? f->a : f->b, 16);
	memcpy(key + 32, &f->port, 2);
	memcpy(key + 34, &f->l4, 2);
	f->hash = hash_bytes(key, sizeof key, ((uint64_t)f->kind << 8) | f->family);
}

/* The finding of kind k that r is about, filled in but not yet placed
 * (a name is the row's, *name, until then). */
static void subject_of(struct finding *f, enum finding_kind k, const struct conn_row *r,
		       const char **name)
{
	memset(f, 0, sizeof *f);
	f->kind = k;
	f->l4 = r->l4;
	f->family = r->family;
	if (kinds[k].by == FINDING_BY_NAME) {
		*name = meta_str(&r->meta, META_DNS_QUERY);
		const char *n = *name ? *name : "";
		f->hash = hash_bytes(n, strlen(n), k);
		return;
	}
	memcpy(f->a, kinds[k].by == FINDING_BY_PAIR ? r->src : r->dst, 16);
	if (kinds[k].by == FINDING_BY_PAIR)
		memcpy(f->b, r->dst, 16);
	else
		f->port = r->dport;
	f->from_exchange = true;
	subject_hash(f);
}

static bool same_subject(const struct finding *x, const struct finding *y, const char *yname)
{
	if (x->kind != y->kind || x->hash != y->hash)
		return false;
	if (kinds[x->kind].by == FINDING_BY_NAME || kinds[x->kind].by == FINDING_BY_CAPTURE)
		return (!x->name && !yname) || (x->name && yname && strcmp(x->name, yname) == 0);
	if (x->l4 != y->l4 || x->family != y->family || x->port != y->port)
		return false;
	if (memcmp(x->a, y->a, 16) == 0 && memcmp(x->b, y->b, 16) == 0)
		return true;
	return kinds[x->kind].by == FINDING_BY_PAIR && memcmp(x->a, y->b, 16) == 0 &&
	       memcmp(x->b, y->a, 16) == 0;
}

static void index_put(uint32_t *index, size_t cap, uint64_t hash, uint32_t pos)
{
	size_t i = hash & (cap - 1);
	while (index[i])
		i = (i + 1) & (cap - 1);
	index[i] = pos + 1;
}

static void index_grow(struct findings *fs)
{
	size_t cap = fs->index_cap ? fs->index_cap * 2 : 64;
	uint32_t *index = xcalloc(cap, sizeof *index);
	for (size_t i = 0; i < fs->n; i++)
		index_put(index, cap, fs->v[i].hash, (uint32_t)i);
	free(fs->index);
	fs->index = index;
	fs->index_cap = cap;
}

/* The finding like `want` about name, made (name copied) when there was none. */
static struct finding *place(struct findings *fs, const struct finding *want, const char *name)
{
	for (size_t i = fs->index_cap ? want->hash & (fs->index_cap - 1) : 0; fs->index_cap && fs->index[i];
	     i = (i + 1) & (fs->index_cap - 1))
		if (same_subject(&fs->v[fs->index[i] - 1], want, name))
			return &fs->v[fs->index[i] - 1];
	if (2 * (fs->n + 1) > fs->index_cap)
		index_grow(fs);
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	struct finding *f = &fs->v[fs->n];
	*f = *want;
	if (name) {
		size_t len = strlen(name) + 1;
		f->name = memcpy(xmalloc(len), name, len);
	}
	index_put(fs->index, fs->index_cap, f->hash, (uint32_t)fs->n++);
	return f;
}

static int conn_order(const struct finding_conn *a, const struct finding_conn *b)
{
	if (a->first_us != b->first_us)
		return a->first_us < b->first_us ? -1 : 1;
	return memcmp(a, b, offsetof(struct finding_conn, first_us));
}

/* The connections listed are the earliest ones, in order: the same
 * whichever worker retired which first. */
static void keep_earliest(struct finding *f, const struct finding_conn *c)
{
	uint32_t i = f->nconns;
	if (i == FINDINGS_CONNS_MAX && conn_order(c, &f->conns[i - 1]) >= 0)
		return;
	if (i == FINDINGS_CONNS_MAX)
		i--;
	else
		f->nconns++;
	for (; i > 0 && conn_order(c, &f->conns[i - 1]) < 0; i--)
		f->conns[i] = f->conns[i - 1];
	f->conns[i] = *c;
}

static void count_in(struct finding *f, const struct conn_row *r)
{
	if (!f->count || r->first_seen_us < f->first_us)
		f->first_us = r->first_seen_us;
	if (r->last_seen_us > f->last_us)
		f->last_us = r->last_seen_us;
	f->count++;
	struct finding_conn c;
	memset(&c, 0, sizeof c); /* its padding too: conn_order compares bytes */
	c.l4 = r->l4;
	c.family = r->family;
	c.sport = r->sport;
	c.dport = r->dport;
	c.first_us = r->first_seen_us;
	memcpy(c.src, r->src, 16);
	memcpy(c.dst, r->dst, 16);
	keep_earliest(f, &c);
}

/* The ICMP finding of a connection an error quoted: about the exchange
 * between the error's sender and the end that sent the quoted datagram
 * (which got the error), ordered as the error went until the exchange's
 * own record says otherwise. False when it makes none. */
static bool quoted_subject(struct finding *f, const struct conn_row *r)
{
	struct meta_icmp_error e;
	enum finding_kind k = quoted_kind(r, &e);
	const char *from = meta_str(&r->meta, META_ICMP_ERROR_FROM);
	memset(f, 0, sizeof *f);
	if (k == FK_COUNT || !from ||
	    inet_pton(r->family == 6 ? AF_INET6 : AF_INET, from, f->a) != 1)
		return false;
	f->kind = k;
	f->l4 = r->family == 6 ? L4_ICMPV6 : L4_ICMP;
	f->family = r->family;
	memcpy(f->b, e.by_responder ? r->dst : r->src, 16);
	subject_hash(f);
	return true;
}

/* A row the exchange's own record made gives the pair its order. */
static void orient(struct finding *f, const struct finding *want)
{
	if (!want->from_exchange || f->from_exchange)
		return;
	memcpy(f->a, want->a, 16);
	memcpy(f->b, want->b, 16);
	f->from_exchange = true;
}

/* The ICMP finding of an error that quoted r's packets; not again when
 * r is that ICMP exchange itself (an error about its own echo), which
 * made it already (own: the kinds r made itself). */
static void add_quoted(struct findings *fs, const struct conn_row *r, unsigned own)
{
	struct finding q, self;
	const char *name = NULL;
	if (!quoted_subject(&q, r))
		return;
	if (own & (1u << q.kind)) {
		subject_of(&self, q.kind, r, &name);
		if (same_subject(&self, &q, NULL))
			return;
	}
	count_in(place(fs, &q, NULL), r);
}

void findings_add(struct findings *fs, const struct conn_row *r, uint64_t now_us)
{
	unsigned own = kinds_of(r, now_us, &fs->o);
	for (unsigned i = 0, k = own; k; i++, k >>= 1) {
		if (!(k & 1))
			continue;
		struct finding want;
		const char *name = NULL;
		subject_of(&want, (enum finding_kind)i, r, &name);
		struct finding *f = place(fs, &want, name);
		orient(f, &want);
		count_in(f, r);
	}
	add_quoted(fs, r, own);
}

void findings_add_capture(struct findings *fs, enum finding_kind k, const char *iface, uint64_t count,
			  uint64_t first_us, uint64_t last_us)
{
	if (!count || kinds[k].by != FINDING_BY_CAPTURE)
		return;
	const char *name = iface ? iface : "";
	struct finding want = { .kind = k, .hash = hash_bytes(name, strlen(name), k) };
	struct finding *f = place(fs, &want, name);
	f->count = count;
	f->first_us = first_us;
	f->last_us = last_us;
}

/* ---- writing them ---- */

static void put_addr(struct outbuf *o, const char *key, uint8_t family, const uint8_t *addr)
{
	char a[ADDR_TEXT_MAX];
	addr_text(a, family, addr);
	outbuf_puts(o, key);
	json_put_string(o, a);
}

static void put_conn(struct outbuf *o, const struct finding_conn *c)
{
	outbuf_puts(o, "{\"proto\": ");
	json_put_string(o, decode_proto_name(c->l4));
	put_addr(o, ", \"src_ip\": ", c->family, c->src);
	outbuf_puts(o, ", \"src_port\": ");
	outbuf_u64(o, decode_proto_has_ports(c->l4) ? c->sport : 0);
	put_addr(o, ", \"dst_ip\": ", c->family, c->dst);
	outbuf_puts(o, ", \"dst_port\": ");
	outbuf_u64(o, decode_proto_has_ports(c->l4) ? c->dport : 0);
	outbuf_puts(o, ", \"first_seen\": ");
	json_put_time(o, c->first_us);
	outbuf_putc(o, '}');
}

static void put_time_or_null(struct outbuf *o, uint64_t us)
{
	if (us)
		json_put_time(o, us);
	else
		outbuf_puts(o, "null");
}

static void put_subject(struct outbuf *o, const struct finding *f)
{
	if (kinds[f->kind].by == FINDING_BY_CAPTURE) {
		outbuf_puts(o, ", \"interface\": ");
		json_put_string(o, f->name);
		return;
	}
	if (kinds[f->kind].by == FINDING_BY_NAME) {
		outbuf_puts(o, ", \"dns_query\": ");
		if (f->name)
			json_put_string(o, f->name);
		else
			outbuf_puts(o, "null");
		return;
	}
	outbuf_puts(o, ", \"proto\": ");
	json_put_string(o, decode_proto_name(f->l4));
	if (kinds[f->kind].by == FINDING_BY_PAIR) {
		put_addr(o, ", \"src_ip\": ", f->family, f->a);
		put_addr(o, ", \"dst_ip\": ", f->family, f->b);
		return;
	}
	put_addr(o, ", \"dst_ip\": ", f->family, f->a);
	outbuf_puts(o, ", \"dst_port\": ");
	outbuf_u64(o, f->port);
}

static void put_finding(struct outbuf *o, const struct finding *f)
{
	outbuf_puts(o, "{\"finding\": ");
	json_put_string(o, kinds[f->kind].word);
	outbuf_puts(o, ", \"severity\": ");
	json_put_string(o, severity_words[kinds[f->kind].severity]);
	outbuf_puts(o, ", \"count\": ");
	outbuf_u64(o, f->count);
	outbuf_puts(o, ", \"first_seen\": ");
	put_time_or_null(o, f->first_us);
	outbuf_puts(o, ", \"last_seen\": ");
	put_time_or_null(o, f->last_us);
	put_subject(o, f);
	outbuf_puts(o, ", \"connections\": [");
	for (uint32_t i = 0; i < f->nconns; i++) {
		if (i)
			outbuf_puts(o, ", ");
		put_conn(o, &f->conns[i]);
	}
	outbuf_puts(o, "]}\n");
}

static int by_kind_then_time(const void *pa, const void *pb)
{
	const struct finding *a = *(const struct finding *const *)pa, *b = *(const struct finding *const *)pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->first_us != b->first_us)
		return a->first_us < b->first_us ? -1 : 1;
	return a < b ? -1 : a > b; /* as they came */
}

static int by_severity_then_kind(const void *pa, const void *pb)
{
	const struct finding *a = *(const struct finding *const *)pa, *b = *(const struct finding *const *)pb;
	enum finding_severity sa = kinds[a->kind].severity, sb = kinds[b->kind].severity;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	return by_kind_then_time(pa, pb);
}

void findings_list(const struct findings *fs, const struct finding **out)
{
	for (size_t i = 0; i < fs->n; i++)
		out[i] = &fs->v[i];
	if (fs->n)
		qsort(out, fs->n, sizeof *out, by_severity_then_kind);
}

void findings_write(const struct findings *fs, struct outbuf *o)
{
	if (!fs->n)
		return;
	const struct finding **order = xmalloc(fs->n * sizeof *order);
	for (size_t i = 0; i < fs->n; i++)
		order[i] = &fs->v[i];
	qsort(order, fs->n, sizeof *order, by_kind_then_time);
	for (size_t i = 0; i < fs->n; i++)
		put_finding(o, order[i]);
	free(order);
}

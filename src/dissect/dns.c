/* dns.c - DNS (RFC 1035 section 4) over UDP and TCP (RFC 7766 section 8:
 * 2-byte length prefix), including mDNS (RFC 6762, port 5353) and LLMNR
 * (RFC 4795, port 5355), which share the message format.
 *
 * Learns the flow's first question (name and type), the first response's
 * code and its A/AAAA answers (text into META_DNS_ANSWERS, and each one to
 * env->dns_answer with the name the client asked for when the answer is
 * reached through that name's CNAME chain, else the record's owner).
 * Callback families are 4 and 6, as in struct pkt.
 *
 * Ports are only hints. On other ports a message must survive a strict
 * check (standard header, one to four questions, every record well formed
 * and the message ending exactly where its length says) before the flow
 * is claimed, because a false DNS label on a non-DNS flow is worse than a
 * missed one.
 *
 * A flow is done once a response and a question have been seen, or after
 * DNS_MAX_MESSAGES messages (a resolver that never answers, or mDNS
 * announcements that carry no question).
 */
#include <stdbool.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/macros.h"
#include "base/rd.h"
#include "base/sanitize.h"
#include "dissect/dissector.h"
#include "dissect/dns_name.h"

#define DNS_HDR_LEN 12
#define DNS_QUESTION_MIN 5      /* root name + type + class */
#define DNS_RR_MIN 11           /* root name + type, class, ttl, rdlength */
#define DNS_MAX_ANSWERS 16      /* addresses kept per flow */
#define DNS_MAX_RRS 64          /* records walked per message */
#define DNS_MAX_QUESTIONS 64    /* plausible qdcount on a DNS port */
#define DNS_STRICT_QUESTIONS 4  /* plausible qdcount elsewhere */
#define DNS_MAX_MESSAGES 16
#define DNS_MAX_ALIASES 8       /* CNAME chain links followed */

enum {
	DNS_QR = 0x8000,
	DNS_Z = 0x0040,
	DNS_TYPE_A = 1,
	DNS_TYPE_CNAME = 5,
	DNS_TYPE_AAAA = 28,
	DNS_TYPE_OPT = 41,
	DNS_CLASS_IN = 1,
};

struct dns_hdr {
	uint16_t id, flags, qd, an, ns, ar;
};

/* Per flow. TCP keeps one read offset per direction (0 client, 1 server). */
struct dns_state {
	uint64_t query_us;  /* capture time of the first query, when query_seen */
	uint32_t off[2];
	uint16_t query_id;  /* its ID, which its response repeats */
	uint8_t dead[2];
	uint8_t have_q, have_resp;
	uint8_t msgs, answers;
	uint8_t query_seen;
};

/* The first query's time, and from the first response with its ID the
 * time it took (tshark's dns.time). */
static void dns_time(struct dns_state *st, const struct dissect_in *in, const struct dns_hdr *h)
{
	if (!in->pkt)
		return;
	if (!(h->flags & DNS_QR)) {
		if (!st->query_seen) {
			st->query_seen = 1;
			st->query_id = h->id;
			st->query_us = in->pkt->ts_us;
		}
		return;
	}
	if (st->query_seen && h->id == st->query_id && in->pkt->ts_us >= st->query_us &&
	    !meta_num(in->meta, META_DNS_RESPONSE_US, NULL))
		meta_set_num(in->meta, META_DNS_RESPONSE_US, in->pkt->ts_us - st->query_us);
}

static const struct {
	uint16_t port;
	uint8_t app;
} dns_port_apps[] = {
	{ 5353, APP_MDNS },
	{ 5355, APP_LLMNR },
	{ 53, APP_DNS },
};

/* The application a port pair suggests, APP_NONE when neither is a hint. */
static uint8_t dns_port_app(const struct pkt *p)
{
	if (!p)
		return APP_NONE;
	for (size_t i = 0; i < ARRAY_LEN(dns_port_apps); i++)
		if (p->sport == dns_port_apps[i].port || p->dport == dns_port_apps[i].port)
			return dns_port_apps[i].app;
	return APP_NONE;
}

static bool hdr_read(struct rd *r, struct dns_hdr *h)
{
	h->id = rd_be16(r);
	h->flags = rd_be16(r);
	h->qd = rd_be16(r);
	h->an = rd_be16(r);
	h->ns = rd_be16(r);
	h->ar = rd_be16(r);
	return rd_ok(r);
}

static unsigned hdr_opcode(const struct dns_hdr *h) { return (h->flags >> 11) & 0xf; }
static unsigned hdr_rrs(const struct dns_hdr *h) { return (unsigned)h->an + h->ns + h->ar; }

/* Header sanity against the message length `n`. */
static bool hdr_plausible(const struct dns_hdr *h, size_t n, bool strict)
{
	if (hdr_opcode(h) > 5)
		return false;
	if ((size_t)DNS_HDR_LEN + (size_t)h->qd * DNS_QUESTION_MIN + (size_t)hdr_rrs(h) * DNS_RR_MIN > n)
		return false;
	if (!strict) /* mDNS announcements are responses without questions */
		return h->qd <= DNS_MAX_QUESTIONS && (h->qd > 0 || ((h->flags & DNS_QR) && hdr_rrs(h) > 0));
	if (h->qd < 1 || h->qd > DNS_STRICT_QUESTIONS || (h->flags & DNS_Z) || hdr_rrs(h) > DNS_MAX_RRS)
		return false;
	if (!(h->flags & DNS_QR)) /* a plain query: no rcode, no answers */
		return (h->flags & 0xf) == 0 && h->an == 0 && h->ns == 0 && hdr_opcode(h) == 0;
	return true;
}

static bool name_printable(const struct dns_name *nm)
{
	if (nm->len == 0)
		return false;
	for (size_t i = 0; i < nm->len; i++)
		if ((unsigned char)nm->text[i] < 0x21 || (unsigned char)nm->text[i] > 0x7e)
			return false;
	return true;
}

static bool class_plausible(uint16_t cls)
{
	static const uint16_t ok[] = { 1, 3, 4, 254, 255 };
	cls &= 0x7fff; /* mDNS unicast-response / cache-flush bit */
	for (size_t i = 0; i < ARRAY_LEN(ok); i++)
		if (cls == ok[i])
			return true;
	return false;
}

/* Walk every question and record; true when all are well formed. */
static bool msg_walk_all(struct rd *r, const struct dns_hdr *h)
{
	for (unsigned i = 0; i < h->qd; i++) {
		if (dns_name_skip(r) != DNS_NAME_OK)
			return false;
		rd_skip(r, 4);
	}
	for (unsigned i = 0; i < hdr_rrs(h); i++) {
		if (dns_name_skip(r) != DNS_NAME_OK)
			return false;
		rd_skip(r, 8);
		rd_skip(r, rd_be16(r));
	}
	return rd_ok(r);
}

/* Is msg[0..avail) the start of a DNS message of msg_len bytes? avail may
 * be short of msg_len for TCP (more may come unless `final`). */
static enum probe_result dns_check(const uint8_t *msg, size_t avail, size_t msg_len,
				   bool strict, bool final)
{
	struct rd r = rd_make(msg, avail < msg_len ? avail : msg_len);
	struct dns_hdr h;
	if (!hdr_read(&r, &h))
		return final ? PROBE_NO : PROBE_MAYBE;
	if (!hdr_plausible(&h, msg_len, strict))
		return PROBE_NO;
	if (h.qd == 0)
		return PROBE_YES; /* non-strict only: checked above */
	if (strict && avail < msg_len)
		return final ? PROBE_NO : PROBE_MAYBE;

	struct dns_name qn;
	enum dns_name_err e = dns_name_read(&r, &qn);
	uint16_t qtype = rd_be16(&r), qclass = rd_be16(&r);
	if (e == DNS_NAME_TRUNCATED || !rd_ok(&r))
		return avail < msg_len && !final ? PROBE_MAYBE : PROBE_NO;
	if (e != DNS_NAME_OK)
		return PROBE_NO;
	if (!strict)
		return PROBE_YES;
	if (qtype == 0 || !class_plausible(qclass) || !name_printable(&qn))
		return PROBE_NO;
	struct rd all = rd_make(msg, msg_len);
	rd_skip(&all, DNS_HDR_LEN);
	return msg_walk_all(&all, &h) && rd_left(&all) == 0 ? PROBE_YES : PROBE_NO;
}

/* Names under which the question's answers appear (itself and CNAME targets). */
struct dns_aliases {
	struct dns_name name[DNS_MAX_ALIASES];
	unsigned n;
};

static bool aliases_has(const struct dns_aliases *a, const struct dns_name *nm)
{
	for (unsigned i = 0; i < a->n; i++)
		if (dns_name_equal(&a->name[i], nm))
			return true;
	return false;
}

static void aliases_add(struct dns_aliases *a, const struct dns_name *nm)
{
	if (a->n < DNS_MAX_ALIASES && !aliases_has(a, nm))
		a->name[a->n++] = *nm;
}

struct dns_ctx {
	struct dns_state *st;
	const struct dissect_in *in;
	struct dns_aliases al;
	const struct dns_name *qname; /* NULL when the message has no question */
};

static void answer_addr(struct dns_ctx *c, const struct dns_name *owner, int family,
			uint32_t ttl, const uint8_t *rdata, size_t rdlen)
{
	uint8_t addr[16] = { 0 };
	memcpy(addr, rdata, rdlen);
	char text[ADDR_TEXT_MAX];
	size_t n = addr_text(text, (uint8_t)family, addr);
	if (c->st->answers < DNS_MAX_ANSWERS) {
		meta_add_item(c->in->meta, META_DNS_ANSWERS, (const uint8_t *)text, n);
		c->st->answers++;
	}
	const struct dpi_env *env = c->in->env;
	if (!env || !env->dns_answer)
		return;
	const struct dns_name *nm = c->qname && aliases_has(&c->al, owner) ? c->qname : owner;
	char safe[DNS_NAME_TEXT_MAX * 4 + 1];
	sanitize_copy(safe, sizeof safe, (const uint8_t *)nm->text, nm->len);
	struct dns_answer a = { safe, family, addr, ttl, c->in->pkt ? c->in->pkt->ts_us : 0 };
	env->dns_answer(env->opaque, &a);
}

/* One resource record of section `sec` (0 answer, 1 authority, 2 additional). */
static bool rr_read(struct dns_ctx *c, struct rd *r, int sec, int *ext_rcode)
{
	struct dns_name owner;
	if (dns_name_read(r, &owner) != DNS_NAME_OK)
		return false;
	uint16_t type = rd_be16(r), cls = rd_be16(r) & 0x7fff;
	uint32_t ttl = rd_be32(r);
	size_t rdlen = rd_be16(r);
	size_t rdata_at = rd_pos(r);
	const uint8_t *rdata = rd_take(r, rdlen);
	if (!rdata)
		return false;
	if (type == DNS_TYPE_OPT && sec == 2)
		*ext_rcode = (int)(ttl >> 24);
	if (sec != 0 || cls != DNS_CLASS_IN)
		return true;
	if (type == DNS_TYPE_A && rdlen == 4)
		answer_addr(c, &owner, 4, ttl, rdata, rdlen);
	else if (type == DNS_TYPE_AAAA && rdlen == 16)
		answer_addr(c, &owner, 6, ttl, rdata, rdlen);
	else if (type == DNS_TYPE_CNAME && aliases_has(&c->al, &owner)) {
		struct rd t = rd_make(r->p, r->len); /* target may point anywhere before */
		struct dns_name target;
		rd_skip(&t, rdata_at);
		if (dns_name_read(&t, &target) == DNS_NAME_OK)
			aliases_add(&c->al, &target);
	}
	return true;
}

/* Walk the records (bounded); returns the EDNS extended rcode bits. */
static int response_walk(struct dns_ctx *c, struct rd *r, const struct dns_hdr *h)
{
	unsigned counts[3] = { h->an, h->ns, h->ar }, walked = 0;
	int ext_rcode = 0;
	for (int sec = 0; sec < 3; sec++)
		for (unsigned i = 0; i < counts[sec]; i++)
			if (++walked > DNS_MAX_RRS || !rr_read(c, r, sec, &ext_rcode))
				return ext_rcode;
	return ext_rcode;
}

static void response_records(struct dns_ctx *c, struct rd *r, const struct dns_hdr *h,
			     bool readable)
{
	int ext_rcode = readable ? response_walk(c, r, h) : 0;
	struct flow_meta *m = c->in->meta;
	if (!meta_num(m, META_DNS_RCODE, NULL)) /* EDNS extends it to 12 bits */
		meta_set_num(m, META_DNS_RCODE, ((unsigned)ext_rcode << 4) | (h->flags & 0xf));
}

/* The first question of the flow (even in a response seen without its query). */
static void take_question(struct dns_ctx *c, const struct dns_name *qn, uint16_t qtype)
{
	struct flow_meta *m = c->in->meta;
	if (c->st->have_q)
		return;
	c->st->have_q = 1;
	m->dns_qtype = qtype;
	if (qn->len)
		meta_set_str(m, META_DNS_QUERY, (const uint8_t *)qn->text, qn->len);
}

/* The question section: false when even the first question is unreadable
 * (the message is unusable); *rest_ok says whether the others were. */
static bool questions_read(struct dns_ctx *c, struct rd *r, const struct dns_hdr *h,
			   struct dns_name *qn, bool *rest_ok)
{
	*rest_ok = true;
	for (unsigned i = 0; i < h->qd; i++) {
		if ((i == 0 ? dns_name_read(r, qn) : dns_name_skip(r)) != DNS_NAME_OK) {
			*rest_ok = false;
			return i > 0;
		}
		uint16_t qtype = rd_be16(r);
		rd_skip(r, 2);
		if (!rd_ok(r)) {
			*rest_ok = false;
			return i > 0;
		}
		if (i == 0) {
			take_question(c, qn, qtype);
			c->qname = qn;
			aliases_add(&c->al, qn);
		}
	}
	return true;
}

/* Learn what one message tells; false when it is not a usable message. A
 * malformed record after a good first question still counts as a message
 * of its kind; the records from the damage on are ignored. */
static bool dns_message(struct dns_state *st, const struct dissect_in *in,
			const uint8_t *msg, size_t n)
{
	struct rd r = rd_make(msg, n);
	struct dns_hdr h;
	if (!hdr_read(&r, &h) || !hdr_plausible(&h, n, false))
		return false;
	struct dns_ctx c = { .st = st, .in = in };
	struct dns_name qn;
	bool rest_ok;
	if (!questions_read(&c, &r, &h, &qn, &rest_ok))
		return false;
	st->msgs++;
	dns_time(st, in, &h);
	uint8_t app = dns_port_app(in->pkt);
	meta_set_app(in->meta, app != APP_NONE ? (enum app_proto)app : APP_DNS);
	if (!(h.flags & DNS_QR)) {
		if (in->meta->app_state != APP_STATE_DNS_RESPONSE)
			in->meta->app_state = APP_STATE_DNS_QUERY;
		return true;
	}
	in->meta->app_state = APP_STATE_DNS_RESPONSE;
	if (!st->have_resp)
		response_records(&c, &r, &h, rest_ok);
	st->have_resp = 1;
	return true;
}

static enum parse_result dns_verdict(const struct dns_state *st)
{
	if ((st->have_resp && st->have_q) || st->msgs >= DNS_MAX_MESSAGES)
		return PARSE_DONE;
	return st->dead[0] && st->dead[1] ? PARSE_DONE : PARSE_MORE;
}

/* Datagrams stand alone: on a DNS port one malformed datagram does not
 * rule out the next, so it asks for more instead of refusing the flow. */
static enum probe_result dns_udp_probe(const struct dissect_in *in)
{
	bool strict = dns_port_app(in->pkt) == APP_NONE;
	enum probe_result r = dns_check(in->data, in->len, in->len, strict, true);
	return r == PROBE_NO && !strict ? PROBE_MAYBE : r;
}

static enum parse_result dns_udp_parse(void *state, const struct dissect_in *in)
{
	struct dns_state *st = state;
	if (!dns_message(st, in, in->data, in->len))
		st->msgs++; /* garbage on a DNS flow still counts toward the bound */
	return dns_verdict(st);
}

static enum probe_result dns_tcp_probe(const struct dissect_in *in)
{
	bool strict = dns_port_app(in->pkt) == APP_NONE;
	struct rd r = rd_make(in->data, in->len);
	size_t msg_len = rd_be16(&r);
	if (!rd_ok(&r))
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	if (msg_len < DNS_HDR_LEN + DNS_QUESTION_MIN)
		return PROBE_NO;
	return dns_check(rd_ptr(&r), rd_left(&r), msg_len, strict, in->stream_full);
}

/* RFC 7766 8: each message has a 2-byte length; a segment may hold several
 * messages or part of one. `data` is the whole direction from its start. */
static enum parse_result dns_tcp_parse(void *state, const struct dissect_in *in)
{
	struct dns_state *st = state;
	int d = in->from_client ? 0 : 1;
	while (!st->dead[d] && dns_verdict(st) == PARSE_MORE) {
		size_t off = st->off[d];
		if (off > in->len) { /* the stream cannot shrink; be safe anyway */
			st->dead[d] = 1;
			break;
		}
		struct rd r = rd_make(in->data + off, in->len - off);
		size_t msg_len = rd_be16(&r);
		const uint8_t *msg = rd_take(&r, msg_len);
		if (!msg) {
			if (in->stream_full)
				st->dead[d] = 1;
			break;
		}
		if (msg_len < DNS_HDR_LEN || !dns_message(st, in, msg, msg_len))
			st->dead[d] = 1; /* framing is lost: nothing after it is usable */
		st->off[d] = (uint32_t)(off + 2 + msg_len);
	}
	return dns_verdict(st);
}

const struct dissector dissector_dns = {
	.name = "dns",
	.l4 = L4_UDP,
	.ports = { 53, 5353, 5355, 0 },
	.probe = dns_udp_probe,
	.parse = dns_udp_parse,
	.state_size = sizeof(struct dns_state),
};

const struct dissector dissector_dns_tcp = {
	.name = "dns-tcp",
	.label = "DNS",
	.l4 = L4_TCP,
	.ports = { 53, 5353, 5355, 0 },
	.probe = dns_tcp_probe,
	.parse = dns_tcp_parse,
	.state_size = sizeof(struct dns_state),
};

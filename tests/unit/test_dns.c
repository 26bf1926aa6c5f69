/* Unit tests for the DNS / mDNS / LLMNR dissectors and DNS name decoding. */
#include "check.h"

#include <stdlib.h>

#include "dissect/dissector.h"
#include "dissect/dns_name.h"

extern const struct dissector dissector_dns;
extern const struct dissector dissector_dns_tcp;

/* ---- fixtures ---------------------------------------------------------- */

#define MAX_SEEN 8

struct seen_answer {
	char name[300];
	int family;
	uint8_t addr[16];
	uint32_t ttl;
};

struct fx {
	const struct dissector *d;
	struct flow_meta meta;
	struct pkt pkt;
	struct dpi_env env;
	void *state;
	struct seen_answer seen[MAX_SEEN];
	int nseen;
};

static void record_answer(void *opaque, const struct dns_answer *a)
{
	struct fx *f = opaque;
	if (f->nseen >= MAX_SEEN)
		return;
	struct seen_answer *s = &f->seen[f->nseen++];
	snprintf(s->name, sizeof s->name, "%s", a->name);
	s->family = a->family;
	memcpy(s->addr, a->addr, 16);
	s->ttl = a->ttl;
}

static void fx_init(struct fx *f, const struct dissector *d, uint16_t cport, uint16_t sport)
{
	memset(f, 0, sizeof *f);
	f->d = d;
	meta_init(&f->meta);
	f->pkt.l4 = d->l4;
	f->pkt.family = 4;
	f->pkt.sport = cport;
	f->pkt.dport = sport;
	f->env.dns_answer = record_answer;
	f->env.opaque = f;
	f->state = calloc(1, d->state_size);
}

static void fx_fini(struct fx *f)
{
	meta_fini(&f->meta);
	free(f->state);
}

static struct dissect_in fx_in(struct fx *f, const uint8_t *data, size_t len, bool from_client)
{
	struct dissect_in in = {
		.data = data, .len = len, .from_client = from_client,
		.pkt = &f->pkt, .meta = &f->meta, .env = &f->env,
	};
	return in;
}

static enum probe_result fx_probe(struct fx *f, const uint8_t *data, size_t len, bool from_client)
{
	struct dissect_in in = fx_in(f, data, len, from_client);
	return f->d->probe(&in);
}

static enum parse_result fx_parse(struct fx *f, const uint8_t *data, size_t len, bool from_client)
{
	struct dissect_in in = fx_in(f, data, len, from_client);
	return f->d->parse(f->state, &in);
}

/* ---- messages ---------------------------------------------------------- */

/* www.example.com A query */
static const uint8_t q_www[] = {
	0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
};

/* Its response: www.example.com CNAME cdn.example.com (compressed twice),
 * cdn.example.com A 93.184.216.34, and other.test A 10.1.2.3. */
static const uint8_t r_www[] = {
	0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
	3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	0x00, 0x01, 0x00, 0x01,
	/* 33: */ 0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x06,
	/* 45: */ 3, 'c', 'd', 'n', 0xc0, 0x10,
	/* 51: */ 0xc0, 0x2d, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04,
	93, 184, 216, 34,
	5, 'o', 't', 'h', 'e', 'r', 4, 't', 'e', 's', 't', 0,
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 10, 1, 2, 3,
};

/* AAAA response for v6.example: 2001:db8::1, NXDOMAIN-free */
static const uint8_t r_aaaa[] = {
	0xab, 0xcd, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	2, 'v', '6', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0x00, 0x1c, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};

/* ---- name decoding ----------------------------------------------------- */

static void test_name_plain_and_compressed(void)
{
	struct rd r = rd_make(r_www, sizeof r_www);
	struct dns_name nm;
	rd_skip(&r, 12);
	CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_OK);
	CHECK_STR(nm.text, "www.example.com");
	CHECK_INT(nm.labels, 3);
	CHECK_INT(rd_pos(&r), 29);
	/* CNAME rdata: "cdn" + pointer to "example.com" */
	struct rd t = rd_make(r_www, sizeof r_www);
	rd_skip(&t, 45);
	CHECK_INT(dns_name_read(&t, &nm), DNS_NAME_OK);
	CHECK_STR(nm.text, "cdn.example.com");
	CHECK_INT(rd_pos(&t), 51); /* just past the first pointer */
	/* a pointer to a pointer */
	struct rd u = rd_make(r_www, sizeof r_www);
	rd_skip(&u, 51);
	CHECK_INT(dns_name_read(&u, &nm), DNS_NAME_OK);
	CHECK_STR(nm.text, "cdn.example.com");
	CHECK_INT(rd_pos(&u), 53);
}

static void test_name_compression_loop_rejected(void)
{
	/* a pointer to itself, a forward pointer, and a two-step cycle */
	const uint8_t self[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c };
	const uint8_t fwd[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x0e, 0xc0, 0x0c };
	const uint8_t cyc[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 0xc0, 0x0c };
	/* a forward pointer to a well-formed name: not what compressors make */
	const uint8_t fwd_ok[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x0e, 1, 'a', 0 };
	const uint8_t *msgs[] = { self, fwd, cyc, fwd_ok };
	size_t lens[] = { sizeof self, sizeof fwd, sizeof cyc, sizeof fwd_ok };
	for (int i = 0; i < 4; i++) {
		struct rd r = rd_make(msgs[i], lens[i]);
		struct dns_name nm;
		rd_skip(&r, 12);
		CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_BAD_POINTER);
		CHECK(!rd_ok(&r));
		CHECK_STR(nm.text, "");
	}
}

static void test_name_pointer_chain_bounded(void)
{
	/* 100 pointers, each to the one before it, ending at a root label:
	 * legal backwards but longer than the pointer budget. */
	uint8_t m[12 + 1 + 200];
	memset(m, 0, sizeof m);
	m[12] = 0; /* root at 12 */
	for (int i = 0; i < 100; i++) {
		size_t at = 13 + 2 * (size_t)i, target = i == 0 ? 12 : at - 2;
		m[at] = (uint8_t)(0xc0 | (target >> 8));
		m[at + 1] = (uint8_t)target;
	}
	struct rd r = rd_make(m, sizeof m);
	struct dns_name nm;
	rd_skip(&r, 13 + 2 * 99);
	CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_BAD_POINTER);
	struct rd ok = rd_make(m, sizeof m);
	rd_skip(&ok, 13 + 2 * 10); /* 11 hops: fine */
	CHECK_INT(dns_name_read(&ok, &nm), DNS_NAME_OK);
	CHECK_STR(nm.text, "");
}

static void test_name_bad_labels(void)
{
	const uint8_t ext[] = { 0x41, 'a', 0 };  /* 0x40 type: "length 65" */
	const uint8_t rsv[] = { 0x80, 'a', 0 };  /* 0x80 type */
	const uint8_t trunc[] = { 5, 'a', 'b' };
	struct dns_name nm;
	struct rd r = rd_make(ext, sizeof ext);
	CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_BAD_LABEL);
	r = rd_make(rsv, sizeof rsv);
	CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_BAD_LABEL);
	r = rd_make(trunc, sizeof trunc);
	CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_TRUNCATED);
	r = rd_make(trunc, 0);
	CHECK_INT(dns_name_skip(&r), DNS_NAME_TRUNCATED);
}

static void test_name_length_limit(void)
{
	/* 4 labels of 63 = 256 wire bytes with the root: too long;
	 * 3 of 63 + one of 61 = 255: the longest legal name (253 text). */
	uint8_t m[300];
	for (int variant = 0; variant < 2; variant++) {
		size_t p = 0;
		for (int l = 0; l < 4; l++) {
			int n = (variant == 1 && l == 3) ? 61 : 63;
			m[p++] = (uint8_t)n;
			memset(m + p, 'a' + l, (size_t)n);
			p += (size_t)n;
		}
		m[p++] = 0;
		struct rd r = rd_make(m, p);
		struct dns_name nm;
		if (variant == 0) {
			CHECK_INT(p, 257);
			CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_TOO_LONG);
		} else {
			CHECK_INT(p, 255);
			CHECK_INT(dns_name_read(&r, &nm), DNS_NAME_OK);
			CHECK_INT(nm.len, 253);
			CHECK_INT(strlen(nm.text), 253);
		}
	}
}

static void test_name_equal_ignores_case(void)
{
	struct dns_name a = { .len = 5, .text = "Ab.Cd", .labels = 2 };
	struct dns_name b = { .len = 5, .text = "aB.cD", .labels = 2 };
	struct dns_name c = { .len = 5, .text = "aB.cE", .labels = 2 };
	CHECK(dns_name_equal(&a, &b));
	CHECK(!dns_name_equal(&a, &c));
}

/* ---- UDP --------------------------------------------------------------- */

static void test_udp_query_then_response(void)
{
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 53);
	CHECK_INT(fx_probe(&f, q_www, sizeof q_www, true), PROBE_YES);
	CHECK_INT(fx_parse(&f, q_www, sizeof q_www, true), PARSE_MORE);
	CHECK_INT(f.meta.app, APP_DNS);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_QUERY);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "www.example.com");
	CHECK_INT(f.meta.dns_qtype, 1);
	CHECK(!meta_num(&f.meta, META_DNS_RCODE, NULL));

	f.pkt.sport = 53;
	f.pkt.dport = 40000;
	CHECK_INT(fx_parse(&f, r_www, sizeof r_www, false), PARSE_DONE);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_RESPONSE);
	uint64_t rcode = 99;
	CHECK(meta_num(&f.meta, META_DNS_RCODE, &rcode));
	CHECK_INT(rcode, 0);
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), "93.184.216.34\x1f" "10.1.2.3");
	CHECK_INT(f.nseen, 2);
	/* reached through the question's CNAME: reported under the asked name */
	CHECK_STR(f.seen[0].name, "www.example.com");
	CHECK_INT(f.seen[0].family, 4);
	const uint8_t want[16] = { 93, 184, 216, 34 };
	CHECK_MEM(f.seen[0].addr, want, 16);
	CHECK_INT(f.seen[0].ttl, 3600); /* the address record's own TTL */
	/* unrelated owner: reported under its own name */
	CHECK_STR(f.seen[1].name, "other.test");
	fx_fini(&f);
}

static void test_udp_response_without_query(void)
{
	struct fx f;
	fx_init(&f, &dissector_dns, 53, 40000); /* capture began mid-exchange */
	CHECK_INT(fx_probe(&f, r_aaaa, sizeof r_aaaa, true), PROBE_YES);
	CHECK_INT(fx_parse(&f, r_aaaa, sizeof r_aaaa, true), PARSE_DONE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "v6.example");
	CHECK_INT(f.meta.dns_qtype, 28);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_RESPONSE);
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), "2001:db8::1");
	CHECK_INT(f.nseen, 1);
	CHECK_INT(f.seen[0].family, 6);
	CHECK_STR(f.seen[0].name, "v6.example");
	CHECK_INT(f.seen[0].ttl, 60);
	CHECK_INT(f.seen[0].addr[0], 0x20);
	CHECK_INT(f.seen[0].addr[15], 1);
	fx_fini(&f);
}

static void test_udp_rcode_and_no_callback(void)
{
	uint8_t nx[sizeof q_www];
	memcpy(nx, q_www, sizeof nx);
	nx[2] = 0x81;
	nx[3] = 0x83; /* response, NXDOMAIN */
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 53);
	f.env.dns_answer = NULL;
	CHECK_INT(fx_parse(&f, nx, sizeof nx, false), PARSE_DONE);
	uint64_t rcode = 0;
	CHECK(meta_num(&f.meta, META_DNS_RCODE, &rcode));
	CHECK_INT(rcode, 3);
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), NULL);
	fx_fini(&f);
}

static void test_udp_first_question_wins(void)
{
	uint8_t q2[sizeof q_www];
	memcpy(q2, q_www, sizeof q2);
	q2[13] = 'x'; /* wxw.example.com */
	q2[30] = 28;
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 53);
	fx_parse(&f, q_www, sizeof q_www, true);
	fx_parse(&f, q2, sizeof q2, true);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "www.example.com");
	CHECK_INT(f.meta.dns_qtype, 1);
	fx_fini(&f);
}

static void test_udp_unanswered_queries_bounded(void)
{
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 53);
	int calls = 0;
	while (fx_parse(&f, q_www, sizeof q_www, true) == PARSE_MORE && calls < 1000)
		calls++;
	CHECK(calls > 0);
	CHECK(calls < 64);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_QUERY);
	fx_fini(&f);
}

static void test_udp_hostile_names_rejected(void)
{
	/* the header of a query whose question is a pointer to itself */
	const uint8_t zlip[] = {
		0xed, 0x69, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0xc0, 0x0c, 0xc0, 0x07, 0xc0, 0x10, 0xc0, 0x17, 0xc0, 0x20, 0xc0, 0x27,
		0xc0, 0x30, 0xc0, 0xff, 0xcf, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	};
	struct fx f;
	fx_init(&f, &dissector_dns, 1024, 53);
	/* not claimed; on a DNS port the next datagram may still be DNS */
	CHECK_INT(fx_probe(&f, zlip, sizeof zlip, true), PROBE_MAYBE);
	f.pkt.dport = 1025;
	CHECK_INT(fx_probe(&f, zlip, sizeof zlip, true), PROBE_NO);
	f.pkt.dport = 53;
	/* parse must survive it too (a later datagram of a DNS flow) */
	CHECK_INT(fx_parse(&f, zlip, sizeof zlip, true), PARSE_MORE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), NULL);
	/* a response whose answer owner loops: question kept, answers dropped */
	uint8_t bad[sizeof r_www];
	memcpy(bad, r_www, sizeof bad);
	bad[33] = 0xc0;
	bad[34] = 0x21; /* points at itself */
	CHECK_INT(fx_parse(&f, bad, sizeof bad, false), PARSE_DONE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "www.example.com");
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), NULL);
	CHECK_INT(f.nseen, 0);
	fx_fini(&f);
}

static void test_udp_odd_bytes_escaped(void)
{
	/* a label holding a NUL and an escape byte (found by fuzzing: names are
	 * counted, not NUL-terminated) */
	const uint8_t m[] = {
		0x00, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		4, 'a', 0x00, 0x1b, 'b', 3, 'c', 'o', 'm', 0, 0x00, 0x10, 0x00, 0x01,
	};
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 53);
	CHECK_INT(fx_probe(&f, m, sizeof m, true), PROBE_YES);
	fx_parse(&f, m, sizeof m, true);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "a\\x00\\x1bb.com");
	CHECK_INT(f.meta.dns_qtype, 16);
	/* the strict check elsewhere wants a printable name */
	f.pkt.dport = 40001;
	CHECK_INT(fx_probe(&f, m, sizeof m, true), PROBE_NO);
	fx_fini(&f);
}

static void test_udp_label_over_63_rejected(void)
{
	uint8_t m[sizeof q_www];
	memcpy(m, q_www, sizeof m);
	m[12] = 0x43; /* 0x40 label type */
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 40001);
	CHECK_INT(fx_probe(&f, m, sizeof m, true), PROBE_NO);
	f.pkt.dport = 53;
	CHECK_INT(fx_probe(&f, m, sizeof m, true), PROBE_MAYBE);
	fx_fini(&f);
}

static void test_udp_non_dns_not_detected(void)
{
	/* an NTP client request, a run of text, random-looking bytes and a
	 * DNS-like header with junk after the question, all on random ports */
	uint8_t ntp[48] = { 0x23 };
	const uint8_t text[] = "hello there, this is not a name server at all....";
	const uint8_t rnd[] = {
		0x9c, 0x21, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x04, 0xff, 0x10, 0x7a, 0x3e, 0x00, 0x00, 0x01, 0x00, 0x01, 0x55, 0x66,
	};
	uint8_t junk[sizeof q_www + 3];
	memcpy(junk, q_www, sizeof q_www);
	memset(junk + sizeof q_www, 0xee, 3);
	struct fx f;
	fx_init(&f, &dissector_dns, 40001, 40002);
	CHECK_INT(fx_probe(&f, ntp, sizeof ntp, true), PROBE_NO);
	CHECK_INT(fx_probe(&f, text, sizeof text - 1, true), PROBE_NO);
	CHECK_INT(fx_probe(&f, rnd, sizeof rnd, true), PROBE_NO);
	CHECK_INT(fx_probe(&f, junk, sizeof junk, true), PROBE_NO);
	CHECK_INT(fx_probe(&f, q_www, 5, true), PROBE_NO);
	/* a clean message is still recognised away from port 53 */
	CHECK_INT(fx_probe(&f, q_www, sizeof q_www, true), PROBE_YES);
	CHECK_INT(fx_probe(&f, r_www, sizeof r_www, false), PROBE_YES);
	/* the lenient check on a DNS port takes what the strict one refused */
	f.pkt.dport = 53;
	CHECK_INT(fx_probe(&f, junk, sizeof junk, true), PROBE_YES);
	fx_fini(&f);
}

static void test_mdns(void)
{
	/* query for _ipp._tcp.local PTR with the unicast-response bit */
	const uint8_t q[] = {
		0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		4, '_', 'i', 'p', 'p', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0,
		0x00, 0x0c, 0x80, 0x01,
	};
	/* an announcement: no question, host.local A 10.0.2.7 (cache flush) */
	const uint8_t ann[] = {
		0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		4, 'h', 'o', 's', 't', 5, 'l', 'o', 'c', 'a', 'l', 0,
		0x00, 0x01, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x04, 10, 0, 2, 7,
	};
	struct fx f;
	fx_init(&f, &dissector_dns, 5353, 5353);
	CHECK_INT(fx_probe(&f, ann, sizeof ann, true), PROBE_YES);
	/* without a question yet the flow is not finished */
	CHECK_INT(fx_parse(&f, ann, sizeof ann, true), PARSE_MORE);
	CHECK_INT(f.meta.app, APP_MDNS);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_RESPONSE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), NULL);
	CHECK_INT(f.nseen, 1);
	CHECK_STR(f.seen[0].name, "host.local");
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), "10.0.2.7");
	CHECK_INT(fx_parse(&f, q, sizeof q, true), PARSE_DONE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "_ipp._tcp.local");
	CHECK_INT(f.meta.dns_qtype, 12);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_RESPONSE);
	fx_fini(&f);
}

static void test_llmnr(void)
{
	const uint8_t q[] = {
		0xc3, 0x41, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		6, 'h', 's', '2', '0', '1', '1', 0, 0x00, 0x01, 0x00, 0x01,
	};
	const uint8_t r[] = {
		0xc3, 0x41, 0x80, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		6, 'h', 's', '2', '0', '1', '1', 0, 0x00, 0x01, 0x00, 0x01,
		0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x04,
		192, 168, 10, 101,
	};
	struct fx f;
	fx_init(&f, &dissector_dns, 54022, 5355);
	CHECK_INT(fx_probe(&f, q, sizeof q, true), PROBE_YES);
	CHECK_INT(fx_parse(&f, q, sizeof q, true), PARSE_MORE);
	CHECK_INT(f.meta.app, APP_LLMNR);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "hs2011");
	f.pkt.sport = 5355;
	f.pkt.dport = 54022;
	CHECK_INT(fx_parse(&f, r, sizeof r, false), PARSE_DONE);
	CHECK_INT(f.meta.app, APP_LLMNR);
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), "192.168.10.101");
	CHECK_STR(f.seen[0].name, "hs2011");
	fx_fini(&f);
}

static void test_answers_bounded(void)
{
	/* 40 A answers: only a bounded number are kept */
	uint8_t m[12 + 17 + 40 * 16];
	size_t p = 0;
	const uint8_t hdr[] = { 0, 1, 0x81, 0x80, 0, 1, 0, 40, 0, 0, 0, 0 };
	memcpy(m, hdr, sizeof hdr);
	p = sizeof hdr;
	const uint8_t qs[] = { 4, 'm', 'a', 'n', 'y', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 };
	memcpy(m + p, qs, sizeof qs);
	p += sizeof qs;
	for (int i = 0; i < 40; i++) {
		const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, (uint8_t)i };
		memcpy(m + p, rr, sizeof rr);
		p += sizeof rr;
	}
	struct fx f;
	fx_init(&f, &dissector_dns, 40000, 53);
	CHECK_INT(fx_parse(&f, m, p, false), PARSE_DONE);
	const char *a = meta_str(&f.meta, META_DNS_ANSWERS);
	CHECK(a != NULL);
	int items = a ? 1 : 0;
	for (const char *s = a; s && *s; s++)
		items += *s == META_LIST_SEP;
	CHECK_INT(items, 16);
	CHECK_INT(f.nseen, MAX_SEEN); /* the callback sees every one (capped by the fixture) */
	fx_fini(&f);
}

/* ---- TCP --------------------------------------------------------------- */

static size_t framed(uint8_t *out, const uint8_t *msg, size_t n)
{
	out[0] = (uint8_t)(n >> 8);
	out[1] = (uint8_t)n;
	memcpy(out + 2, msg, n);
	return n + 2;
}

static void test_tcp_split_over_two_segments(void)
{
	uint8_t cli[256];
	size_t n = framed(cli, q_www, sizeof q_www);
	struct fx f;
	fx_init(&f, &dissector_dns_tcp, 49342, 53);
	CHECK_INT(fx_probe(&f, cli, 1, true), PROBE_MAYBE);
	CHECK_INT(fx_probe(&f, cli, 10, true), PROBE_MAYBE);
	CHECK_INT(fx_probe(&f, cli, n, true), PROBE_YES);
	CHECK_INT(fx_parse(&f, cli, 20, true), PARSE_MORE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), NULL);
	CHECK_INT(fx_parse(&f, cli, n, true), PARSE_MORE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "www.example.com");
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_QUERY);

	uint8_t srv[256];
	size_t m = framed(srv, r_www, sizeof r_www);
	CHECK_INT(fx_parse(&f, srv, 40, false), PARSE_MORE);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_QUERY);
	CHECK_INT(fx_parse(&f, srv, m, false), PARSE_DONE);
	CHECK_INT(f.meta.app_state, APP_STATE_DNS_RESPONSE);
	CHECK_STR(meta_str(&f.meta, META_DNS_ANSWERS), "93.184.216.34\x1f" "10.1.2.3");
	fx_fini(&f);
}

static void test_tcp_two_messages_in_one_segment(void)
{
	/* an answer-only message, then the response with the question: both
	 * arrive in one segment and the second one supplies the question */
	const uint8_t first[] = {
		0x00, 0x07, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		1, 'h', 0, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4,
	};
	uint8_t srv[512];
	size_t n = framed(srv, first, sizeof first);
	n += framed(srv + n, r_aaaa, sizeof r_aaaa);
	struct fx f;
	fx_init(&f, &dissector_dns_tcp, 40000, 53);
	CHECK_INT(fx_probe(&f, srv, n, false), PROBE_YES);
	CHECK_INT(fx_parse(&f, srv, n, false), PARSE_DONE);
	CHECK_STR(meta_str(&f.meta, META_DNS_QUERY), "v6.example");
	CHECK_INT(f.meta.dns_qtype, 28);
	CHECK_INT(f.nseen, 1);
	CHECK_STR(f.seen[0].name, "h");
	fx_fini(&f);
}

static void test_tcp_bad_framing_stops(void)
{
	const uint8_t junk[] = { 0x00, 0x03, 1, 2, 3, 0x00, 0x20 };
	struct fx f;
	fx_init(&f, &dissector_dns_tcp, 40000, 53);
	CHECK_INT(fx_probe(&f, junk, sizeof junk, true), PROBE_NO);
	CHECK_INT(fx_parse(&f, junk, sizeof junk, true), PARSE_MORE);
	CHECK_INT(fx_parse(&f, junk, sizeof junk, false), PARSE_DONE);
	fx_fini(&f);
}

static void test_tcp_non_dns_not_detected(void)
{
	const uint8_t http[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
	struct fx f;
	fx_init(&f, &dissector_dns_tcp, 40000, 8080);
	CHECK_INT(fx_probe(&f, http, sizeof http - 1, true), PROBE_NO);
	uint8_t cli[256];
	size_t n = framed(cli, q_www, sizeof q_www);
	/* on another port only a whole, clean message counts */
	CHECK_INT(fx_probe(&f, cli, n - 1, true), PROBE_MAYBE);
	CHECK_INT(fx_probe(&f, cli, n, true), PROBE_YES);
	struct dissect_in in = fx_in(&f, cli, n - 1, true);
	in.stream_full = true;
	CHECK_INT(dissector_dns_tcp.probe(&in), PROBE_NO);
	fx_fini(&f);
}

int main(void)
{
	RUN(test_name_plain_and_compressed);
	RUN(test_name_compression_loop_rejected);
	RUN(test_name_pointer_chain_bounded);
	RUN(test_name_bad_labels);
	RUN(test_name_length_limit);
	RUN(test_name_equal_ignores_case);
	RUN(test_udp_query_then_response);
	RUN(test_udp_response_without_query);
	RUN(test_udp_rcode_and_no_callback);
	RUN(test_udp_first_question_wins);
	RUN(test_udp_unanswered_queries_bounded);
	RUN(test_udp_hostile_names_rejected);
	RUN(test_udp_odd_bytes_escaped);
	RUN(test_udp_label_over_63_rejected);
	RUN(test_udp_non_dns_not_detected);
	RUN(test_mdns);
	RUN(test_llmnr);
	RUN(test_answers_bounded);
	RUN(test_tcp_split_over_two_segments);
	RUN(test_tcp_two_messages_in_one_segment);
	RUN(test_tcp_bad_framing_stops);
	RUN(test_tcp_non_dns_not_detected);
	return check_summary("test_dns");
}

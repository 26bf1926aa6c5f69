/* Unit tests for src/dissect/quic.c: probing, Initial decryption through
 * the dissector (RFC 9001 A.2), CRYPTO reassembly across datagrams in any
 * order, the server's ServerHello, states, CONNECTION_CLOSE, Google QUIC,
 * and what is not QUIC.
 * Packets other than the RFC's are built here and protected with
 * quic_packet_seal(). */
#include "check.h"

#include <stdlib.h>

#include "dissect/dissector.h"
#include "dissect/quic_keys.h"

extern const struct dissector dissector_quic;

#include "rfc9001_vectors.h"

/* ---- a flow: state, meta and a budget, fed one datagram at a time ---- */

struct flow {
	void *state;
	struct flow_meta meta;
	size_t buffered;
	struct dpi_env env;
	bool claimed;
};

/* A number the dissector stored, 0 when none. */
static uint64_t meta_number(const struct flow_meta *m, enum meta_key k)
{
	uint64_t v = 0;
	meta_num(m, k, &v);
	return v;
}

static void flow_init(struct flow *f, size_t limit)
{
	memset(f, 0, sizeof *f);
	meta_init(&f->meta);
	f->state = calloc(1, dissector_quic.state_size);
	f->env.buffered_bytes = &f->buffered;
	f->env.buffered_limit = limit;
}

static void flow_fini(struct flow *f)
{
	dissector_quic.state_fini(f->state);
	free(f->state);
	meta_fini(&f->meta);
}

static struct dissect_in flow_in(struct flow *f, const uint8_t *p, size_t n, bool from_client)
{
	struct dissect_in in = { p, n, from_client, false, NULL, &f->meta, &f->env, NULL };
	return in;
}

static enum probe_result probe(const uint8_t *p, size_t n, bool from_client)
{
	struct flow_meta m;
	meta_init(&m);
	struct dissect_in in = { p, n, from_client, false, NULL, &m, NULL, NULL };
	enum probe_result r = dissector_quic.probe(&in);
	meta_fini(&m);
	return r;
}

static enum parse_result feed(struct flow *f, const uint8_t *p, size_t n, bool from_client)
{
	struct dissect_in in = flow_in(f, p, n, from_client);
	return dissector_quic.parse(f->state, &in);
}

/* ---- building packets ---- */

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct buf *w, const void *p, size_t n)
{
	if (w->n + n <= sizeof w->b)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void put8(struct buf *w, unsigned v)
{
	uint8_t b = (uint8_t)v;
	put(w, &b, 1);
}

static void put16(struct buf *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v);
}

static void put24(struct buf *w, unsigned v)
{
	put8(w, v >> 16);
	put16(w, v);
}

static void put32(struct buf *w, uint32_t v)
{
	put16(w, v >> 16);
	put16(w, v);
}

/* 2-byte varint: enough for every length here */
static void putv2(struct buf *w, unsigned v)
{
	put16(w, 0x4000 | v);
}

static void patch16(struct buf *w, size_t at, size_t v)
{
	w->b[at] = (uint8_t)(v >> 8);
	w->b[at + 1] = (uint8_t)v;
}

/* A TLS 1.3 ClientHello handshake message with SNI, one ALPN protocol,
 * QUIC transport parameters (max_idle_timeout) and `pad` bytes of the
 * padding extension to make it as long as a test needs. */
static void build_hello(struct buf *w, const char *sni, const char *alpn, uint32_t idle_ms, size_t pad)
{
	static const uint8_t random[32] = { 0x11 };
	w->n = 0;
	put8(w, 1);
	put24(w, 0);
	put16(w, 0x0303);
	put(w, random, sizeof random);
	put8(w, 0);                   /* session id */
	put16(w, 2), put16(w, 0x1301); /* cipher suites */
	put8(w, 1), put8(w, 0);       /* compression */
	size_t ext_len = w->n;
	put16(w, 0);
	size_t sl = strlen(sni), al = strlen(alpn);
	put16(w, 0x0000), put16(w, (unsigned)sl + 5), put16(w, (unsigned)sl + 3), put8(w, 0);
	put16(w, (unsigned)sl), put(w, sni, sl);
	put16(w, 0x0010), put16(w, (unsigned)al + 3), put16(w, (unsigned)al + 1), put8(w, (unsigned)al);
	put(w, alpn, al);
	put16(w, 0x002b), put16(w, 3), put8(w, 2), put16(w, 0x0304);
	put16(w, 0x0039), put16(w, 6), put8(w, 0x01), put8(w, 4), put32(w, 0x80000000u | idle_ms);
	put16(w, 0x0015), put16(w, (unsigned)pad);
	for (size_t i = 0; i < pad; i++)
		put8(w, 0);
	patch16(w, ext_len, w->n - ext_len - 2);
	w->b[1] = (uint8_t)((w->n - 4) >> 16);
	w->b[2] = (uint8_t)((w->n - 4) >> 8);
	w->b[3] = (uint8_t)(w->n - 4);
}

static void crypto_frame(struct buf *w, size_t off, const uint8_t *p, size_t n)
{
	put8(w, 0x06), putv2(w, (unsigned)off), putv2(w, (unsigned)n), put(w, p, n);
}

static const uint8_t dcid_a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t dcid_b[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
static const uint8_t scid_c[4] = { 0xc0, 0xc1, 0xc2, 0xc3 };

struct initial_spec {
	uint32_t version;
	enum quic_salt salt;
	bool server;
	const uint8_t *key_cid; /* client's first DCID: derives the keys */
	const uint8_t *dcid;    /* DCID on the wire */
	size_t dcid_len;
	uint64_t pn;
};

/* A protected Initial packet carrying `frames`, padded to 1200 bytes. */
static void build_initial(struct buf *out, const struct initial_spec *s, const struct buf *frames)
{
	const size_t total = 1200;
	out->n = 0;
	put8(out, (s->version == 0x6b3343cf ? 0xd0 : 0xc0) | 0x03);
	put32(out, s->version);
	put8(out, (unsigned)s->dcid_len), put(out, s->dcid, s->dcid_len);
	put8(out, sizeof scid_c), put(out, scid_c, sizeof scid_c);
	put8(out, 0);                                   /* token */
	size_t len_at = out->n;
	putv2(out, 0);
	size_t pn_off = out->n;
	put32(out, 0);
	put(out, frames->b, frames->n);
	while (out->n < total - QUIC_TAG_LEN)
		put8(out, 0);                           /* PADDING */
	out->n = total;
	patch16(out, len_at, 0x4000 | (total - pn_off));
	struct quic_keys k;
	CHECK(quic_keys_initial(s->salt, s->key_cid, 8, s->server, &k));
	CHECK(quic_packet_seal(&k, out->b, pn_off, out->n, s->pn));
}

static const uint8_t short_pkt[40] = { 0x41, 0xaa, 0xbb, 0xcc };

/* A Handshake packet (contents irrelevant: never decrypted). */
static size_t build_handshake(uint8_t *out, uint32_t version)
{
	struct buf w = { .n = 0 };
	put8(&w, (version == 0x6b3343cf ? 0xf0 : 0xe0) | 0x01);
	put32(&w, version);
	put8(&w, sizeof dcid_a), put(&w, dcid_a, sizeof dcid_a);
	put8(&w, 0);
	putv2(&w, 40);
	for (int i = 0; i < 40; i++)
		put8(&w, (unsigned)i);
	memcpy(out, w.b, w.n);
	return w.n;
}

/* ---- tests ---- */

static void test_rfc9001_client_initial(void)
{
	uint8_t pkt[1200];
	CHECK_INT(check_unhex(rfc9001_client_initial, pkt, sizeof pkt), 1200);
	CHECK_INT(probe(pkt, sizeof pkt, true), PROBE_YES);
	struct flow f;
	flow_init(&f, 1 << 20);
	CHECK_INT(feed(&f, pkt, sizeof pkt, true), PARSE_MORE);
	CHECK_INT(f.meta.app, APP_QUIC);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x00000001);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_INITIAL);
	CHECK_STR(meta_str(&f.meta, META_SNI), "example.com");
	CHECK_STR(meta_str(&f.meta, META_ALPN), "alpn");
	CHECK_INT(meta_number(&f.meta, META_QUIC_IDLE_MS), 30000);
	CHECK_INT(f.buffered, 0); /* whole hello in one frame: nothing buffered */
	flow_fini(&f);
}

/* A damaged Initial is still QUIC but yields nothing. */
static void test_corrupt_initial_yields_nothing(void)
{
	uint8_t pkt[1200];
	check_unhex(rfc9001_client_initial, pkt, sizeof pkt);
	pkt[700] ^= 0x40;
	struct flow f;
	flow_init(&f, 1 << 20);
	CHECK_INT(feed(&f, pkt, sizeof pkt, true), PARSE_MORE);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 1);
	CHECK_STR(meta_str(&f.meta, META_SNI), NULL);
	flow_fini(&f);
}

/* A ClientHello of ~1.9 KB in two Initial datagrams, second one first. */
static void check_split_hello(uint32_t version, enum quic_salt salt)
{
	struct buf hello, fr, d1, d2;
	build_hello(&hello, "split.example.org", "h3", 25000, 1800);
	size_t cut = 1000;
	struct initial_spec s = { version, salt, false, dcid_a, dcid_a, 8, 0 };
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, cut);
	build_initial(&d1, &s, &fr);
	fr.n = 0;
	crypto_frame(&fr, cut, hello.b + cut, hello.n - cut);
	s.pn = 1;
	build_initial(&d2, &s, &fr);

	CHECK_INT(probe(d2.b, d2.n, true), PROBE_YES);
	struct flow f;
	flow_init(&f, 1 << 20);
	CHECK_INT(feed(&f, d2.b, d2.n, true), PARSE_MORE);
	CHECK_STR(meta_str(&f.meta, META_SNI), NULL);
	CHECK(f.buffered > 0); /* the tail waits in the reassembly buffer */
	CHECK_INT(feed(&f, d1.b, d1.n, true), PARSE_MORE);
	CHECK_STR(meta_str(&f.meta, META_SNI), "split.example.org");
	CHECK_STR(meta_str(&f.meta, META_ALPN), "h3");
	CHECK_INT(meta_number(&f.meta, META_QUIC_IDLE_MS), 25000);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), version);
	CHECK_INT(f.buffered, 0); /* released once parsed */
	flow_fini(&f);
}

static void test_split_hello_reverse_order_v1(void)
{
	check_split_hello(0x00000001, QUIC_SALT_V1);
}

static void test_split_hello_reverse_order_v2(void)
{
	check_split_hello(0x6b3343cf, QUIC_SALT_V2);
}

static void test_split_hello_draft29(void)
{
	check_split_hello(0xff00001d, QUIC_SALT_D29);
}

/* Chrome-style: several CRYPTO frames of one packet, out of order,
 * overlapping, with PING and PADDING between them. */
static void test_shuffled_crypto_frames_in_one_packet(void)
{
	struct buf hello, fr, d;
	build_hello(&hello, "shuffle.example", "h3", 0, 300);
	size_t n = hello.n;
	fr.n = 0;
	crypto_frame(&fr, 200, hello.b + 200, n - 200);
	put8(&fr, 0x01), put8(&fr, 0x00), put8(&fr, 0x00);
	crypto_frame(&fr, 50, hello.b + 50, 200);
	put8(&fr, 0x01);
	crypto_frame(&fr, 0, hello.b, 60);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 7 };
	build_initial(&d, &s, &fr);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, d.b, d.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), "shuffle.example");
	CHECK_INT(meta_number(&f.meta, META_QUIC_IDLE_MS), 0); /* 0 means "no timeout": left unknown */
	CHECK_INT(f.buffered, 0);
	flow_fini(&f);
}

/* DNS over QUIC (RFC 9250): ALPN "doq" on any port, or UDP port 853. */
static void check_doq(const char *alpn, uint16_t port, const char *want)
{
	struct buf hello, fr, d;
	build_hello(&hello, "dns.example", alpn, 0, 0);
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&d, &s, &fr);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, d.b, d.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), "dns.example");
	CHECK_STR(meta_app_name(&f.meta, port), want);
	flow_fini(&f);
}

static void test_dns_over_quic_label(void)
{
	check_doq("doq", 8853, "DoQ");
	check_doq("h3", 853, "DoQ");
	check_doq("h3", 443, "QUIC");
	check_doq("doqx", 443, "QUIC"); /* a whole ALPN item, not a prefix */
}

/* PADDING runs of every length around a word (the parser skips them a
 * word at a time) between CRYPTO frames, and a CONNECTION_CLOSE after the
 * last run: every frame behind a run is still found. */
static void test_padding_runs_between_frames(void)
{
	static const size_t runs[] = { 1, 2, 7, 8, 9, 15, 16, 17, 31 };
	struct buf hello, fr, d;
	build_hello(&hello, "padding.example", "h3", 0, 0);
	size_t cut = hello.n / 2;
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		size_t run = runs[i];
		fr.n = 0;
		for (size_t j = 0; j < run; j++)
			put8(&fr, 0x00);
		crypto_frame(&fr, cut, hello.b + cut, hello.n - cut);
		for (size_t j = 0; j < run + 1; j++)
			put8(&fr, 0x00);
		crypto_frame(&fr, 0, hello.b, cut);
		for (size_t j = 0; j < run + 2; j++)
			put8(&fr, 0x00);
		put8(&fr, 0x1c), put8(&fr, 0x00), put8(&fr, 0x00), put8(&fr, 0);
		struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, run };
		build_initial(&d, &s, &fr);
		struct flow f;
		flow_init(&f, 1 << 20);
		feed(&f, d.b, d.n, true);
		CHECK_STR(meta_str(&f.meta, META_SNI), "padding.example");
		CHECK_INT(f.meta.app_state, APP_STATE_QUIC_DRAINING);
		flow_fini(&f);
	}
}

/* The reassembly buffer obeys the worker's budget. */
static void test_reassembly_respects_budget(void)
{
	struct buf hello, fr, d1, d2;
	build_hello(&hello, "budget.example", "h3", 1, 1800);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, 900);
	build_initial(&d1, &s, &fr);
	fr.n = 0;
	crypto_frame(&fr, 900, hello.b + 900, hello.n - 900);
	s.pn = 1;
	build_initial(&d2, &s, &fr);
	struct flow f;
	flow_init(&f, 512);
	feed(&f, d1.b, d1.n, true);
	CHECK_INT(f.buffered, 0);
	feed(&f, d2.b, d2.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), NULL);
	CHECK_INT(f.buffered, 0);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_INITIAL);
	flow_fini(&f);
}

/* Initial from both sides, Handshake from both sides, then 1-RTT: the
 * states advance and inspection stops once connected with the SNI known. */
static void test_states_to_connected(void)
{
	struct buf hello, fr, ci, si;
	build_hello(&hello, "states.example", "h3", 10000, 0);
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&ci, &s, &fr);
	fr.n = 0;
	put8(&fr, 0x02), put8(&fr, 0), put8(&fr, 0), put8(&fr, 0), put8(&fr, 0); /* ACK */
	struct initial_spec ss = { 1, QUIC_SALT_V1, true, dcid_a, scid_c, 4, 0 };
	build_initial(&si, &ss, &fr);
	uint8_t hs[64];
	size_t hs_len = build_handshake(hs, 1);

	struct flow f;
	flow_init(&f, 1 << 20);
	CHECK_INT(feed(&f, ci.b, ci.n, true), PARSE_MORE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_INITIAL);
	CHECK_INT(feed(&f, si.b, si.n, false), PARSE_MORE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_HANDSHAKE);
	CHECK_INT(feed(&f, hs, hs_len, false), PARSE_MORE);
	CHECK_INT(feed(&f, short_pkt, sizeof short_pkt, false), PARSE_MORE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_HANDSHAKE);
	CHECK_INT(feed(&f, short_pkt, sizeof short_pkt, true), PARSE_DONE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_CONNECTED);
	CHECK_STR(meta_str(&f.meta, META_SNI), "states.example");
	flow_fini(&f);

	/* Handshake packets from both sides also mean connected */
	flow_init(&f, 1 << 20);
	feed(&f, ci.b, ci.n, true);
	feed(&f, hs, hs_len, false);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_HANDSHAKE);
	CHECK_INT(feed(&f, hs, hs_len, true), PARSE_DONE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_CONNECTED);
	flow_fini(&f);
}

/* A server Initial opens with keys from the client's DCID, remembered by
 * the flow: its CONNECTION_CLOSE is seen (draining), the peer's answer
 * closes. */
static void test_connection_close(void)
{
	struct buf hello, fr, ci, si, ci2;
	build_hello(&hello, "close.example", "h3", 0, 0);
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&ci, &s, &fr);
	fr.n = 0;
	put8(&fr, 0x1c), put8(&fr, 0x0a), put8(&fr, 0x06), put8(&fr, 3), put(&fr, "bye", 3);
	struct initial_spec ss = { 1, QUIC_SALT_V1, true, dcid_a, scid_c, 4, 0 };
	build_initial(&si, &ss, &fr);
	fr.n = 0;
	put8(&fr, 0x1d), put8(&fr, 0x00), put8(&fr, 0);
	s.pn = 1;
	s.dcid = scid_c, s.dcid_len = 4; /* the client now addresses the server's CID */
	build_initial(&ci2, &s, &fr);

	struct flow f;
	flow_init(&f, 1 << 20);
	CHECK_INT(feed(&f, ci.b, ci.n, true), PARSE_MORE);
	CHECK_INT(feed(&f, si.b, si.n, false), PARSE_MORE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_DRAINING);
	CHECK_INT(feed(&f, ci2.b, ci2.n, true), PARSE_DONE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_CLOSED);
	flow_fini(&f);

	/* without the client's Initial the server's cannot be opened */
	flow_init(&f, 1 << 20);
	feed(&f, si.b, si.n, false);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_HANDSHAKE);
	flow_fini(&f);
}

/* RFC 9368: the server answers a v1 Initial in v2, keyed from the same
 * client DCID with the v2 salt; the client follows in v2. */
static void test_compatible_version_negotiation(void)
{
	struct buf hello, fr, ci, si;
	build_hello(&hello, "compat.example", "h3", 0, 0);
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&ci, &s, &fr);
	fr.n = 0;
	put8(&fr, 0x1c), put8(&fr, 0x01), put8(&fr, 0x00), put8(&fr, 0);
	struct initial_spec ss = { 0x6b3343cf, QUIC_SALT_V2, true, dcid_a, scid_c, 4, 0 };
	build_initial(&si, &ss, &fr);
	uint8_t hs[64];
	size_t hs_len = build_handshake(hs, 0x6b3343cf);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, ci.b, ci.n, true);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 1);
	feed(&f, si.b, si.n, false);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_DRAINING);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 1); /* a server does not overwrite the client's */
	feed(&f, hs, hs_len, true);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x6b3343cf);
	flow_fini(&f);
}

/* After a Retry the client's Initials use keys from the new DCID. */
static void test_new_keys_after_retry(void)
{
	struct buf hello, fr, c1, c2;
	build_hello(&hello, "retry.example", "h3", 0, 0);
	fr.n = 0;
	put8(&fr, 0x01);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&c1, &s, &fr); /* a PING only */
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s2 = { 1, QUIC_SALT_V1, false, dcid_b, dcid_b, 8, 1 };
	build_initial(&c2, &s2, &fr);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, c1.b, c1.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), NULL);
	feed(&f, c2.b, c2.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), "retry.example");
	flow_fini(&f);
}

/* Coalesced: Initial + Handshake + 1-RTT in one server datagram. */
static void test_coalesced_datagram(void)
{
	struct buf hello, fr, ci, si;
	build_hello(&hello, "coalesce.example", "h3", 0, 0);
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s = { 0x6b3343cf, QUIC_SALT_V2, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&ci, &s, &fr);
	fr.n = 0;
	put8(&fr, 0x1c), put8(&fr, 0x01), put8(&fr, 0x00), put8(&fr, 0);
	struct initial_spec ss = { 0x6b3343cf, QUIC_SALT_V2, true, dcid_a, scid_c, 4, 3 };
	build_initial(&si, &ss, &fr);
	uint8_t dg[1400];
	memcpy(dg, si.b, si.n);
	size_t n = si.n + build_handshake(dg + si.n, 0x6b3343cf);
	memcpy(dg + n, short_pkt, sizeof short_pkt);
	n += sizeof short_pkt;
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, ci.b, ci.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), "coalesce.example");
	feed(&f, dg, n, false);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_DRAINING); /* the close in the Initial */
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x6b3343cf);
	flow_fini(&f);
}

/* A TLS 1.3 ServerHello (RFC 8446 4.1.3) choosing `suite`, as QUIC
 * sends it: empty session id, supported_versions 0x0304. */
static void build_server_hello(struct buf *w, uint16_t suite)
{
	static const uint8_t random[32] = { 0x22 };
	w->n = 0;
	put8(w, 2), put24(w, 0);
	put16(w, 0x0303), put(w, random, sizeof random);
	put8(w, 0);                            /* session id echo */
	put16(w, suite), put8(w, 0);           /* cipher suite, compression */
	put16(w, 6), put16(w, 0x002b), put16(w, 2), put16(w, 0x0304);
	w->b[3] = (uint8_t)(w->n - 4);
}

/* The server's Initial carries the ServerHello at the start of its CRYPTO
 * stream, after an ACK: the negotiated cipher suite is read from it; a
 * CRYPTO frame further into the stream, or a second hello, is not one. */
static void test_server_hello(void)
{
	struct buf hello, fr, ci, si, si2, sh;
	build_hello(&hello, "server-hello.example", "h3", 0, 0);
	fr.n = 0;
	crypto_frame(&fr, 0, hello.b, hello.n);
	struct initial_spec s = { 1, QUIC_SALT_V1, false, dcid_a, dcid_a, 8, 0 };
	build_initial(&ci, &s, &fr);
	build_server_hello(&sh, 0x1302);
	fr.n = 0;
	put8(&fr, 0x02), put8(&fr, 0), put8(&fr, 0), put8(&fr, 0), put8(&fr, 0); /* ACK */
	crypto_frame(&fr, 0, sh.b, sh.n);
	struct initial_spec ss = { 1, QUIC_SALT_V1, true, dcid_a, scid_c, 4, 0 };
	build_initial(&si, &ss, &fr);
	build_server_hello(&sh, 0x1303);
	fr.n = 0;
	crypto_frame(&fr, 0, sh.b, sh.n);
	ss.pn = 1;
	build_initial(&si2, &ss, &fr);

	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, ci.b, ci.n, true);
	CHECK_INT(f.meta.tls_cipher, 0);
	CHECK_STR(meta_str(&f.meta, META_TLS_CIPHER), NULL);
	feed(&f, si.b, si.n, false);
	CHECK_INT(f.meta.tls_cipher, 0x1302);
	CHECK_STR(meta_str(&f.meta, META_TLS_CIPHER), "TLS_AES_256_GCM_SHA384");
	CHECK_INT(f.meta.tls_version, 0x0304);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_HANDSHAKE);
	feed(&f, si2.b, si2.n, false); /* a second hello: the first one stands */
	CHECK_INT(f.meta.tls_cipher, 0x1302);
	flow_fini(&f);

	/* a CRYPTO frame that does not start the stream holds no hello */
	fr.n = 0;
	crypto_frame(&fr, 100, sh.b, sh.n);
	ss.pn = 0;
	build_initial(&si, &ss, &fr);
	flow_init(&f, 1 << 20);
	feed(&f, ci.b, ci.n, true);
	feed(&f, si.b, si.n, false);
	CHECK_INT(f.meta.tls_cipher, 0);
	CHECK_STR(meta_str(&f.meta, META_TLS_CIPHER), NULL);
	flow_fini(&f);
}

/* Google QUIC Q046: long header, CHLO in the clear. */
static void build_chlo(struct buf *w, const char *sni)
{
	static const char pad[] = "----";
	size_t sl = strlen(sni);
	put(w, "CHLO", 4), put8(w, 3), put8(w, 0), put16(w, 0);
	put(w, "PAD\0", 4), put8(w, 4), put8(w, 0), put16(w, 0);
	put(w, "SNI\0", 4), put8(w, (unsigned)(4 + sl)), put8(w, 0), put16(w, 0);
	put(w, "VER\0", 4), put8(w, (unsigned)(8 + sl)), put8(w, 0), put16(w, 0);
	put(w, pad, 4), put(w, sni, sl), put(w, "Q046", 4);
}

static void test_gquic_q046(void)
{
	static const uint8_t hdr[] = { 0xc3, 'Q', '0', '4', '6', 0x50, 1, 2, 3, 4, 5, 6, 7, 8,
				       0, 0, 0, 1 };
	struct buf w = { .n = 0 };
	put(&w, hdr, sizeof hdr);
	for (int i = 0; i < 12; i++) /* message hash */
		put8(&w, 0x5a);
	put8(&w, 0xa0), put8(&w, 0x01), put16(&w, 60); /* STREAM frame, stream 1 */
	build_chlo(&w, "www.example.net");
	CHECK_INT(probe(w.b, w.n, true), PROBE_YES);
	struct flow f;
	flow_init(&f, 1 << 20);
	CHECK_INT(feed(&f, w.b, w.n, true), PARSE_MORE);
	CHECK_INT(f.meta.app, APP_GQUIC);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x51303436);
	CHECK_STR(meta_str(&f.meta, META_SNI), "www.example.net");
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_INITIAL);
	feed(&f, short_pkt, sizeof short_pkt, false);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_HANDSHAKE);
	CHECK_INT(feed(&f, short_pkt, sizeof short_pkt, true), PARSE_DONE);
	CHECK_INT(f.meta.app_state, APP_STATE_QUIC_CONNECTED);
	flow_fini(&f);
}

/* Q043: public header with flags, 8-byte CID, then the version. */
static void test_gquic_q043(void)
{
	static const uint8_t hdr[] = { 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 'Q', '0', '4', '3', 0x01 };
	struct buf w = { .n = 0 };
	put(&w, hdr, sizeof hdr);
	for (int i = 0; i < 12; i++)
		put8(&w, 0x5a);
	put8(&w, 0xa0), put8(&w, 0x01), put16(&w, 60);
	build_chlo(&w, "q43.example");
	CHECK_INT(probe(w.b, w.n, true), PROBE_YES);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, w.b, w.n, true);
	CHECK_INT(f.meta.app, APP_GQUIC);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x51303433);
	CHECK_STR(meta_str(&f.meta, META_SNI), "q43.example");
	flow_fini(&f);
	/* a CHLO whose tag table runs past the packet stores nothing */
	w.n = sizeof hdr + 12 + 4 + 10;
	flow_init(&f, 1 << 20);
	feed(&f, w.b, w.n, true);
	CHECK_STR(meta_str(&f.meta, META_SNI), NULL);
	flow_fini(&f);
}

/* Q050: IETF-style protected Initial whose crypto stream is a CHLO. */
static void test_gquic_q050(void)
{
	struct buf fr = { .n = 0 }, d;
	put8(&fr, 0x08), put8(&fr, 0x00), put16(&fr, 60); /* gQUIC CRYPTO frame */
	build_chlo(&fr, "q50.example");
	struct initial_spec s = { 0x51303530, QUIC_SALT_Q050, false, dcid_a, dcid_a, 8, 1 };
	build_initial(&d, &s, &fr);
	CHECK_INT(probe(d.b, d.n, true), PROBE_YES);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, d.b, d.n, true);
	CHECK_INT(f.meta.app, APP_GQUIC);
	CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x51303530);
	CHECK_STR(meta_str(&f.meta, META_SNI), "q50.example");
	flow_fini(&f);
}

/* T051: TLS in the IETF Initial format with its own salt, but the
 * ClientHello in a Google QUIC CRYPTO frame (type 0x08; 0x06 is
 * STOP_WAITING there). */
static void test_gquic_t051(void)
{
	struct buf hello, fr, d;
	build_hello(&hello, "t51.example", "h3-T051", 0, 0);
	for (int gquic_type = 1; gquic_type >= 0; gquic_type--) {
		fr.n = 0;
		crypto_frame(&fr, 0, hello.b, hello.n);
		fr.b[0] = gquic_type ? 0x08 : 0x06;
		struct initial_spec s = { 0x54303531, QUIC_SALT_T051, false, dcid_a, dcid_a, 8, 1 };
		build_initial(&d, &s, &fr);
		CHECK_INT(probe(d.b, d.n, true), PROBE_YES);
		struct flow f;
		flow_init(&f, 1 << 20);
		feed(&f, d.b, d.n, true);
		CHECK_INT(f.meta.app, APP_GQUIC);
		CHECK_INT(meta_number(&f.meta, META_QUIC_VERSION), 0x54303531);
		CHECK_STR(meta_str(&f.meta, META_SNI), gquic_type ? "t51.example" : NULL);
		CHECK_STR(meta_str(&f.meta, META_ALPN), gquic_type ? "h3-T051" : NULL);
		flow_fini(&f);
	}
}

static void test_version_negotiation_probe(void)
{
	static const uint8_t vn[] = { 0x80, 0, 0, 0, 0, 4, 1, 2, 3, 4, 4, 5, 6, 7, 8,
				      0, 0, 0, 1, 0xff, 0, 0, 0x1d };
	CHECK_INT(probe(vn, sizeof vn, false), PROBE_YES);
	CHECK_INT(probe(vn, sizeof vn - 1, false), PROBE_NO); /* not a list of versions */
}

static void test_not_quic(void)
{
	/* a DNS query for example.com */
	static const uint8_t dns[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
				       7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
				       0, 1, 0, 1 };
	CHECK_INT(probe(dns, sizeof dns, true), PROBE_NO);
	/* long header bit, unknown version */
	static const uint8_t unk[] = { 0xc0, 0x12, 0x34, 0x56, 0x78, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0 };
	CHECK_INT(probe(unk, sizeof unk, true), PROBE_NO);
	/* v1 but a 21-byte DCID */
	uint8_t big[64] = { 0xc3, 0, 0, 0, 1, 21 };
	CHECK_INT(probe(big, sizeof big, true), PROBE_NO);
	/* v1 header cut inside the DCID */
	static const uint8_t runt[] = { 0xc3, 0, 0, 0, 1, 8, 1, 2, 3 };
	CHECK_INT(probe(runt, sizeof runt, true), PROBE_NO);
	/* a short header could be QUIC but is never enough */
	CHECK_INT(probe(short_pkt, sizeof short_pkt, true), PROBE_MAYBE);
	/* a reserved version needs a padded datagram */
	uint8_t grease[1200] = { 0xc3, 0x1a, 0x2a, 0x3a, 0x4a, 8 };
	CHECK_INT(probe(grease, 100, true), PROBE_NO);
	CHECK_INT(probe(grease, sizeof grease, true), PROBE_YES);
	static const uint8_t tiny[] = { 0xc3, 0, 0 };
	CHECK_INT(probe(tiny, sizeof tiny, true), PROBE_NO);
}

/* Only short headers after selection: inspection still ends. */
static void test_inspection_is_bounded(void)
{
	uint8_t pkt[1200];
	check_unhex(rfc9001_client_initial, pkt, sizeof pkt);
	struct flow f;
	flow_init(&f, 1 << 20);
	feed(&f, pkt, sizeof pkt, true);
	int n = 1;
	while (n < 1000 && feed(&f, short_pkt, sizeof short_pkt, true) == PARSE_MORE)
		n++;
	CHECK(n < 64);
	flow_fini(&f);
}

int main(void)
{
	RUN(test_rfc9001_client_initial);
	RUN(test_corrupt_initial_yields_nothing);
	RUN(test_split_hello_reverse_order_v1);
	RUN(test_split_hello_reverse_order_v2);
	RUN(test_split_hello_draft29);
	RUN(test_shuffled_crypto_frames_in_one_packet);
	RUN(test_dns_over_quic_label);
	RUN(test_padding_runs_between_frames);
	RUN(test_reassembly_respects_budget);
	RUN(test_states_to_connected);
	RUN(test_connection_close);
	RUN(test_compatible_version_negotiation);
	RUN(test_new_keys_after_retry);
	RUN(test_coalesced_datagram);
	RUN(test_server_hello);
	RUN(test_gquic_q046);
	RUN(test_gquic_q043);
	RUN(test_gquic_q050);
	RUN(test_gquic_t051);
	RUN(test_version_negotiation_probe);
	RUN(test_not_quic);
	RUN(test_inspection_is_bounded);
	return check_summary("test_quic");
}

/* test_tls.c - TLS ClientHello / ServerHello parsing and the TLS dissector. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "conv.h"
#include "dissect/dissector.h"
#include "dissect/meta.h"
#include "dissect/tls_hello.h"

extern const struct dissector dissector_tls;

/* A byte builder with back-patched length prefixes. */
struct bb {
	uint8_t b[8192];
	size_t n;
	size_t mark[8];
	int depth;
};

static void put8(struct bb *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void put16(struct bb *w, unsigned v) { put8(w, v >> 8); put8(w, v); }
static void putmem(struct bb *w, const void *p, size_t n) { memcpy(w->b + w->n, p, n); w->n += n; }
static void putstr(struct bb *w, const char *s) { putmem(w, s, strlen(s)); }

/* open a length field of `size` bytes; close() fills it in */
static void open_len(struct bb *w, int size)
{
	w->mark[w->depth++] = w->n | ((size_t)size << 24);
	for (int i = 0; i < size; i++)
		put8(w, 0);
}

static void close_len(struct bb *w)
{
	size_t m = w->mark[--w->depth];
	size_t at = m & 0xffffff, size = m >> 24;
	size_t len = w->n - at - size;
	for (size_t i = 0; i < size; i++)
		w->b[at + i] = (uint8_t)(len >> (8 * (size - 1 - i)));
}

struct hello_opts {
	const char *sni;
	const char *const *alpn; /* NULL-terminated */
	const uint16_t *versions; /* 0-terminated; NULL: no extension */
	bool quic_tp;
	size_t padding;           /* extra padding extension bytes */
};

/* One handshake message: ClientHello with the requested extensions. */
static void client_hello(struct bb *w, const struct hello_opts *o)
{
	put8(w, 1);
	open_len(w, 3);
	put16(w, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(w, i);
	open_len(w, 1);
	for (int i = 0; i < 32; i++)
		put8(w, 0xa0 + i);
	close_len(w);
	open_len(w, 2);
	put16(w, 0x1a1a); /* GREASE */
	put16(w, 0x1301);
	put16(w, 0xc02f);
	close_len(w);
	put8(w, 1);
	put8(w, 0);
	open_len(w, 2);
	put16(w, 0x2a2a); /* GREASE extension, empty */
	put16(w, 0);
	if (o->sni) {
		put16(w, 0x0000);
		open_len(w, 2);
		open_len(w, 2);
		put8(w, 0);
		open_len(w, 2);
		putstr(w, o->sni);
		close_len(w);
		close_len(w);
		close_len(w);
	}
	if (o->alpn) {
		put16(w, 0x0010);
		open_len(w, 2);
		open_len(w, 2);
		for (const char *const *a = o->alpn; *a; a++) {
			open_len(w, 1);
			putstr(w, *a);
			close_len(w);
		}
		close_len(w);
		close_len(w);
	}
	if (o->versions) {
		put16(w, 0x002b);
		open_len(w, 2);
		open_len(w, 1);
		for (const uint16_t *v = o->versions; *v; v++)
			put16(w, *v);
		close_len(w);
		close_len(w);
	}
	if (o->quic_tp) {
		put16(w, 0x0039);
		open_len(w, 2);
		putmem(w, "\x01\x02\x67\x10", 4); /* max_idle_timeout 10000 */
		close_len(w);
	}
	if (o->padding) {
		put16(w, 0x0015);
		open_len(w, 2);
		for (size_t i = 0; i < o->padding; i++)
			put8(w, 0);
		close_len(w);
	}
	close_len(w);
	close_len(w);
}

static void server_hello(struct bb *w, uint16_t legacy, uint16_t selected, uint16_t suite)
{
	put8(w, 2);
	open_len(w, 3);
	put16(w, legacy);
	for (int i = 0; i < 32; i++)
		put8(w, 0x55);
	open_len(w, 1);
	putmem(w, "0123456789abcdef0123456789abcdef", 32);
	close_len(w);
	put16(w, suite);
	put8(w, 0);
	if (selected) {
		open_len(w, 2);
		put16(w, 0x002b);
		open_len(w, 2);
		put16(w, selected);
		close_len(w);
		close_len(w);
	}
	close_len(w);
}

static const char *const alpn_h2[] = { "h2", "http/1.1", NULL };
static const uint16_t versions13[] = { 0x0a0a, 0x0304, 0x0303, 0 };

static void test_client_hello_fields(void)
{
	struct bb w = {0};
	struct hello_opts o = { "example.com", alpn_h2, versions13, true, 0 };
	client_hello(&w, &o);
	struct flow_meta m;
	meta_init(&m);
	struct tls_hello_info info = {0};
	CHECK_INT(tls_client_hello_parse(w.b, w.n, &m, &info), 1);
	CHECK_STR(meta_str(&m, META_SNI), "example.com");
	CHECK_STR(meta_str(&m, META_ALPN), "h2\x1fhttp/1.1");
	CHECK_INT(m.tls_version, 0x0304);
	CHECK_INT(info.legacy_version, 0x0303);
	CHECK_INT(info.highest_offered, 0x0304);
	CHECK_INT(info.quic_tp_len, 4);
	CHECK(info.quic_tp && info.quic_tp >= w.b && info.quic_tp + 4 <= w.b + w.n);
	CHECK(info.quic_tp && memcmp(info.quic_tp, "\x01\x02\x67\x10", 4) == 0);
	/* a second parse (a retransmitted hello) adds nothing */
	CHECK_INT(tls_client_hello_parse(w.b, w.n, &m, NULL), 1);
	CHECK_STR(meta_str(&m, META_ALPN), "h2\x1fhttp/1.1");
	meta_fini(&m);
}

static void test_client_hello_legacy_version(void)
{
	struct bb w = {0};
	struct hello_opts o = { "a.example", NULL, NULL, false, 0 };
	client_hello(&w, &o);
	struct flow_meta m;
	meta_init(&m);
	struct tls_hello_info info = {0};
	CHECK_INT(tls_client_hello_parse(w.b, w.n, &m, &info), 1);
	CHECK_INT(m.tls_version, 0x0303);
	CHECK(info.quic_tp == NULL);
	CHECK(meta_str(&m, META_ALPN) == NULL);
	meta_fini(&m);
	/* an earlier (negotiated) version is not replaced by the offer */
	meta_init(&m);
	m.tls_version = 0x0302;
	struct bb w2 = {0};
	struct hello_opts o2 = { "b.example", NULL, versions13, false, 0 };
	client_hello(&w2, &o2);
	CHECK_INT(tls_client_hello_parse(w2.b, w2.n, &m, NULL), 1);
	CHECK_INT(m.tls_version, 0x0302);
	meta_fini(&m);
}

static void test_client_hello_incomplete(void)
{
	struct bb w = {0};
	struct hello_opts o = { "example.org", alpn_h2, versions13, false, 300 };
	client_hello(&w, &o);
	struct flow_meta m;
	meta_init(&m);
	for (size_t n = 0; n < w.n; n++)
		if (tls_client_hello_parse(w.b, n, &m, NULL) != 0) {
			check_fail(__FILE__, __LINE__, "prefix %zu not reported incomplete", n);
			break;
		}
	CHECK(meta_str(&m, META_SNI) == NULL);
	CHECK_INT(m.tls_version, 0);
	CHECK_INT(tls_client_hello_parse(w.b, w.n, &m, NULL), 1);
	CHECK_STR(meta_str(&m, META_SNI), "example.org");
	meta_fini(&m);
}

static void test_client_hello_malformed(void)
{
	struct bb w = {0};
	struct hello_opts o = { "evil.example", alpn_h2, versions13, false, 0 };
	client_hello(&w, &o);
	struct flow_meta m;
	meta_init(&m);
	uint8_t bad[8192];
	memcpy(bad, w.b, w.n);
	bad[0] = 2; /* a ServerHello type */
	CHECK_INT(tls_client_hello_parse(bad, w.n, &m, NULL), -1);
	/* the extensions block claims more than the message holds */
	memcpy(bad, w.b, w.n);
	size_t ext_len_at = 4 + 2 + 32 + 1 + 32 + 2 + 6 + 2;
	bad[ext_len_at] = 0xff;
	CHECK_INT(tls_client_hello_parse(bad, w.n, &m, NULL), -1);
	CHECK(meta_str(&m, META_SNI) == NULL);
	CHECK(meta_str(&m, META_ALPN) == NULL);
	CHECK_INT(m.tls_version, 0);
	meta_fini(&m);
}

static void test_server_hello(void)
{
	struct flow_meta m;
	meta_init(&m);
	m.tls_version = 0x0303; /* offered earlier */
	struct bb w = {0};
	server_hello(&w, 0x0303, 0x0304, 0x1301);
	CHECK_INT(tls_server_hello_parse(w.b, w.n, &m), 1);
	CHECK_INT(m.tls_version, 0x0304);
	CHECK_INT(m.tls_cipher, 0x1301);
	CHECK_STR(meta_str(&m, META_TLS_CIPHER), "TLS_AES_128_GCM_SHA256");
	meta_fini(&m);

	meta_init(&m);
	struct bb w2 = {0};
	server_hello(&w2, 0x0302, 0, 0x1234);
	CHECK_INT(tls_server_hello_parse(w2.b, w2.n - 1, &m), 0);
	CHECK_INT(tls_server_hello_parse(w2.b, w2.n, &m), 1);
	CHECK_INT(m.tls_version, 0x0302);
	CHECK_STR(meta_str(&m, META_TLS_CIPHER), "0x1234");
	w2.b[0] = 1;
	CHECK_INT(tls_server_hello_parse(w2.b, w2.n, &m), -1);
	meta_fini(&m);
}

/* TLS 1.3 draft 18 ServerHello: version, random, suite, extensions. */
static void test_server_hello_draft(void)
{
	struct bb w = {0};
	put8(&w, 2);
	open_len(&w, 3);
	put16(&w, 0x7f12);
	for (int i = 0; i < 32; i++)
		put8(&w, i);
	put16(&w, 0x1302);
	open_len(&w, 2);
	close_len(&w);
	close_len(&w);
	struct flow_meta m;
	meta_init(&m);
	CHECK_INT(tls_server_hello_parse(w.b, w.n, &m), 1);
	CHECK_INT(m.tls_version, 0x0304);
	CHECK_INT(m.tls_cipher, 0x1302);
	meta_fini(&m);
}

static void test_grease(void)
{
	CHECK(tls_is_grease(0x0a0a));
	CHECK(tls_is_grease(0xfafa));
	CHECK(!tls_is_grease(0x0a1a));
	CHECK(!tls_is_grease(0x0303));
	CHECK_INT(tls_version_normalize(0x7f1c), 0x0304);
	CHECK_INT(tls_version_normalize(0x0301), 0x0301);
	CHECK_INT(tls_version_normalize(0x0200), 0);
}

/* Records of at most `frag` body bytes around a handshake message. */
static size_t wrap_records(uint8_t *out, const uint8_t *msg, size_t n, size_t frag)
{
	size_t o = 0;
	for (size_t at = 0; at < n; at += frag) {
		size_t k = n - at < frag ? n - at : frag;
		out[o++] = 22;
		out[o++] = 3;
		out[o++] = 1;
		out[o++] = (uint8_t)(k >> 8);
		out[o++] = (uint8_t)k;
		memcpy(out + o, msg + at, k);
		o += k;
	}
	return o;
}

static enum probe_result probe(const uint8_t *p, size_t n, bool client)
{
	struct flow_meta m;
	meta_init(&m);
	struct dissect_in in = { p, n, client, false, NULL, &m, NULL, NULL };
	enum probe_result r = dissector_tls.probe(&in);
	meta_fini(&m);
	return r;
}

static void test_probe(void)
{
	struct bb w = {0};
	struct hello_opts o = { "example.com", NULL, NULL, false, 0 };
	client_hello(&w, &o);
	uint8_t rec[9000];
	size_t n = wrap_records(rec, w.b, w.n, 16384);
	CHECK_INT(probe(rec, n, true), PROBE_YES);
	CHECK_INT(probe(rec, 3, true), PROBE_MAYBE);
	CHECK_INT(probe(rec, n, false), PROBE_YES); /* roles come from the message */
	rec[5] = 11;
	CHECK_INT(probe(rec, n, true), PROBE_NO); /* a Certificate first */
	rec[5] = 1;
	rec[0] = 23;
	CHECK_INT(probe(rec, n, true), PROBE_NO);
	rec[0] = 22;
	rec[2] = 9;
	CHECK_INT(probe(rec, n, true), PROBE_NO);
	CHECK_INT(probe((const uint8_t *)"GET / HTTP/1.1\r\n", 16, true), PROBE_NO);
	struct bb s = {0};
	server_hello(&s, 0x0303, 0, 0xc02f);
	n = wrap_records(rec, s.b, s.n, 16384);
	CHECK_INT(probe(rec, n, false), PROBE_YES);
}

/* The dissector reassembles a hello spread over several records. */
static void test_parse_multi_record(void)
{
	struct bb w = {0};
	struct hello_opts o = { "split.example.net", alpn_h2, versions13, false, 2000 };
	client_hello(&w, &o);
	uint8_t rec[9000];
	size_t n = wrap_records(rec, w.b, w.n, 700);
	CHECK(n > w.n + 10); /* at least three records */
	struct flow_meta m;
	meta_init(&m);
	void *st = calloc(1, dissector_tls.state_size);
	struct dissect_in in = { rec, 1000, true, false, NULL, &m, NULL, NULL };
	CHECK_INT(dissector_tls.parse(st, &in), PARSE_MORE);
	CHECK(meta_str(&m, META_SNI) == NULL);
	in.len = n;
	CHECK_INT(dissector_tls.parse(st, &in), PARSE_MORE);
	CHECK_STR(meta_str(&m, META_SNI), "split.example.net");
	CHECK_INT(m.app, APP_TLS);
	CHECK_INT(m.tls_version, 0x0304);
	struct bb s = {0};
	server_hello(&s, 0x0303, 0x0304, 0x1303);
	uint8_t srec[600];
	size_t sn = wrap_records(srec, s.b, s.n, 16384);
	struct dissect_in sin = { srec, sn, false, false, NULL, &m, NULL, NULL };
	CHECK_INT(dissector_tls.parse(st, &sin), PARSE_DONE);
	CHECK_INT(m.tls_cipher, 0x1303);
	free(st);
	meta_fini(&m);
}

/* Client application data without a ServerHello ends the inspection. */
static void test_parse_server_absent(void)
{
	struct bb w = {0};
	struct hello_opts o = { "only.client", NULL, NULL, false, 0 };
	client_hello(&w, &o);
	uint8_t rec[9000];
	size_t n = wrap_records(rec, w.b, w.n, 16384);
	struct flow_meta m;
	meta_init(&m);
	void *st = calloc(1, dissector_tls.state_size);
	struct dissect_in in = { rec, n, true, false, NULL, &m, NULL, NULL };
	CHECK_INT(dissector_tls.parse(st, &in), PARSE_MORE);
	static const uint8_t appdata[] = { 23, 3, 3, 0, 4, 1, 2, 3, 4 };
	memcpy(rec + n, appdata, sizeof appdata);
	in.len = n + sizeof appdata;
	CHECK_INT(dissector_tls.parse(st, &in), PARSE_DONE);
	CHECK_STR(meta_str(&m, META_SNI), "only.client");
	free(st);
	meta_fini(&m);
}

/* DNS over TLS (RFC 7858): port 853, or ALPN "dot" (RFC 9250 7.1) on any port. */
static void test_dns_over_tls_label(void)
{
	struct conv c;
	conv_open(&c, 853);
	conv_tls_handshake(&c, "dns.golden.test", NULL);
	CHECK_STR(meta_app_name(&c.m, 853), "DoT");
	conv_close(&c);
	conv_open(&c, 443);
	conv_tls_handshake(&c, "dns.golden.test", "dot");
	CHECK_STR(meta_app_name(&c.m, 443), "DoT");
	conv_close(&c);
	conv_open(&c, 443);
	conv_tls_handshake(&c, "www.golden.test", "h2,dotx"); /* a whole item, not a part */
	CHECK_STR(meta_app_name(&c.m, 443), "HTTPS");
	conv_close(&c);
}

int main(void)
{
	RUN(test_client_hello_fields);
	RUN(test_client_hello_legacy_version);
	RUN(test_client_hello_incomplete);
	RUN(test_client_hello_malformed);
	RUN(test_server_hello);
	RUN(test_server_hello_draft);
	RUN(test_grease);
	RUN(test_probe);
	RUN(test_parse_multi_record);
	RUN(test_parse_server_absent);
	RUN(test_dns_over_tls_label);
	return check_summary("tls");
}

/* test_dpi.c - the DPI driver and TCP reassembly, fed hand-built packets. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect/dpi.h"
#include "dissect/meta.h"
#include "dissect/stream.h"

enum { CLIENT_PORT = 40000 };

struct conn {
	struct dpi_flow *d;
	struct flow_meta m;
	size_t used;
	struct dpi_env env;
	uint16_t server_port;
};

static void conn_init(struct conn *c, uint16_t server_port, size_t limit)
{
	memset(c, 0, sizeof *c);
	meta_init(&c->m);
	c->env.buffered_bytes = &c->used;
	c->env.buffered_limit = limit;
	c->server_port = server_port;
}

static void conn_fini(struct conn *c)
{
	dpi_flow_free(c->d);
	c->d = NULL;
	meta_fini(&c->m);
}

static bool send_l4(struct conn *c, uint8_t l4, bool client, uint32_t seq, uint8_t flags,
		    const void *data, size_t n)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.family = 4;
	p.l4 = l4;
	p.tcp_flags = flags;
	p.sport = client ? CLIENT_PORT : c->server_port;
	p.dport = client ? c->server_port : CLIENT_PORT;
	p.seq = seq;
	p.payload = data;
	p.payload_len = p.l4_len = (uint32_t)n;
	return dpi_packet(&c->d, &c->m, &p, client, &c->env);
}

static bool tcp(struct conn *c, bool client, uint32_t seq, uint8_t flags, const void *data, size_t n)
{
	return send_l4(c, L4_TCP, client, seq, flags, data, n);
}

/* --- a ClientHello of about 2.6 KB in two records (a large key share) --- */

struct bb {
	uint8_t b[8192];
	size_t n;
};

static void put8(struct bb *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void put16(struct bb *w, unsigned v) { put8(w, v >> 8); put8(w, v); }
static void put24(struct bb *w, unsigned v) { put8(w, v >> 16); put16(w, v & 0xffff); }
static void putmem(struct bb *w, const void *p, size_t n) { memcpy(w->b + w->n, p, n); w->n += n; }

static void ext(struct bb *w, unsigned type, const void *body, size_t n)
{
	put16(w, type);
	put16(w, (unsigned)n);
	putmem(w, body, n);
}

static size_t client_hello_records(uint8_t *out)
{
	static const uint8_t sni[] = "\x00\x14\x00\x00\x11split.example.com";
	static const uint8_t alpn[] = "\x00\x0c\x02h2\x08http/1.1";
	static const uint8_t versions[] = "\x04\x3a\x3a\x03\x04";
	static uint8_t share[2400];
	struct bb e = {0};
	ext(&e, 0x0000, sni, sizeof sni - 1);
	ext(&e, 0x0010, alpn, sizeof alpn - 1);
	ext(&e, 0x002b, versions, sizeof versions - 1);
	ext(&e, 0x0033, share, sizeof share);
	struct bb body = {0};
	put16(&body, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&body, i);
	put8(&body, 0);
	put16(&body, 2);
	put16(&body, 0x1301);
	put8(&body, 1);
	put8(&body, 0);
	put16(&body, (unsigned)e.n);
	putmem(&body, e.b, e.n);
	struct bb msg = {0};
	put8(&msg, 1);
	put24(&msg, (unsigned)body.n);
	putmem(&msg, body.b, body.n);
	/* two records: 1500 bytes, then the rest */
	size_t o = 0;
	for (size_t at = 0; at < msg.n; at += 1500) {
		size_t k = msg.n - at < 1500 ? msg.n - at : 1500;
		static const uint8_t hdr[3] = { 22, 3, 1 };
		memcpy(out + o, hdr, 3);
		out[o + 3] = (uint8_t)(k >> 8);
		out[o + 4] = (uint8_t)k;
		memcpy(out + o + 5, msg.b + at, k);
		o += 5 + k;
	}
	return o;
}

static size_t server_hello_record(uint8_t *out)
{
	struct bb b = {0};
	put8(&b, 22);
	put16(&b, 0x0303);
	put16(&b, 4 + 2 + 32 + 1 + 2 + 1);
	put8(&b, 2);
	put24(&b, 2 + 32 + 1 + 2 + 1);
	put16(&b, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&b, 0x42);
	put8(&b, 0);
	put16(&b, 0xc02f);
	put8(&b, 0);
	memcpy(out, b.b, b.n);
	return b.n;
}

/* SYN, then a hello in three segments that cross the 2^32 sequence wrap:
 * the third arrives before the second, the first is retransmitted and the
 * second overlaps the first. */
static void test_tls_split_reordered(void)
{
	struct conn c;
	conn_init(&c, 443, 1 << 20);
	uint8_t ch[4096];
	size_t n = client_hello_records(ch);
	CHECK(n > 2500);
	const uint32_t cisn = 0xfffffa00u, sisn = 7000;
	CHECK(tcp(&c, true, cisn, TCP_SYN, NULL, 0));
	CHECK(c.d != NULL);
	CHECK(dpi_flow_bytes(c.d) <= 32); /* a SYN costs only its sequence number */
	CHECK(tcp(&c, false, sisn, TCP_SYN | TCP_ACK, NULL, 0));
	CHECK(tcp(&c, true, cisn + 1, TCP_ACK, NULL, 0));
	uint32_t s0 = cisn + 1;
	CHECK(tcp(&c, true, s0, TCP_ACK, ch, 1000));
	CHECK(tcp(&c, true, s0 + 2000, TCP_ACK | TCP_PSH, ch + 2000, n - 2000));
	CHECK(meta_str(&c.m, META_SNI) == NULL);
	CHECK(tcp(&c, true, s0, TCP_ACK, ch, 1000));
	CHECK(dpi_flow_bytes(c.d) > 1000);
	CHECK(c.used > 0);
	CHECK(tcp(&c, true, s0 + 900, TCP_ACK, ch + 900, 1100));
	CHECK_STR(meta_str(&c.m, META_SNI), "split.example.com");
	CHECK_STR(meta_str(&c.m, META_ALPN), "h2\x1fhttp/1.1");
	CHECK_INT(c.m.tls_version, 0x0304);
	CHECK_INT(c.m.app, APP_TLS);
	uint8_t sh[128];
	size_t sn = server_hello_record(sh);
	CHECK(!tcp(&c, false, sisn + 1, TCP_ACK, sh, sn));
	CHECK(c.d == NULL);
	CHECK_INT(c.m.tls_version, 0x0303); /* negotiated beats offered */
	CHECK_INT(c.m.tls_cipher, 0xc02f);
	CHECK_INT(c.used, 0);
	conn_fini(&c);
}

/* The first client segment may be in the SYN (TCP Fast Open). */
static void test_syn_with_data(void)
{
	struct conn c;
	conn_init(&c, 80, 1 << 20);
	static const char req[] = "GET /tfo HTTP/1.1\r\nHost: fast.example\r\n\r\n";
	CHECK(tcp(&c, true, 500, TCP_SYN, req, 20));
	CHECK(tcp(&c, true, 521, TCP_ACK, req + 20, sizeof req - 1 - 20));
	CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "/tfo");
	CHECK_STR(meta_str(&c.m, META_HTTP_HOST), "fast.example");
	conn_fini(&c);
}

/* No SYN seen: the stream starts at the first payload segment. */
static void test_http_split_midstream(void)
{
	struct conn c;
	conn_init(&c, 8080, 1 << 20);
	static const char req[] = "POST /api/v1/items HTTP/1.1\r\nHost: api.example:8080\r\n"
				  "User-Agent: test-agent/1.0\r\nContent-Length: 2\r\n\r\nok";
	CHECK(tcp(&c, true, 123456, TCP_ACK, NULL, 0));
	CHECK(c.d == NULL); /* an empty ACK costs nothing */
	CHECK(tcp(&c, true, 123456, TCP_ACK, req, 40));
	CHECK_STR(meta_str(&c.m, META_HTTP_METHOD), "POST");
	CHECK(meta_str(&c.m, META_HTTP_HOST) == NULL);
	CHECK(tcp(&c, true, 123456 + 40, TCP_ACK | TCP_PSH, req + 40, sizeof req - 1 - 40));
	CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "/api/v1/items");
	CHECK_STR(meta_str(&c.m, META_HTTP_HOST), "api.example:8080");
	CHECK_STR(meta_str(&c.m, META_HTTP_UA), "test-agent/1.0");
	static const char resp[] = "HTTP/1.1 201 Created\r\n\r\n";
	CHECK(!tcp(&c, false, 99, TCP_ACK, resp, sizeof resp - 1));
	CHECK(c.d == NULL);
	uint64_t status = 0;
	CHECK(meta_num(&c.m, META_HTTP_STATUS, &status));
	CHECK_INT(status, 201);
	CHECK_INT(c.m.app, APP_HTTP);
	CHECK_INT(c.used, 0);
	conn_fini(&c);
}

static void run_text_flow(uint16_t port, const char *req, const char *resp, struct conn *c)
{
	conn_init(c, port, 1 << 20);
	tcp(c, true, 1, TCP_SYN, NULL, 0);
	tcp(c, false, 900, TCP_SYN | TCP_ACK, NULL, 0);
	tcp(c, true, 2, TCP_ACK | TCP_PSH, req, strlen(req));
	tcp(c, false, 901, TCP_ACK | TCP_PSH, resp, strlen(resp));
}

static void test_sip_rtsp_not_http(void)
{
	struct conn c;
	run_text_flow(5060, "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n"
			    "Max-Forwards: 70\r\n\r\n",
		      "SIP/2.0 100 Trying\r\n\r\n", &c);
	CHECK(c.m.app != APP_HTTP);
	CHECK(meta_str(&c.m, META_HTTP_METHOD) == NULL);
	conn_fini(&c);
	run_text_flow(80, "OPTIONS rtsp://cam.example/live RTSP/1.0\r\nCSeq: 1\r\n\r\n",
		      "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n", &c);
	CHECK(c.m.app != APP_HTTP);
	CHECK(meta_str(&c.m, META_HTTP_PATH) == NULL);
	conn_fini(&c);
	/* the same exchange in HTTP is recognised, port or not */
	run_text_flow(5060, "OPTIONS /live HTTP/1.1\r\nHost: cam\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n", &c);
	CHECK_INT(c.m.app, APP_HTTP);
	CHECK(c.d == NULL);
	conn_fini(&c);
}

/* An upload whose response never shows up is not buffered for long. */
static void test_http_upload_without_response(void)
{
	struct conn c;
	conn_init(&c, 80, 1 << 20);
	static const char head[] = "PUT /big HTTP/1.1\r\nHost: up\r\nContent-Length: 100000\r\n\r\n";
	static char body[1000];
	memset(body, 'b', sizeof body);
	uint32_t seq = 1;
	CHECK(tcp(&c, true, seq, TCP_ACK, head, sizeof head - 1));
	seq += sizeof head - 1;
	int sent = 0;
	while (sent < 20 && tcp(&c, true, seq, TCP_ACK, body, sizeof body)) {
		seq += sizeof body;
		sent++;
	}
	CHECK(c.d == NULL);
	CHECK(sent <= 3);
	CHECK_STR(meta_str(&c.m, META_HTTP_METHOD), "PUT");
	CHECK_INT(c.used, 0);
	conn_fini(&c);
}

/* A capture that starts at the SYN-ACK: the flow's initiator is the HTTP
 * server, so the request arrives as "from the responder". */
static void test_roles_by_content(void)
{
	struct conn c;
	conn_init(&c, 1080, 1 << 20);
	static const char req[] = "GET /img.png HTTP/1.1\r\nHost: localhost\r\n\r\n";
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";
	CHECK(tcp(&c, true, 100, TCP_SYN | TCP_ACK, NULL, 0));
	CHECK(tcp(&c, false, 200, TCP_ACK, req, sizeof req - 1));
	CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "/img.png");
	CHECK_STR(meta_str(&c.m, META_HTTP_HOST), "localhost");
	CHECK(!tcp(&c, true, 101, TCP_ACK, resp, sizeof resp - 1));
	uint64_t status = 0;
	CHECK(meta_num(&c.m, META_HTTP_STATUS, &status));
	CHECK_INT(status, 200);
	conn_fini(&c);
}

/* An unrecognisable bulk transfer stops costing DPI after a few packets. */
static void test_bulk_gives_up(void)
{
	struct conn c;
	conn_init(&c, 9000, 1 << 20);
	static uint8_t blob[1400];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof blob; i++) {
		x = x * 1103515245u + 12345u;
		blob[i] = (uint8_t)(x >> 16);
	}
	blob[0] = 0xff;
	blob[1] = 0xfe;
	CHECK(tcp(&c, true, 10, TCP_SYN, NULL, 0));
	CHECK(tcp(&c, false, 50, TCP_SYN | TCP_ACK, NULL, 0));
	int calls = 0;
	bool more = true;
	for (uint32_t seq = 51; more && calls < 1000; seq += sizeof blob, calls++)
		more = tcp(&c, false, seq, TCP_ACK, blob, sizeof blob);
	CHECK(!more);
	CHECK(calls <= 8);
	CHECK(c.d == NULL);
	CHECK_INT(c.used, 0);
	conn_fini(&c);
}

/* The per-worker budget caps what is buffered and is paid back in full. */
static void test_budget(void)
{
	struct conn c;
	conn_init(&c, 80, 1500);
	char req[2001];
	memset(req, 'a', sizeof req);
	memcpy(req, "GET /x HTTP/1.1\r\nX-Long: ", 25);
	CHECK(tcp(&c, true, 1, TCP_ACK, req, 1000));
	CHECK(c.used > 0 && c.used <= 1500);
	CHECK_STR(meta_str(&c.m, META_HTTP_METHOD), "GET");
	tcp(&c, true, 1001, TCP_ACK, req + 1000, 1000);
	CHECK(c.used <= 1500);
	dpi_flow_free(c.d);
	c.d = NULL;
	CHECK_INT(c.used, 0);
	conn_fini(&c);
}

static void test_free_and_reset(void)
{
	dpi_flow_free(NULL);
	CHECK_INT(dpi_flow_bytes(NULL), 0);
	struct conn c;
	conn_init(&c, 80, 1 << 20);
	CHECK(tcp(&c, true, 1, TCP_ACK, "GET /part", 9));
	CHECK(c.d != NULL && c.used > 0);
	CHECK(!tcp(&c, false, 5, TCP_RST, NULL, 0));
	CHECK(c.d == NULL);
	CHECK_INT(c.used, 0);
	conn_fini(&c);
}

static void test_other_l4(void)
{
	struct conn c;
	conn_init(&c, 0, 1 << 20);
	CHECK(!send_l4(&c, L4_ICMP, true, 0, 0, "abcd", 4));
	CHECK(c.d == NULL);
	CHECK(send_l4(&c, L4_UDP, true, 0, 0, NULL, 0));
	CHECK(c.d == NULL);
	conn_fini(&c);
}

/* --- the reassembly itself --- */

static void test_stream_wrap_and_holes(void)
{
	struct stream s = {0};
	size_t used = 0;
	struct stream_budget b = { &used, 1 << 20 };
	struct stream_view v;
	uint8_t data[600];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	stream_syn(&s, 0xffffff00u);
	/* bytes 0..99 start at sequence 0xffffff01 */
	CHECK(stream_add(&s, 0xffffff01u, data, 100, &b, &v));
	CHECK(v.borrowed && v.len == 100);
	stream_keep(&s, &v, &b);
	CHECK(!stream_add(&s, 0xffffff01u + 300, data + 300, 100, &b, &v)); /* held */
	CHECK(!stream_add(&s, 0xffffff01u + 500, data + 500, 100, &b, &v)); /* held */
	CHECK(!stream_add(&s, 0xffffff01u + 50, data + 50, 50, &b, &v));    /* duplicate */
	CHECK(stream_add(&s, 0xffffff01u + 90, data + 90, 210, &b, &v));    /* crosses 2^32 */
	CHECK_INT(v.len, 400);
	CHECK(!v.borrowed);
	CHECK_MEM(v.data, data, 400);
	CHECK(stream_add(&s, 0xffffff01u + 400, data + 400, 100, &b, &v));
	CHECK_INT(v.len, 600);
	CHECK_MEM(v.data, data, 600);
	CHECK_INT(s.nheld, 0);
	CHECK(used >= 600 && used == stream_bytes(&s));
	stream_fini(&s, &b);
	CHECK_INT(used, 0);
}

static void test_stream_held_limit(void)
{
	struct stream s = {0};
	size_t used = 0;
	struct stream_budget b = { &used, 1 << 20 };
	struct stream_view v;
	uint8_t data[1000];
	memset(data, 'x', sizeof data);
	CHECK(stream_add(&s, 100, data, 10, &b, &v));
	stream_keep(&s, &v, &b);
	for (int i = 0; i < STREAM_HELD_MAX + 3; i++)
		stream_add(&s, 100 + 20 + 20 * (uint32_t)i, data, 10, &b, &v);
	CHECK_INT(s.nheld, STREAM_HELD_MAX);
	stream_fini(&s, &b);
	CHECK_INT(used, 0);
}

/* A segment exactly 2^31 behind the next expected byte is old data (the
 * signed distance is INT32_MIN there), for both a fresh and a held segment. */
static void test_stream_half_space_behind(void)
{
	struct stream s = {0};
	size_t used = 0;
	struct stream_budget b = { &used, 1 << 20 };
	struct stream_view v;
	uint8_t data[20] = "abcdefghijklmnopqrs"; /* the last segment sends all 20 */
	CHECK(stream_add(&s, 0x80000000u, data, 10, &b, &v));
	stream_keep(&s, &v, &b);
	CHECK(!stream_add(&s, 10, data, 10, &b, &v)); /* 0x8000000a - 10 = 2^31 */
	CHECK_INT(s.len, 10);
	CHECK(!stream_add(&s, 0x8000000au + 20, data, 10, &b, &v)); /* held */
	CHECK_INT(s.nheld, 1);
	CHECK(stream_add(&s, 0x8000000au, data, 20, &b, &v)); /* fills the gap */
	CHECK_INT(v.len, 40);
	CHECK_INT(s.nheld, 0);
	stream_fini(&s, &b);
	CHECK_INT(used, 0);
}

static void test_stream_bound(void)
{
	struct stream s = {0};
	size_t used = 0;
	struct stream_budget b = { &used, 1 << 20 };
	struct stream_view v = {0};
	static uint8_t seg[1000];
	uint32_t seq = 5;
	bool full = false;
	int n = 0;
	for (; n < 40 && !full; n++, seq += sizeof seg) {
		if (!stream_add(&s, seq, seg, sizeof seg, &b, &v))
			break;
		stream_keep(&s, &v, &b);
		full = v.full;
	}
	CHECK(full);
	CHECK_INT(v.len, STREAM_MAX);
	CHECK_INT(n, (STREAM_MAX + sizeof seg - 1) / sizeof seg);
	CHECK(!stream_add(&s, seq, seg, sizeof seg, &b, &v));
	CHECK(used <= STREAM_MAX);
	stream_fini(&s, &b);
	CHECK_INT(used, 0);
}

/* --- WireGuard and OpenVPN are named on exchanges, not on shapes --- */

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

enum noise { NOISE_RANDOM, NOISE_QUIC, NOISE_WG_SHAPE, NOISE_KINDS };

/* One datagram of a kind of traffic that is neither: random bytes; QUIC
 * short headers (RFC 9000 17.3: fixed bit 0x40, the spin bit, five
 * protected bits, then the same 8-byte destination connection id in every
 * packet of a side), which read as OpenVPN resets and data with a
 * repeated session id; WireGuard's transport shape (04 00 00 00, 16 plus
 * a multiple of 16 bytes) with random contents. */
static size_t noise(enum noise kind, uint64_t *x, const uint8_t cid[8], uint8_t *out)
{
	size_t n = 14 + xorshift(x) % 1200;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)xorshift(x);
	if (kind == NOISE_QUIC) {
		out[0] = (uint8_t)(0x40 | (out[0] & 0x3f));
		memcpy(out + 1, cid, 8);
	} else if (kind == NOISE_WG_SHAPE) {
		n = 32 + 16 * (n % 80);
		memcpy(out, "\x04\0\0\0", 4);
	}
	return n;
}

static void test_vpn_not_named_on_noise(void)
{
	static uint8_t buf[1400];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int named[NOISE_KINDS] = {0};
	for (int kind = 0; kind < NOISE_KINDS; kind++) {
		for (int flow = 0; flow < 3000; flow++) {
			struct conn c;
			uint8_t cid[2][8];
			conn_init(&c, 33333, 1 << 20);
			for (int side = 0; side < 2; side++)
				for (int i = 0; i < 8; i++)
					cid[side][i] = (uint8_t)xorshift(&x);
			for (int d = 0; d < 6; d++) {
				size_t n = noise((enum noise)kind, &x, cid[d & 1], buf);
				send_l4(&c, L4_UDP, !(d & 1), 0, 0, buf, n);
			}
			named[kind] += c.m.app == APP_WIREGUARD || c.m.app == APP_OPENVPN;
			conn_fini(&c);
		}
	}
	CHECK_INT(named[NOISE_RANDOM], 0);
	CHECK_INT(named[NOISE_QUIC], 0);
	CHECK_INT(named[NOISE_WG_SHAPE], 0);
}

int main(void)
{
	RUN(test_tls_split_reordered);
	RUN(test_syn_with_data);
	RUN(test_http_split_midstream);
	RUN(test_sip_rtsp_not_http);
	RUN(test_roles_by_content);
	RUN(test_http_upload_without_response);
	RUN(test_bulk_gives_up);
	RUN(test_budget);
	RUN(test_free_and_reset);
	RUN(test_other_l4);
	RUN(test_stream_wrap_and_holes);
	RUN(test_stream_half_space_behind);
	RUN(test_stream_held_limit);
	RUN(test_stream_bound);
	RUN(test_vpn_not_named_on_noise);
	return check_summary("dpi");
}

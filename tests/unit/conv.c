/* conv.c - see conv.h. */
#include "conv.h"

#include <string.h>

#include "decode/pkt.h"

enum { CONV_CLIENT_PORT = 41000 };

static bool segment(struct conv *c, bool client, uint8_t flags, const void *data, size_t n)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.family = 4;
	p.l4 = L4_TCP;
	p.tcp_flags = flags;
	p.sport = client ? CONV_CLIENT_PORT : c->server_port;
	p.dport = client ? c->server_port : CONV_CLIENT_PORT;
	p.seq = c->seq[client ? 0 : 1];
	p.payload = data;
	p.payload_len = p.l4_len = (uint32_t)n;
	c->seq[client ? 0 : 1] += (uint32_t)n + ((flags & TCP_SYN) ? 1 : 0);
	c->inspecting = dpi_packet(&c->d, &c->m, &p, client, &c->env);
	return c->inspecting;
}

void conv_open(struct conv *c, uint16_t server_port)
{
	memset(c, 0, sizeof *c);
	meta_init(&c->m);
	c->env.buffered_bytes = &c->used;
	c->env.buffered_limit = 1 << 20;
	c->server_port = server_port;
	c->seq[0] = 1000;
	c->seq[1] = 0xfffffff0u; /* the server's numbers wrap */
	segment(c, true, TCP_SYN, NULL, 0);
	segment(c, false, TCP_SYN | TCP_ACK, NULL, 0);
	segment(c, true, TCP_ACK, NULL, 0);
}

bool conv_send(struct conv *c, bool client, const void *data, size_t n)
{
	return segment(c, client, TCP_ACK | TCP_PSH, data, n);
}

bool conv_say(struct conv *c, bool client, const char *text)
{
	return conv_send(c, client, text, strlen(text));
}

void conv_close(struct conv *c)
{
	dpi_flow_free(c->d);
	c->d = NULL;
	meta_fini(&c->m);
}

/* ---- TLS hellos (RFC 8446 4.1.2, 4.1.3) ---- */

struct buf {
	uint8_t *b;
	size_t n, cap;
};

static void put8(struct buf *w, unsigned v)
{
	if (w->n < w->cap)
		w->b[w->n] = (uint8_t)v;
	w->n++;
}

static void put16(struct buf *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v & 0xff);
}

static void putmem(struct buf *w, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(w, ((const uint8_t *)p)[i]);
}

/* Patch a length of `bytes` bytes written at `at`, counting what follows it. */
static void patch(struct buf *w, size_t at, int bytes)
{
	size_t len = w->n - at - (size_t)bytes;
	for (int i = 0; i < bytes; i++)
		if (at + (size_t)i < w->cap)
			w->b[at + (size_t)i] = (uint8_t)(len >> (8 * (bytes - 1 - i)));
}

static void record_start(struct buf *w, unsigned hs_type, size_t *rec, size_t *hs)
{
	put8(w, 22);
	put16(w, 0x0301);
	*rec = w->n;
	put16(w, 0);
	put8(w, hs_type);
	*hs = w->n;
	put8(w, 0);
	put16(w, 0);
}

static void record_end(struct buf *w, size_t rec, size_t hs)
{
	patch(w, hs, 3);
	patch(w, rec, 2);
}

static void ext_sni(struct buf *w, const char *sni)
{
	size_t n = strlen(sni);
	put16(w, 0x0000);
	put16(w, (unsigned)n + 5);
	put16(w, (unsigned)n + 3);
	put8(w, 0);
	put16(w, (unsigned)n);
	putmem(w, sni, n);
}

static void ext_alpn(struct buf *w, const char *alpn)
{
	put16(w, 0x0010);
	size_t ext = w->n;
	put16(w, 0);
	size_t list = w->n;
	put16(w, 0);
	for (const char *p = alpn; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		put8(w, (unsigned)n);
		putmem(w, p, n);
		p += n + (comma ? 1 : 0);
	}
	patch(w, list, 2);
	patch(w, ext, 2);
}

size_t conv_client_hello(uint8_t *out, size_t cap, const char *sni, const char *alpn)
{
	static const uint8_t versions[] = { 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04 };
	struct buf w = { out, 0, cap };
	size_t rec, hs;
	record_start(&w, 1, &rec, &hs);
	put16(&w, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&w, (unsigned)i);
	put8(&w, 0);                 /* session id */
	put16(&w, 4);
	put16(&w, 0x1301);
	put16(&w, 0x1302);
	put8(&w, 1);
	put8(&w, 0);                 /* compression */
	size_t exts = w.n;
	put16(&w, 0);
	if (sni)
		ext_sni(&w, sni);
	if (alpn)
		ext_alpn(&w, alpn);
	putmem(&w, versions, sizeof versions);
	patch(&w, exts, 2);
	record_end(&w, rec, hs);
	return w.n <= cap ? w.n : 0;
}

size_t conv_server_hello(uint8_t *out, size_t cap, uint16_t suite)
{
	static const uint8_t version[] = { 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04 };
	struct buf w = { out, 0, cap };
	size_t rec, hs;
	record_start(&w, 2, &rec, &hs);
	put16(&w, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&w, 0x42);
	put8(&w, 0);
	put16(&w, suite);
	put8(&w, 0);
	put16(&w, sizeof version);
	putmem(&w, version, sizeof version);
	record_end(&w, rec, hs);
	return w.n <= cap ? w.n : 0;
}

void conv_tls_handshake(struct conv *c, const char *sni, const char *alpn)
{
	uint8_t b[1024];
	conv_send(c, true, b, conv_client_hello(b, sizeof b, sni, alpn));
	conv_send(c, false, b, conv_server_hello(b, sizeof b, 0x1301));
}

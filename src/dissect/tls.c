/* tls.c - TLS over TCP: record layer (RFC 8446 5.1, RFC 5246 6.2) and the
 * first handshake message of each side (ClientHello 4.1.2, ServerHello
 * 4.1.3).
 *
 *   record:    type(1)=22 | version(2)=3.x | length(2) | fragment
 *   handshake: msg_type(1) | length(3) | body        (may span records)
 *
 * The client's hello gives SNI, ALPN and the offered version; the server's
 * gives the negotiated version and cipher suite. A direction is finished
 * when its hello is parsed, when it sends something else, or when its
 * stream ends short (inside a ClientHello, as with a 64 KiB server name,
 * the name is kept as far as it goes, marked truncated). The server's is given up once the client sends
 * application data (the handshake is over without a ServerHello in the
 * capture).
 */
#include <stdlib.h>
#include <string.h>

#include "base/rd.h"
#include "base/xalloc.h"
#include "dissect/dissector.h"
#include "dissect/tls_hello.h"

enum {
	TLS_CT_HANDSHAKE = 22,
	TLS_CT_APPLICATION_DATA = 23,
	TLS_RECORD_HDR = 5,
	TLS_RECORD_MAX = 16384 + 2048, /* TLSCiphertext bound */
	TLS_HS_CLIENT_HELLO = 1,
	TLS_HS_SERVER_HELLO = 2,
};

/* Streams are indexed by direction ([0] initiator); which one carries the
 * ClientHello is decided by the message, not by who opened the connection
 * (a capture may start after the SYN). */
struct tls_state {
	uint32_t client_end;  /* offset past the ClientHello's records in its stream */
	uint8_t client_side;  /* 1 + index of the stream that sent the ClientHello */
	bool done[2];
};

enum hs_status { HS_FAIL = -1, HS_MORE = 0, HS_OK = 1 };

/* The first handshake message of a stream, gathered from its records. */
struct hs_msg {
	const uint8_t *p;
	size_t len;
	size_t end;    /* stream offset past the record that completed it */
	uint8_t *tmp;  /* owned copy when the message spans records */
};

/* Length of the complete handshake message at p, or 0 when it is longer
 * than the n bytes there. */
static size_t hs_complete(const uint8_t *p, size_t n)
{
	struct rd r = rd_make(p, n);
	rd_u8(&r);
	size_t need = 4 + (size_t)rd_be24(&r);
	return rd_ok(&r) && need <= n ? need : 0;
}

static bool record_header(struct rd *r, uint8_t *type, uint16_t *len)
{
	*type = rd_u8(r);
	uint8_t major = rd_u8(r);
	rd_u8(r);
	*len = rd_be16(r);
	return rd_ok(r) && major == 3 && *len > 0 && *len <= TLS_RECORD_MAX;
}

static enum hs_status hs_first(const uint8_t *data, size_t len, struct hs_msg *m)
{
	struct rd r = rd_make(data, len);
	size_t have = 0;
	enum hs_status st = HS_MORE; /* until a record says otherwise */
	while (rd_left(&r) >= TLS_RECORD_HDR) {
		uint8_t type;
		uint16_t rlen;
		if (!record_header(&r, &type, &rlen) || type != TLS_CT_HANDSHAKE) {
			st = HS_FAIL;
			break;
		}
		size_t rec_end = rd_pos(&r) + rlen;
		size_t avail = rlen < rd_left(&r) ? rlen : rd_left(&r);
		const uint8_t *body = rd_take(&r, avail);
		size_t need = have ? 0 : hs_complete(body, avail);
		if (need) { /* the usual case: one record holds it */
			*m = (struct hs_msg){ body, need, rec_end, NULL };
			return HS_OK;
		}
		if (!m->tmp)
			m->tmp = xmalloc(len);
		memcpy(m->tmp + have, body, avail);
		have += avail;
		need = hs_complete(m->tmp, have);
		if (need) {
			m->p = m->tmp;
			m->len = need;
			m->end = rec_end;
			return HS_OK;
		}
		if (avail < rlen)
			break;
	}
	if (st == HS_MORE && have) { /* what there is of it, for a stream that ends here */
		m->p = m->tmp;
		m->len = have;
		return st;
	}
	free(m->tmp);
	m->tmp = NULL;
	return st;
}

/* Did the client send application data after its hello? */
static bool client_app_data(struct tls_state *st, const uint8_t *data, size_t len)
{
	struct rd r = rd_make(data, len);
	rd_skip(&r, st->client_end);
	while (rd_left(&r) >= TLS_RECORD_HDR) {
		uint8_t type;
		uint16_t rlen;
		if (!record_header(&r, &type, &rlen))
			return true; /* not records any more: nothing left to learn */
		if (type == TLS_CT_APPLICATION_DATA)
			return true;
		if (rd_left(&r) < rlen)
			break;
		rd_skip(&r, rlen);
		st->client_end = (uint32_t)rd_pos(&r);
	}
	return false;
}

static int hello_parse(const struct hs_msg *m, struct flow_meta *meta)
{
	switch (m->p[0]) {
	case TLS_HS_CLIENT_HELLO:
		return tls_client_hello_parse(m->p, m->len, meta, NULL);
	case TLS_HS_SERVER_HELLO:
		return tls_server_hello_parse(m->p, m->len, meta);
	default:
		return -1;
	}
}

static void side_step(struct tls_state *st, int side, const struct dissect_in *in)
{
	struct hs_msg m = {0};
	enum hs_status hs = hs_first(in->data, in->len, &m);
	int rc = -1;
	if (hs == HS_OK) {
		rc = hello_parse(&m, in->meta);
		if (rc == 1 && m.p[0] == TLS_HS_CLIENT_HELLO) {
			st->client_end = (uint32_t)m.end;
			st->client_side = (uint8_t)(side + 1);
		}
	} else if (hs == HS_MORE && !in->stream_full) {
		rc = 0;
	} else if (hs == HS_MORE && m.len) { /* the bound fell inside the hello */
		tls_client_hello_cut(m.p, m.len, in->meta);
	}
	free(m.tmp);
	if (rc != 0)
		st->done[side] = true;
}

/* A first record: handshake, version 3.0-3.4, a ClientHello or ServerHello. */
static enum probe_result tls_probe(const struct dissect_in *in)
{
	static const uint8_t want[] = { TLS_CT_HANDSHAKE, 3 };
	struct rd r = rd_make(in->data, in->len);
	if (rd_prefix(&r, want, sizeof want) == RD_PREFIX_NO || rd_peek8(&r, 2) > 4)
		return PROBE_NO;
	if (rd_left(&r) < 6)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	rd_skip(&r, 3);
	uint16_t len = rd_be16(&r);
	uint8_t hs = rd_u8(&r);
	bool hello = hs == TLS_HS_CLIENT_HELLO || hs == TLS_HS_SERVER_HELLO;
	return hello && len ? PROBE_YES : PROBE_NO;
}

static enum parse_result tls_parse(void *state, const struct dissect_in *in)
{
	struct tls_state *st = state;
	int side = in->from_client ? 0 : 1;
	meta_set_app(in->meta, APP_TLS);
	if (!st->done[side])
		side_step(st, side, in);
	else if (st->client_side == side + 1 && !st->done[!side] &&
		 (client_app_data(st, in->data, in->len) || in->stream_full))
		st->done[!side] = true;
	return st->done[0] && st->done[1] ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_tls = {
	.name = "tls",
	.label = "TLS",
	.l4 = L4_TCP,
	.ports = { 443, 8443, 993, 995, 465, 636 },
	.probe = tls_probe,
	.parse = tls_parse,
	.state_size = sizeof(struct tls_state),
};

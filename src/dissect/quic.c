/* quic.c - QUIC (RFC 9000 §17 packet headers, §19 frames; RFC 9001 §5
 * Initial protection; RFC 9369 QUIC v2; drafts 22-34; mvfst) and Google
 * QUIC (Q0xx public and long headers, Q050/T05x) detection and inspection.
 *
 *   Long header (RFC 9000 §17.2)          Short header (§17.3)
 *   +-+-+-+-+-+-+-+-+                     +-+-+-+-+-+-+-+-+
 *   |1|1|T T|X X X X|                     |0|1|S|R|R|K|P P|
 *   +-+-+-+-+-+-+-+-+-------------+       +-+-+-+-+-+-+-+-+-----------+
 *   |        Version (32)         |       | DCID (0..160) | PN | ...  |
 *   | DCID Len (8) | DCID (0..160)|       +---------------------------+
 *   | SCID Len (8) | SCID (0..160)|
 *   | Initial: Token Length (i), Token, Length (i), PN (8..32), Payload
 *   +-----------------------------+
 *
 * Client Initial packets are decrypted (keys from the client's first
 * Destination Connection ID, remembered per flow so server Initials open
 * too); the CRYPTO stream is reassembled across coalesced packets and
 * datagrams, in any order, into a bounded buffer allocated only when the
 * ClientHello does not arrive whole, then handed to tls_client_hello_parse;
 * the ServerHello at the start of the server's is read for the negotiated
 * version and cipher suite.
 * Google QUIC Q043/Q046 CHLOs travel in the clear: their SNI tag is read
 * directly. Nothing beyond Initial packets is decrypted.
 */
#include <stdlib.h>
#include <string.h>

#include "base/rd.h"
#include "base/xalloc.h"
#include "dissect/dissector.h"
#include "dissect/quic_keys.h"
#include "dissect/tls_hello.h"

#define QUIC_CRYPTO_MAX 16384u  /* client CRYPTO bytes kept for the ClientHello */
#define QUIC_CRYPTO_STEP 2048u  /* buffer growth granule */
#define QUIC_CRYPTO_RANGES 16   /* distinct received ranges tracked */
#define QUIC_MAX_PKTS 48        /* datagrams inspected at most */
#define QUIC_CONNECTED_GRACE 4  /* datagrams after CONNECTED while the hello is pending */
#define QUIC_STACK_PKT 2048     /* larger Initial packets are copied to the heap */
#define QUIC_MIN_INITIAL 1200   /* client Initial datagrams are padded to this */

enum quic_ptype { QP_INITIAL, QP_0RTT, QP_HANDSHAKE, QP_RETRY };

enum quic_flag {
	QF_KEYS = 1 << 0,         /* keys/dcid hold the Initial keys in use */
	QF_HS_CLIENT = 1 << 1,    /* Handshake packet from the client */
	QF_HS_SERVER = 1 << 2,
	QF_SHORT_CLIENT = 1 << 3, /* short header (1-RTT) packet from the client */
	QF_SHORT_SERVER = 1 << 4,
	QF_CLOSE_CLIENT = 1 << 5, /* CONNECTION_CLOSE sent by the client */
	QF_CLOSE_SERVER = 1 << 6,
	QF_SERVER_SEEN = 1 << 7,  /* any packet from the server */
	QF_SERVER_HELLO = 1 << 8, /* the server's CRYPTO stream start was read */
};

enum quic_hello { HELLO_WAIT = 0, HELLO_DONE, HELLO_FAILED };

/* The client's Initial CRYPTO stream while it is incomplete. */
struct quic_crypto {
	uint32_t cap;
	uint8_t nr;
	struct { uint32_t lo, hi; } r[QUIC_CRYPTO_RANGES]; /* received, sorted, disjoint */
	uint8_t data[];
};

struct quic_state {
	struct quic_crypto *crypto; /* owned; NULL unless reassembling */
	size_t *acct;               /* budget the crypto buffer is charged to */
	struct quic_keys keys[2];   /* Initial keys: [0] client, [1] server */
	int64_t largest_pn[2];      /* Initial space, per sender as keys[]; -1 none */
	uint16_t flags;             /* enum quic_flag */
	uint8_t pkts;
	uint8_t connected_pkts;
	uint8_t hello;              /* enum quic_hello */
	uint8_t key_salt;           /* enum quic_salt of keys[] */
	uint8_t dcid_len;
	uint8_t dcid[QUIC_CID_MAX]; /* client DCID the keys derive from */
};

/* What one call works with. */
struct quic_ctx {
	struct quic_state *s;
	const struct dissect_in *in;
	struct quic_version ver;
	uint32_t version;
};

/* ---- helpers ----------------------------------------------------------- */

/* RFC 9000 §16 variable-length integer */
static uint64_t quic_varint(struct rd *r)
{
	uint8_t b = rd_u8(r);
	uint64_t v = b & 0x3f;
	for (int n = (1 << (b >> 6)) - 1; n > 0; n--)
		v = (v << 8) | rd_u8(r);
	return v;
}

static bool quic_state_is_quic(uint8_t st)
{
	return st >= APP_STATE_QUIC_INITIAL && st <= APP_STATE_QUIC_CLOSED;
}

/* States only move forward. */
static void quic_advance(struct flow_meta *m, enum app_state st)
{
	if (m->app_state == APP_STATE_NONE || (quic_state_is_quic(m->app_state) && st > m->app_state))
		m->app_state = (uint8_t)st;
}

/* Long packet type bits to a type: v2 rotates them (RFC 9369 §3.2). */
static enum quic_ptype quic_long_type(uint8_t b0, uint8_t wire)
{
	static const uint8_t v2_types[4] = { QP_RETRY, QP_INITIAL, QP_0RTT, QP_HANDSHAKE };
	unsigned t = (b0 >> 4) & 3;
	return (enum quic_ptype)(wire == QUIC_WIRE_V2 ? v2_types[t] : t);
}

/* ---- CRYPTO stream reassembly ------------------------------------------ */

static void quic_crypto_free(struct quic_state *s)
{
	if (!s->crypto)
		return;
	if (s->acct)
		*s->acct -= s->crypto->cap;
	free(s->crypto);
	s->crypto = NULL;
}

static void quic_hello_end(struct quic_state *s, enum quic_hello h)
{
	s->hello = (uint8_t)h;
	quic_crypto_free(s);
}

/* Make room for bytes up to `hi`, within the flow and worker bounds. */
static bool quic_crypto_reserve(struct quic_state *s, const struct dpi_env *env, uint32_t hi)
{
	uint32_t cap = s->crypto ? s->crypto->cap : 0;
	if (hi <= cap)
		return true;
	uint32_t want = (hi + QUIC_CRYPTO_STEP - 1) / QUIC_CRYPTO_STEP * QUIC_CRYPTO_STEP;
	if (want > QUIC_CRYPTO_MAX)
		want = QUIC_CRYPTO_MAX;
	if (!s->crypto && env)
		s->acct = env->buffered_bytes;
	if (s->acct && env && *s->acct + (want - cap) > env->buffered_limit)
		return false;
	struct quic_crypto *c = xrealloc(s->crypto, sizeof *c + want);
	if (!s->crypto)
		memset(c, 0, sizeof *c);
	c->cap = want;
	s->crypto = c;
	if (s->acct)
		*s->acct += want - cap;
	return true;
}

/* Record [lo, hi) as received, merging touching ranges. */
static void quic_crypto_mark(struct quic_crypto *c, uint32_t lo, uint32_t hi)
{
	size_t i = 0, j;
	while (i < c->nr && c->r[i].hi < lo)
		i++;
	for (j = i; j < c->nr && c->r[j].lo <= hi; j++) {
		lo = c->r[j].lo < lo ? c->r[j].lo : lo;
		hi = c->r[j].hi > hi ? c->r[j].hi : hi;
	}
	if (i == j) {
		if (c->nr == QUIC_CRYPTO_RANGES)
			return; /* too fragmented: forget this piece */
		memmove(&c->r[i + 1], &c->r[i], (c->nr - i) * sizeof c->r[0]);
		c->nr++;
	} else {
		memmove(&c->r[i + 1], &c->r[j], (c->nr - j) * sizeof c->r[0]);
		c->nr = (uint8_t)(c->nr - (j - i - 1));
	}
	c->r[i].lo = lo;
	c->r[i].hi = hi;
}

/* max_idle_timeout (RFC 9000 §18.2, id 0x01); drafts before 27 used
 * 16-bit ids and lengths behind a 16-bit list length. */
static void quic_transport_params(const struct quic_ctx *q, const uint8_t *p, size_t n)
{
	bool old = q->ver.draft && q->ver.draft < 27;
	struct rd r = rd_make(p, n);
	if (old)
		r = rd_sub16(&r);
	while (rd_ok(&r) && rd_left(&r)) {
		uint64_t id = old ? rd_be16(&r) : quic_varint(&r);
		struct rd v = rd_sub(&r, old ? rd_be16(&r) : (size_t)quic_varint(&r));
		if (!rd_ok(&r) || id != 0x01)
			continue;
		uint64_t ms = quic_varint(&v);
		if (rd_ok(&v) && ms)
			meta_set_num(q->in->meta, META_QUIC_IDLE_MS, ms > UINT32_MAX ? UINT32_MAX : ms);
		return;
	}
}

/* Hand a complete-looking message to the ClientHello parser. Returns
 * false while more bytes are needed. */
static bool quic_hello_try(const struct quic_ctx *q, const uint8_t *msg, size_t len)
{
	struct tls_hello_info info = { 0 };
	int rc = tls_client_hello_parse(msg, len, q->in->meta, &info);
	if (rc == 0)
		return false;
	if (rc > 0 && info.quic_tp)
		quic_transport_params(q, info.quic_tp, info.quic_tp_len);
	quic_hello_end(q->s, rc > 0 ? HELLO_DONE : HELLO_FAILED);
	return true;
}

static void quic_crypto_check(const struct quic_ctx *q)
{
	struct quic_crypto *c = q->s->crypto;
	if (!c->nr || c->r[0].lo != 0 || c->r[0].hi < 4)
		return;
	struct rd hdr = rd_make(c->data, c->r[0].hi); /* type, then a 24-bit length */
	rd_skip(&hdr, 1);
	size_t need = 4 + (size_t)rd_be24(&hdr);
	if (need > QUIC_CRYPTO_MAX)
		quic_hello_end(q->s, HELLO_FAILED);
	else if (c->r[0].hi >= need)
		quic_hello_try(q, c->data, need);
}

/* One client CRYPTO frame of the Initial space. */
static void quic_crypto_add(const struct quic_ctx *q, uint64_t off, const uint8_t *p, size_t n)
{
	struct quic_state *s = q->s;
	if (s->hello != HELLO_WAIT || n == 0 || off >= QUIC_CRYPTO_MAX)
		return;
	if (!s->crypto && off == 0 && quic_hello_try(q, p, n))
		return; /* the whole hello in one frame: no copy */
	uint32_t lo = (uint32_t)off;
	uint32_t hi = off + n > QUIC_CRYPTO_MAX ? QUIC_CRYPTO_MAX : (uint32_t)(off + n);
	if (!quic_crypto_reserve(s, q->in->env, hi)) {
		quic_hello_end(s, HELLO_FAILED);
		return;
	}
	memcpy(s->crypto->data + lo, p, hi - lo);
	quic_crypto_mark(s->crypto, lo, hi);
	quic_crypto_check(q);
}

/* The server's CRYPTO stream opens with its ServerHello (RFC 9001 4):
 * the negotiated version and cipher suite. Only a hello whole at offset 0
 * of one Initial is read: at some 90 bytes it always fits in the first. */
static void quic_server_hello(const struct quic_ctx *q, uint64_t off, const uint8_t *p, size_t n)
{
	struct quic_state *s = q->s;
	if (off != 0 || (s->flags & QF_SERVER_HELLO))
		return;
	s->flags |= QF_SERVER_HELLO;
	tls_server_hello_parse(p, n, q->in->meta);
}

/* ---- Google QUIC CHLO (QUIC crypto handshake message) ------------------- */

/*   "CHLO" | num_entries (le16) | pad (2) | num_entries x (tag[4], end_offset le32) | values
 * Returns true when the message's tag table is intact. */
static bool gquic_chlo_parse(struct flow_meta *m, const uint8_t *p, size_t n)
{
	struct rd r = rd_make(p, n);
	rd_skip(&r, 4);
	uint16_t entries = rd_le16(&r);
	rd_skip(&r, 2);
	struct rd tags = rd_sub(&r, (size_t)entries * 8);
	if (!rd_ok(&r) || entries == 0 || entries > 128)
		return false;
	const uint8_t *values = rd_ptr(&r);
	size_t avail = rd_left(&r);
	uint32_t prev = 0;
	while (rd_left(&tags)) {
		struct rd tag = rd_sub(&tags, 4);
		uint32_t end = rd_le32(&tags);
		if (!rd_ok(&tags) || end < prev)
			return false;
		if (rd_equals(&tag, "SNI\0", 4) && end <= avail && end > prev)
			meta_set_str(m, META_SNI, values + prev, end - prev);
		prev = end;
	}
	return true;
}

/* Find a CHLO anywhere in clear bytes (its framing differs by version). */
static void gquic_chlo_scan(const struct quic_ctx *q, struct rd r)
{
	while (q->s->hello == HELLO_WAIT) {
		long hit = rd_search(&r, "CHLO", 4);
		if (hit < 0)
			return;
		rd_skip(&r, (size_t)hit);
		if (gquic_chlo_parse(q->in->meta, rd_ptr(&r), rd_left(&r)))
			q->s->hello = HELLO_DONE;
		rd_skip(&r, 4);
	}
}

/* ---- frames (RFC 9000 §19) in a decrypted Initial ---------------------- */

static void quic_skip_ack(struct rd *r, uint64_t type)
{
	quic_varint(r); /* largest acknowledged */
	quic_varint(r); /* delay */
	uint64_t ranges = quic_varint(r);
	quic_varint(r); /* first range */
	for (uint64_t i = 0; i < ranges && rd_ok(r); i++) {
		quic_varint(r); /* gap */
		quic_varint(r); /* length */
	}
	if (type == 0x03) /* ECN counts */
		for (int i = 0; i < 3; i++)
			quic_varint(r);
}

/* The rest of a run of PADDING frames (zero bytes), a word at a time:
 * client Initials carry a thousand of them, and a frame-by-frame loop
 * cost more than decrypting the packet. */
static void quic_skip_padding(struct rd *r)
{
	const uint8_t *p = rd_ptr(r);
	size_t n = rd_left(r), i = 0;
	uint64_t w;
	for (; i + sizeof w <= n; i += sizeof w) {
		memcpy(&w, p + i, sizeof w);
		if (w)
			break;
	}
	while (i < n && p[i] == 0)
		i++;
	rd_skip(r, i);
}

static void quic_close_seen(const struct quic_ctx *q)
{
	struct quic_state *s = q->s;
	s->flags |= q->in->from_client ? QF_CLOSE_CLIENT : QF_CLOSE_SERVER;
	bool both = (s->flags & QF_CLOSE_CLIENT) && (s->flags & QF_CLOSE_SERVER);
	quic_advance(q->in->meta, both ? APP_STATE_QUIC_CLOSED : APP_STATE_QUIC_DRAINING);
}

/* Google QUIC T050/T051 carry TLS in Initial packets like IETF QUIC, but
 * in Google QUIC's frames (Chromium's quic_types.h): one type byte, 0x00
 * PADDING, 0x07 PING, 0x08 CRYPTO with IETF's variable-length offset and
 * length. Given as the IETF type of the same frame; UINT64_MAX for any
 * other (0x06 there is STOP_WAITING, not CRYPTO). */
static uint64_t gquic_frame_type(struct rd *r)
{
	switch (rd_u8(r)) {
	case 0x00:
		return 0x00;
	case 0x07:
		return 0x01;
	case 0x08:
		return 0x06;
	default:
		return UINT64_MAX;
	}
}

static void quic_frames(const struct quic_ctx *q, const uint8_t *p, size_t n)
{
	struct rd r = rd_make(p, n);
	while (rd_ok(&r) && rd_left(&r)) {
		uint64_t type = q->ver.gquic ? gquic_frame_type(&r) : quic_varint(&r);
		switch (type) {
		case 0x00: /* PADDING */
			quic_skip_padding(&r);
			break;
		case 0x01: /* PING */
			break;
		case 0x02:
		case 0x03:
			quic_skip_ack(&r, type);
			break;
		case 0x06: { /* CRYPTO: offset, length, data */
			uint64_t off = quic_varint(&r);
			uint64_t len = quic_varint(&r);
			const uint8_t *d = len <= rd_left(&r) ? rd_take(&r, (size_t)len) : NULL;
			if (d && q->in->from_client)
				quic_crypto_add(q, off, d, (size_t)len);
			else if (d)
				quic_server_hello(q, off, d, (size_t)len);
			if (!d)
				return;
			break;
		}
		case 0x1c: /* CONNECTION_CLOSE: error, frame type, reason */
		case 0x1d: /* application variant: error, reason */
			quic_varint(&r);
			if (type == 0x1c)
				quic_varint(&r);
			rd_skip(&r, (size_t)quic_varint(&r));
			if (rd_ok(&r))
				quic_close_seen(q);
			break;
		default: /* not allowed in Initial packets: stop */
			return;
		}
	}
}

/* ---- Initial packets --------------------------------------------------- */

static bool quic_open_with(const struct quic_ctx *q, const struct quic_keys *k, uint8_t *buf,
			   const uint8_t *pkt, size_t pn_off, size_t end, struct quic_opened *o)
{
	memcpy(buf, pkt, end);
	return quic_packet_open(k, buf, pn_off, end, q->s->largest_pn[q->in->from_client ? 0 : 1], o);
}

/* Derive keys from `dcid` for this packet's version; adopt them for the
 * flow when they open the packet. */
static bool quic_try_epoch(const struct quic_ctx *q, const uint8_t *dcid, size_t dcid_len,
			   uint8_t *buf, const uint8_t *pkt, size_t pn_off, size_t end,
			   struct quic_opened *o)
{
	struct quic_state *s = q->s;
	struct quic_keys k[2];
	if (!quic_keys_initial_pair(q->ver.salt, dcid, dcid_len, k) ||
	    !quic_open_with(q, &k[q->in->from_client ? 0 : 1], buf, pkt, pn_off, end, o))
		return false;
	memcpy(s->keys, k, sizeof k);
	memmove(s->dcid, dcid, dcid_len);
	s->dcid_len = (uint8_t)dcid_len;
	s->key_salt = q->ver.salt;
	s->flags |= QF_KEYS;
	s->largest_pn[0] = s->largest_pn[1] = -1;
	return true;
}

/* Decrypt with the flow's keys. The client's first DCID keeps deriving
 * them when a server switches to a compatible version (RFC 9368); a
 * client Initial with a new DCID starts a new epoch (first packet, or
 * after a Retry). */
static bool quic_open_initial(const struct quic_ctx *q, uint8_t *buf, const uint8_t *pkt,
			      size_t pn_off, size_t end, const uint8_t *dcid, size_t dcid_len,
			      struct quic_opened *o)
{
	struct quic_state *s = q->s;
	bool have = s->flags & QF_KEYS;
	bool same_salt = have && q->ver.salt == s->key_salt;
	if (same_salt && quic_open_with(q, &s->keys[q->in->from_client ? 0 : 1], buf, pkt, pn_off, end, o))
		return true;
	if (have && !same_salt && quic_try_epoch(q, s->dcid, s->dcid_len, buf, pkt, pn_off, end, o))
		return true;
	if (!q->in->from_client)
		return false;
	if (same_salt && dcid_len == s->dcid_len && memcmp(dcid, s->dcid, dcid_len) == 0)
		return false;
	return quic_try_epoch(q, dcid, dcid_len, buf, pkt, pn_off, end, o);
}

static void quic_initial(const struct quic_ctx *q, const uint8_t *pkt, size_t pn_off, size_t end,
			 const uint8_t *dcid, size_t dcid_len)
{
	if (q->ver.salt == QUIC_SALT_NONE || dcid_len > QUIC_CID_MAX)
		return;
	uint8_t stack[QUIC_STACK_PKT];
	uint8_t *buf = end <= sizeof stack ? stack : xmalloc(end);
	struct quic_opened o;
	if (quic_open_initial(q, buf, pkt, pn_off, end, dcid, dcid_len, &o)) {
		int dir = q->in->from_client ? 0 : 1;
		if ((int64_t)o.pn > q->s->largest_pn[dir])
			q->s->largest_pn[dir] = (int64_t)o.pn;
		if (q->ver.gquic && q->ver.salt == QUIC_SALT_Q050)
			gquic_chlo_scan(q, rd_make(buf + o.header_len, o.payload_len));
		else
			quic_frames(q, buf + o.header_len, o.payload_len);
	}
	if (buf != stack)
		free(buf);
}

/* ---- packets and datagrams --------------------------------------------- */

static void quic_note_type(const struct quic_ctx *q, enum quic_ptype t)
{
	struct quic_state *s = q->s;
	bool c = q->in->from_client;
	if (t == QP_HANDSHAKE)
		s->flags |= c ? QF_HS_CLIENT : QF_HS_SERVER;
	if (c && t == QP_INITIAL)
		quic_advance(q->in->meta, APP_STATE_QUIC_INITIAL);
	if (!c && (t == QP_INITIAL || t == QP_HANDSHAKE))
		quic_advance(q->in->meta, APP_STATE_QUIC_HANDSHAKE);
}

/* One long header packet (after the version) of an RFC 9000 layout
 * version. Returns false when the rest of the datagram is not packets. */
static bool quic_long_packet(const struct quic_ctx *q, struct rd *r, const uint8_t *start, uint8_t b0)
{
	size_t dcid_len = rd_u8(r);
	const uint8_t *dcid = rd_take(r, dcid_len);
	rd_skip(r, rd_u8(r)); /* SCID */
	if (!rd_ok(r) || dcid_len > QUIC_CID_MAX)
		return false;
	enum quic_ptype t = quic_long_type(b0, q->ver.wire);
	quic_note_type(q, t);
	if (t == QP_RETRY)
		return false;
	if (t == QP_INITIAL)
		rd_skip(r, (size_t)quic_varint(r)); /* token */
	uint64_t len = quic_varint(r);
	if (!rd_ok(r) || len > rd_left(r))
		return false;
	size_t pn_off = (size_t)(rd_ptr(r) - start);
	if (t == QP_INITIAL)
		quic_initial(q, start, pn_off, pn_off + (size_t)len, dcid, dcid_len);
	rd_skip(r, (size_t)len);
	return true;
}

static void gquic_datagram(const struct quic_ctx *q, bool has_version)
{
	struct quic_state *s = q->s;
	const struct dissect_in *in = q->in;
	if (in->from_client) {
		quic_advance(in->meta, APP_STATE_QUIC_INITIAL);
		if (s->hello == HELLO_WAIT)
			gquic_chlo_scan(q, rd_make(in->data, in->len));
		if (!has_version && (s->flags & QF_SERVER_SEEN))
			quic_advance(in->meta, APP_STATE_QUIC_CONNECTED);
	} else {
		quic_advance(in->meta, APP_STATE_QUIC_HANDSHAKE);
	}
}

/* The client's latest version wins; a server's only fills a gap. */
static void quic_set_version(const struct quic_ctx *q)
{
	struct flow_meta *m = q->in->meta;
	if (!q->in->from_client && meta_num(m, META_QUIC_VERSION, NULL))
		return;
	m->app = q->ver.gquic ? APP_GQUIC : APP_QUIC;
	meta_set_num(m, META_QUIC_VERSION, q->version);
}

/* Q043 and older: flags (version 0x01, 8-byte CID 0x08/0x0c), CID, "Q0nn". */
static bool gquic_public_version(const uint8_t *p, size_t n, uint32_t *version)
{
	struct rd r = rd_make(p, n);
	uint8_t flags = rd_u8(&r);
	rd_skip(&r, 8);
	*version = rd_be32(&r);
	struct quic_version v;
	return rd_ok(&r) && !(flags & 0x80) && (flags & 0x01) && (flags & 0x08) &&
	       quic_version_lookup(*version, &v) && v.wire == QUIC_WIRE_GQUIC_PH;
}

static void quic_datagram(struct quic_ctx *q)
{
	const struct dissect_in *in = q->in;
	struct rd r = rd_make(in->data, in->len);
	while (rd_left(&r)) {
		const uint8_t *start = rd_ptr(&r);
		uint8_t b0 = rd_u8(&r);
		if (!(b0 & 0x80)) {
			q->s->flags |= in->from_client ? QF_SHORT_CLIENT : QF_SHORT_SERVER;
			return;
		}
		q->version = rd_be32(&r);
		if (!rd_ok(&r) || q->version == 0 || !quic_version_lookup(q->version, &q->ver))
			return; /* version negotiation, unknown version, or runt */
		quic_set_version(q);
		if (q->ver.wire == QUIC_WIRE_GQUIC_LH) {
			gquic_datagram(q, true);
			return;
		}
		if (!quic_long_packet(q, &r, start, b0))
			return;
	}
}

/* ---- dissector interface ----------------------------------------------- */

static bool quic_connected(const struct quic_state *s)
{
	uint16_t f = s->flags;
	return ((f & QF_SHORT_CLIENT) && (f & QF_SHORT_SERVER)) ||
	       ((f & QF_HS_CLIENT) && (f & QF_HS_SERVER));
}

static bool quic_done(struct quic_state *s, const struct flow_meta *m)
{
	if (m->app_state == APP_STATE_QUIC_CLOSED || s->pkts >= QUIC_MAX_PKTS)
		return true;
	if (m->app_state != APP_STATE_QUIC_CONNECTED)
		return false;
	return s->hello != HELLO_WAIT || ++s->connected_pkts > QUIC_CONNECTED_GRACE;
}

static enum parse_result quic_parse(void *state, const struct dissect_in *in)
{
	struct quic_state *s = state;
	struct quic_ctx q = { s, in, { 0 }, 0 };
	if (s->pkts == 0)
		s->largest_pn[0] = s->largest_pn[1] = -1;
	s->pkts++;
	if (!in->from_client)
		s->flags |= QF_SERVER_SEEN;
	if (in->meta->app == APP_NONE)
		in->meta->app = APP_QUIC;
	uint32_t v;
	bool public_hdr = in->from_client && gquic_public_version(in->data, in->len, &v);
	if (public_hdr) {
		q.version = v;
		quic_version_lookup(v, &q.ver);
		quic_set_version(&q);
	}
	struct rd dgram = rd_make(in->data, in->len);
	bool short_hdr = rd_left(&dgram) && !(rd_peek8(&dgram, 0) & 0x80);
	if (public_hdr || (in->meta->app == APP_GQUIC && short_hdr))
		gquic_datagram(&q, public_hdr);
	else
		quic_datagram(&q);
	if (quic_connected(s))
		quic_advance(in->meta, APP_STATE_QUIC_CONNECTED);
	return quic_done(s, in->meta) ? PARSE_DONE : PARSE_MORE;
}

/* Long header (after its first byte) with a known version and sane
 * connection ID lengths. A reserved version (0x?a?a?a?a, sent to force negotiation) is only taken
 * in a datagram padded like a client Initial (RFC 9000 §14.1). */
static enum probe_result quic_probe_long(struct rd *r)
{
	uint32_t version = rd_be32(r);
	struct quic_version v;
	bool reserved = (version & 0x0f0f0f0f) == 0x0a0a0a0a && r->len >= QUIC_MIN_INITIAL;
	bool known = quic_version_lookup(version, &v);
	if (known && v.wire == QUIC_WIRE_GQUIC_LH)
		return PROBE_YES;
	if (!known && !reserved && version != 0)
		return PROBE_NO;
	size_t dcid_len = rd_u8(r);
	rd_skip(r, dcid_len);
	size_t scid_len = rd_u8(r);
	rd_skip(r, scid_len);
	if (!rd_ok(r) || dcid_len > QUIC_CID_MAX || scid_len > QUIC_CID_MAX)
		return PROBE_NO;
	if (version == 0) /* version negotiation: a non-empty list of versions */
		return rd_left(r) >= 4 && rd_left(r) % 4 == 0 ? PROBE_YES : PROBE_NO;
	return PROBE_YES;
}

static enum probe_result quic_probe(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	uint8_t b0 = rd_u8(&r);
	uint32_t version;
	if (in->len < 7)
		return PROBE_NO;
	if (b0 & 0x80)
		return quic_probe_long(&r);
	if (gquic_public_version(in->data, in->len, &version))
		return PROBE_YES;
	/* a short header cannot be told from noise: wait for a long one */
	return (b0 & 0x40) ? PROBE_MAYBE : PROBE_NO;
}

static void quic_state_fini(void *state)
{
	quic_crypto_free(state);
}

/* OpenSSL reads its configuration on first use: before the sandbox. A
 * build without an algorithm simply leaves QUIC undecrypted. */
static void quic_prepare(void)
{
	quic_keys_prepare();
}

const struct dissector dissector_quic = {
	.name = "quic",
	.l4 = L4_UDP,
	.ports = { 443, 80, 8443, 4433, 0 },
	.probe = quic_probe,
	.parse = quic_parse,
	.state_size = sizeof(struct quic_state),
	.state_fini = quic_state_fini,
	.prepare = quic_prepare,
};

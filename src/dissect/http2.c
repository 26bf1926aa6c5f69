/* http2.c - HTTP/2 in the clear (RFC 9113): with prior knowledge (3.3),
 * or after an h2c upgrade that http.c hands over. The first request's
 * :method, :authority (as the Host), :path and user-agent, and the first
 * response's :status, from the first header block each side sends
 * (HEADERS and CONTINUATION frames, decoded by hpack.c).
 *
 *   client: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" then frames; server: frames
 *   frame:  length(24) | type(8) | flags(8) | R(1) stream id(31) | payload
 *   HEADERS payload: [pad length(8)] [dependency(32) weight(8)] block [padding]
 *
 * The side whose stream starts with the preface sends requests. A request
 * that carries DNS messages (application/dns-message, RFC 8484) is DoH.
 */
#include <stdlib.h>
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "base/xalloc.h"
#include "dissect/dissector.h"
#include "dissect/hpack.h"

static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define H2_PREFACE_LEN (sizeof h2_preface - 1)
#define H2_FRAME_HDR 9
#define H2_BLOCK_MAX 16384 /* a first header block larger than this is not read */

enum { H2_HEADERS = 0x1, H2_SETTINGS = 0x4, H2_CONTINUATION = 0x9 };
enum { H2_END_HEADERS = 0x4, H2_PADDED = 0x8, H2_PRIORITY = 0x20 };
enum h2_role { H2_UNKNOWN = 0, H2_REQUESTS, H2_RESPONSES };

struct h2_dir {
	uint32_t off;        /* stream offset of the next frame */
	uint32_t block_len;  /* bytes gathered of a block that CONTINUATION frames go on */
	uint32_t stream_id;  /* the stream that block belongs to */
	uint8_t *block;      /* owned while gathering */
	uint8_t role;        /* enum h2_role */
	bool done;
};

struct h2_state {
	struct h2_dir dir[2]; /* [0] initiator */
	bool own_app;         /* the app is this dissector's (not set by an h2c request) */
};

struct field_ctx {
	struct flow_meta *meta;
	bool requests;
	bool own_app;
};

static bool name_is(const struct hpack_field *f, const char *s)
{
	struct rd name = rd_make(f->name, f->name_len);
	return rd_equals(&name, s, strlen(s));
}

static bool value_has(const struct hpack_field *f, const char *s)
{
	struct rd value = rd_make(f->value, f->value_len);
	return rd_contains(&value, s, strlen(s));
}

static void store(struct flow_meta *m, enum meta_key k, const struct hpack_field *f)
{
	if (f->value_cut)
		meta_set_str_cut(m, k, f->value, f->value_len);
	else
		meta_set_str(m, k, f->value, f->value_len);
}

static bool request_field(void *ctx, const struct hpack_field *f)
{
	const struct field_ctx *c = ctx;
	static const struct {
		const char *name;
		enum meta_key key;
	} keys[] = {
		{ ":method", META_HTTP_METHOD }, { ":path", META_HTTP_PATH },
		{ ":authority", META_HTTP_HOST }, { "host", META_HTTP_HOST },
		{ "user-agent", META_HTTP_UA },
	};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (name_is(f, keys[i].name))
			store(c->meta, keys[i].key, f);
	if ((name_is(f, "content-type") || name_is(f, "accept")) &&
	    value_has(f, "application/dns-message") && c->own_app)
		c->meta->app = APP_DOH;
	return true;
}

static bool response_field(void *ctx, const struct hpack_field *f)
{
	const struct field_ctx *c = ctx;
	if (!name_is(f, ":status"))
		return true;
	unsigned code = 0;
	for (size_t i = 0; i < f->value_len && i < 3; i++)
		code = code * 10 + (unsigned)(f->value[i] - '0');
	bool digits = f->value_len == 3;
	for (size_t i = 0; i < f->value_len; i++)
		digits = digits && f->value[i] >= '0' && f->value[i] <= '9';
	if (digits && !meta_num(c->meta, META_HTTP_STATUS, NULL))
		meta_set_num(c->meta, META_HTTP_STATUS, code);
	return false;
}

/* The header block fragment of a HEADERS frame's payload (6.2). */
static bool headers_fragment(struct rd payload, uint8_t flags, struct rd *frag)
{
	size_t pad = 0;
	if (flags & H2_PADDED)
		pad = rd_u8(&payload);
	if (flags & H2_PRIORITY)
		rd_skip(&payload, 5);
	if (!rd_ok(&payload) || pad > rd_left(&payload))
		return false;
	*frag = rd_sub(&payload, rd_left(&payload) - pad);
	return rd_ok(frag);
}

static void block_done(struct h2_dir *d, const uint8_t *p, size_t n, const struct dissect_in *in,
		       bool own_app)
{
	struct field_ctx c = { in->meta, d->role == H2_REQUESTS, own_app };
	hpack_decode(p, n, c.requests ? request_field : response_field, &c);
	free(d->block);
	d->block = NULL;
	d->done = true;
}

/* Add a fragment to the block being gathered; false when it is too big. */
static bool block_add(struct h2_dir *d, struct rd frag)
{
	size_t n = rd_left(&frag);
	if ((size_t)d->block_len + n > H2_BLOCK_MAX)
		return false;
	d->block = xrealloc(d->block, d->block_len + n + 1);
	memcpy(d->block + d->block_len, rd_ptr(&frag), n);
	d->block_len += (uint32_t)n;
	return true;
}

/* One whole frame. */
static void frame(struct h2_dir *d, uint8_t type, uint8_t flags, uint32_t id, struct rd payload,
		  const struct dissect_in *in, bool own_app)
{
	struct rd frag;
	if (d->block) { /* only CONTINUATION of the same stream may follow (6.10) */
		if (type != H2_CONTINUATION || id != d->stream_id || !block_add(d, payload)) {
			free(d->block);
			d->block = NULL;
			d->done = true;
		} else if (flags & H2_END_HEADERS) {
			block_done(d, d->block, d->block_len, in, own_app);
		}
		return;
	}
	if (type != H2_HEADERS || id == 0)
		return;
	if (!headers_fragment(payload, flags, &frag)) {
		d->done = true;
		return;
	}
	if (flags & H2_END_HEADERS) {
		block_done(d, rd_ptr(&frag), rd_left(&frag), in, own_app);
		return;
	}
	d->stream_id = id;
	d->block_len = 0;
	if (!block_add(d, frag))
		d->done = true;
}

static void read_frames(struct h2_dir *d, const struct dissect_in *in, bool own_app)
{
	while (!d->done) {
		struct rd r = rd_make_at(in->data, in->len, d->off);
		if (rd_left(&r) < H2_FRAME_HDR)
			break;
		uint32_t len = rd_be24(&r);
		uint8_t type = rd_u8(&r), flags = rd_u8(&r);
		uint32_t id = rd_be32(&r) & 0x7fffffffu;
		if (rd_left(&r) < len)
			break;
		d->off += H2_FRAME_HDR + len;
		frame(d, type, flags, id, rd_sub(&r, len), in, own_app);
	}
	if (in->stream_full)
		d->done = true;
}

static enum parse_result h2_parse(void *state, const struct dissect_in *in)
{
	struct h2_state *st = state;
	struct h2_dir *d = &st->dir[in->from_client ? 0 : 1];
	if (in->meta->app == APP_NONE)
		st->own_app = true;
	meta_set_app(in->meta, APP_HTTP2);
	if (d->role == H2_UNKNOWN) {
		struct rd r = rd_make(in->data, in->len);
		enum rd_prefix pre = rd_prefix(&r, h2_preface, H2_PREFACE_LEN);
		bool preface = pre == RD_PREFIX_YES;
		if (pre == RD_PREFIX_SO_FAR && !in->stream_full)
			return PARSE_MORE;
		d->role = preface ? H2_REQUESTS : H2_RESPONSES;
		d->off = preface ? H2_PREFACE_LEN : 0;
	}
	read_frames(d, in, st->own_app);
	return st->dir[0].done && st->dir[1].done ? PARSE_DONE : PARSE_MORE;
}

/* The client's preface; or a server's SETTINGS frame, which may come
 * first (3.4): that waits for the client. */
static enum probe_result h2_probe(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	enum rd_prefix pre = rd_prefix(&r, h2_preface, H2_PREFACE_LEN);
	if (pre != RD_PREFIX_NO)
		return probe_of_prefix(pre, in->stream_full);
	static const uint8_t settings[H2_FRAME_HDR] = { 0, 0, 0, H2_SETTINGS, 0, 0, 0, 0, 0 };
	for (size_t i = 3; i < H2_FRAME_HDR && i < rd_left(&r); i++)
		if (rd_peek8(&r, i) != settings[i])
			return PROBE_NO;
	return in->stream_full ? PROBE_NO : PROBE_MAYBE;
}

static void h2_state_fini(void *state)
{
	struct h2_state *st = state;
	free(st->dir[0].block);
	free(st->dir[1].block);
}

const struct dissector dissector_http2 = {
	.name = "http2",
	.label = "HTTP2",
	.l4 = L4_TCP,
	.ports = { 80, 8080, 0 },
	.probe = h2_probe,
	.parse = h2_parse,
	.state_size = sizeof(struct h2_state),
	.state_fini = h2_state_fini,
};

/* xmpp.c - XMPP (RFC 6120) streams up to STARTTLS (5.4), which hands the
 * connection to TLS.
 *
 *   C: <stream:stream xmlns:stream='http://etherx.jabber.org/streams'
 *        xmlns='jabber:client' to='example.net' version='1.0'>
 *   S: <stream:stream ...><stream:features><starttls
 *        xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>
 *   C: <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>
 *   S: <proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>
 *   (TLS from here on, both ways)
 *
 * Read a tag at a time (what lies between '<' and '>'; XMPP has no
 * comments or processing instructions after the XML declaration, RFC 6120
 * 11.1). The client's stream header gives the domain it is addressed to
 * (to=, 4.7.2). Recognised by either side's stream header, on any port.
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/starttls.h"

#define XMPP_CLIENT_TAGS 16 /* client tags read before giving up on STARTTLS */
#define XMPP_HEADER_TAGS 2  /* the XML declaration, then the stream header */

static const char xmpp_streams_ns[] = "http://etherx.jabber.org/streams";
static const char xmpp_tls_ns[] = "urn:ietf:params:xml:ns:xmpp-tls";

struct xmpp_state {
	struct starttls tls;
	uint32_t header_off; /* the client's stream: next tag to look at for the header */
	uint8_t header_tags; /* tags looked at; XMPP_HEADER_TAGS: done */
};

/* The next tag of in's stream from *off, without its '<' and '>' (see
 * starttls_rules' next). Text before it is skipped; a '>' inside a quoted
 * attribute value does not end it. */
static bool xmpp_tag_next(const struct dissect_in *in, uint32_t *off, struct rd *tag,
			  bool *too_long)
{
	*too_long = false;
	if (*off >= in->len) {
		*too_long = in->stream_full;
		return false;
	}
	struct rd r = rd_make(in->data + *off, in->len - *off);
	size_t n = rd_left(&r), lt = 0, gt;
	while (lt < n && lt < STARTTLS_LINE_MAX && rd_peek8(&r, lt) != '<')
		lt++;
	if (lt >= STARTTLS_LINE_MAX) { /* that much text is not XMPP's */
		*too_long = true;
		return false;
	}
	uint8_t quote = 0;
	for (gt = lt + 1; lt < n && gt < n && gt - lt < STARTTLS_LINE_MAX; gt++) {
		uint8_t c = rd_peek8(&r, gt);
		if (quote ? c == quote : c == '\'' || c == '"')
			quote = quote ? 0 : c;
		else if (!quote && c == '>')
			break;
	}
	if (lt >= n || gt >= n || gt - lt >= STARTTLS_LINE_MAX) {
		/* no whole tag yet; none can come past the bound */
		*too_long = (lt < n && gt - lt >= STARTTLS_LINE_MAX) || in->stream_full;
		return false;
	}
	rd_skip(&r, lt + 1);
	*tag = rd_sub(&r, gt - lt - 1);
	*off += (uint32_t)(gt + 1);
	return true;
}

static bool xmpp_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Is the tag's name `name` (its local part: any prefix is dropped)? An
 * end tag's name follows its '/'. */
static bool xmpp_name_is(struct rd tag, const char *name)
{
	if (rd_peek8(&tag, 0) == '/')
		rd_skip(&tag, 1);
	size_t len = 0;
	while (len < rd_left(&tag) && !xmpp_space(rd_peek8(&tag, len)) && rd_peek8(&tag, len) != '/')
		len++;
	struct rd qname = rd_sub(&tag, len);
	long colon = rd_find(&qname, ':', len);
	if (colon >= 0) /* a prefixed name: its local part */
		rd_skip(&qname, (size_t)colon + 1);
	return rd_equals(&qname, name, strlen(name));
}

static bool xmpp_end_tag(struct rd tag) { return rd_peek8(&tag, 0) == '/'; }

static bool xmpp_empty_tag(struct rd tag) /* <name .../> */
{
	return rd_left(&tag) && rd_peek8(&tag, rd_left(&tag) - 1) == '/';
}

/* The value of attribute `name` (exactly, prefix included), unescaped
 * quotes: false when the tag has none. */
static bool xmpp_attr(struct rd tag, const char *name, struct rd *value)
{
	size_t want = strlen(name);
	while (rd_left(&tag) && !xmpp_space(rd_peek8(&tag, 0)))
		rd_skip(&tag, 1); /* the element's name */
	while (rd_left(&tag)) {
		while (rd_left(&tag) && xmpp_space(rd_peek8(&tag, 0)))
			rd_skip(&tag, 1);
		size_t len = 0;
		while (len < rd_left(&tag) && rd_peek8(&tag, len) != '=' && !xmpp_space(rd_peek8(&tag, len)))
			len++;
		struct rd attr = rd_sub(&tag, len);
		while (rd_left(&tag) && xmpp_space(rd_peek8(&tag, 0)))
			rd_skip(&tag, 1);
		if (rd_u8(&tag) != '=')
			return false;
		while (rd_left(&tag) && xmpp_space(rd_peek8(&tag, 0)))
			rd_skip(&tag, 1);
		uint8_t quote = rd_u8(&tag);
		if (!rd_ok(&tag) || (quote != '\'' && quote != '"'))
			return false;
		long close = rd_find(&tag, quote, rd_left(&tag));
		if (close < 0)
			return false;
		struct rd v = rd_sub(&tag, (size_t)close);
		rd_skip(&tag, 1);
		if (rd_equals(&attr, name, want)) {
			*value = v;
			return true;
		}
	}
	return false;
}

static bool xmpp_attr_is(struct rd tag, const char *name, const char *want)
{
	struct rd v;
	return xmpp_attr(tag, name, &v) && rd_equals(&v, want, strlen(want));
}

/* <stream:stream xmlns:stream='http://etherx.jabber.org/streams' ...> */
static bool xmpp_stream_header(struct rd tag)
{
	return !xmpp_end_tag(tag) && xmpp_name_is(tag, "stream") &&
	       xmpp_attr_is(tag, "xmlns:stream", xmpp_streams_ns);
}

static bool xmpp_declaration(struct rd tag) { return rd_peek8(&tag, 0) == '?'; }

/* <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>, or the end tag of
 * one written <starttls ...></starttls>: TLS starts after it. */
static bool xmpp_asks(struct starttls *st, struct rd tag)
{
	if (!xmpp_name_is(tag, "starttls"))
		return false;
	return xmpp_end_tag(tag) || (xmpp_empty_tag(tag) && xmpp_attr_is(tag, "xmlns", xmpp_tls_ns));
}

/* <proceed/> (or its end tag) accepts; <failure/> or the stream's end
 * refuses (RFC 6120 5.4.2.2, 5.4.2.3). */
static enum starttls_answer xmpp_answer(const struct starttls *st, struct rd tag)
{
	if (xmpp_name_is(tag, "proceed"))
		return xmpp_end_tag(tag) || xmpp_empty_tag(tag) ? STARTTLS_YES : STARTTLS_MORE;
	if (xmpp_name_is(tag, "failure") || (xmpp_end_tag(tag) && xmpp_name_is(tag, "stream")))
		return STARTTLS_NO;
	return STARTTLS_MORE;
}

/* SASL or stanzas in the clear: no STARTTLS after them. */
static bool xmpp_in_clear(struct rd tag)
{
	static const char *const names[] = { "auth", "iq", "message", "presence" };
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!xmpp_end_tag(tag) && xmpp_name_is(tag, names[i]))
			return true;
	return false;
}

static const struct starttls_rules xmpp_rules = {
	.asks = xmpp_asks,
	.answer = xmpp_answer,
	.in_clear = xmpp_in_clear,
	.max_lines = XMPP_CLIENT_TAGS,
	.next = xmpp_tag_next,
};

/* The client's stream header: store its to= domain. */
static void xmpp_read_header(struct xmpp_state *st, const struct dissect_in *in)
{
	struct rd tag, to;
	bool too_long = false;
	while (st->header_tags < XMPP_HEADER_TAGS && xmpp_tag_next(in, &st->header_off, &tag, &too_long)) {
		st->header_tags++;
		if (xmpp_declaration(tag))
			continue;
		st->header_tags = XMPP_HEADER_TAGS;
		if (xmpp_stream_header(tag) && xmpp_attr(tag, "to", &to))
			meta_set_str(in->meta, META_XMPP_TO, rd_ptr(&to), rd_left(&to));
	}
	if (too_long)
		st->header_tags = XMPP_HEADER_TAGS;
}

/* Either side's first bytes: an XML declaration, then a stream header. */
static enum probe_result xmpp_probe(const struct dissect_in *in)
{
	static const char *const starts[] = { "<?xml", "<stream:stream" };
	struct rd r = rd_make(in->data, in->len);
	bool maybe = false;
	for (size_t i = 0; i < ARRAY_LEN(starts); i++) {
		enum rd_prefix p = rd_prefix(&r, starts[i], strlen(starts[i]));
		if (p == RD_PREFIX_SO_FAR)
			return in->stream_full ? PROBE_NO : PROBE_MAYBE;
		maybe |= p == RD_PREFIX_YES;
	}
	if (!maybe)
		return PROBE_NO;
	uint32_t off = 0;
	struct rd tag;
	bool too_long;
	for (int i = 0; i < XMPP_HEADER_TAGS; i++) {
		if (!xmpp_tag_next(in, &off, &tag, &too_long))
			return too_long ? PROBE_NO : PROBE_MAYBE;
		if (!xmpp_declaration(tag))
			return xmpp_stream_header(tag) ? PROBE_YES : PROBE_NO;
	}
	return PROBE_NO;
}

static enum parse_result xmpp_parse(void *state, const struct dissect_in *in)
{
	struct xmpp_state *st = state;
	meta_set_app(in->meta, APP_XMPP);
	if (in->from_client)
		xmpp_read_header(st, in);
	return starttls_parse(&st->tls, &xmpp_rules, in);
}

const struct dissector dissector_xmpp = {
	.name = "xmpp",
	.label = "XMPP",
	.l4 = L4_TCP,
	.ports = { 5222, 5269, 0 },
	.probe = xmpp_probe,
	.parse = xmpp_parse,
	.state_size = sizeof(struct xmpp_state),
};

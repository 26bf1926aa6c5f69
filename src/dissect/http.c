/* http.c - HTTP/1.x request and response heads (RFC 9112 sections 3, 4
 * and 5): the first request's method, target, Host and User-Agent, the
 * first response's status code, and what the connection turns into.
 *
 *   request-line = method SP request-target SP HTTP-version CRLF
 *   status-line  = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *
 * Lines are consumed as they complete, so a head split over several
 * segments is read once; the head ends at the empty line or when the
 * stream bound is reached. RTSP and SIP share the shape but not the
 * HTTP/1.x version token, which is what tells them apart.
 *
 * Switches (RFC 9110 9.3.6, 7.8; RFC 6455 4; RFC 7540 3.2; RFC 2817): a
 * CONNECT answered 2xx becomes a tunnel whose content is inspected like
 * any connection's; an Upgrade answered 101 becomes a WebSocket (nothing
 * more to read), HTTP/2 (h2c) or TLS. Both hand the connection over where
 * the request head (and body) and the response head end. A request that
 * carries DNS messages (application/dns-message, RFC 8484) is DoH.
 */
#include <string.h>

#include "base/rd.h"
#include "base/macros.h"
#include "dissect/dissector.h"

/* A request target up to META_PATH_MAX bytes, as servers accept (Apache's
 * LimitRequestLine, nginx's large_client_header_buffers: 8 KiB), fits in a
 * request line this long with its method and version. */
#define HTTP_LINE_MAX (META_PATH_MAX + 64)
#define HTTP_BODY_WAIT 2048 /* request body bytes buffered while waiting for the status */

static const char *const http_methods[] = {
	"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
	/* WebDAV (RFC 4918, 3253, 4791, 5323) */
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT",
	"SEARCH", "MKCALENDAR",
};

static const char http_version_prefix[] = "HTTP/1.";

extern const struct dissector dissector_tls;
extern const struct dissector dissector_http2;

/* Which head a direction carries; decided by its first bytes, not by who
 * opened the connection (a capture may start after the SYN). */
enum http_role { ROLE_UNKNOWN = 0, ROLE_REQUEST, ROLE_RESPONSE };

/* What the first request asks the connection to become. */
enum http_switch {
	SWITCH_TUNNEL = 1 << 0,    /* CONNECT */
	SWITCH_WEBSOCKET = 1 << 1, /* Upgrade: websocket */
	SWITCH_H2C = 1 << 2,       /* Upgrade: h2c */
	SWITCH_TLS = 1 << 3,       /* Upgrade: TLS/1.x */
};

struct http_state {
	uint32_t req_off;      /* request stream offset of the next unread line */
	uint32_t req_end;      /* past the request head and its body */
	uint32_t resp_off;     /* response stream offset of the next unread line */
	uint32_t body_len;     /* the first request's Content-Length */
	uint16_t status;       /* the first response's, 0 until read */
	uint8_t role[2];       /* enum http_role per direction, [0] initiator */
	uint8_t asks;          /* enum http_switch bits the request asks for */
	uint8_t gets;          /* the one a 101 response's Upgrade names */
	bool own_app;          /* the app is this dissector's (not a tunnel's outside) */
	bool req_line_seen, resp_line_seen;
	bool req_done, resp_done;
};

/* The next LF-terminated line (without CR LF); false when incomplete. */
static bool next_line(struct rd *r, struct rd *line) { return rd_line(r, rd_left(r), line); }

static bool has_prefix(const struct rd *r, const char *s, size_t n)
{
	return rd_prefix(r, s, n) == RD_PREFIX_YES;
}

/* Method at the start: 1 matched "METHOD SP", 0 could still match, -1 no. */
static int method_match(const struct rd *r)
{
	int verdict = -1;
	if (!rd_left(r))
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(http_methods); i++) {
		size_t m = strlen(http_methods[i]);
		enum rd_prefix pre = rd_prefix(r, http_methods[i], m);
		if (pre == RD_PREFIX_NO)
			continue;
		if (pre == RD_PREFIX_SO_FAR || rd_left(r) == m)
			verdict = 0;
		else if (rd_peek8(r, m) == ' ')
			return 1;
	}
	return verdict;
}

/* Split "METHOD SP target SP HTTP/1.x" into its parts: the method ends
 * at the first space, the target (spaces and all) at the one before the
 * version. */
static bool request_line(struct rd line, struct rd *method, struct rd *target)
{
	size_t vl = sizeof http_version_prefix - 1;
	long m = rd_find(&line, ' ', rd_left(&line));
	if (m <= 0 || rd_left(&line) <= (size_t)m + vl + 3)
		return false;
	size_t t = rd_left(&line) - (size_t)m - vl - 3; /* less the two spaces and "HTTP/1.x" */
	*method = rd_sub(&line, (size_t)m);
	rd_skip(&line, 1);
	*target = rd_sub(&line, t);
	return rd_u8(&line) == ' ' && rd_left(&line) == vl + 1 &&
	       has_prefix(&line, http_version_prefix, vl) && rd_peek8(&line, vl) >= '0' &&
	       rd_peek8(&line, vl) <= '9';
}

/* No line end within HTTP_LINE_MAX bytes: still a request when a method
 * is followed by a target that has no control bytes so far. */
static bool overlong_request(struct rd r)
{
	long sp = rd_find(&r, ' ', 32);
	if (sp < 0)
		return false;
	rd_skip(&r, (size_t)sp + 1);
	while (rd_left(&r)) {
		uint8_t c = rd_u8(&r);
		if (c < 0x21 || c == 0x7f)
			return false;
	}
	return true;
}

static enum probe_result probe_request(const struct dissect_in *in, struct rd r)
{
	int m = method_match(&r);
	if (m < 0)
		return PROBE_NO;
	if (rd_left(&r) > HTTP_LINE_MAX)
		r = rd_sub(&r, HTTP_LINE_MAX);
	struct rd head = r, line, method, target;
	if (m == 0)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	if (!next_line(&r, &line)) {
		if (in->len >= HTTP_LINE_MAX)
			return overlong_request(head) ? PROBE_YES : PROBE_NO;
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	}
	return request_line(line, &method, &target) ? PROBE_YES : PROBE_NO;
}

static enum probe_result probe_response(const struct dissect_in *in, struct rd r)
{
	switch (rd_prefix(&r, http_version_prefix, sizeof http_version_prefix - 1)) {
	case RD_PREFIX_YES:
		return PROBE_YES;
	case RD_PREFIX_SO_FAR:
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	default:
		return PROBE_NO;
	}
}

/* "HTTP/1.x" starts a response; requests start with a method. */
static enum http_role role_of(struct rd r)
{
	if (!rd_left(&r) || (rd_left(&r) == 1 && rd_peek8(&r, 0) == 'H'))
		return ROLE_UNKNOWN;
	return rd_peek8(&r, 0) == 'H' && rd_peek8(&r, 1) == 'T' ? ROLE_RESPONSE : ROLE_REQUEST;
}

static enum probe_result http_probe(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	switch (role_of(r)) {
	case ROLE_REQUEST:
		return probe_request(in, r);
	case ROLE_RESPONSE:
		return probe_response(in, r);
	default:
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	}
}

/* ---- header fields ---- */

static struct rd skip_ows(struct rd v)
{
	while (rd_left(&v) && (rd_peek8(&v, 0) == ' ' || rd_peek8(&v, 0) == '\t'))
		rd_skip(&v, 1);
	return v;
}

/* Field value without optional whitespace around it. */
static struct rd trim(struct rd v)
{
	v = skip_ows(v);
	while (v.len > v.off && (v.p[v.len - 1] == ' ' || v.p[v.len - 1] == '\t'))
		v.len--;
	return v;
}

/* Split "name: value" (the value untrimmed); false without a colon. */
static bool field_line(struct rd line, struct rd *name, struct rd *value)
{
	long colon = rd_find(&line, ':', rd_left(&line));
	if (colon < 0)
		return false;
	*name = rd_sub(&line, (size_t)colon);
	rd_skip(&line, 1);
	*value = line;
	return true;
}

static bool is_n(struct rd r, const char *s, size_t n)
{
	return rd_left(&r) == n && rd_prefix_case(&r, s, n) == RD_PREFIX_YES;
}

static bool is(struct rd r, const char *s)
{
	return is_n(r, s, strlen(s));
}

static bool starts(struct rd r, const char *s)
{
	return rd_prefix_case(&r, s, strlen(s)) == RD_PREFIX_YES;
}

static bool contains(struct rd r, const char *s)
{
	return rd_contains_case(&r, s, strlen(s));
}

/* Upgrade: a list of protocol names; the ones this dissector can follow. */
static uint8_t switches_named(struct rd v)
{
	uint8_t s = 0;
	if (contains(v, "websocket"))
		s |= SWITCH_WEBSOCKET;
	if (contains(v, "h2c"))
		s |= SWITCH_H2C;
	if (contains(v, "TLS/1."))
		s |= SWITCH_TLS;
	return s;
}

static uint32_t decimal(struct rd v)
{
	uint64_t n = 0;
	while (rd_left(&v) && rd_peek8(&v, 0) >= '0' && rd_peek8(&v, 0) <= '9' && n < UINT32_MAX)
		n = n * 10 + (uint64_t)(rd_u8(&v) - '0');
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

enum request_field { F_HOST, F_UA, F_UPGRADE, F_LENGTH, F_TYPE, F_ACCEPT };

#define FIELD(name, f) { name, sizeof name - 1, f }
static const struct {
	const char *name;
	size_t len;
	enum request_field f;
} request_fields[] = {
	FIELD("host", F_HOST), FIELD("user-agent", F_UA), FIELD("upgrade", F_UPGRADE),
	FIELD("content-length", F_LENGTH), FIELD("content-type", F_TYPE), FIELD("accept", F_ACCEPT),
};

/* cut: the line ends at the stream bound (or is too long to wait for),
 * not at its CR LF; a Host or User-Agent is then kept as far as it goes. */
static void request_field(struct http_state *st, struct rd line, struct flow_meta *meta, bool cut)
{
	struct rd name, v;
	if (!field_line(line, &name, &v))
		return;
	size_t i = 0, n = ARRAY_LEN(request_fields);
	while (i < n && !is_n(name, request_fields[i].name, request_fields[i].len))
		i++;
	if (i == n)
		return;
	v = cut ? skip_ows(v) : trim(v);
	bool (*set)(struct flow_meta *, enum meta_key, const uint8_t *, size_t) =
		cut ? meta_set_str_cut : meta_set_str;
	switch (request_fields[i].f) {
	case F_HOST:
		set(meta, META_HTTP_HOST, rd_ptr(&v), rd_left(&v));
		break;
	case F_UA:
		set(meta, META_HTTP_UA, rd_ptr(&v), rd_left(&v));
		break;
	case F_UPGRADE:
		st->asks |= switches_named(v);
		break;
	case F_LENGTH:
		st->body_len = decimal(v);
		break;
	case F_TYPE:
	case F_ACCEPT:
		if (st->own_app && starts(v, "application/dns-message"))
			meta->app = APP_DOH;
		break;
	}
}

/* ---- the request ---- */

static void request_start(struct http_state *st, struct rd line, struct flow_meta *meta)
{
	struct rd method, target;
	if (!request_line(line, &method, &target)) {
		st->req_done = true; /* not a request head: nothing to learn here */
		return;
	}
	meta_set_str(meta, META_HTTP_METHOD, rd_ptr(&method), rd_left(&method));
	meta_set_str(meta, META_HTTP_PATH, rd_ptr(&target), rd_left(&target));
	if (is(method, "CONNECT"))
		st->asks |= SWITCH_TUNNEL;
	st->req_line_seen = true;
}

/* A request line longer than any kept: method and target as far as they go. */
static void request_cut(const struct dissect_in *in, struct rd r)
{
	long sp = rd_find(&r, ' ', 32);
	if (sp < 0)
		return;
	struct rd method = rd_sub(&r, (size_t)sp);
	rd_skip(&r, 1);
	meta_set_str(in->meta, META_HTTP_METHOD, rd_ptr(&method), rd_left(&method));
	meta_set_str_cut(in->meta, META_HTTP_PATH, rd_ptr(&r), rd_left(&r));
}

static void parse_request(struct http_state *st, const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	rd_skip(&r, st->req_off);
	struct rd line;
	while (!st->req_done && next_line(&r, &line)) {
		st->req_off = (uint32_t)rd_pos(&r);
		if (!st->req_line_seen) {
			request_start(st, line, in->meta);
		} else if (rd_left(&line) == 0) {
			st->req_done = true;
			uint64_t end = (uint64_t)st->req_off + st->body_len;
			st->req_end = end > UINT32_MAX ? UINT32_MAX : (uint32_t)end;
		} else {
			request_field(st, line, in->meta, false);
		}
	}
	/* A line without its end: at the stream bound, or too long to wait for
	 * (then nothing after it is read either). What there is of it is kept. */
	bool too_long = rd_left(&r) >= HTTP_LINE_MAX;
	if (!st->req_done && (in->stream_full || too_long) && rd_left(&r)) {
		st->asks = 0; /* where the head ends is unknown: no switch can be followed */
		if (st->req_line_seen)
			request_field(st, r, in->meta, true);
		else
			request_cut(in, r);
	}
	if (in->stream_full || too_long)
		st->req_done = true;
}

/* ---- the response ---- */

/* "HTTP/1.x NNN": the status code, or 0. */
static uint16_t status_line(struct rd line)
{
	size_t vl = sizeof http_version_prefix - 1;
	if (!has_prefix(&line, http_version_prefix, vl))
		return 0;
	rd_skip(&line, vl + 1);
	if (rd_u8(&line) != ' ')
		return 0;
	unsigned code = 0;
	for (int i = 0; i < 3; i++) {
		uint8_t c = rd_u8(&line);
		if (c < '0' || c > '9')
			return 0;
		code = code * 10 + (unsigned)(c - '0');
	}
	return rd_ok(&line) ? (uint16_t)code : 0;
}

static void response_status(struct http_state *st, struct rd line, struct flow_meta *meta)
{
	st->resp_line_seen = true;
	st->status = status_line(line);
	if (st->status && !meta_num(meta, META_HTTP_STATUS, NULL))
		meta_set_num(meta, META_HTTP_STATUS, st->status);
	bool tunnel = (st->asks & SWITCH_TUNNEL) && st->status >= 200 && st->status < 300;
	bool switching = (st->asks & ~SWITCH_TUNNEL) && st->status == 101;
	if (!tunnel && !switching)
		st->resp_done = true; /* the connection stays HTTP: the status is all we want */
}

static void response_field(struct http_state *st, struct rd line)
{
	struct rd name, v;
	if (field_line(line, &name, &v) && is(name, "upgrade"))
		st->gets = switches_named(trim(v)) & st->asks;
}

/* Read the response head; true once it ended. Only a response that
 * switches the connection is read past its status line. */
static bool parse_response(struct http_state *st, const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	rd_skip(&r, st->resp_off);
	struct rd line;
	while (!st->resp_done && next_line(&r, &line)) {
		st->resp_off = (uint32_t)rd_pos(&r);
		if (!st->resp_line_seen)
			response_status(st, line, in->meta);
		else if (rd_left(&line) == 0)
			return true;
		else
			response_field(st, line);
	}
	if (!st->resp_done && (in->stream_full || in->len - st->resp_off >= HTTP_LINE_MAX))
		st->resp_done = true;
	return false;
}

/* The response head ended and the connection switches: where to. */
static enum parse_result switch_over(struct http_state *st, const struct dissect_in *in)
{
	int req = st->role[0] == ROLE_REQUEST ? 0 : 1;
	struct dpi_upgrade *up = in->upgrade;
	st->resp_done = true;
	if (!up || !st->req_done)
		return PARSE_DONE;
	static const struct {
		uint8_t sw;
		const char *name;
		const struct dissector *to;
	} ways[] = {
		{ SWITCH_WEBSOCKET, "websocket", NULL },
		{ SWITCH_H2C, "h2c", &dissector_http2 },
		{ SWITCH_TLS, "TLS", &dissector_tls },
	};
	up->to = NULL;
	if (st->status == 101) {
		size_t i = 0;
		while (i < ARRAY_LEN(ways) && !(st->gets & ways[i].sw))
			i++;
		if (i == ARRAY_LEN(ways))
			return PARSE_DONE;
		meta_set_str(in->meta, META_UPGRADE, (const uint8_t *)ways[i].name, strlen(ways[i].name));
		if (!ways[i].to)
			return PARSE_DONE; /* WebSocket frames: nothing more to learn */
		up->to = ways[i].to;
	}
	up->start[req] = st->req_end;
	up->start[!req] = st->resp_off;
	return PARSE_UPGRADE;
}

static enum parse_result http_parse(void *state, const struct dissect_in *in)
{
	struct http_state *st = state;
	uint8_t *role = &st->role[in->from_client ? 0 : 1];
	if (in->meta->app == APP_NONE)
		st->own_app = true;
	meta_set_app(in->meta, APP_HTTP);
	if (*role == ROLE_UNKNOWN)
		*role = (uint8_t)role_of(rd_make(in->data, in->len));
	if (*role == ROLE_REQUEST && !st->req_done)
		parse_request(st, in);
	else if (*role == ROLE_REQUEST && !st->asks && in->len > (size_t)st->req_off + HTTP_BODY_WAIT)
		st->resp_done = true; /* a body keeps coming: stop holding it for a status */
	else if (*role == ROLE_RESPONSE && !st->resp_done && parse_response(st, in))
		return switch_over(st, in);
	return st->req_done && st->resp_done ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_http = {
	.name = "http",
	.label = "HTTP",
	.l4 = L4_TCP,
	.ports = { 80, 8080, 8000, 3128, 0 },
	.probe = http_probe,
	.parse = http_parse,
	.state_size = sizeof(struct http_state),
};

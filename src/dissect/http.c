/* http.c - HTTP/1.x request and response heads (RFC 9112 sections 3, 4
 * and 5): the first request's method, target, Host and User-Agent, and the
 * first response's status code.
 *
 *   request-line = method SP request-target SP HTTP-version CRLF
 *   status-line  = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *
 * Lines are consumed as they complete, so a head split over several
 * segments is read once; the head ends at the empty line or when the
 * stream bound is reached, which keeps a field value cut by it (a Host
 * longer than the bound) truncated and marked. RTSP and SIP share the shape but not the
 * HTTP/1.x version token, which is what tells them apart.
 */
#include <string.h>
#include <strings.h>

#include "base/rd.h"
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

/* Which head a direction carries; decided by its first bytes, not by who
 * opened the connection (a capture may start after the SYN). */
enum http_role { ROLE_UNKNOWN = 0, ROLE_REQUEST, ROLE_RESPONSE };

struct http_state {
	uint32_t req_off;      /* request stream offset of the next unread line */
	uint8_t role[2];       /* enum http_role per direction, [0] initiator */
	bool req_line_seen;
	bool req_done, resp_done;
};

/* The next LF-terminated line (without CR LF); false when incomplete. */
static bool next_line(struct rd *r, struct rd *line)
{
	const uint8_t *p = rd_ptr(r);
	const uint8_t *nl = rd_left(r) ? memchr(p, '\n', rd_left(r)) : NULL;
	if (!nl)
		return false;
	size_t n = (size_t)(nl - p);
	*line = rd_sub(r, n);
	rd_skip(r, 1);
	if (n && line->p[line->off + n - 1] == '\r')
		line->len--;
	return true;
}

static bool has_prefix(const struct rd *r, const char *s, size_t n)
{
	return rd_left(r) >= n && memcmp(rd_ptr(r), s, n) == 0;
}

/* Method at the start: 1 matched "METHOD SP", 0 could still match, -1 no. */
static int method_match(const uint8_t *p, size_t len)
{
	int verdict = -1;
	if (len == 0)
		return 0;
	for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++) {
		size_t m = strlen(http_methods[i]);
		size_t n = len < m ? len : m;
		if (memcmp(p, http_methods[i], n) != 0)
			continue;
		if (len <= m)
			verdict = 0;
		else if (p[m] == ' ')
			return 1;
	}
	return verdict;
}

static const uint8_t *last_space(const uint8_t *p, size_t n)
{
	while (n--)
		if (p[n] == ' ')
			return p + n;
	return NULL;
}

/* Split "METHOD SP target SP HTTP/1.x" into its parts. */
static bool request_line(struct rd line, struct rd *method, struct rd *target)
{
	const uint8_t *p = rd_ptr(&line);
	size_t n = rd_left(&line);
	const uint8_t *sp1 = memchr(p, ' ', n);
	const uint8_t *sp2 = last_space(p, n);
	if (!sp1 || sp2 == sp1)
		return false;
	size_t m = (size_t)(sp1 - p), t = (size_t)(sp2 - sp1 - 1);
	*method = rd_sub(&line, m);
	rd_skip(&line, 1);
	*target = rd_sub(&line, t);
	rd_skip(&line, 1);
	size_t vl = sizeof http_version_prefix - 1;
	return rd_ok(&line) && m > 0 && t > 0 && rd_left(&line) == vl + 1 &&
	       has_prefix(&line, http_version_prefix, vl) && rd_peek8(&line, vl) >= '0' &&
	       rd_peek8(&line, vl) <= '9';
}

/* No line end within HTTP_LINE_MAX bytes: still a request when a method
 * is followed by a target that has no control bytes so far. */
static bool overlong_request(const uint8_t *p, size_t n)
{
	const uint8_t *sp = memchr(p, ' ', n < 32 ? n : 32);
	if (!sp)
		return false;
	for (const uint8_t *q = sp + 1; q < p + n; q++)
		if (*q < 0x21 || *q == 0x7f)
			return false;
	return true;
}

static enum probe_result probe_request(const struct dissect_in *in)
{
	int m = method_match(in->data, in->len);
	if (m < 0)
		return PROBE_NO;
	struct rd r = rd_make(in->data, in->len < HTTP_LINE_MAX ? in->len : HTTP_LINE_MAX);
	struct rd line, method, target;
	if (m == 0)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	if (!next_line(&r, &line)) {
		if (in->len >= HTTP_LINE_MAX)
			return overlong_request(in->data, HTTP_LINE_MAX) ? PROBE_YES : PROBE_NO;
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	}
	return request_line(line, &method, &target) ? PROBE_YES : PROBE_NO;
}

static enum probe_result probe_response(const struct dissect_in *in)
{
	size_t vl = sizeof http_version_prefix - 1;
	size_t n = in->len < vl ? in->len : vl;
	if (n && memcmp(in->data, http_version_prefix, n) != 0)
		return PROBE_NO;
	if (n < vl)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	return PROBE_YES;
}

/* "HTTP/1.x" starts a response; requests start with a method. */
static enum http_role role_of(const uint8_t *p, size_t n)
{
	if (n == 0 || (n == 1 && p[0] == 'H'))
		return ROLE_UNKNOWN;
	return p[0] == 'H' && p[1] == 'T' ? ROLE_RESPONSE : ROLE_REQUEST;
}

static enum probe_result http_probe(const struct dissect_in *in)
{
	switch (role_of(in->data, in->len)) {
	case ROLE_REQUEST:
		return probe_request(in);
	case ROLE_RESPONSE:
		return probe_response(in);
	default:
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	}
}

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

static const struct {
	const char *name;
	enum meta_key field;
} http_fields[] = {
	{ "host", META_HTTP_HOST },
	{ "user-agent", META_HTTP_UA },
};

/* cut: the line ends at the stream bound, not at its CR LF. */
static void header_line(struct rd line, struct flow_meta *meta, bool cut)
{
	const uint8_t *colon = memchr(rd_ptr(&line), ':', rd_left(&line));
	if (!colon)
		return;
	struct rd name = rd_sub(&line, (size_t)(colon - rd_ptr(&line)));
	rd_skip(&line, 1);
	for (size_t i = 0; i < sizeof http_fields / sizeof http_fields[0]; i++) {
		size_t n = strlen(http_fields[i].name);
		if (rd_left(&name) == n && strncasecmp((const char *)rd_ptr(&name), http_fields[i].name, n) == 0) {
			struct rd v = cut ? skip_ows(line) : trim(line);
			(cut ? meta_set_str_cut : meta_set_str)(meta, http_fields[i].field, rd_ptr(&v),
								 rd_left(&v));
		}
	}
}

/* A request line longer than any kept: method and target as far as they go. */
static void request_cut(const struct dissect_in *in, const uint8_t *p, size_t n)
{
	const uint8_t *sp = memchr(p, ' ', n < 32 ? n : 32);
	if (!sp)
		return;
	meta_set_str(in->meta, META_HTTP_METHOD, p, (size_t)(sp - p));
	meta_set_str_cut(in->meta, META_HTTP_PATH, sp + 1, n - (size_t)(sp - p) - 1);
}

static void parse_request(struct http_state *st, const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	rd_skip(&r, st->req_off);
	struct rd line;
	while (!st->req_done && next_line(&r, &line)) {
		st->req_off = (uint32_t)rd_pos(&r);
		struct rd method, target;
		if (st->req_line_seen) {
			if (rd_left(&line) == 0)
				st->req_done = true;
			else
				header_line(line, in->meta, false);
		} else if (request_line(line, &method, &target)) {
			meta_set_str(in->meta, META_HTTP_METHOD, rd_ptr(&method), rd_left(&method));
			meta_set_str(in->meta, META_HTTP_PATH, rd_ptr(&target), rd_left(&target));
			st->req_line_seen = true;
		} else {
			st->req_done = true; /* not a request head: nothing to learn here */
		}
	}
	/* A line without its end: at the stream bound, or too long to wait for
	 * (then nothing after it is read either). What there is of it is kept. */
	bool too_long = rd_left(&r) >= HTTP_LINE_MAX;
	if (!st->req_done && (in->stream_full || too_long) && rd_left(&r)) {
		if (st->req_line_seen)
			header_line(r, in->meta, true);
		else
			request_cut(in, rd_ptr(&r), rd_left(&r));
	}
	if (in->stream_full || too_long)
		st->req_done = true;
}

static void parse_response(struct http_state *st, const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	size_t vl = sizeof http_version_prefix - 1;
	if (rd_left(&r) < vl + 5 && !in->stream_full)
		return; /* "HTTP/1.x NNN" not all here yet */
	st->resp_done = true;
	if (!has_prefix(&r, http_version_prefix, vl))
		return;
	rd_skip(&r, vl + 1);
	if (rd_u8(&r) != ' ')
		return;
	unsigned code = 0;
	for (int i = 0; i < 3; i++) {
		uint8_t c = rd_u8(&r);
		if (c < '0' || c > '9')
			return;
		code = code * 10 + (unsigned)(c - '0');
	}
	if (rd_ok(&r) && !meta_num(in->meta, META_HTTP_STATUS, NULL))
		meta_set_num(in->meta, META_HTTP_STATUS, code);
}

static enum parse_result http_parse(void *state, const struct dissect_in *in)
{
	struct http_state *st = state;
	uint8_t *role = &st->role[in->from_client ? 0 : 1];
	in->meta->app = APP_HTTP;
	if (*role == ROLE_UNKNOWN)
		*role = (uint8_t)role_of(in->data, in->len);
	if (*role == ROLE_REQUEST && !st->req_done)
		parse_request(st, in);
	else if (*role == ROLE_REQUEST && in->len > (size_t)st->req_off + HTTP_BODY_WAIT)
		st->resp_done = true; /* a body keeps coming: stop holding it for a status */
	else if (*role == ROLE_RESPONSE && !st->resp_done)
		parse_response(st, in);
	return st->req_done && st->resp_done ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_http = {
	.name = "http",
	.l4 = L4_TCP,
	.ports = { 80, 8080, 8000, 3128, 0 },
	.probe = http_probe,
	.parse = http_parse,
	.state_size = sizeof(struct http_state),
};

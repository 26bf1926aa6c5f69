/* ssdp.c - the Simple Service Discovery Protocol (UPnP Device
 * Architecture 2.0 section 1): HTTP-shaped messages over UDP.
 *
 *   M-SEARCH * HTTP/1.1   searches; ST: what is searched for
 *   NOTIFY * HTTP/1.1     announcements; NT: what is announced
 *   HTTP/1.1 200 OK       answers to a search, from port 1900; ST again
 *
 * The request lines are the signature (on any port); an answer is taken
 * on port 1900 only, since any HTTP response looks like it. The method of
 * the first request and the first ST or NT are kept.
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/dissector.h"

#define SSDP_PORT 1900
#define SSDP_MAX_CALLS 8

static const char *const ssdp_request_lines[] = {
	"M-SEARCH * HTTP/1.1\r\n",
	"NOTIFY * HTTP/1.1\r\n",
};
static const char ssdp_response_line[] = "HTTP/1.1 ";

struct ssdp_state {
	uint8_t calls;
};

static bool starts_with(const struct dissect_in *in, const char *s)
{
	struct rd r = rd_make(in->data, in->len);
	return rd_prefix(&r, s, strlen(s)) == RD_PREFIX_YES;
}

/* Index into ssdp_request_lines, or -1. */
static int ssdp_request(const struct dissect_in *in)
{
	for (size_t i = 0; i < ARRAY_LEN(ssdp_request_lines); i++)
		if (starts_with(in, ssdp_request_lines[i]))
			return (int)i;
	return -1;
}

static enum probe_result ssdp_probe(const struct dissect_in *in)
{
	if (ssdp_request(in) >= 0)
		return PROBE_YES;
	return in->pkt->sport == SSDP_PORT && starts_with(in, ssdp_response_line) ? PROBE_YES
										   : PROBE_NO;
}

/* The value of header `name` (ST or NT) in the lines after the first. */
static void ssdp_header(const struct dissect_in *in, const char *name, struct rd *value)
{
	size_t nlen = strlen(name);
	struct rd r = rd_make(in->data, in->len), line;
	*value = rd_make(NULL, 0);
	bool first = true;
	while (rd_left(&r)) {
		if (!rd_line(&r, rd_left(&r), &line)) { /* the last line, without its LF */
			line = rd_sub(&r, rd_left(&r));
			if (rd_peek8(&line, rd_left(&line) - 1) == '\r')
				line.len--;
		}
		if (first) {
			first = false;
			continue;
		}
		if (rd_left(&line) == 0)
			return; /* the end of the head */
		if (rd_prefix_case(&line, name, nlen) == RD_PREFIX_YES && rd_peek8(&line, nlen) == ':') {
			rd_skip(&line, nlen + 1);
			while (rd_peek8(&line, 0) == ' ' || rd_peek8(&line, 0) == '\t')
				rd_skip(&line, 1);
			*value = line;
			return;
		}
	}
}

static enum parse_result ssdp_parse(void *state, const struct dissect_in *in)
{
	struct ssdp_state *st = state;
	int req = ssdp_request(in);
	bool resp = req < 0 && starts_with(in, ssdp_response_line);
	if (req >= 0 || resp) {
		in->meta->app = APP_SSDP;
		if (req >= 0) {
			const char *line = ssdp_request_lines[req];
			meta_set_str(in->meta, META_SSDP_METHOD, (const uint8_t *)line,
				     (size_t)(strchr(line, ' ') - line));
		}
		struct rd v;
		ssdp_header(in, req == 1 ? "NT" : "ST", &v);
		if (rd_left(&v))
			meta_set_str(in->meta, META_SSDP_TYPE, rd_ptr(&v), rd_left(&v));
	}
	bool done = meta_str(in->meta, META_SSDP_METHOD) && meta_str(in->meta, META_SSDP_TYPE);
	return done || ++st->calls >= SSDP_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_ssdp = {
	.name = "ssdp",
	.l4 = L4_UDP,
	.ports = { SSDP_PORT, 0 },
	.probe = ssdp_probe,
	.parse = ssdp_parse,
	.state_size = sizeof(struct ssdp_state),
};

/* pgsql.c - PostgreSQL's frontend/backend protocol (PostgreSQL docs,
 * "Message Formats", and 55.2.10 "SSL Session Encryption") up to its
 * switch to TLS:
 *
 *   client: SSLRequest = Int32 length 8, Int32 80877103
 *   server: 'S' (TLS follows, both ways) or 'N' (the session stays clear)
 *
 * A client that does not ask sends a StartupMessage (Int32 length, Int32
 * protocol 3.0 = 196608, then parameters): PostgreSQL in the clear.
 */
#include <string.h>

#include "base/rd.h"
#include "dissect/dissector.h"

extern const struct dissector dissector_tls;

#define PG_SSL_REQUEST 80877103u
#define PG_PROTOCOL_3 196608u
#define PG_STARTUP_MAX 10000u /* the server's own bound on a startup packet */

struct pgsql_state {
	bool asked; /* the client's first message was an SSLRequest */
};

/* The client's first message: 1 SSLRequest, 2 StartupMessage, 0 neither,
 * -1 not all of its first 8 bytes yet. */
static int first_message(const uint8_t *p, size_t n)
{
	if (n < 8)
		return -1;
	struct rd r = rd_make(p, n);
	uint32_t len = rd_be32(&r), code = rd_be32(&r);
	if (len == 8 && code == PG_SSL_REQUEST)
		return 1;
	if (len > 8 && len <= PG_STARTUP_MAX && code == PG_PROTOCOL_3)
		return 2;
	return 0;
}

static enum probe_result pgsql_probe(const struct dissect_in *in)
{
	if (!in->from_client)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE; /* the client's bytes decide */
	int m = first_message(in->data, in->len);
	if (m < 0)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	return m > 0 ? PROBE_YES : PROBE_NO;
}

static enum parse_result pgsql_parse(void *state, const struct dissect_in *in)
{
	struct pgsql_state *st = state;
	meta_set_app(in->meta, APP_PGSQL);
	if (in->from_client) {
		int m = first_message(in->data, in->len);
		if (m == 2 || m == 0)
			return PARSE_DONE; /* in the clear: nothing more to learn here */
		st->asked = m == 1;
		return PARSE_MORE;
	}
	struct rd r = rd_make(in->data, in->len);
	if (!st->asked || rd_left(&r) < 1)
		return PARSE_MORE;
	if (rd_peek8(&r, 0) != 'S' || !in->upgrade)
		return PARSE_DONE; /* 'N': refused, the session goes on in the clear */
	in->upgrade->to = &dissector_tls;
	in->upgrade->start[0] = 8;
	in->upgrade->start[1] = 1;
	return PARSE_UPGRADE;
}

const struct dissector dissector_pgsql = {
	.name = "pgsql",
	.label = "PostgreSQL",
	.l4 = L4_TCP,
	.ports = { 5432, 0 },
	.probe = pgsql_probe,
	.parse = pgsql_parse,
	.state_size = sizeof(struct pgsql_state),
};

/* ldap.c - LDAP (RFC 4511) sessions up to StartTLS (4.14), which hands
 * the connection to TLS.
 *
 *   C: LDAPMessage { messageID, ExtendedRequest [APPLICATION 23] {
 *        requestName [0] "1.3.6.1.4.1.1466.20037" } }
 *   S: LDAPMessage { same messageID, ExtendedResponse [APPLICATION 24] {
 *        resultCode success (0), matchedDN, diagnosticMessage, ... } }
 *   (TLS from here on, both ways)
 *
 * Messages are BER (RFC 4511 5.1) and read whole. Recognised by the shape
 * of the first message on any port: a SEQUENCE holding a messageID and a
 * protocolOp of the side that sent it (a request from the client, a
 * response from the server), nothing but controls after it.
 */
#include <string.h>

#include "dissect/ber.h"
#include "dissect/starttls.h"
#include "dissect/stream.h"

#define LDAP_CLIENT_MESSAGES 16 /* requests read before giving up on StartTLS */
#define LDAP_CONTROLS 0xa0      /* [0] Controls, after the protocolOp */
#define LDAP_EXTENDED_REQ 0x77  /* [APPLICATION 23] */
#define LDAP_EXTENDED_RESP 0x78 /* [APPLICATION 24] */
#define LDAP_REQUEST_NAME 0x80  /* ExtendedRequest's [0] requestName */
#define LDAP_SUCCESS 0

static const char ldap_starttls_oid[] = "1.3.6.1.4.1.1466.20037";

struct ldap_state {
	struct starttls tls;
};

/* RFC 4511 4.2 to 4.14, 4.13: the protocolOp tags and who sends them. */
static bool ldap_op_from_client(uint8_t op, bool *from_client)
{
	static const uint8_t requests[] = { 0x60, 0x42, 0x63, 0x66, 0x68, 0x4a, 0x6c, 0x6e, 0x50,
					    LDAP_EXTENDED_REQ };
	static const uint8_t responses[] = { 0x61, 0x64, 0x65, 0x73, 0x67, 0x69, 0x6b, 0x6d, 0x6f,
					     LDAP_EXTENDED_RESP, 0x79 };
	*from_client = memchr(requests, op, sizeof requests) != NULL;
	return *from_client || memchr(responses, op, sizeof responses) != NULL;
}

/* A whole LDAPMessage: its messageID, protocolOp tag and a reader over
 * the protocolOp's contents; false when it is not one. */
static bool ldap_open(struct rd msg, long *id, uint8_t *op, struct rd *body)
{
	uint8_t tag;
	struct rd seq = ber_next(&msg, &tag);
	if (!rd_ok(&seq) || tag != BER_SEQUENCE || rd_left(&msg) != 0)
		return false;
	*id = ber_small(&seq, BER_INTEGER);
	*body = ber_next(&seq, op);
	if (*id < 0 || !rd_ok(body))
		return false;
	if (rd_left(&seq)) { /* only controls may follow */
		struct rd controls = ber_next(&seq, &tag);
		return rd_ok(&controls) && tag == LDAP_CONTROLS && rd_left(&seq) == 0;
	}
	return true;
}

/* The next whole message of in's stream from *off (see starttls_rules'
 * next): one BER element no longer than the stream can hold. */
static bool ldap_next(const struct dissect_in *in, uint32_t *off, struct rd *msg, bool *too_long)
{
	*too_long = false;
	if (*off >= in->len) {
		*too_long = in->stream_full;
		return false;
	}
	struct rd r = rd_make_at(in->data, in->len, *off);
	size_t n = rd_left(&r);
	long len = ber_element_len(rd_ptr(&r), n);
	if (len < 0 || len > (long)STREAM_MAX) {
		*too_long = true; /* not BER, or more than the stream keeps */
		return false;
	}
	if (len == 0 || (size_t)len > n) {
		*too_long = in->stream_full;
		return false;
	}
	*msg = rd_sub(&r, (size_t)len);
	*off += (uint32_t)len;
	return true;
}

static bool ldap_asks(struct starttls *st, struct rd msg)
{
	long id;
	uint8_t op, tag;
	struct rd body;
	if (!ldap_open(msg, &id, &op, &body) || op != LDAP_EXTENDED_REQ)
		return false;
	struct rd name = ber_next(&body, &tag);
	if (!rd_ok(&name) || tag != LDAP_REQUEST_NAME ||
	    !rd_equals(&name, ldap_starttls_oid, sizeof ldap_starttls_oid - 1))
		return false;
	uint32_t id32 = (uint32_t)id;
	memcpy(st->tag, &id32, sizeof id32); /* the answer carries the same messageID */
	st->tag_len = sizeof id32;
	return true;
}

/* The ExtendedResponse to the StartTLS request; its resultCode decides. */
static enum starttls_answer ldap_answer(const struct starttls *st, struct rd msg)
{
	long id;
	uint8_t op;
	struct rd body;
	uint32_t id32;
	memcpy(&id32, st->tag, sizeof id32);
	if (!ldap_open(msg, &id, &op, &body) || (uint32_t)id != id32 || op != LDAP_EXTENDED_RESP)
		return STARTTLS_MORE;
	return ber_small(&body, BER_ENUMERATED) == LDAP_SUCCESS ? STARTTLS_YES : STARTTLS_NO;
}

static const struct starttls_rules ldap_rules = {
	.asks = ldap_asks,
	.answer = ldap_answer,
	.max_lines = LDAP_CLIENT_MESSAGES,
	.next = ldap_next,
};

static enum probe_result ldap_probe(const struct dissect_in *in)
{
	uint32_t off = 0;
	struct rd msg, body;
	bool too_long, from_client;
	long id;
	uint8_t op;
	struct rd r = rd_make(in->data, in->len);
	if (rd_left(&r) && rd_peek8(&r, 0) != BER_SEQUENCE)
		return PROBE_NO;
	if (!ldap_next(in, &off, &msg, &too_long))
		return too_long ? PROBE_NO : PROBE_MAYBE;
	if (!ldap_open(msg, &id, &op, &body) || !ldap_op_from_client(op, &from_client))
		return PROBE_NO;
	return from_client == in->from_client ? PROBE_YES : PROBE_NO;
}

static enum parse_result ldap_parse(void *state, const struct dissect_in *in)
{
	struct ldap_state *st = state;
	meta_set_app(in->meta, APP_LDAP);
	return starttls_parse(&st->tls, &ldap_rules, in);
}

const struct dissector dissector_ldap = {
	.name = "ldap",
	.label = "LDAP",
	.l4 = L4_TCP,
	.ports = { 389, 0 },
	.probe = ldap_probe,
	.parse = ldap_parse,
	.state_size = sizeof(struct ldap_state),
};

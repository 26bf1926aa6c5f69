/* snmp.c - the Simple Network Management Protocol, v1 (RFC 1157), v2c
 * (RFC 1901, 3416) and v3 (RFC 3412), in BER (X.690 section 8).
 *
 *   v1 / v2c: SEQUENCE { INTEGER version (0, 1), OCTET STRING community,
 *                        PDU ([0]..[8], context-specific constructed) }
 *   v3:       SEQUENCE { INTEGER version (3), SEQUENCE msgGlobalData
 *                        { msgID, msgMaxSize, OCTET STRING msgFlags,
 *                        msgSecurityModel }, OCTET STRING securityParameters,
 *                        scopedPDU: SEQUENCE { contextEngineID,
 *                        contextName, PDU } or, encrypted, an OCTET STRING }
 *
 * The shape is the signature (on any port): an outer SEQUENCE that spans
 * the datagram exactly, a version, then a community and a PDU tag, or
 * v3's header. The version, the community and every PDU type seen are
 * kept; an encrypted v3 PDU (msgFlags privFlag) has no type to read.
 */
#include "base/rd.h"
#include "dissect/ber.h"
#include "dissect/dissector.h"

#define SNMP_MAX_CALLS 16

enum {
	BER_PDU_FIRST = 0xa0,
	BER_PDU_LAST = 0xa8,
	SNMP_PRIV_FLAG = 0x02,
};

/* RFC 3416 section 3 (and RFC 1157's Trap-PDU at [4]). */
static const char *const snmp_pdus[] = {
	"get-request", "get-next-request", "response", "set-request", "trap",
	"get-bulk-request", "inform-request", "snmpV2-trap", "report",
};

struct snmp_state {
	uint8_t calls;
};

struct snmp_msg {
	long version;          /* 0 v1, 1 v2c, 3 v3 */
	struct rd community;   /* v1, v2c */
	int pdu;               /* context tag number, -1 when not readable */
};

/* v3: msgGlobalData, securityParameters, then the scopedPDU's PDU tag
 * unless it is encrypted. */
static bool snmp_v3(struct rd *body, struct snmp_msg *m)
{
	uint8_t tag, ftag;
	struct rd global = ber_next(body, &tag);
	if (!rd_ok(&global) || tag != BER_SEQUENCE || ber_small(&global, BER_INTEGER) < 0 ||
	    ber_small(&global, BER_INTEGER) < 0)
		return false;
	struct rd flags = ber_next(&global, &ftag);
	struct rd secparams = ber_next(body, &tag);
	if (!rd_ok(&flags) || ftag != BER_OCTET_STRING || rd_left(&flags) != 1 || !rd_ok(&secparams) ||
	    tag != BER_OCTET_STRING)
		return false;
	uint8_t msg_flags = rd_u8(&flags);
	struct rd scoped = ber_next(body, &tag);
	if (!rd_ok(&scoped))
		return false;
	if ((msg_flags & SNMP_PRIV_FLAG) || tag != BER_SEQUENCE)
		return tag == BER_OCTET_STRING || tag == BER_SEQUENCE; /* encrypted */
	struct rd engine = ber_next(&scoped, &tag), name = ber_next(&scoped, &ftag);
	uint8_t ptag = rd_u8(&scoped);
	if (rd_ok(&engine) && rd_ok(&name) && rd_ok(&scoped) && ptag >= BER_PDU_FIRST &&
	    ptag <= BER_PDU_LAST)
		m->pdu = ptag - BER_PDU_FIRST;
	return true;
}

/* The message's version, community and PDU type; false when the
 * datagram is not an SNMP message. */
static bool snmp_read(const uint8_t *d, size_t n, struct snmp_msg *m)
{
	struct rd r = rd_make(d, n);
	uint8_t tag;
	struct rd body = ber_next(&r, &tag);
	if (!rd_ok(&body) || tag != BER_SEQUENCE || rd_left(&r) != 0)
		return false;
	m->version = ber_small(&body, BER_INTEGER);
	m->pdu = -1;
	m->community = rd_make(NULL, 0);
	if (m->version == 3)
		return snmp_v3(&body, m);
	if (m->version != 0 && m->version != 1)
		return false;
	m->community = ber_next(&body, &tag);
	if (!rd_ok(&m->community) || tag != BER_OCTET_STRING)
		return false;
	uint8_t ptag = rd_u8(&body);
	if (!rd_ok(&body) || ptag < BER_PDU_FIRST || ptag > BER_PDU_LAST)
		return false;
	m->pdu = ptag - BER_PDU_FIRST;
	return true;
}

static enum probe_result snmp_probe(const struct dissect_in *in)
{
	struct snmp_msg m;
	return snmp_read(in->data, in->len, &m) ? PROBE_YES : PROBE_NO;
}

static enum parse_result snmp_parse(void *state, const struct dissect_in *in)
{
	static const char *const versions[4] = { "1", "2c", NULL, "3" };
	struct snmp_state *st = state;
	struct snmp_msg m;
	if (snmp_read(in->data, in->len, &m)) {
		in->meta->app = APP_SNMP;
		meta_set_str(in->meta, META_SNMP_VERSION, (const uint8_t *)versions[m.version],
			     m.version == 1 ? 2 : 1);
		if (m.version != 3)
			meta_set_str(in->meta, META_SNMP_COMMUNITY, rd_ptr(&m.community),
				     rd_left(&m.community));
		if (m.pdu >= 0)
			meta_add_once(in->meta, META_SNMP_PDU, snmp_pdus[m.pdu]);
	}
	return ++st->calls >= SNMP_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_snmp = {
	.name = "snmp",
	.l4 = L4_UDP,
	.ports = { 161, 162, 0 },
	.probe = snmp_probe,
	.parse = snmp_parse,
	.state_size = sizeof(struct snmp_state),
};

/* dhcpv6.c - DHCP for IPv6 (RFC 8415; Client FQDN RFC 4704).
 *
 *   client / server: msg-type(1) transaction-id(3) options
 *   relay:           msg-type(1) hop-count(1) link-address(16)
 *                    peer-address(16) options, one of which (9, Relay
 *                    Message) holds the relayed message
 *   option:          option-code(2) option-len(2) option-data
 *
 * No magic number: a datagram to or from port 546 or 547 with a known
 * message type whose options fill it exactly is taken for DHCPv6. Kept:
 * every message type seen (a relayed message's too), the first Client
 * FQDN (option 39) as a dotted name, and the client's Ethernet address
 * from its DUID (option 1: DUID-LLT or DUID-LL of hardware type 1).
 */
#include <string.h>

#include "base/addrtext.h"
#include "base/macros.h"
#include "base/rd.h"
#include "dissect/dissector.h"

#define DHCPV6_MAX_CALLS 16
#define DHCPV6_MAX_RELAYS 8 /* nested Relay Messages followed (the limit is 32) */

enum {
	DHCPV6_RELAY_FORW = 12,
	DHCPV6_RELAY_REPL = 13,
	DHCPV6_OPT_CLIENTID = 1,
	DHCPV6_OPT_RELAY_MSG = 9,
	DHCPV6_OPT_CLIENT_FQDN = 39,
	DUID_LLT = 1,
	DUID_LL = 3,
};

/* RFC 8415 7.3 and the IANA registry up to 13. */
static const char *const dhcpv6_types[] = {
	NULL, "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY",
	"RELEASE", "DECLINE", "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW", "RELAY-REPL",
};
#define DHCPV6_TYPES ARRAY_LEN(dhcpv6_types)

struct dhcpv6_state {
	uint8_t calls;
};

/* The options of a message; false when they do not fill it exactly. */
static bool dhcpv6_options_fit(struct rd r)
{
	while (rd_left(&r)) {
		rd_skip(&r, 2);
		rd_sub16(&r);
	}
	return rd_ok(&r);
}

/* A message's type and a reader over its options; false when it is not
 * a DHCPv6 message. */
static bool dhcpv6_message(struct rd *r, uint8_t *type, struct rd *options)
{
	*type = rd_u8(r);
	rd_skip(r, *type == DHCPV6_RELAY_FORW || *type == DHCPV6_RELAY_REPL ? 33 : 3);
	*options = rd_sub(r, rd_left(r));
	return rd_ok(r) && *type >= 1 && *type < DHCPV6_TYPES && dhcpv6_options_fit(*options);
}

static enum probe_result dhcpv6_probe(const struct dissect_in *in)
{
	const struct pkt *p = in->pkt;
	bool port = p->sport == 546 || p->sport == 547 || p->dport == 546 || p->dport == 547;
	struct rd r = rd_make(in->data, in->len), opts;
	uint8_t type;
	return port && dhcpv6_message(&r, &type, &opts) ? PROBE_YES : PROBE_NO;
}

/* RFC 4704 4: flags, then a domain name in DNS wire form, fully
 * qualified (ending in the root label) or partial. */
static void dhcpv6_fqdn(struct rd v, struct flow_meta *m)
{
	char name[256];
	size_t n = 0;
	if (meta_str(m, META_DHCP_HOSTNAME))
		return;
	rd_skip(&v, 1);
	while (rd_left(&v)) {
		uint8_t len = rd_u8(&v);
		const uint8_t *label = rd_take(&v, len);
		if (!len || !label || len > 63 || n + len + 1 >= sizeof name)
			break;
		if (n)
			name[n++] = '.';
		memcpy(name + n, label, len);
		n += len;
	}
	if (n)
		meta_set_str(m, META_DHCP_HOSTNAME, (const uint8_t *)name, n);
}

/* RFC 8415 11.2 and 11.4: DUID-LLT and DUID-LL carry a link-layer address. */
static void dhcpv6_duid(struct rd v, struct flow_meta *m)
{
	uint16_t type = rd_be16(&v);
	uint16_t hwtype = rd_be16(&v);
	if (type == DUID_LLT)
		rd_skip(&v, 4);
	const uint8_t *mac = rd_take(&v, 6);
	if (!rd_ok(&v) || (type != DUID_LLT && type != DUID_LL) || hwtype != 1 || rd_left(&v) ||
	    meta_str(m, META_DHCP_CLIENT_MAC))
		return;
	char text[MAC_TEXT_MAX];
	meta_set_str(m, META_DHCP_CLIENT_MAC, (const uint8_t *)text, addr_mac_text(text, mac));
}

/* One message and the messages relayed inside it. */
static void dhcpv6_read(struct rd r, struct flow_meta *m)
{
	for (int depth = 0; depth <= DHCPV6_MAX_RELAYS; depth++) {
		uint8_t type;
		struct rd opts, inner = rd_make(NULL, 0);
		if (!dhcpv6_message(&r, &type, &opts))
			return;
		meta_add_once(m, META_DHCP_TYPE, dhcpv6_types[type]);
		while (rd_left(&opts)) {
			uint16_t code = rd_be16(&opts);
			struct rd v = rd_sub16(&opts);
			if (code == DHCPV6_OPT_CLIENTID)
				dhcpv6_duid(v, m);
			else if (code == DHCPV6_OPT_CLIENT_FQDN)
				dhcpv6_fqdn(v, m);
			else if (code == DHCPV6_OPT_RELAY_MSG)
				inner = v;
		}
		if (!rd_left(&inner))
			return;
		r = inner;
	}
}

static enum parse_result dhcpv6_parse(void *state, const struct dissect_in *in)
{
	struct dhcpv6_state *st = state;
	struct rd r = rd_make(in->data, in->len), opts;
	uint8_t type;
	if (dhcpv6_message(&r, &type, &opts)) {
		in->meta->app = APP_DHCPV6;
		dhcpv6_read(rd_make(in->data, in->len), in->meta);
	}
	return ++st->calls >= DHCPV6_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_dhcpv6 = {
	.name = "dhcpv6",
	.l4 = L4_UDP,
	.ports = { 546, 547, 0 },
	.probe = dhcpv6_probe,
	.parse = dhcpv6_parse,
	.state_size = sizeof(struct dhcpv6_state),
};

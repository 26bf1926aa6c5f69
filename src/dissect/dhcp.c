/* dhcp.c - DHCP for IPv4 (RFC 2131, options RFC 2132) over BOOTP
 * (RFC 951).
 *
 *   op htype hlen hops | xid(4) | secs flags | ciaddr yiaddr siaddr giaddr
 *   chaddr(16) | sname(64) | file(128) | magic cookie 99.130.83.99 | options
 *
 * The magic cookie at offset 236 is the signature (on any port). Options
 * are code, length, value; 0 pads, 255 ends. Kept: every message type
 * seen (option 53), the first host name (option 12) and the client's
 * hardware address (chaddr, when it is Ethernet's: htype 1, hlen 6).
 */
#include "base/addrtext.h"
#include "base/macros.h"
#include "base/rd.h"
#include "dissect/dissector.h"

#define DHCP_COOKIE_AT 236
#define DHCP_COOKIE 0x63825363u
#define DHCP_MAX_CALLS 16

enum {
	DHCP_OPT_PAD = 0,
	DHCP_OPT_HOST_NAME = 12,
	DHCP_OPT_MESSAGE_TYPE = 53,
	DHCP_OPT_END = 255,
};

/* RFC 2132 9.6, RFC 3203, 4388, 6926, 7724. */
static const char *const dhcp_types[] = {
	NULL, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM",
	"FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE",
	"BULKLEASEQUERY", "LEASEQUERYDONE", "ACTIVELEASEQUERY", "LEASEQUERYSTATUS", "TLS",
};

struct dhcp_state {
	uint8_t calls;
};

static bool dhcp_shape(const uint8_t *d, size_t n)
{
	struct rd r = rd_make(d, n);
	uint8_t op = rd_u8(&r);
	rd_skip(&r, DHCP_COOKIE_AT - 1);
	uint32_t cookie = rd_be32(&r);
	return rd_ok(&r) && (op == 1 || op == 2) && cookie == DHCP_COOKIE;
}

static enum probe_result dhcp_probe(const struct dissect_in *in)
{
	return dhcp_shape(in->data, in->len) ? PROBE_YES : PROBE_NO;
}

static void dhcp_options(struct rd r, struct flow_meta *m)
{
	while (rd_left(&r)) {
		uint8_t code = rd_u8(&r);
		if (code == DHCP_OPT_END)
			return;
		if (code == DHCP_OPT_PAD)
			continue;
		struct rd v = rd_sub8(&r);
		if (!rd_ok(&v))
			return;
		if (code == DHCP_OPT_MESSAGE_TYPE && rd_left(&v) == 1) {
			uint8_t t = rd_u8(&v);
			if (t < ARRAY_LEN(dhcp_types) && dhcp_types[t])
				meta_add_once(m, META_DHCP_TYPE, dhcp_types[t]);
		} else if (code == DHCP_OPT_HOST_NAME && rd_left(&v) &&
			   !meta_str(m, META_DHCP_HOSTNAME)) {
			meta_set_str(m, META_DHCP_HOSTNAME, rd_ptr(&v), rd_left(&v));
		}
	}
}

static enum parse_result dhcp_parse(void *state, const struct dissect_in *in)
{
	struct dhcp_state *st = state;
	if (dhcp_shape(in->data, in->len)) {
		struct rd r = rd_make(in->data, in->len);
		in->meta->app = APP_DHCP;
		rd_skip(&r, 1);
		uint8_t htype = rd_u8(&r), hlen = rd_u8(&r);
		rd_skip(&r, 25);
		const uint8_t *chaddr = rd_take(&r, 16);
		if (rd_ok(&r) && htype == 1 && hlen == 6 && !meta_str(in->meta, META_DHCP_CLIENT_MAC)) {
			char mac[MAC_TEXT_MAX];
			meta_set_str(in->meta, META_DHCP_CLIENT_MAC, (const uint8_t *)mac,
				     addr_mac_text(mac, chaddr));
		}
		rd_skip(&r, 64 + 128 + 4);
		dhcp_options(r, in->meta);
	}
	return ++st->calls >= DHCP_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_dhcp = {
	.name = "dhcp",
	.l4 = L4_UDP,
	.ports = { 67, 68, 0 },
	.probe = dhcp_probe,
	.parse = dhcp_parse,
	.state_size = sizeof(struct dhcp_state),
};

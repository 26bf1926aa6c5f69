/* stun.c - Session Traversal Utilities for NAT (RFC 8489) and TURN
 * (RFC 8656), over UDP and TCP.
 *
 *   0 0 | Message Type (14 bits) | Message Length (16, a multiple of 4)
 *   Magic Cookie 0x2112A442 | Transaction ID (96 bits) | attributes
 *
 * The type interleaves a 12-bit method with a 2-bit class (section 5).
 * The magic cookie and a length that fits are the signature (on any port;
 * RFC 3489's STUN, which has no cookie, is not recognised). Attributes are
 * TLVs padded to 4 bytes; SOFTWARE (0x8022) names the agent. TCP carries
 * the same messages back to back (section 6.2.2). The method of the first
 * message, every class seen and the first SOFTWARE are kept; a TURN method
 * (Allocate and later) makes the connection TURN.
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/dissector.h"

#define STUN_HEADER 20
#define STUN_COOKIE 0x2112a442u
#define STUN_ATTR_SOFTWARE 0x8022
#define STUN_MAX_MESSAGES 16
#define STUN_METHOD_BINDING 0x001

static const char *const stun_classes[4] = {
	"request", "indication", "success response", "error response",
};

/* IANA "STUN Methods" (RFC 8489, 8656, 6062). */
static const char *stun_method_name(unsigned m)
{
	static const char *const names[] = {
		[0x001] = "Binding", [0x003] = "Allocate", [0x004] = "Refresh", [0x006] = "Send",
		[0x007] = "Data", [0x008] = "CreatePermission", [0x009] = "ChannelBind",
		[0x00a] = "Connect", [0x00b] = "ConnectionBind", [0x00c] = "ConnectionAttempt",
	};
	return m < ARRAY_LEN(names) ? names[m] : NULL;
}

struct stun_state {
	uint32_t off[2];   /* TCP: stream bytes consumed per direction */
	uint8_t messages;
};

/* The header at the start of r: type and body length; false when it is
 * not a STUN header. */
static bool stun_header(struct rd *r, uint16_t *type, uint16_t *len)
{
	*type = rd_be16(r);
	*len = rd_be16(r);
	uint32_t cookie = rd_be32(r);
	rd_skip(r, 12);
	return rd_ok(r) && !(*type & 0xc000) && !(*len & 3) && cookie == STUN_COOKIE;
}

static enum probe_result stun_probe_udp(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	uint16_t type, len;
	return stun_header(&r, &type, &len) && rd_left(&r) == len ? PROBE_YES : PROBE_NO;
}

static enum probe_result stun_probe_tcp(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	uint16_t type, len;
	if (in->len < STUN_HEADER)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	return stun_header(&r, &type, &len) ? PROBE_YES : PROBE_NO;
}

static void stun_software(struct rd attrs, struct flow_meta *m)
{
	while (rd_left(&attrs) >= 4) {
		uint16_t at = rd_be16(&attrs);
		uint16_t alen = rd_be16(&attrs);
		struct rd v = rd_sub(&attrs, alen);
		rd_skip(&attrs, (4 - alen % 4) % 4);
		if (!rd_ok(&v))
			return;
		if (at == STUN_ATTR_SOFTWARE) {
			meta_set_str(m, META_STUN_SOFTWARE, rd_ptr(&v), rd_left(&v));
			return;
		}
	}
}

/* One whole message: its type, and its attributes in `body`. */
static void stun_message(uint16_t type, struct rd body, struct flow_meta *m)
{
	unsigned cls = ((type >> 4) & 1) | ((type >> 7) & 2);
	unsigned method = (type & 0xf) | ((type >> 1) & 0x70) | ((type >> 2) & 0xf80);
	const char *name = stun_method_name(method);
	if (m->app != APP_TURN)
		m->app = method > STUN_METHOD_BINDING && name ? APP_TURN : APP_STUN;
	if (!meta_str(m, META_STUN_METHOD)) {
		char buf[16];
		if (!name) {
			static const char hex[] = "0123456789abcdef";
			buf[0] = '0', buf[1] = 'x', buf[2] = hex[method >> 8], buf[3] = hex[(method >> 4) & 15];
			buf[4] = hex[method & 15], buf[5] = '\0';
			name = buf;
		}
		meta_set_str(m, META_STUN_METHOD, (const uint8_t *)name, strlen(name));
	}
	meta_add_once(m, META_STUN_CLASS, stun_classes[cls]);
	stun_software(body, m);
}

static enum parse_result stun_parse_udp(void *state, const struct dissect_in *in)
{
	struct stun_state *st = state;
	struct rd r = rd_make(in->data, in->len);
	uint16_t type, len;
	if (stun_header(&r, &type, &len) && rd_left(&r) == len)
		stun_message(type, rd_sub(&r, len), in->meta);
	return ++st->messages >= STUN_MAX_MESSAGES ? PARSE_DONE : PARSE_MORE;
}

/* TCP: every whole message the stream holds since the last call. */
static enum parse_result stun_parse_tcp(void *state, const struct dissect_in *in)
{
	struct stun_state *st = state;
	uint32_t *off = &st->off[in->from_client ? 0 : 1];
	enum parse_result wait = in->stream_full ? PARSE_DONE : PARSE_MORE;
	while (st->messages < STUN_MAX_MESSAGES && *off <= in->len) {
		struct rd r = rd_make(in->data + *off, in->len - *off);
		uint16_t type, len;
		if (rd_left(&r) < STUN_HEADER)
			return wait;
		if (!stun_header(&r, &type, &len))
			return PARSE_DONE; /* not STUN framing after all */
		if (rd_left(&r) < len)
			return wait;
		stun_message(type, rd_sub(&r, len), in->meta);
		*off += STUN_HEADER + len;
		st->messages++;
	}
	return PARSE_DONE;
}

const struct dissector dissector_stun = {
	.name = "stun",
	.l4 = L4_UDP,
	.ports = { 3478, 19302, 0 },
	.probe = stun_probe_udp,
	.parse = stun_parse_udp,
	.state_size = sizeof(struct stun_state),
};

const struct dissector dissector_stun_tcp = {
	.name = "stun-tcp",
	.l4 = L4_TCP,
	.ports = { 3478, 0 },
	.probe = stun_probe_tcp,
	.parse = stun_parse_tcp,
	.state_size = sizeof(struct stun_state),
};

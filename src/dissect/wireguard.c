/* wireguard.c - WireGuard (the whitepaper "WireGuard: Next Generation
 * Kernel Network Tunnel", section 5.4), over UDP.
 *
 *   type(1) | reserved(3, zero) | ...
 *   1 handshake initiation: sender(4) ephemeral(32) static(48) timestamp(28) mac1(16) mac2(16)
 *                           = 148 bytes
 *   2 handshake response:   sender(4) receiver(4) ephemeral(32) empty(16) mac1(16) mac2(16)
 *                           = 92 bytes
 *   3 cookie reply:         receiver(4) nonce(24) cookie(32) = 64 bytes
 *   4 transport data:       receiver(4) counter(8) packet(16 + padded plaintext) >= 32 bytes
 *
 * Indices are little endian. The type, the zero bytes and the exact length
 * of a handshake message are the signature, on any port. A transport
 * message is padded to 16 bytes, so its length is 16 plus a multiple of
 * 16, except where the padding would pass the tunnel's MTU (Linux pads up
 * to the MTU only, which need not be a multiple of 16): such a length is
 * WireGuard's too but proves nothing. A flow seen only from its transport
 * data (a capture started mid-session) is claimed when one side sends
 * the same receiver index twice with two different counters: a shape
 * alone (04 00 00 00 and a length) is too common to name a connection.
 * Kept: every message type seen, the sender index of the first handshake
 * initiation and of the first response, and how many initiations the flow
 * carried (one per rekey, every two minutes, and one per retry): the
 * dissector reads the whole flow.
 */
#include <stdio.h>
#include <string.h>

#include "base/rd.h"
#include "dissect/dissector.h"

#define WG_PORT 51820
#define WG_HEADER 4
#define WG_INITIATION_LEN 148
#define WG_RESPONSE_LEN 92
#define WG_COOKIE_LEN 64
#define WG_TRANSPORT_MIN 32 /* header, receiver, counter and an empty packet's tag */
#define WG_PADDING 16
#define WG_UNCONFIRMED_MAX 8 /* transport datagrams that may pass before one proves it */

enum wg_type { WG_INITIATION = 1, WG_RESPONSE, WG_COOKIE, WG_TRANSPORT };

/* Names as tshark's wg.type shows them. */
static const char *const wg_type_names[] = {
	[WG_INITIATION] = "Handshake Initiation", [WG_RESPONSE] = "Handshake Response",
	[WG_COOKIE] = "Cookie Reply", [WG_TRANSPORT] = "Transport Data",
};

struct wg_side {
	uint32_t receiver;  /* receiver index of its last transport message */
	uint8_t counter[8]; /* ... and that message's counter */
	bool seen;
};

struct wg_state {
	struct wg_side side[2]; /* [0] the initiator's transport, [1] the responder's */
	uint8_t unconfirmed;    /* transport datagrams shown before the flow was claimed */
	bool claimed;
	bool transport_seen;
};

/* The message type of a datagram shaped like a WireGuard message; 0 when
 * it is not one. *aligned says whether a transport message's length is
 * what its padding gives (see the top). */
static unsigned wg_shape(const uint8_t *d, size_t n, bool *aligned)
{
	struct rd r = rd_make(d, n);
	uint8_t type = rd_u8(&r);
	bool zero = rd_u8(&r) == 0 && rd_u8(&r) == 0 && rd_u8(&r) == 0;
	*aligned = true;
	if (!rd_ok(&r) || !zero)
		return 0;
	switch (type) {
	case WG_INITIATION:
		return n == WG_INITIATION_LEN ? type : 0;
	case WG_RESPONSE:
		return n == WG_RESPONSE_LEN ? type : 0;
	case WG_COOKIE:
		return n == WG_COOKIE_LEN ? type : 0;
	case WG_TRANSPORT:
		if (n < WG_TRANSPORT_MIN)
			return 0;
		*aligned = (n - WG_TRANSPORT_MIN) % WG_PADDING == 0;
		return type;
	default:
		return 0;
	}
}

/* A handshake message is taken at once; transport data that is padded
 * as WireGuard pads it is shown to parse, which decides; one that is not
 * may be the MTU's doing: wait for another. */
static enum probe_result wg_probe(const struct dissect_in *in)
{
	bool aligned;
	unsigned type = wg_shape(in->data, in->len, &aligned);
	if (!type)
		return PROBE_NO;
	return aligned ? PROBE_YES : PROBE_MAYBE;
}

static void wg_index(struct flow_meta *m, enum meta_key k, uint32_t index)
{
	char text[16];
	int n = snprintf(text, sizeof text, "0x%08x", (unsigned)index);
	meta_set_str(m, k, (const uint8_t *)text, (size_t)n);
}

/* A side's transport message proves the flow when it repeats that side's
 * receiver index with another counter. */
static bool wg_transport_proves(struct wg_side *s, struct rd *r)
{
	uint32_t receiver = rd_le32(r);
	const uint8_t *counter = rd_take(r, 8);
	if (!rd_ok(r))
		return false;
	bool proves = s->seen && s->receiver == receiver && memcmp(s->counter, counter, 8) != 0;
	s->receiver = receiver;
	memcpy(s->counter, counter, 8);
	s->seen = true;
	return proves;
}

static void wg_claim(struct wg_state *st, struct flow_meta *m)
{
	if (st->claimed)
		return;
	st->claimed = true;
	meta_set_app(m, APP_WIREGUARD);
	if (st->transport_seen) /* the transport data that came first */
		meta_add_once(m, META_WG_TYPE, wg_type_names[WG_TRANSPORT]);
}

static void wg_handshake(struct wg_state *st, unsigned type, struct rd *r, struct flow_meta *m)
{
	uint32_t sender = rd_le32(r);
	wg_claim(st, m);
	if (type == WG_INITIATION) {
		uint64_t n = 0;
		meta_num(m, META_WG_HANDSHAKES, &n);
		meta_set_num(m, META_WG_HANDSHAKES, n + 1);
		wg_index(m, META_WG_SENDER, sender);
	} else if (type == WG_RESPONSE) {
		wg_index(m, META_WG_RECEIVER, sender);
	}
}

static enum parse_result wg_parse(void *state, const struct dissect_in *in)
{
	struct wg_state *st = state;
	bool aligned;
	unsigned type = wg_shape(in->data, in->len, &aligned);
	if (!type) /* not WireGuard after all, or garbage in a tunnel's flow */
		return st->claimed ? PARSE_MORE : PARSE_DONE;
	struct rd r = rd_make_at(in->data, in->len, WG_HEADER);
	if (type != WG_TRANSPORT) {
		wg_handshake(st, type, &r, in->meta);
	} else {
		st->transport_seen = true;
		struct wg_side *s = &st->side[in->from_client ? 0 : 1];
		if (wg_transport_proves(s, &r) && aligned)
			wg_claim(st, in->meta);
		if (!st->claimed && ++st->unconfirmed >= WG_UNCONFIRMED_MAX)
			return PARSE_DONE;
	}
	if (st->claimed)
		meta_add_once(in->meta, META_WG_TYPE, wg_type_names[type]);
	return PARSE_MORE;
}

const struct dissector dissector_wireguard = {
	.name = "wireguard",
	.l4 = L4_UDP,
	.ports = { WG_PORT, 0 },
	.probe = wg_probe,
	.parse = wg_parse,
	.state_size = sizeof(struct wg_state),
	.whole_flow = true,
};

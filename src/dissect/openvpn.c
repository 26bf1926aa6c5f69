/* openvpn.c - OpenVPN's packets (its "protocol" description: ssl_pkt.h
 * and the OpenVPN RFC draft), over UDP and TCP.
 *
 *   opcode(5 bits) key id(3 bits) | payload
 *   control (hard and soft resets, P_CONTROL_V1, P_ACK_V1, P_CONTROL_WKC_V1):
 *       session id(8) | [tls-auth or tls-crypt: HMAC or tag, packet id, time]
 *       | ACKs | [remote session id] | message packet id | TLS
 *   P_DATA_V1: encrypted payload; P_DATA_V2: peer id(3) | encrypted payload
 *
 * Over TCP each packet is preceded by its length (2 bytes). A packet's
 * shape says little (any byte is some opcode), so a flow is taken on a
 * control packet and OpenVPN claimed only on a consistent exchange: the
 * initiator's client hard reset (V2) answered by the responder's server
 * hard reset (both key id 0, as a session begins), or one side's session
 * id (the 8 bytes after the opcode of every control packet) seen again in
 * another control packet of that side; a session id that changes before
 * then, or an opcode OpenVPN does not have, rules it out. QUIC's short
 * header (RFC 9000 section 17.3) reads as a server reset, a V3 client
 * reset or a P_DATA_V2 followed by a connection id repeated in every
 * packet, the very thing claimed on; but QUIC always sets bit 0x40 of the
 * first byte, so a repeated session id counts only when one of its
 * packets has that bit clear (P_CONTROL_V1, P_ACK_V1, a soft reset or a
 * V2 client reset), and the V2 client reset is the one that starts the
 * first rule. Data packets and P_CONTROL_WKC_V1 do not open a flow: a
 * capture that starts inside a session is recognised at its next control
 * packet, if the driver still looks then. Kept: the opcodes seen and each
 * side's session id.
 */
#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/dissector.h"

#define OVPN_PORT 1194
#define OVPN_CONTROL_MIN 14 /* opcode, session id, no ACK, packet id: a bare hard reset */
#define OVPN_SESSION_LEN 8
#define OVPN_UNCLAIMED_MAX 16 /* packets that may pass before one proves the flow */
#define OVPN_MAX_OPCODES 12
#define OVPN_QUIC_BIT 0x40 /* QUIC's fixed bit: set in every QUIC packet's first byte */

enum ovpn_opcode {
	OVPN_SOFT_RESET_V1 = 3,
	OVPN_CONTROL_V1 = 4,
	OVPN_ACK_V1 = 5,
	OVPN_DATA_V1 = 6,
	OVPN_RESET_CLIENT_V2 = 7,
	OVPN_RESET_SERVER_V2 = 8,
	OVPN_DATA_V2 = 9,
	OVPN_RESET_CLIENT_V3 = 10,
	OVPN_CONTROL_WKC_V1 = 11,
};

/* Names as OpenVPN and tshark's openvpn.type give them; NULL: no such opcode. */
static const char *const ovpn_names[OVPN_MAX_OPCODES] = {
	[1] = "P_CONTROL_HARD_RESET_CLIENT_V1", [2] = "P_CONTROL_HARD_RESET_SERVER_V1",
	[OVPN_SOFT_RESET_V1] = "P_CONTROL_SOFT_RESET_V1", [OVPN_CONTROL_V1] = "P_CONTROL_V1",
	[OVPN_ACK_V1] = "P_ACK_V1", [OVPN_DATA_V1] = "P_DATA_V1",
	[OVPN_RESET_CLIENT_V2] = "P_CONTROL_HARD_RESET_CLIENT_V2",
	[OVPN_RESET_SERVER_V2] = "P_CONTROL_HARD_RESET_SERVER_V2", [OVPN_DATA_V2] = "P_DATA_V2",
	[OVPN_RESET_CLIENT_V3] = "P_CONTROL_HARD_RESET_CLIENT_V3",
	[OVPN_CONTROL_WKC_V1] = "P_CONTROL_WKC_V1",
};

struct ovpn_state {
	uint8_t session[2][OVPN_SESSION_LEN]; /* [0] the initiator's, [1] the responder's */
	bool session_seen[2];
	bool quic_free[2];     /* ... seen in a packet QUIC cannot send (bit 0x40 clear) */
	bool client_reset;     /* the initiator sent a V2 client hard reset */
	bool claimed;
	uint8_t order[OVPN_MAX_OPCODES]; /* opcodes in the order first seen */
	uint8_t n_order;
	uint8_t packets;
	uint32_t off[2];       /* TCP: stream bytes consumed per direction */
};

static bool ovpn_is_data(unsigned op)
{
	return op == OVPN_DATA_V1 || op == OVPN_DATA_V2;
}

static bool ovpn_is_client_reset(unsigned op)
{
	return op == OVPN_RESET_CLIENT_V2 || op == OVPN_RESET_CLIENT_V3;
}

/* UDP: a control packet opens a flow (see the top); data waits for one. */
static enum probe_result ovpn_probe_udp(const struct dissect_in *in)
{
	if (in->len < OVPN_CONTROL_MIN)
		return PROBE_NO;
	unsigned op = in->data[0] >> 3, key = in->data[0] & 7;
	if (op >= OVPN_MAX_OPCODES || !ovpn_names[op])
		return PROBE_NO;
	bool reset = ovpn_is_client_reset(op) || op == OVPN_RESET_SERVER_V2;
	if ((reset && key == 0) || op == OVPN_SOFT_RESET_V1 || op == OVPN_CONTROL_V1 ||
	    op == OVPN_ACK_V1)
		return PROBE_YES;
	return PROBE_MAYBE;
}

/* TCP: the client speaks first, with a hard reset of key id 0. */
static enum probe_result ovpn_probe_tcp(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	uint16_t len = rd_be16(&r);
	uint8_t b0 = rd_u8(&r);
	if (!rd_ok(&r))
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	return len >= OVPN_CONTROL_MIN && ovpn_is_client_reset(b0 >> 3) && (b0 & 7) == 0
		       ? PROBE_YES : PROBE_NO;
}

static void ovpn_session_text(struct flow_meta *m, int side, const uint8_t *id)
{
	char hex[2 * OVPN_SESSION_LEN + 1];
	for (int i = 0; i < OVPN_SESSION_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	meta_set_str(m, side ? META_OVPN_DST_SESSION : META_OVPN_SRC_SESSION, (const uint8_t *)hex,
		     2 * OVPN_SESSION_LEN);
}

/* What was learned before the claim goes to the flow at once. */
static void ovpn_claim(struct ovpn_state *st, struct flow_meta *m)
{
	st->claimed = true;
	meta_set_app(m, APP_OPENVPN);
	for (int side = 0; side < 2; side++)
		if (st->session_seen[side])
			ovpn_session_text(m, side, st->session[side]);
	for (unsigned i = 0; i < st->n_order; i++)
		meta_add_once(m, META_OVPN_OPCODE, ovpn_names[st->order[i]]);
}

static void ovpn_note_opcode(struct ovpn_state *st, unsigned op, struct flow_meta *m)
{
	if (st->claimed) {
		meta_add_once(m, META_OVPN_OPCODE, ovpn_names[op]);
		return;
	}
	for (unsigned i = 0; i < st->n_order; i++)
		if (st->order[i] == op)
			return;
	if (st->n_order < ARRAY_LEN(st->order))
		st->order[st->n_order++] = (uint8_t)op;
}

/* A control packet's session id (first byte b0): true when it proves the
 * flow; *contradicts when it rules OpenVPN out. */
static bool ovpn_session(struct ovpn_state *st, int side, uint8_t b0, const uint8_t *id,
			 bool *contradicts)
{
	bool quic_free = !(b0 & OVPN_QUIC_BIT);
	if (!st->session_seen[side]) {
		memcpy(st->session[side], id, OVPN_SESSION_LEN);
		st->session_seen[side] = true;
		st->quic_free[side] = quic_free;
		return false;
	}
	bool same = memcmp(st->session[side], id, OVPN_SESSION_LEN) == 0;
	*contradicts = !same;
	bool proves = same && (quic_free || st->quic_free[side]);
	st->quic_free[side] |= quic_free;
	return proves;
}

/* One packet (after TCP's length). False when it shows the flow is not
 * OpenVPN (before it was claimed; after, nothing undoes the claim). */
static bool ovpn_packet(struct ovpn_state *st, const uint8_t *d, size_t n, bool from_client,
			struct flow_meta *m)
{
	struct rd r = rd_make(d, n);
	uint8_t b0 = rd_u8(&r);
	unsigned op = b0 >> 3, key = b0 & 7;
	int side = from_client ? 0 : 1;
	if (!rd_ok(&r) || op >= OVPN_MAX_OPCODES || !ovpn_names[op])
		return st->claimed;
	ovpn_note_opcode(st, op, m);
	if (ovpn_is_data(op))
		return true;
	const uint8_t *id = rd_take(&r, OVPN_SESSION_LEN);
	if (!id || n < OVPN_CONTROL_MIN)
		return st->claimed;
	bool contradicts = false;
	bool proves = ovpn_session(st, side, b0, id, &contradicts);
	if (st->claimed) {
		ovpn_session_text(m, side, id); /* the first one stays */
		return true;
	}
	if (contradicts)
		return false;
	if (key == 0 && op == OVPN_RESET_CLIENT_V2 && from_client)
		st->client_reset = true;
	if (key == 0 && op == OVPN_RESET_SERVER_V2 && !from_client && st->client_reset)
		proves = true;
	if (proves)
		ovpn_claim(st, m);
	return true;
}

static enum parse_result ovpn_verdict(struct ovpn_state *st, bool consistent)
{
	if (!consistent)
		return PARSE_DONE;
	if (st->packets < UINT8_MAX)
		st->packets++;
	return st->claimed || st->packets < OVPN_UNCLAIMED_MAX ? PARSE_MORE : PARSE_DONE;
}

static enum parse_result ovpn_parse_udp(void *state, const struct dissect_in *in)
{
	struct ovpn_state *st = state;
	return ovpn_verdict(st, ovpn_packet(st, in->data, in->len, in->from_client, in->meta));
}

/* TCP: every whole packet the stream holds since the last call. */
static enum parse_result ovpn_parse_tcp(void *state, const struct dissect_in *in)
{
	struct ovpn_state *st = state;
	uint32_t *off = &st->off[in->from_client ? 0 : 1];
	while (*off <= in->len) {
		struct rd r = rd_make(in->data + *off, in->len - *off);
		uint16_t len = rd_be16(&r);
		if (!rd_ok(&r) || rd_left(&r) < len)
			return in->stream_full ? PARSE_DONE : PARSE_MORE;
		enum parse_result v = ovpn_verdict(st, ovpn_packet(st, rd_ptr(&r), len,
								   in->from_client, in->meta));
		if (v != PARSE_MORE)
			return v;
		*off += 2u + len;
	}
	return PARSE_DONE;
}

const struct dissector dissector_openvpn = {
	.name = "openvpn",
	.l4 = L4_UDP,
	.ports = { OVPN_PORT, 0 },
	.probe = ovpn_probe_udp,
	.parse = ovpn_parse_udp,
	.state_size = sizeof(struct ovpn_state),
};

const struct dissector dissector_openvpn_tcp = {
	.name = "openvpn-tcp",
	.l4 = L4_TCP,
	.ports = { OVPN_PORT, 0 },
	.probe = ovpn_probe_tcp,
	.parse = ovpn_parse_tcp,
	.state_size = sizeof(struct ovpn_state),
};

/* l4.c - what follows the IP header: TCP (RFC 9293 section 3.1), UDP
 * (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443), IGMP (RFC 2236, 3376),
 * SCTP (RFC 9260), DCCP (RFC 4340), UDP-Lite (RFC 3828), ESP (RFC 4303),
 * AH (RFC 4302), GRE (RFC 2784, 2890; PPTP's version 1, RFC 2637); any
 * other protocol's payload is kept whole.
 *
 * r covers the captured part of the IP payload; out->ip_payload_len is the
 * length the IP header claims for it.
 */
#include "decode/decode_int.h"

enum {
	TCP_MIN_HLEN = 20,
	UDP_HLEN = 8,
	ICMP_HLEN = 4,
	ICMP_ECHO_EXTRA = 4, /* identifier + sequence */
	ICMP_ECHO_REPLY = 0,
	ICMP_ECHO = 8,
	ICMPV6_ECHO = 128,
	ICMPV6_ECHO_REPLY = 129,
	IGMP_V3_REPORT = 0x22,
	IGMP_TO_INCLUDE = 3,   /* a v3 group record "change to include mode" */
	PORTS_HLEN = 4,        /* source and destination port */
	SCTP_HLEN = 12,
	DCCP_MIN_HLEN = 12,
	UDPLITE_HLEN = 8,
	ESP_HLEN = 8,
	AH_MIN_HLEN = 12,
	GRE_C = 0x8000,        /* checksum present */
	GRE_R = 0x4000,        /* routing present (RFC 1701) */
	GRE_K = 0x2000,        /* key present */
	GRE_S = 0x1000,        /* sequence number present */
	GRE_A = 0x0080,        /* version 1: acknowledgment number present */
	GRE_VERSION = 0x0007,
};

/* The rest of r is the payload; `claimed` is its length per the headers. */
static enum decode_verdict l4_payload(struct rd *r, size_t claimed, struct pkt *out)
{
	size_t got = rd_left(r);
	out->payload = rd_ptr(r);
	out->payload_len = (uint32_t)(got < claimed ? got : claimed);
	out->l4_len = (uint32_t)claimed;
	return DECODE_OK;
}

static size_t l4_after(size_t total, size_t hdr)
{
	return total > hdr ? total - hdr : 0;
}

static enum decode_verdict l4_tcp(struct rd *r, bool full, struct pkt *out)
{
	out->sport = rd_be16(r);
	out->dport = rd_be16(r);
	out->seq = rd_be32(r);
	out->ack = rd_be32(r);
	unsigned hlen = (unsigned)(rd_u8(r) >> 4) * 4;
	out->tcp_flags = rd_u8(r);
	out->tcp_window = rd_be16(r);
	rd_skip(r, 4); /* checksum, urgent pointer */
	if (!rd_ok(r))
		return decode_short(full);
	if (hlen < TCP_MIN_HLEN)
		return DECODE_INVALID;
	rd_skip(r, hlen - TCP_MIN_HLEN); /* options */
	if (!rd_ok(r))
		return decode_short(full);
	return l4_payload(r, l4_after(out->ip_payload_len, hlen), out);
}

/* The UDP length bounds the payload when it is the smaller bound; a
 * larger one (first fragment, bad sender) yields to the IP length. */
static enum decode_verdict l4_udp(struct rd *r, bool full, struct pkt *out)
{
	out->sport = rd_be16(r);
	out->dport = rd_be16(r);
	uint16_t ulen = rd_be16(r);
	rd_skip(r, 2); /* checksum */
	if (!rd_ok(r))
		return decode_short(full);
	if (ulen != 0 && ulen < UDP_HLEN)
		return DECODE_INVALID;
	size_t total = out->ip_payload_len;
	if (ulen != 0 && ulen < total)
		total = ulen;
	return l4_payload(r, l4_after(total, UDP_HLEN), out);
}

static bool l4_icmp_is_echo(uint8_t proto, uint8_t type)
{
	if (proto == L4_ICMP)
		return type == ICMP_ECHO || type == ICMP_ECHO_REPLY;
	return type == ICMPV6_ECHO || type == ICMPV6_ECHO_REPLY;
}

static enum decode_verdict l4_icmp(struct rd *r, uint8_t proto, bool full, struct pkt *out)
{
	out->icmp_type = rd_u8(r);
	out->icmp_code = rd_u8(r);
	rd_skip(r, 2); /* checksum */
	if (!rd_ok(r))
		return decode_short(full);
	size_t hlen = ICMP_HLEN;
	if (l4_icmp_is_echo(proto, out->icmp_type)) {
		/* type and code are what the flow needs; identifier and sequence
		 * time the reply, and a cut one is no error */
		size_t left = rd_left(r);
		if (left >= ICMP_ECHO_EXTRA) {
			out->echo_id = rd_be16(r);
			out->echo_seq = rd_be16(r);
			out->echo = out->icmp_type == ICMP_ECHO || out->icmp_type == ICMPV6_ECHO
					    ? PKT_ECHO_REQUEST
					    : PKT_ECHO_REPLY;
		} else {
			rd_skip(r, left);
		}
		hlen += ICMP_ECHO_EXTRA;
	}
	return l4_payload(r, l4_after(out->ip_payload_len, hlen), out);
}

/* Type and group; a v3 report names the group of its first record, and
 * a first record that changes to include no source leaves that group
 * (RFC 3376 section 6.4.2): icmp_code says so with 1. */
static enum decode_verdict l4_igmp(struct rd *r, bool full, struct pkt *out)
{
	out->icmp_type = rd_u8(r);
	rd_skip(r, 3); /* max response code, checksum */
	if (out->icmp_type == IGMP_V3_REPORT) {
		rd_skip(r, 2); /* reserved */
		uint16_t records = rd_be16(r);
		uint8_t rtype = 0;
		uint16_t nsrc = 0;
		if (records) {
			rtype = rd_u8(r);
			rd_skip(r, 1); /* aux data length */
			nsrc = rd_be16(r);
			out->igmp_group = rd_be32(r);
		}
		out->icmp_code = rtype == IGMP_TO_INCLUDE && nsrc == 0;
	} else {
		out->igmp_group = rd_be32(r);
	}
	if (!rd_ok(r))
		return decode_short(full);
	return l4_payload(r, l4_after(out->ip_payload_len, rd_pos(r)), out);
}

/* SCTP, DCCP and UDP-Lite begin with the two ports, like UDP. */
static enum decode_verdict l4_ported(struct rd *r, bool full, size_t hlen, struct pkt *out)
{
	out->sport = rd_be16(r);
	out->dport = rd_be16(r);
	rd_skip(r, hlen - PORTS_HLEN);
	if (!rd_ok(r))
		return decode_short(full);
	return l4_payload(r, l4_after(out->ip_payload_len, hlen), out);
}

/* DCCP's header length is its data offset, in 32-bit words. */
static enum decode_verdict l4_dccp(struct rd *r, bool full, struct pkt *out)
{
	if (rd_left(r) < DCCP_MIN_HLEN)
		return decode_short(full);
	size_t hlen = (size_t)rd_peek8(r, 4) * 4;
	if (hlen < DCCP_MIN_HLEN)
		return DECODE_INVALID;
	return l4_ported(r, full, hlen, out);
}

static enum decode_verdict l4_esp(struct rd *r, bool full, struct pkt *out)
{
	out->xid = rd_be32(r);
	out->has_xid = 1;
	rd_skip(r, 4); /* sequence number */
	if (!rd_ok(r))
		return decode_short(full);
	return l4_payload(r, l4_after(out->ip_payload_len, ESP_HLEN), out);
}

/* AH's length counts 32-bit words minus two. */
static enum decode_verdict l4_ah(struct rd *r, bool full, struct pkt *out)
{
	rd_skip(r, 1); /* next header */
	size_t hlen = ((size_t)rd_u8(r) + 2) * 4;
	rd_skip(r, 2); /* reserved */
	out->xid = rd_be32(r);
	out->has_xid = 1;
	if (!rd_ok(r))
		return decode_short(full);
	if (hlen < AH_MIN_HLEN)
		return DECODE_INVALID;
	rd_skip(r, hlen - 8); /* sequence number, integrity check value */
	if (!rd_ok(r))
		return decode_short(full);
	return l4_payload(r, l4_after(out->ip_payload_len, hlen), out);
}

/* The optional fields come in a fixed order: checksum and offset, key,
 * sequence number, then (version 1) acknowledgment number. PPTP's key is
 * payload length and call ID: only the call ID is the same on every
 * packet. With RFC 1701 routing the payload is not located (no
 * gre_proto). */
static enum decode_verdict l4_gre(struct rd *r, bool full, struct pkt *out)
{
	uint16_t flags = rd_be16(r);
	uint16_t proto = rd_be16(r);
	unsigned version = flags & GRE_VERSION;
	if (flags & (GRE_C | GRE_R))
		rd_skip(r, 4);
	if (flags & GRE_K) {
		uint32_t key = rd_be32(r);
		if (version <= 1) {
			out->xid = version == 1 ? (key & 0xffff) : key;
			out->has_xid = 1;
		}
	}
	if (flags & GRE_S)
		rd_skip(r, 4);
	if (version == 1 && (flags & GRE_A))
		rd_skip(r, 4);
	if (!rd_ok(r))
		return decode_short(full);
	if (version == 0 && !(flags & GRE_R))
		out->gre_proto = proto;
	return l4_payload(r, l4_after(out->ip_payload_len, rd_pos(r)), out);
}

enum decode_verdict decode_l4(struct rd *r, uint8_t proto, bool full, struct pkt *out)
{
	out->l4 = proto;
	if (proto == L4_TCP) /* ahead of the switch: most packets */
		return l4_tcp(r, full, out);
	switch (proto) {
	case L4_UDP:
		return l4_udp(r, full, out);
	case L4_ICMP:
	case L4_ICMPV6:
		return l4_icmp(r, proto, full, out);
	case L4_IGMP:
		return l4_igmp(r, full, out);
	case L4_SCTP:
		return l4_ported(r, full, SCTP_HLEN, out);
	case L4_DCCP:
		return l4_dccp(r, full, out);
	case L4_UDPLITE:
		return l4_ported(r, full, UDPLITE_HLEN, out);
	case L4_ESP:
		return l4_esp(r, full, out);
	case L4_AH:
		return l4_ah(r, full, out);
	case L4_GRE:
		return l4_gre(r, full, out);
	default:
		return l4_payload(r, out->ip_payload_len, out);
	}
}

/* l4.c - transport headers: TCP (RFC 9293 section 3.1), UDP (RFC 768),
 * ICMP (RFC 792), ICMPv6 (RFC 4443).
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
	out->l4 = L4_TCP;
	out->sport = rd_be16(r);
	out->dport = rd_be16(r);
	out->seq = rd_be32(r);
	out->ack = rd_be32(r);
	unsigned hlen = (unsigned)(rd_u8(r) >> 4) * 4;
	out->tcp_flags = rd_u8(r);
	rd_skip(r, 6); /* window, checksum, urgent pointer */
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
	out->l4 = L4_UDP;
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
	out->l4 = proto;
	out->icmp_type = rd_u8(r);
	out->icmp_code = rd_u8(r);
	rd_skip(r, 2); /* checksum */
	if (!rd_ok(r))
		return decode_short(full);
	size_t hlen = ICMP_HLEN;
	if (l4_icmp_is_echo(proto, out->icmp_type)) {
		/* type and code are all the flow needs: a cut identifier is no error */
		size_t left = rd_left(r);
		rd_skip(r, left < ICMP_ECHO_EXTRA ? left : ICMP_ECHO_EXTRA);
		hlen += ICMP_ECHO_EXTRA;
	}
	return l4_payload(r, l4_after(out->ip_payload_len, hlen), out);
}

enum decode_verdict decode_l4(struct rd *r, uint8_t proto, bool full, struct pkt *out)
{
	switch (proto) {
	case L4_TCP:
		return l4_tcp(r, full, out);
	case L4_UDP:
		return l4_udp(r, full, out);
	case L4_ICMP:
	case L4_ICMPV6:
		return l4_icmp(r, proto, full, out);
	default:
		out->l4 = L4_OTHER;
		return l4_payload(r, out->ip_payload_len, out);
	}
}

/* ip.c - IPv4 (RFC 791) and IPv6 (RFC 8200 section 4: extension headers,
 * fragment header; RFC 4302 AH length) down to the transport header.
 */
#include "decode/decode_int.h"

#include <stddef.h>
#include <string.h>

#include "decode/decode.h"

enum {
	IPV4_MIN_HLEN = 20,
	IPV4_MF = 0x2000,
	IPV4_OFF_MASK = 0x1fff,
	IPV6_HLEN = 40,
	IPV6_MAX_EXT = 8, /* extension headers walked; a longer chain is keyed by the 9th */
	IPV6_OFF_MASK = 0xfff8, /* 13-bit offset in 8-octet units, already x8 */
	IPV6_MF = 0x0001,
};

enum {
	IPPROTO_HOPOPTS_ = 0,
	IPPROTO_ROUTING_ = 43,
	IPPROTO_FRAGMENT_ = 44,
	IPPROTO_NONE_ = 59,
	IPPROTO_DSTOPTS_ = 60,
};

static uint16_t ip_clamp16(size_t n)
{
	return n > 0xffff ? 0xffff : (uint16_t)n;
}

/* A fragment, the first or a later one: its data goes to reassembly as
 * it is, headers and all. */
static enum decode_verdict ip_fragment(struct rd *r, uint8_t proto, struct pkt *out)
{
	out->l4 = proto;
	out->payload = rd_ptr(r);
	out->payload_len = (uint32_t)rd_left(r);
	out->l4_len = out->ip_payload_len;
	return DECODE_FRAGMENT;
}

/* Total length 0 is what TSO hands to a local capture: the length is then
 * whatever was captured, and a short header counts as truncated. */
enum decode_verdict decode_ipv4(struct rd *r, struct pkt *out)
{
	if (!rd_need(r, IPV4_MIN_HLEN))
		return DECODE_TRUNCATED;
	uint8_t vihl = rd_u8(r);
	rd_skip(r, 1); /* TOS */
	uint16_t totlen = rd_be16(r);
	uint16_t id = rd_be16(r);
	uint16_t ff = rd_be16(r);
	uint8_t ttl = rd_u8(r);
	uint8_t proto = rd_u8(r);
	rd_skip(r, 2); /* checksum */
	unsigned hlen = (vihl & 0x0fu) * 4;
	if (vihl >> 4 != 4 || hlen < IPV4_MIN_HLEN || (totlen && totlen < hlen))
		return DECODE_INVALID;
	out->family = 4;
	out->hop_limit = ttl;
	rd_copy(r, out->src, 4);
	rd_copy(r, out->dst, 4);
	rd_skip(r, hlen - IPV4_MIN_HLEN); /* options */
	if (!rd_ok(r))
		return DECODE_TRUNCATED;

	size_t avail = rd_left(r);
	size_t claimed = totlen ? (size_t)totlen - hlen : avail;
	bool full = totlen && claimed <= avail;
	struct rd l4 = rd_sub(r, full ? claimed : avail);
	out->ip_payload_len = ip_clamp16(claimed);
	out->ip_len = (uint32_t)(hlen + claimed);

	uint16_t off = (uint16_t)((ff & IPV4_OFF_MASK) * 8);
	if (off || (ff & IPV4_MF)) {
		out->frag_id = id;
		out->frag_more = (ff & IPV4_MF) != 0;
		out->frag_off = off;
		return ip_fragment(&l4, proto, out);
	}
	return decode_l4(&l4, proto, full, out);
}

static bool ip6_is_ext(uint8_t nh)
{
	switch (nh) {
	case IPPROTO_HOPOPTS_:
	case IPPROTO_ROUTING_:
	case IPPROTO_FRAGMENT_:
	case IPPROTO_DSTOPTS_:
		return true;
	default:
		return false;
	}
}

/* Fragment header body after next-header: reserved, offset+M, ident.
 * False for an atomic fragment (RFC 6946: offset 0, M 0), which is no
 * fragment at all. */
static bool ip6_fragment(struct rd *r, struct pkt *out)
{
	rd_skip(r, 1);
	uint16_t offfl = rd_be16(r);
	uint32_t id = rd_be32(r);
	if (!rd_ok(r) || !(offfl & (IPV6_OFF_MASK | IPV6_MF)))
		return false;
	out->frag_id = id;
	out->frag_more = (offfl & IPV6_MF) != 0;
	out->frag_off = offfl & IPV6_OFF_MASK;
	return true;
}

/* Walks the extension headers at the start of r (the IPv6 payload) and
 * leaves *nh at the upper-layer protocol (at the first header not walked
 * when the chain is too long). Returns DECODE_OK, DECODE_FRAGMENT or a
 * short-header verdict. */
static enum decode_verdict ip6_walk(struct rd *r, uint8_t *nh, bool full, struct pkt *out)
{
	for (int i = 0; i < IPV6_MAX_EXT && ip6_is_ext(*nh); i++) {
		uint8_t next = rd_u8(r);
		bool fragment = false;
		if (*nh == IPPROTO_FRAGMENT_) {
			fragment = ip6_fragment(r, out);
		} else {
			size_t len = rd_u8(r); /* 8-octet units, not counting the first */
			rd_skip(r, len * 8 + 6);
		}
		if (!rd_ok(r))
			return decode_short(full);
		*nh = next;
		if (fragment)
			return DECODE_FRAGMENT;
	}
	return DECODE_OK;
}

/* Payload length 0 (jumbogram, TSO) means: whatever was captured. */
enum decode_verdict decode_ipv6(struct rd *r, struct pkt *out)
{
	if (!rd_need(r, IPV6_HLEN))
		return DECODE_TRUNCATED;
	uint32_t vtcfl = rd_be32(r);
	uint16_t plen = rd_be16(r);
	uint8_t nh = rd_u8(r);
	uint8_t hop_limit = rd_u8(r);
	if (vtcfl >> 28 != 6)
		return DECODE_INVALID;
	out->family = 6;
	out->hop_limit = hop_limit;
	rd_copy(r, out->src, 16);
	rd_copy(r, out->dst, 16);

	size_t avail = rd_left(r);
	size_t claimed = plen ? plen : avail;
	bool full = plen && claimed <= avail;
	struct rd pl = rd_sub(r, full ? claimed : avail);
	out->ip_len = (uint32_t)(IPV6_HLEN + claimed);
	enum decode_verdict v = ip6_walk(&pl, &nh, full, out);
	if (v == DECODE_TRUNCATED || v == DECODE_INVALID)
		return v;
	out->ip_payload_len = ip_clamp16(claimed - rd_pos(&pl));
	if (v == DECODE_FRAGMENT)
		return ip_fragment(&pl, nh, out);
	return decode_l4(&pl, nh, full, out);
}

enum decode_verdict decode_datagram(struct pkt *out, uint8_t proto, const uint8_t *data,
				    uint32_t captured, uint32_t len)
{
	uint8_t family = out->family, src[16], dst[16];
	const uint8_t *eth = out->eth;
	memcpy(src, out->src, 16);
	memcpy(dst, out->dst, 16);
	pkt_clear(out);
	out->eth = eth;
	out->family = family;
	memcpy(out->src, src, 16);
	memcpy(out->dst, dst, 16);
	struct rd r = rd_make(data, captured < len ? captured : len);
	bool full = captured >= len;
	out->ip_payload_len = ip_clamp16(len);
	if (family == 6) {
		enum decode_verdict v = ip6_walk(&r, &proto, full, out);
		if (v == DECODE_FRAGMENT)
			return DECODE_INVALID; /* a fragment inside a fragmented datagram */
		if (v != DECODE_OK)
			return v;
		out->ip_payload_len = ip_clamp16(len - rd_pos(&r));
	}
	return decode_l4(&r, proto, full, out);
}

/* Linux's ipv6frag_thdr_truncated: the extension headers after the
 * fragment header, then the upper-layer header's first bytes (TCP 20,
 * UDP and ICMPv6 8, any other 1) must lie within the first fragment. */
bool decode_ip6_upper_header_fits(uint8_t nh, const uint8_t *data, uint32_t captured,
				  uint32_t len)
{
	struct rd r = rd_make(data, captured);
	size_t need = 0;
	for (int i = 0; i < IPV6_MAX_EXT && (ip6_is_ext(nh) || nh == L4_AH); i++) {
		uint8_t next = rd_u8(&r);
		size_t n = rd_u8(&r);
		if (!rd_ok(&r))
			return true; /* cut by the capture: no telling */
		size_t hlen = nh == IPPROTO_FRAGMENT_ ? 8 : nh == L4_AH ? (n + 2) * 4 : (n + 1) * 8;
		rd_skip(&r, hlen - 2);
		need += hlen;
		nh = next;
	}
	if (nh == IPPROTO_NONE_)
		return true;
	need += nh == L4_TCP ? 20 : (nh == L4_UDP || nh == L4_ICMPV6) ? 8 : 1;
	return need <= len;
}

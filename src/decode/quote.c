/* quote.c - the datagram an ICMP or ICMPv6 error quotes: ICMP destination
 * unreachable and time exceeded (RFC 792; RFC 1191's next-hop MTU),
 * ICMPv6 destination unreachable, packet too big and time exceeded
 * (RFC 4443), and the words for what went wrong.
 *
 * RFC 792 guarantees the quoted IP header and the first 8 bytes of its
 * payload; RFC 1812 and 4443 allow more, RFC 4884 pads the quote before
 * extensions. Only the headers at its start are read, so any of these
 * quotes will do, and one cut shorter than what tells the connection
 * apart (its ports) is no quote at all.
 */
#include "decode/decode.h"

#include <stdio.h>
#include <string.h>

#include "base/macros.h"

enum {
	ICMP_UNREACH = 3,
	ICMP_UNREACH_NEEDFRAG = 4,
	ICMP_TIMXCEED = 11,
	ICMPV6_UNREACH = 1,
	ICMPV6_PACKET_TOO_BIG = 2,
	ICMPV6_TIME_EXCEEDED = 3,
	QUOTE_IPV4_MIN_HLEN = 20,
	QUOTE_IPV4_OFF_MASK = 0x1fff,
	QUOTE_IPV6_HLEN = 40,
	QUOTE_IPV6_MAX_EXT = 8,
	QUOTE_IPV6_OFF_MASK = 0xfff8,
	QUOTE_ICMP_ECHO = 8,
	QUOTE_ICMPV6_ECHO = 128,
};

/* ICMP is IPv4's and ICMPv6 IPv6's: one carried over the other IP
 * version reports nothing about it. */
bool decode_icmp_is_error(const struct pkt *p)
{
	if (p->l4 == L4_ICMP && p->family == 4)
		return p->icmp_type == ICMP_UNREACH || p->icmp_type == ICMP_TIMXCEED;
	if (p->l4 == L4_ICMPV6 && p->family == 6)
		return p->icmp_type == ICMPV6_UNREACH || p->icmp_type == ICMPV6_PACKET_TOO_BIG ||
		       p->icmp_type == ICMPV6_TIME_EXCEEDED;
	return false;
}

/* The first bytes of the quoted transport header: what the flow key
 * takes from it (ports, an SPI), the echo identifier. False when the
 * quote was cut before them. */
static bool quote_transport(struct rd *r, struct pkt *q)
{
	switch (q->l4) {
	case L4_TCP:
	case L4_UDP:
	case L4_SCTP:
	case L4_DCCP:
	case L4_UDPLITE:
		q->sport = rd_be16(r);
		q->dport = rd_be16(r);
		return rd_ok(r);
	case L4_ESP:
		q->xid = rd_be32(r);
		q->has_xid = 1;
		return rd_ok(r);
	case L4_AH:
		rd_skip(r, 4); /* next header, length, reserved */
		q->xid = rd_be32(r);
		q->has_xid = 1;
		return rd_ok(r);
	case L4_ICMP:
	case L4_ICMPV6: {
		/* the flow is the address pair; the identifier only informs */
		uint8_t type = rd_u8(r);
		rd_skip(r, 3); /* code, checksum */
		uint16_t id = rd_be16(r);
		if (rd_ok(r) && (type == QUOTE_ICMP_ECHO || type == QUOTE_ICMPV6_ECHO)) {
			q->echo = PKT_ECHO_REQUEST;
			q->echo_id = id;
		}
		return true;
	}
	default: /* a flow of addresses alone (GRE without a key, any other) */
		return true;
	}
}

/* The quoted IPv4 header; a later fragment carries no transport header. */
static bool quote_ipv4(struct rd *r, struct pkt *q)
{
	uint8_t vihl = rd_u8(r);
	rd_skip(r, 5); /* TOS, total length, ID */
	uint16_t ff = rd_be16(r);
	rd_skip(r, 1); /* TTL */
	uint8_t proto = rd_u8(r);
	rd_skip(r, 2); /* checksum */
	rd_copy(r, q->src, 4);
	rd_copy(r, q->dst, 4);
	unsigned hlen = (vihl & 0x0fu) * 4;
	if (!rd_ok(r) || vihl >> 4 != 4 || hlen < QUOTE_IPV4_MIN_HLEN || (ff & QUOTE_IPV4_OFF_MASK))
		return false;
	rd_skip(r, hlen - QUOTE_IPV4_MIN_HLEN); /* options */
	q->family = 4;
	q->l4 = proto;
	return rd_ok(r) && quote_transport(r, q);
}

static bool quote_ip6_is_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60; /* hop-by-hop, routing, fragment, dest. options */
}

/* The quoted IPv6 header and its extension headers. */
static bool quote_ipv6(struct rd *r, struct pkt *q)
{
	uint32_t vtcfl = rd_be32(r);
	rd_skip(r, 2); /* payload length */
	uint8_t nh = rd_u8(r);
	rd_skip(r, 1); /* hop limit */
	rd_copy(r, q->src, 16);
	rd_copy(r, q->dst, 16);
	if (!rd_ok(r) || vtcfl >> 28 != 6)
		return false;
	for (int i = 0; i < QUOTE_IPV6_MAX_EXT && quote_ip6_is_ext(nh); i++) {
		uint8_t next = rd_u8(r);
		if (nh == 44) {
			rd_skip(r, 1);
			if (rd_be16(r) & QUOTE_IPV6_OFF_MASK)
				return false; /* a later fragment */
			rd_skip(r, 4);
		} else {
			rd_skip(r, (size_t)rd_u8(r) * 8 + 6);
		}
		nh = next;
	}
	if (!rd_ok(r) || quote_ip6_is_ext(nh))
		return false;
	q->family = 6;
	q->l4 = nh;
	return quote_transport(r, q);
}

/* The MTU an error reports: the next hop's for ICMP's "fragmentation
 * needed" (RFC 1191: the low 16 bits of the unused word), the whole word
 * for ICMPv6's packet too big. */
static uint32_t quote_mtu(const struct pkt *p, uint32_t word)
{
	if (p->l4 == L4_ICMP && p->icmp_type == ICMP_UNREACH && p->icmp_code == ICMP_UNREACH_NEEDFRAG)
		return word & 0xffff;
	if (p->l4 == L4_ICMPV6 && p->icmp_type == ICMPV6_PACKET_TOO_BIG)
		return word;
	return 0;
}

/* p->payload of an error begins with the word after type, code and
 * checksum (unused, or the MTU), then the quote. An error goes back to
 * the quoted datagram's sender: one about a datagram its receiver did
 * not send, or of the other IP version, is not taken. */
bool decode_icmp_quote(const struct pkt *p, struct pkt_quote *out)
{
	memset(out, 0, sizeof *out);
	if (!decode_icmp_is_error(p))
		return false;
	struct rd r = rd_make(p->payload, p->payload_len);
	uint32_t word = rd_be32(&r);
	if (!rd_ok(&r))
		return false;
	struct pkt *q = &out->inner;
	bool ok = p->family == 4 ? quote_ipv4(&r, q) : quote_ipv6(&r, q);
	if (!ok || memcmp(q->src, p->dst, 16) != 0)
		return false;
	out->mtu = quote_mtu(p, word);
	return true;
}

/* RFC 792, RFC 1812 section 5.2.7.1 (codes 6 to 15); RFC 4443. */
static const char *const icmp_unreach_words[] = {
	"net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
	"fragmentation needed", "source route failed", "destination network unknown",
	"destination host unknown", "source host isolated", "network administratively prohibited",
	"host administratively prohibited", "network unreachable for TOS",
	"host unreachable for TOS", "communication administratively prohibited",
	"host precedence violation", "precedence cutoff in effect",
};
static const char *const icmp_timxceed_words[] = {
	"TTL exceeded in transit", "fragment reassembly time exceeded",
};
static const char *const icmpv6_unreach_words[] = {
	"no route to destination", "communication administratively prohibited",
	"beyond scope of source address", "address unreachable", "port unreachable",
	"source address failed ingress/egress policy", "reject route to destination",
};
static const char *const icmpv6_timxceed_words[] = {
	"hop limit exceeded in transit", "fragment reassembly time exceeded",
};

static const struct {
	uint16_t l4;
	uint8_t type;
	const char *what;                /* the type's words, for a code not named */
	const char *const *codes;
	size_t ncodes;
} error_words[] = {
	{ L4_ICMP, ICMP_UNREACH, "destination unreachable", icmp_unreach_words,
	  ARRAY_LEN(icmp_unreach_words) },
	{ L4_ICMP, ICMP_TIMXCEED, "time exceeded", icmp_timxceed_words,
	  ARRAY_LEN(icmp_timxceed_words) },
	{ L4_ICMPV6, ICMPV6_UNREACH, "destination unreachable", icmpv6_unreach_words,
	  ARRAY_LEN(icmpv6_unreach_words) },
	{ L4_ICMPV6, ICMPV6_PACKET_TOO_BIG, "packet too big", NULL, 0 },
	{ L4_ICMPV6, ICMPV6_TIME_EXCEEDED, "time exceeded", icmpv6_timxceed_words,
	  ARRAY_LEN(icmpv6_timxceed_words) },
};

size_t decode_icmp_error_text(char *buf, size_t cap, uint16_t l4, uint8_t type, uint8_t code,
			      uint32_t mtu)
{
	const char *what = NULL, *named = NULL;
	for (size_t i = 0; i < ARRAY_LEN(error_words); i++) {
		if (error_words[i].l4 != l4 || error_words[i].type != type)
			continue;
		what = error_words[i].what;
		if (!error_words[i].codes)
			named = what; /* packet too big has no codes */
		else if (code < error_words[i].ncodes)
			named = error_words[i].codes[code];
	}
	int n;
	if (!what)
		n = snprintf(buf, cap, "type %u code %u", type, code);
	else if (!named)
		n = snprintf(buf, cap, "%s (code %u)", what, code);
	else if (mtu)
		n = snprintf(buf, cap, "%s (mtu %u)", named, mtu);
	else
		n = snprintf(buf, cap, "%s", named);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}

/* neighbour.c - who is at which link-layer address, from ARP (RFC 826)
 * and from IPv6 Neighbor Discovery (RFC 4861): see decode_neighbour in
 * decode.h.
 */
#include "decode/decode.h"

#include <string.h>

enum {
	ND_NEIGHBOR_SOLICIT = 135,
	ND_NEIGHBOR_ADVERT = 136,
	ND_OPT_SOURCE_LLA = 1,
	ND_OPT_TARGET_LLA = 2,
	ND_HOP_LIMIT = 255,
	/* The 24 octets of ICMPv6 RFC 4861 asks for at least, less the
	 * 4 of the header decode_frame has read. */
	ND_MIN_BODY = 20,
	ND_BODY_FIXED = 4, /* reserved, or the advertisement's flags */
	ETHER_ADDR_LEN = 6,
};

/* A station's own address: neither a group address (the I/G bit) nor
 * all zeros (what an ARP request says of the address it asks about). */
static bool unicast_mac(const uint8_t mac[ETHER_ADDR_LEN])
{
	static const uint8_t zero[ETHER_ADDR_LEN];
	return !(mac[0] & 1) && memcmp(mac, zero, ETHER_ADDR_LEN) != 0;
}

/* Requests and replies both tell the sender's addresses; a probe (RFC
 * 5227: sender 0.0.0.0) claims none yet. */
static bool arp_neighbour(const struct pkt *p, struct pkt_neighbour *out)
{
	static const uint8_t unspecified[4];
	if (memcmp(p->src, unspecified, 4) == 0 || !unicast_mac(p->arp_sha))
		return false;
	out->family = 4;
	memcpy(out->addr, p->src, 16);
	memcpy(out->mac, p->arp_sha, ETHER_ADDR_LEN);
	return true;
}

/* The option of type `want` (source or target link-layer address) among
 * the options in r, holding an Ethernet address (RFC 4861 section 4.6.1,
 * RFC 2464 section 6: length 1, the address after type and length).
 * False when there is none, when an option claims length 0 (the message
 * is then invalid, sections 7.1.1 and 7.1.2), or when the option sought
 * is cut short. Options after the capture's end are not there to read. */
static bool nd_lla_option(struct rd *r, uint8_t want, uint8_t mac[ETHER_ADDR_LEN])
{
	bool found = false;
	while (rd_left(r) >= 2) {
		uint8_t type = rd_u8(r);
		size_t len = (size_t)rd_u8(r) * 8;
		if (len == 0)
			return false;
		struct rd body = rd_sub(r, len - 2);
		if (type != want || found)
			continue;
		rd_copy(&body, mac, ETHER_ADDR_LEN);
		found = rd_ok(&body) && len == 8;
	}
	return found;
}

/* A solicitation names its sender (the IP source, with the source
 * link-layer option), an advertisement its target (with the target
 * link-layer option). Both are valid only with hop limit 255: a router
 * decrements it, so 255 proves the sender is on this link (section 7.1). */
static bool nd_neighbour(const struct pkt *p, struct pkt_neighbour *out)
{
	if (p->icmp_code != 0 || p->hop_limit != ND_HOP_LIMIT || p->l4_len < ND_MIN_BODY)
		return false;
	struct rd r = rd_make(p->payload, p->payload_len);
	rd_skip(&r, ND_BODY_FIXED);
	const uint8_t *target = rd_take(&r, 16);
	if (!target || target[0] == 0xff) /* a multicast target is invalid */
		return false;
	bool solicit = p->icmp_type == ND_NEIGHBOR_SOLICIT;
	const uint8_t *addr = solicit ? p->src : target;
	static const uint8_t unspecified[16];
	if (memcmp(addr, unspecified, 16) == 0) /* duplicate address detection */
		return false;
	if (!nd_lla_option(&r, solicit ? ND_OPT_SOURCE_LLA : ND_OPT_TARGET_LLA, out->mac) ||
	    !unicast_mac(out->mac))
		return false;
	out->family = 6;
	memcpy(out->addr, addr, 16);
	return true;
}

bool decode_neighbour(const struct pkt *p, struct pkt_neighbour *out)
{
	if (p->l4 == L4_ARP)
		return arp_neighbour(p, out);
	if (p->l4 == L4_ICMPV6 && p->family == 6 &&
	    (p->icmp_type == ND_NEIGHBOR_SOLICIT || p->icmp_type == ND_NEIGHBOR_ADVERT))
		return nd_neighbour(p, out);
	return false;
}

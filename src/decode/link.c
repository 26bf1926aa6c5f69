/* link.c - link layers: Ethernet II / 802.3 LLC-SNAP (IEEE 802.2), 802.1Q and
 * 802.1ad tags, PPPoE session (RFC 2516), MPLS (RFC 3032), Linux cooked
 * v1/v2, raw IP, BSD null/loop; ARP (RFC 826); decode_frame() itself.
 */
#include "decode/decode.h"

#include <stddef.h>
#include <string.h>

#include "base/macros.h"
#include "decode/decode_int.h"

enum {
	ETH_HLEN = 14,
	SLL_HLEN = 16,
	SLL2_HLEN = 20,
	LINK_MAX_TAGS = 8, /* VLAN/QinQ/PPPoE/SNAP layers before giving up */
	MPLS_MAX_LABELS = 8,
	ETH_MAX_LEN = 1500, /* a type field <= this is an 802.3 length */
	SLL_P_802_2 = 0x0004,
	ARPHRD_NETLINK = 824,
};

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_ARP = 0x0806,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_MPLS = 0x8847,
	ETHERTYPE_MPLS_MC = 0x8848,
	ETHERTYPE_PPPOE = 0x8864,
	ETHERTYPE_QINQ = 0x88a8,
	ETHERTYPE_QINQ_OLD = 0x9100,
};

enum {
	PPP_IPV4 = 0x0021,
	PPP_IPV6 = 0x0057,
	PPPOE_VER_TYPE = 0x11,
	LLC_SNAP = 0xaa,
	LLC_UI = 0x03,
};

/* Ethernet/IPv4 ARP only: sender/target protocol addresses become src/dst;
 * the sender's hardware address is kept. */
static enum decode_verdict link_arp(struct rd *r, struct pkt *out)
{
	uint16_t htype = rd_be16(r);
	uint16_t ptype = rd_be16(r);
	uint8_t hlen = rd_u8(r);
	uint8_t plen = rd_u8(r);
	uint16_t op = rd_be16(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (htype != 1 || ptype != ETHERTYPE_IPV4 || hlen != 6 || plen != 4)
		return DECODE_NOT_IP;
	rd_copy(r, out->arp_sha, 6);
	rd_copy(r, out->src, 4);
	rd_skip(r, 6);
	rd_copy(r, out->dst, 4);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	out->family = 4;
	out->l4 = L4_ARP;
	out->arp_op = op;
	return DECODE_OK;
}

/* The version nibble picks the IP decoder; `want` (4, 6, or 0 for either)
 * is what the link layer announced. */
enum decode_verdict decode_ip(struct rd *r, int want, struct pkt *out)
{
	if (rd_left(r) == 0)
		return DECODE_TRUNCATED;
	int version = rd_peek8(r, 0) >> 4;
	if (want && version != want)
		return DECODE_INVALID;
	if (version == 4)
		return decode_ipv4(r, out);
	if (version == 6)
		return decode_ipv6(r, out);
	return DECODE_INVALID;
}

/* Label stack up to bottom-of-stack, then IP by version nibble. */
static enum decode_verdict link_mpls(struct rd *r, struct pkt *out)
{
	for (int i = 0; i < MPLS_MAX_LABELS; i++) {
		uint32_t label = rd_be32(r);
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		if (label & 0x100) {
			if (rd_left(r) == 0)
				return DECODE_TRUNCATED;
			int version = rd_peek8(r, 0) >> 4;
			return version == 4 || version == 6 ? decode_ip(r, version, out)
							    : DECODE_NOT_IP;
		}
	}
	return DECODE_NOT_IP;
}

/* PPPoE session header + PPP protocol -> ethertype, or 0 if not IP. */
static uint16_t link_pppoe(struct rd *r)
{
	uint8_t vt = rd_u8(r);
	uint8_t code = rd_u8(r);
	rd_skip(r, 4); /* session id, length */
	uint16_t proto = rd_be16(r);
	if (vt != PPPOE_VER_TYPE || code != 0)
		return 0;
	return proto == PPP_IPV4 ? ETHERTYPE_IPV4 : proto == PPP_IPV6 ? ETHERTYPE_IPV6 : 0;
}

/* 802.2 LLC: only SNAP with an ethertype leads anywhere. Returns the
 * ethertype, or 0 for anything else (STP, IPX, NetBIOS ...). */
static uint16_t link_llc(struct rd *r)
{
	uint8_t dsap = rd_u8(r);
	uint8_t ssap = rd_u8(r);
	uint8_t ctl = rd_u8(r);
	if (dsap != LLC_SNAP || ssap != LLC_SNAP || ctl != LLC_UI)
		return 0;
	rd_skip(r, 3); /* OUI */
	return rd_be16(r);
}

/* Decodes what follows an ethertype, peeling tags. `len_is_llc` says whether
 * a value <= 1500 means an 802.3 length followed by LLC (Ethernet) rather
 * than a Linux cooked pseudo-protocol (where only 0x0004 is LLC). */
static enum decode_verdict link_ethertype(struct rd *r, uint16_t type, bool len_is_llc,
					  struct pkt *out)
{
	for (int depth = 0; depth < LINK_MAX_TAGS; depth++) {
		switch (type) {
		case ETHERTYPE_IPV4:
			return decode_ip(r, 4, out);
		case ETHERTYPE_IPV6:
			return decode_ip(r, 6, out);
		case ETHERTYPE_ARP:
			return link_arp(r, out);
		case ETHERTYPE_MPLS:
		case ETHERTYPE_MPLS_MC:
			return link_mpls(r, out);
		case ETHERTYPE_VLAN:
		case ETHERTYPE_QINQ:
		case ETHERTYPE_QINQ_OLD:
			rd_skip(r, 2); /* TCI */
			type = rd_be16(r);
			break;
		case ETHERTYPE_PPPOE:
			type = link_pppoe(r);
			break;
		default:
			if (type > ETH_MAX_LEN || (!len_is_llc && type != SLL_P_802_2))
				return DECODE_NOT_IP;
			type = link_llc(r);
			break;
		}
		if (!rd_ok(r))
			return DECODE_TRUNCATED;
		if (type == 0)
			return DECODE_NOT_IP;
		len_is_llc = false; /* a length only follows MAC addresses */
	}
	return DECODE_NOT_IP;
}

enum decode_verdict decode_ethertype(struct rd *r, uint16_t type, struct pkt *out)
{
	return link_ethertype(r, type, false, out);
}

/* Static, so that decode_frame's common case is inlined. The addresses
 * are not copied: a connection reads its own once (pkt.eth). */
static enum decode_verdict link_ethernet(struct rd *r, struct pkt *out)
{
	if (!rd_need(r, ETH_HLEN))
		return DECODE_TRUNCATED;
	const uint8_t *eth = rd_ptr(r);
	rd_skip(r, 12);
	uint16_t type = rd_be16(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	enum decode_verdict v = link_ethertype(r, type, true, out);
	if (v == DECODE_OK || v == DECODE_FRAGMENT)
		out->eth = eth;
	return v;
}

enum decode_verdict decode_ethernet(struct rd *r, struct pkt *out)
{
	return link_ethernet(r, out);
}

/* Linux cooked v1: pkttype(2) hatype(2) halen(2) addr(8) protocol(2). */
static enum decode_verdict link_sll(struct rd *r, struct pkt *out)
{
	if (!rd_need(r, SLL_HLEN))
		return DECODE_TRUNCATED;
	rd_skip(r, 2);
	uint16_t hatype = rd_be16(r);
	rd_skip(r, 10);
	uint16_t type = rd_be16(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (hatype == ARPHRD_NETLINK) /* protocol is a netlink family */
		return DECODE_NOT_IP;
	return link_ethertype(r, type, false, out);
}

/* Linux cooked v2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1)
 * halen(1) addr(8). */
static enum decode_verdict link_sll2(struct rd *r, struct pkt *out)
{
	if (!rd_need(r, SLL2_HLEN))
		return DECODE_TRUNCATED;
	uint16_t type = rd_be16(r);
	rd_skip(r, 6);
	uint16_t hatype = rd_be16(r);
	rd_skip(r, 10);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (hatype == ARPHRD_NETLINK)
		return DECODE_NOT_IP;
	return link_ethertype(r, type, false, out);
}

/* BSD address family values for IPv6 differ per OS. */
static int link_af_version(uint32_t af)
{
	switch (af) {
	case 2:
		return 4;
	case 10: /* Linux */
	case 24: /* NetBSD, OpenBSD */
	case 28: /* FreeBSD */
	case 30: /* Darwin */
		return 6;
	default:
		return 0;
	}
}

/* DLT_NULL: the family is in the writer's byte order, which the file does
 * not record; a value above 0xffff must be the other order. */
static enum decode_verdict link_null(struct rd *r, bool host_order, struct pkt *out)
{
	uint32_t af = host_order ? rd_le32(r) : rd_be32(r);
	if (!rd_ok(r))
		return DECODE_TRUNCATED;
	if (af > 0xffff)
		af = __builtin_bswap32(af);
	int version = link_af_version(af);
	if (!version)
		return DECODE_NOT_IP;
	return decode_ip(r, version, out);
}

/* Untagged Ethernet IPv4/IPv6: the addresses sit at fixed offsets. */
static bool ethernet_ip_addresses(const uint8_t *frame, uint32_t caplen, uint8_t src[16],
				  uint8_t dst[16])
{
	struct rd r = rd_make(frame, caplen);
	rd_skip(&r, ETH_HLEN - 2);
	uint16_t type = rd_be16(&r);
	unsigned version = rd_peek8(&r, 0) >> 4;
	memset(src, 0, 16);
	memset(dst, 0, 16);
	if (type == ETHERTYPE_IPV4 && version == 4) {
		rd_skip(&r, 12);
		rd_copy(&r, src, 4);
		rd_copy(&r, dst, 4);
	} else if (type == ETHERTYPE_IPV6 && version == 6) {
		rd_skip(&r, 8);
		rd_copy(&r, src, 16);
		rd_copy(&r, dst, 16);
	} else {
		return false;
	}
	return rd_ok(&r);
}

bool decode_addresses(int linktype, const uint8_t *frame, uint32_t caplen, uint8_t src[16],
		      uint8_t dst[16])
{
	if (linktype == LINK_ETHERNET && ethernet_ip_addresses(frame, caplen, src, dst))
		return true;
	struct pkt p;
	enum decode_verdict v = decode_frame(linktype, frame, caplen, &p);
	if (v != DECODE_OK && v != DECODE_FRAGMENT)
		return false;
	memcpy(src, p.src, 16);
	memcpy(dst, p.dst, 16);
	return true;
}

/* An untagged Ethernet IPv4 or IPv6 frame that cannot be an ICMP error
 * (its protocol is neither ICMP nor ICMPv6, and no IPv6 extension header
 * hides which): its addresses are all there is to shard by. */
static bool ethernet_not_icmp(const uint8_t *frame, uint32_t caplen)
{
	struct rd r = rd_make(frame, caplen);
	rd_skip(&r, ETH_HLEN - 2);
	uint16_t type = rd_be16(&r);
	if (type == ETHERTYPE_IPV4)
		return rd_peek8(&r, 9) != L4_ICMP;
	uint8_t nh = rd_peek8(&r, 6);
	return nh != L4_ICMPV6 && nh != 0 && nh != 43 && nh != 44 && nh != 60;
}

bool decode_shard_addresses(int linktype, const uint8_t *frame, uint32_t caplen,
			    struct decode_shard_pairs *out)
{
	out->quoted = false;
	if (linktype == LINK_ETHERNET && ethernet_not_icmp(frame, caplen) &&
	    ethernet_ip_addresses(frame, caplen, out->src, out->dst))
		return true;
	struct pkt p;
	enum decode_verdict v = decode_frame(linktype, frame, caplen, &p);
	if (v != DECODE_OK && v != DECODE_FRAGMENT)
		return decode_addresses(linktype, frame, caplen, out->src, out->dst);
	memcpy(out->src, p.src, 16);
	memcpy(out->dst, p.dst, 16);
	struct pkt_quote q;
	if (v == DECODE_OK && decode_icmp_quote(&p, &q)) {
		out->quoted = true;
		memcpy(out->qsrc, q.inner.src, 16);
		memcpy(out->qdst, q.inner.dst, 16);
	}
	return true;
}

enum decode_verdict decode_frame(int linktype, const uint8_t *frame, uint32_t caplen,
				 struct pkt *out)
{
	pkt_clear(out);
	struct rd r = rd_make(frame, caplen);
	switch (linktype) {
	case LINK_ETHERNET:
		return link_ethernet(&r, out);
	case LINK_LINUX_SLL:
		return link_sll(&r, out);
	case LINK_LINUX_SLL2:
		return link_sll2(&r, out);
	case LINK_RAW:
	case LINK_DLT_RAW_ALT:
	case LINK_DLT_RAW_ALT2:
		return decode_ip(&r, 0, out);
	case LINK_IPV4:
		return decode_ip(&r, 4, out);
	case LINK_IPV6:
		return decode_ip(&r, 6, out);
	case LINK_NULL:
		return link_null(&r, true, out);
	case LINK_LOOP:
		return link_null(&r, false, out);
	default:
		return DECODE_BAD_LINK;
	}
}

bool decode_linktype_supported(int linktype)
{
	switch (linktype) {
	case LINK_NULL:
	case LINK_ETHERNET:
	case LINK_RAW:
	case LINK_DLT_RAW_ALT:
	case LINK_DLT_RAW_ALT2:
	case LINK_LOOP:
	case LINK_LINUX_SLL:
	case LINK_IPV4:
	case LINK_IPV6:
	case LINK_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

struct link_name {
	int type;
	const char *name;
};

/* Names as libpcap's pcap_datalink_val_to_name() spells them. */
static const struct link_name link_names[] = {
	{ LINK_NULL, "NULL" },
	{ LINK_ETHERNET, "EN10MB" },
	{ 6, "IEEE802" },
	{ 9, "PPP" },
	{ 10, "FDDI" },
	{ LINK_DLT_RAW_ALT, "RAW" },
	{ LINK_DLT_RAW_ALT2, "RAW" },
	{ 50, "PPP_SERIAL" },
	{ 51, "PPP_ETHER" },
	{ LINK_RAW, "RAW" },
	{ 104, "C_HDLC" },
	{ 105, "IEEE802_11" },
	{ LINK_LOOP, "LOOP" },
	{ LINK_LINUX_SLL, "LINUX_SLL" },
	{ 119, "PRISM" },
	{ 127, "IEEE802_11_RADIO" },
	{ 192, "PPI" },
	{ 195, "IEEE802_15_4" },
	{ 197, "ERF" },
	{ 220, "USB_LINUX_MMAPPED" },
	{ LINK_IPV4, "IPV4" },
	{ LINK_IPV6, "IPV6" },
	{ 239, "NFLOG" },
	{ 253, "NETLINK" },
	{ LINK_LINUX_SLL2, "LINUX_SLL2" },
};

static const char *const link_user_names[] = {
	"USER0", "USER1", "USER2",  "USER3",  "USER4",  "USER5",  "USER6",  "USER7",
	"USER8", "USER9", "USER10", "USER11", "USER12", "USER13", "USER14", "USER15",
};

enum { LINK_USER0 = 147 };

const char *decode_linktype_name(int linktype)
{
	if (linktype >= LINK_USER0 && linktype < LINK_USER0 + 16)
		return link_user_names[linktype - LINK_USER0];
	for (size_t i = 0; i < ARRAY_LEN(link_names); i++)
		if (link_names[i].type == linktype)
			return link_names[i].name;
	return NULL;
}

static const char *const verdict_names[] = {
	[DECODE_OK] = "ok",
	[DECODE_NOT_IP] = "not-ip",
	[DECODE_FRAGMENT] = "fragment",
	[DECODE_TRUNCATED] = "truncated",
	[DECODE_INVALID] = "invalid",
	[DECODE_BAD_LINK] = "bad-link",
};

const char *decode_verdict_name(enum decode_verdict v)
{
	if ((unsigned)v < ARRAY_LEN(verdict_names))
		return verdict_names[v];
	return "unknown";
}

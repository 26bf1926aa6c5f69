/* tunnel.c - the packet a tunnel carries: GRE (RFC 2784, 2890) with IPv4,
 * IPv6, MPLS or, by transparent Ethernet bridging, an Ethernet frame; IP
 * in IP (RFC 2003, 4213, 2473); VXLAN (RFC 7348) and GENEVE (RFC 8926).
 *
 * VXLAN and GENEVE are UDP: on their own ports (4789, 6081) the header is
 * enough; on any other port a UDP payload is taken for one only when the
 * header is exactly well-formed (reserved bits zero) and the frame inside
 * decodes, so that other UDP traffic is not mistaken for a tunnel.
 */
#include "decode/decode.h"

#include <stddef.h>
#include <string.h>

#include "decode/decode_int.h"

enum {
	VXLAN_PORT = DECODE_VXLAN_PORT,
	GENEVE_PORT = DECODE_GENEVE_PORT,
	VXLAN_I = DECODE_VXLAN_I, /* VNI present */
	GENEVE_VERSION_MASK = 0xc0,
	GENEVE_OPTLEN_MASK = 0x3f,
	GENEVE_RESERVED1 = 0x3f,  /* after the O and C bits */
	ETHERTYPE_IPV4_ = DECODE_ETHERTYPE_IPV4,
	ETHERTYPE_IPV6_ = DECODE_ETHERTYPE_IPV6,
	ETHERTYPE_TEB = DECODE_ETHERTYPE_TEB,
	ETHERTYPE_MPLS_ = 0x8847,
	ETHERTYPE_MPLS_MC_ = 0x8848,
};

static const char *const tunnel_names[TUNNEL_COUNT] = {
	[TUNNEL_GRE] = "gre",   [TUNNEL_IPIP] = "ipip",   [TUNNEL_6IN4] = "6in4",
	[TUNNEL_4IN6] = "4in6", [TUNNEL_6IN6] = "6in6",   [TUNNEL_VXLAN] = "vxlan",
	[TUNNEL_GENEVE] = "geneve",
};

const char *decode_tunnel_name(uint8_t type)
{
	return type < TUNNEL_COUNT ? tunnel_names[type] : NULL;
}

/* What a tunnel header said: how the inner packet begins. */
enum inner_start { INNER_ETHERNET, INNER_ETHERTYPE, INNER_IP };

struct opened {
	enum inner_start start;
	uint16_t ethertype;       /* INNER_ETHERTYPE */
	int ip_version;           /* INNER_IP */
	bool strict;              /* a port of its own: the inner frame must decode */
};

static bool gre_carries(uint16_t type)
{
	return type == ETHERTYPE_IPV4_ || type == ETHERTYPE_IPV6_ || type == ETHERTYPE_TEB ||
	       type == ETHERTYPE_MPLS_ || type == ETHERTYPE_MPLS_MC_;
}

/* flags(8) reserved(24) VNI(24) reserved(8); flags other than I, and the
 * reserved fields, must be zero (RFC 7348 section 5). */
static bool vxlan(struct rd *r, bool strict, struct pkt_tunnel *tun, struct opened *o)
{
	uint8_t flags = rd_u8(r);
	uint32_t rsv1 = rd_be24(r);
	uint32_t vni = rd_be24(r);
	uint8_t rsv2 = rd_u8(r);
	if (!rd_ok(r) || !(flags & VXLAN_I))
		return false;
	if (strict && (flags != VXLAN_I || rsv1 || rsv2))
		return false;
	tun->type = TUNNEL_VXLAN;
	tun->id = vni;
	tun->has_id = 1;
	o->start = INNER_ETHERNET;
	return true;
}

/* ver(2) optlen(6) O C rsvd(6) protocol(16) VNI(24) reserved(8) options. */
static bool geneve(struct rd *r, bool strict, struct pkt_tunnel *tun, struct opened *o)
{
	uint8_t b0 = rd_u8(r);
	uint8_t b1 = rd_u8(r);
	uint16_t proto = rd_be16(r);
	uint32_t vni = rd_be24(r);
	uint8_t rsv = rd_u8(r);
	rd_skip(r, (size_t)(b0 & GENEVE_OPTLEN_MASK) * 4);
	if (!rd_ok(r) || (b0 & GENEVE_VERSION_MASK))
		return false;
	if (proto != ETHERTYPE_TEB && proto != ETHERTYPE_IPV4_ && proto != ETHERTYPE_IPV6_)
		return false;
	if (strict && ((b1 & GENEVE_RESERVED1) || rsv))
		return false;
	tun->type = TUNNEL_GENEVE;
	tun->id = vni;
	tun->has_id = 1;
	o->start = proto == ETHERTYPE_TEB ? INNER_ETHERNET : INNER_ETHERTYPE;
	o->ethertype = proto;
	return true;
}

/* decode_may_carry_tunnel has sorted out most UDP already. */
static bool udp_tunnel(struct rd *r, const struct pkt *outer, struct pkt_tunnel *tun,
		       struct opened *o)
{
	bool vx_port = outer->dport == VXLAN_PORT || outer->sport == VXLAN_PORT;
	bool gn_port = outer->dport == GENEVE_PORT || outer->sport == GENEVE_PORT;
	if (vx_port || gn_port) {
		o->strict = false;
		return vx_port ? vxlan(r, false, tun, o) : geneve(r, false, tun, o);
	}
	o->strict = true;
	return rd_peek8(r, 0) == VXLAN_I ? vxlan(r, true, tun, o) : geneve(r, true, tun, o);
}

/* Which tunnel `outer` is, positioning r at its inner packet. */
static bool open_tunnel(struct rd *r, const struct pkt *outer, struct pkt_tunnel *tun,
			struct opened *o)
{
	switch (outer->l4) {
	case L4_GRE:
		if (!gre_carries(outer->gre_proto))
			return false;
		tun->type = TUNNEL_GRE;
		tun->id = outer->xid;
		tun->has_id = outer->has_xid;
		o->start = outer->gre_proto == ETHERTYPE_TEB ? INNER_ETHERNET : INNER_ETHERTYPE;
		o->ethertype = outer->gre_proto;
		return true;
	case L4_IPIP:
	case L4_IPV6:
		o->start = INNER_IP;
		o->ip_version = outer->l4 == L4_IPIP ? 4 : 6;
		tun->type = outer->family == 4 ? (o->ip_version == 4 ? TUNNEL_IPIP : TUNNEL_6IN4)
					       : (o->ip_version == 4 ? TUNNEL_4IN6 : TUNNEL_6IN6);
		return true;
	case L4_UDP:
		return udp_tunnel(r, outer, tun, o);
	default:
		return false;
	}
}

static enum decode_verdict decode_inner(struct rd *r, const struct opened *o, struct pkt *inner)
{
	switch (o->start) {
	case INNER_ETHERNET:
		return decode_ethernet(r, inner);
	case INNER_ETHERTYPE:
		return decode_ethertype(r, o->ethertype, inner);
	default:
		return decode_ip(r, o->ip_version, inner);
	}
}

bool decode_tunnel(const struct pkt *outer, struct pkt *inner, struct pkt_tunnel *tun,
		   enum decode_verdict *v)
{
	if (!outer->payload_len || !decode_may_carry_tunnel(outer))
		return false;
	struct rd r = rd_make(outer->payload, outer->payload_len);
	struct opened o = { .strict = false };
	memset(tun, 0, sizeof *tun);
	if (!open_tunnel(&r, outer, tun, &o))
		return false;
	inner->ts_us = outer->ts_us;
	inner->wirelen = outer->wirelen;
	inner->caplen = outer->caplen;
	pkt_clear(inner);
	*v = decode_inner(&r, &o, inner);
	if (o.strict && *v != DECODE_OK && *v != DECODE_FRAGMENT)
		return false; /* another port's UDP that only looked like a tunnel */
	tun->family = outer->family;
	memcpy(tun->src, outer->src, 16);
	memcpy(tun->dst, outer->dst, 16);
	return true;
}

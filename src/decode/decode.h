/* decode.h - frame -> struct pkt: link layer, VLAN/QinQ, IPv4/IPv6, the
 * header after IP (TCP, UDP, ICMP, ICMPv6, IGMP, SCTP, DCCP, UDP-Lite, ESP,
 * AH, GRE; any other protocol by its number) and Ethernet/IPv4 ARP.
 *
 * Pure and allocation-free; called once per captured frame. Every byte is
 * read through base/rd.h.
 *
 * decode_frame() fills every field of *out except ts_us, wirelen and caplen,
 * which belong to the caller. On DECODE_OK everything applies. On
 * DECODE_FRAGMENT (an IPv4 or IPv6 fragment, the first or a later one)
 * family, src, dst, l4 (the protocol the datagram carries; IPv6: the
 * fragment header's next header), frag_id, frag_off and frag_more are set,
 * payload and payload_len are the captured fragment data and l4_len its
 * length per the IP header; nothing after IP is decoded (reassembly comes
 * first: flow/reasm.h, then decode_datagram). On DECODE_TRUNCATED and
 * DECODE_INVALID the fields decoded before the failing header are left set
 * (for example the addresses when only the TCP header was cut) and are
 * informative only. On DECODE_NOT_IP and DECODE_BAD_LINK nothing is set.
 */
#ifndef WT_DECODE_DECODE_H
#define WT_DECODE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/rd.h"
#include "decode/pkt.h"

enum decode_verdict decode_frame(int linktype, const uint8_t *frame, uint32_t caplen,
				 struct pkt *out);

/* A reassembled datagram: its IP payload (data, of which `captured` bytes
 * were captured out of `len`) carrying protocol `proto` (IPv6: the first
 * fragment's next header; further extension headers are walked). Keeps
 * family, src and dst and the caller's fields of *out, fills the rest as
 * decode_frame() does. */
enum decode_verdict decode_datagram(struct pkt *out, uint8_t proto, const uint8_t *data,
				    uint32_t captured, uint32_t len);

/* Whether an IPv6 first fragment (its data: `captured` of `len` bytes,
 * starting with header `nh`) holds every header through the upper-layer
 * header's first bytes, as RFC 8200 section 4.5 requires. */
bool decode_ip6_upper_header_fits(uint8_t nh, const uint8_t *data, uint32_t captured,
				  uint32_t len);

/* Ports of their own, and the first bytes of the headers (VXLAN's flags,
 * GENEVE's protocol type) that decode_tunnel looks for elsewhere. */
enum {
	DECODE_VXLAN_PORT = 4789,
	DECODE_GENEVE_PORT = 6081,
	DECODE_VXLAN_I = 0x08,
	DECODE_ETHERTYPE_TEB = 0x6558, /* transparent Ethernet bridging */
	DECODE_ETHERTYPE_IPV4 = 0x0800,
	DECODE_ETHERTYPE_IPV6 = 0x86dd,
};

/* A look that costs no call: false when decode_tunnel would certainly
 * find no tunnel in p (most UDP, every TCP). */
static inline bool decode_may_carry_tunnel(const struct pkt *p)
{
	if (p->l4 == L4_TCP)
		return false;
	if (p->l4 == L4_GRE || p->l4 == L4_IPIP || p->l4 == L4_IPV6)
		return true;
	if (p->l4 != L4_UDP)
		return false;
	if (p->dport == DECODE_VXLAN_PORT || p->sport == DECODE_VXLAN_PORT ||
	    p->dport == DECODE_GENEVE_PORT || p->sport == DECODE_GENEVE_PORT)
		return true;
	struct rd r = rd_make(p->payload, p->payload_len);
	uint16_t type = (uint16_t)(rd_peek8(&r, 2) << 8 | rd_peek8(&r, 3));
	return rd_peek8(&r, 0) == DECODE_VXLAN_I || type == DECODE_ETHERTYPE_TEB ||
	       type == DECODE_ETHERTYPE_IPV4 || type == DECODE_ETHERTYPE_IPV6;
}

/* The packet inside a tunnel packet (GRE, IP in IP, VXLAN and GENEVE on
 * their ports, and VXLAN or GENEVE on any UDP port when its header and
 * the frame inside are well-formed). False when `outer` carries none;
 * else *tun says which tunnel, *inner is decoded as decode_frame() would
 * (with outer's ts_us, wirelen and caplen) and *v is its verdict. The
 * tunnel's addresses are outer's: an inner flow is sharded with the frame
 * that carried it. */
bool decode_tunnel(const struct pkt *outer, struct pkt *inner, struct pkt_tunnel *tun,
		   enum decode_verdict *v);

/* "gre", "ipip", "6in4", "4in6", "6in6", "vxlan", "geneve"; NULL for none. */
const char *decode_tunnel_name(uint8_t type);

/* The frame's IP address pair, for spreading frames over workers: whenever
 * decode_frame() finds addresses (IPv4 in the first 4 bytes, the rest
 * zero; ARP's protocol addresses), these are they. Untagged Ethernet IPv4
 * and IPv6 frames are read at fixed offsets without a full decode, so a
 * frame decode_frame() rejects past its addresses (cut short, a bad
 * transport header) may still get them. False when there are none. */
bool decode_addresses(int linktype, const uint8_t *frame, uint32_t caplen, uint8_t src[16],
		      uint8_t dst[16]);

/* True for the link types decode_frame() understands (LINK_* in pkt.h). */
bool decode_linktype_supported(int linktype);

/* libpcap's short name ("EN10MB", "LINUX_SLL2", "USER0", ...) of a link
 * type, supported or not; NULL when unknown. */
const char *decode_linktype_name(int linktype);

/* The protocol's name: IANA's keyword for an IP protocol number
 * ("TCP", "GRE", "ESP", "SCTP", "IGMP", ...; "IP-<n>" when it has none),
 * "ARP" for L4_ARP. */
const char *decode_proto_name(uint16_t l4);

/* Whether the protocol's header begins with source and destination ports
 * (TCP, UDP, SCTP, DCCP, UDP-Lite). */
bool decode_proto_has_ports(uint16_t l4);

/* Short text for a verdict ("ok", "not-ip", "fragment", "truncated",
 * "invalid", "bad-link"), for counters and logs. */
const char *decode_verdict_name(enum decode_verdict v);

#endif

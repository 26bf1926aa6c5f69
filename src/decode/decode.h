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
 * family, src, dst, eth, l4 (the protocol the datagram carries; IPv6: the
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
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "decode/pkt.h"

enum decode_verdict decode_frame(int linktype, const uint8_t *frame, uint32_t caplen,
				 struct pkt *out);

/* A reassembled datagram: its IP payload (data, of which `captured` bytes
 * were captured out of `len`) carrying protocol `proto` (IPv6: the first
 * fragment's next header; further extension headers are walked). Keeps
 * family, src, dst and eth (the frame that completed the datagram) and
 * the caller's fields of *out, fills the rest as decode_frame() does. */
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

/* The address pairs a frame is spread over workers by: its own (as
 * decode_addresses gives it) and, for an ICMP or ICMPv6 error that quotes
 * a datagram (decode_icmp_quote), the quoted datagram's, so the error
 * also reaches the worker that tracks the connection it is about. */
struct decode_shard_pairs {
	uint8_t src[16], dst[16];
	bool quoted;
	uint8_t qsrc[16], qdst[16];
};

/* False when the frame has no addresses. Untagged Ethernet frames other
 * than ICMP and ICMPv6 are read at fixed offsets, as decode_addresses
 * reads them; any other frame is decoded once. */
bool decode_shard_addresses(int linktype, const uint8_t *frame, uint32_t caplen,
			    struct decode_shard_pairs *out);

/* Whether p (decoded) is an error that quotes the datagram it is about:
 * ICMP destination unreachable (3) or time exceeded (11), ICMPv6
 * destination unreachable (1), packet too big (2) or time exceeded (3),
 * each over its own IP version. */
bool decode_icmp_is_error(const struct pkt *p);

/* The datagram an error quotes: `inner` holds what tells its connection
 * apart (family, src, dst, l4; ports, or an ESP / AH SPI, as decode_frame
 * sets them; an echo request's identifier), src being the end that sent
 * it and got the error. mtu: what ICMP's fragmentation needed or ICMPv6's
 * packet too big reports, else 0. False when p is no such error, or its
 * quote is cut before those fields, is a later fragment, or was not sent
 * by p's receiver. */
struct pkt_quote {
	struct pkt inner;
	uint32_t mtu;
};
bool decode_icmp_quote(const struct pkt *p, struct pkt_quote *out);

/* What went wrong, in words, into buf: "port unreachable", "TTL exceeded
 * in transit", "packet too big (mtu 1280)", "destination unreachable
 * (code 99)" (l4: L4_ICMP or L4_ICMPV6). Returns the length written. */
size_t decode_icmp_error_text(char *buf, size_t cap, uint16_t l4, uint8_t type, uint8_t code,
			      uint32_t mtu);

/* A neighbour on the link: an IP address and the hardware address that
 * answers for it. */
struct pkt_neighbour {
	uint8_t family;        /* 4 or 6 */
	uint8_t addr[16];      /* IPv4 in the first 4 bytes, rest zero */
	uint8_t mac[6];
};

/* A look that costs no call: false when decode_neighbour would certainly
 * find nothing in p (every packet but ARP and ICMPv6 neighbour
 * solicitations and advertisements). */
static inline bool decode_may_name_neighbour(const struct pkt *p)
{
	return p->l4 == L4_ARP || (p->l4 == L4_ICMPV6 && (p->icmp_type == 135 || p->icmp_type == 136));
}

/* Who p (decoded, DECODE_OK) says is at which hardware address: an ARP
 * request's or reply's sender (not a probe's, whose sender address is
 * 0.0.0.0); an IPv6 neighbour solicitation's source with its source
 * link-layer address option, or an advertisement's target with its
 * target link-layer address option, only when RFC 4861 sections 7.1.1
 * and 7.1.2 let a host accept it: hop limit 255 (anything less may come
 * from off the link), code 0, at least 24 octets, a target that is not
 * multicast, no option of length 0. False for anything else, a group or
 * zero hardware address, and an option cut short by the capture. */
bool decode_neighbour(const struct pkt *p, struct pkt_neighbour *out);

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

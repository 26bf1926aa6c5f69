/* pkt.h - one decoded frame: what the flow layer and dissectors read.
 *
 * Filled by decode_frame(); pure data, no ownership except `payload`, which
 * is borrowed from the frame buffer and valid only while the frame is.
 */
#ifndef WT_DECODE_PKT_H
#define WT_DECODE_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Link types we decode (values are the DLT_/LINKTYPE_ numbers). */
enum {
	LINK_NULL = 0,        /* BSD loopback: 4-byte host-order family */
	LINK_ETHERNET = 1,
	LINK_RAW = 101,       /* LINKTYPE_RAW: bare IPv4/IPv6 */
	LINK_LOOP = 108,      /* OpenBSD loopback: network-order family */
	LINK_LINUX_SLL = 113,
	LINK_IPV4 = 228,
	LINK_IPV6 = 229,
	LINK_LINUX_SLL2 = 276,
	LINK_DLT_RAW_ALT = 12, /* DLT_RAW on most BSDs / Linux libpcap */
	LINK_DLT_RAW_ALT2 = 14,
};

/* Protocol of a decoded packet: the IP protocol number (IANA), or L4_ARP.
 * Named here are the ones the decoder reads a header of. */
enum {
	L4_ICMP = 1,
	L4_IGMP = 2,
	L4_IPIP = 4,      /* IPv4 encapsulated in IP */
	L4_TCP = 6,
	L4_UDP = 17,
	L4_DCCP = 33,
	L4_IPV6 = 41,     /* IPv6 encapsulated in IP */
	L4_GRE = 47,
	L4_ESP = 50,
	L4_AH = 51,
	L4_ICMPV6 = 58,
	L4_SCTP = 132,
	L4_UDPLITE = 136,
	L4_ARP = 0x0806,  /* not an IP protocol: ARP's ethertype */
};

/* TCP flag bits as on the wire. */
enum {
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
	TCP_URG = 0x20,
};

enum decode_verdict {
	DECODE_OK = 0,
	DECODE_NOT_IP,     /* a frame we do not track (other ethertype, LLC, ...) */
	DECODE_FRAGMENT,   /* an IPv4/IPv6 fragment: reassembly comes first */
	DECODE_TRUNCATED,  /* the capture cut a header short */
	DECODE_INVALID,    /* a header contradicts itself */
	DECODE_BAD_LINK,   /* link type we cannot decode */
};

enum pkt_echo {
	PKT_ECHO_REQUEST = 1,
	PKT_ECHO_REPLY = 2,
};

struct pkt {
	uint64_t ts_us;       /* capture time, microseconds since the epoch */
	uint32_t wirelen;     /* original length on the wire (pcap len) */
	uint32_t caplen;

	uint8_t family;       /* 4 or 6; for ARP 4 (protocol addresses) */
	uint8_t tcp_flags;    /* TCP only */
	uint16_t l4;          /* IP protocol number, or L4_ARP */
	uint8_t icmp_type;    /* ICMP / ICMPv6 / IGMP type */
	uint8_t icmp_code;     /* IGMP: 1 when a v3 report leaves its group */
	uint8_t frag_more;    /* IP "more fragments" bit */
	uint8_t has_xid;      /* xid was in the header (GRE's key is optional) */
	uint8_t echo;         /* ICMP/ICMPv6: PKT_ECHO_REQUEST or PKT_ECHO_REPLY with echo_id and echo_seq, else 0 */
	uint8_t hop_limit;    /* IPv4 TTL / IPv6 hop limit of the (innermost decoded) IP header */
	uint16_t arp_op;      /* ARP only: 1 request, 2 reply */
	uint8_t arp_sha[6];   /* ARP only: the sender's hardware address */
	uint16_t gre_proto;   /* GRE: protocol type (an ethertype) of the payload */

	uint16_t sport, dport; /* TCP, UDP, SCTP, DCCP, UDP-Lite; else 0 */
	uint32_t seq, ack;     /* TCP only */
	uint16_t tcp_window;   /* TCP only: the window field as sent (not scaled) */
	/* What tells a connection apart besides its addresses: ESP and AH
	 * SPI, GRE key (PPTP: call ID); 0 for every other protocol. */
	uint32_t xid;
	uint32_t igmp_group;   /* IGMP: the group, as a big-endian number */
	uint16_t echo_id, echo_seq; /* ICMP/ICMPv6 echo, when echo is set */
	uint32_t frag_id;      /* IPv4 ID or IPv6 fragment identification */
	uint16_t frag_off;     /* fragment offset in bytes */
	uint16_t ip_payload_len; /* L4 length as the IP header claims it */
	uint32_t ip_len;        /* IP header and payload as the header claims it (IPFIX octets) */

	uint8_t src[16];       /* IPv4 in the first 4 bytes, rest zero */
	uint8_t dst[16];

	const uint8_t *payload; /* L4 payload, captured part only; borrowed */
	/* Ethernet (and a tunnel's inner Ethernet frame): the frame's first
	 * 12 bytes, its destination and source addresses, captured; borrowed
	 * as payload is. NULL on other link layers and inside a tunnel that
	 * carries bare IP (IP in IP, GRE with IP inside). */
	const uint8_t *eth;
	uint32_t payload_len;
	uint32_t l4_len;        /* L4 payload length per the headers (may exceed payload_len when truncated) */
};

/* Clears everything after the caller's ts_us, wirelen and caplen. In two
 * pieces: the compiler clears each with a few vector stores, where one
 * memset of it all became `rep stos`, slow to start on every frame. */
static inline void pkt_clear(struct pkt *p)
{
	memset(&p->family, 0, offsetof(struct pkt, src) - offsetof(struct pkt, family));
	memset(p->src, 0, sizeof *p - offsetof(struct pkt, src));
}

/* Tunnels whose inner packets are decoded (decode_tunnel). */
enum tunnel_type {
	TUNNEL_NONE = 0,
	TUNNEL_GRE,       /* RFC 2784/2890: IPv4, IPv6, MPLS, or Ethernet (0x6558) inside */
	TUNNEL_IPIP,      /* IPv4 in IPv4 (RFC 2003) */
	TUNNEL_6IN4,      /* IPv6 in IPv4 (RFC 4213) */
	TUNNEL_4IN6,      /* IPv4 in IPv6 (RFC 2473) */
	TUNNEL_6IN6,      /* IPv6 in IPv6 (RFC 2473) */
	TUNNEL_VXLAN,     /* RFC 7348: Ethernet in UDP */
	TUNNEL_GENEVE,    /* RFC 8926: Ethernet (or IP) in UDP */
	TUNNEL_COUNT,
};

/* The tunnel a decoded inner packet came through: its kind, the outer
 * packet's addresses, and the VNI (VXLAN, GENEVE) or GRE key. */
struct pkt_tunnel {
	uint8_t type;          /* enum tunnel_type */
	uint8_t family;        /* of the outer addresses */
	uint8_t has_id;        /* id holds a VNI or a GRE key */
	uint8_t pad;
	uint32_t id;
	uint8_t src[16], dst[16];
};

#endif

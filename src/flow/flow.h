/* flow.h - one tracked connection and its identity.
 *
 * Identity is the protocol plus the unordered pair of endpoints: (address,
 * port) for the protocols with ports (TCP, UDP, SCTP, DCCP, UDP-Lite), the
 * address alone for the others; ESP and AH add their SPI, GRE its key. The
 * key stores the two endpoints in a fixed order (a before b) so both
 * directions of a connection find the same entry; `init_is_b` records
 * which endpoint started it. Owned by exactly one worker (flow/tracker.h).
 */
#ifndef WT_FLOW_FLOW_H
#define WT_FLOW_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect/dpi.h"
#include "dissect/meta.h"

/* Hashed and compared as bytes: no padding, and every byte set. */
struct flow_key {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint16_t l4;        /* IP protocol number, or L4_ARP */
	uint8_t family;
	uint8_t has_xid;    /* an SPI, or a GRE key (which is optional) */
	uint32_t xid;       /* ESP/AH SPI, GRE key; else 0 */
	uint32_t tunnel;    /* number of the tunnel it came through (flow/tuntab.h); 0 none */
};

/* Direction index of counters: 0 = initiator, 1 = responder. */
enum { DIR_INIT = 0, DIR_RESP = 1 };

/* TCP close tracking of one side, from a passive observer's view (where
 * its FIN's sequence space ends: struct flow's proto.tcp_fin_seq). */
struct tcp_side {
	uint8_t syn : 1;     /* sent a SYN */
	uint8_t fin : 1;     /* sent a FIN */
	uint8_t fin_acked : 1; /* its FIN was acknowledged by the peer */
	uint8_t fin_first : 1; /* its FIN came before the peer's */
};

struct tcp_health;

/* What TCP analysis (flow/tcp_health.c) keeps of a connection's first
 * segment until a second one comes, when its block of state is made: a
 * connection that never gets one (each SYN of a flood) costs no block.
 * The rest of that segment is in struct flow (health_window, the
 * HEALTH_FIRST_* bits of health_bits; its time is first_us). */
struct tcp_first {
	uint32_t nextseq;    /* just past its sequence space */
	uint32_t ack;        /* its ack number; 0 without ACK */
};

/* The echo request an ICMP flow waits to see answered: its capture time
 * (low 32 bits of the microseconds, enough for a reply within an hour;
 * 0 is no request, so a request at exactly 0 is taken as 1 us later),
 * identifier and sequence number. */
struct echo_wait {
	uint32_t sent_us;
	uint16_t id, seq;
};

/* Fields are ordered by size so that the struct has no holes: every byte
 * of it is paid once per tracked connection (a million at a time, and
 * more under a flood); sizeof is held in flow/flowtab.c. */
struct flow {
	struct flow_key key;
	uint64_t id;
	uint64_t first_us, last_us;
	uint64_t packets[2], bytes[2]; /* by DIR_*; bytes of link-layer frames */
	uint64_t ip_bytes[2];          /* IP header and payload, by DIR_* (what IPFIX counts) */
	struct dpi_flow *dpi;          /* NULL when no DPI state is held */
	union {                        /* TCP analysis state (flow/tcp_health.h) */
		struct tcp_health *block;
		struct tcp_first first;
		struct echo_wait echo;  /* ICMP, ICMPv6 */
		uint8_t quic_rtt_done;  /* UDP: the QUIC handshake's round trip is taken */
	} health;
	struct flow_meta meta;
	uint32_t wheel_next, wheel_prev; /* expiry wheel links (pool indices) */
	uint32_t idx;                  /* own index in the shard's pool */
	uint32_t rate_mark[2];         /* low bits of bytes[] at the last published row */
	union {                        /* what the protocol's state machine keeps (flow/state.h) */
		uint32_t tcp_fin_seq[2]; /* TCP, by DIR_*: just past that side's FIN */
		struct {
			uint32_t igmp_group; /* IGMP: group of the last message */
			uint16_t arp_op;     /* ARP: the last operation */
			uint8_t icmp_type;   /* ICMP, ICMPv6, IGMP: the last type seen */
			uint8_t igmp_leave;  /* IGMP: the last report left its group */
		} last;
	} proto;
	uint16_t wheel_slot;
	uint16_t health_window;        /* TCP analysis: the held first segment's window */
	uint8_t health_bits;           /* ... which of `health` holds, and that segment's flags */
	struct tcp_side tcp[2];        /* by DIR_* */
	uint8_t init_is_b : 1;         /* the initiator is key endpoint b */
	uint8_t dpi_done : 1;          /* inspection over: skip DPI */
	uint8_t rst : 1;
	uint8_t syn_ack : 1;           /* SYN+ACK seen from the responder */
	uint8_t established : 1;       /* handshake completed or picked up mid-stream */
	uint8_t in_wheel : 1;
	uint8_t tun_flip : 1;          /* the initiator's outer source is its tunnel's dst */
	uint8_t to_gateway : 1;        /* its remote end was a default gateway when it began */
	int8_t local_side;             /* 0 initiator local, 1 responder local, -1 unknown */
	uint16_t local_mac;            /* the local end's MAC: its number in the tracker's
					  flow/macs.h set; 0 none seen yet, MACS_NONE none to be had */
};

#endif

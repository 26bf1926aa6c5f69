/* reasm.h - IPv4 and IPv6 fragments put back together, the way Linux does
 * (net/ipv4/inet_fragment.c): in any arrival order; a fragment that lies
 * wholly inside data already received is a duplicate and is ignored; any
 * other overlap discards the whole datagram (RFC 5722 for IPv6, and Linux
 * does the same for IPv4); so do a zero-length fragment, a last fragment
 * that disagrees with the length already known, and data past a known
 * end. An IPv6 fragment that is not the last and not a multiple of 8
 * bytes long, or a first one without its upper-layer header (RFC 8200
 * section 4.5), is dropped alone. A datagram of more than 1024 fragments is
 * discarded too (an attack: 1500-byte fragments carry 64 KiB in 45).
 *
 * Datagrams are told apart by (addresses, identification, and for IPv4
 * the protocol) plus the tunnel that carried them. Each waits at most 30 s
 * (IPv4) or 60 s (IPv6) from its first fragment, as Linux's defaults; the
 * fragments held never exceed REASM_MEM_LIMIT bytes: past it a fragment is
 * dropped, and with it the datagram it belonged to. A dropped datagram's
 * fragments are counted (frames_dropped), never silently lost.
 *
 * Owned by one tracker, driven by its thread; no locks.
 */
#ifndef WT_FLOW_REASM_H
#define WT_FLOW_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "decode/pkt.h"

#define REASM_MEM_LIMIT (4u << 20)
#define REASM_TIMEOUT4_US (30 * US_PER_SEC)
#define REASM_TIMEOUT6_US (60 * US_PER_SEC)

struct reasm;

struct reasm_stats {
	uint64_t datagrams;       /* put back together */
	uint64_t frames_dropped;  /* frames of datagrams that were not (tunnel 0) */
	uint64_t tunneled_frames_dropped; /* the same inside a tunnel: its frames count to the tunnel's connection */
	uint64_t overlaps;        /* datagrams discarded for an overlap */
	uint64_t timeouts;        /* datagrams that were still incomplete at their deadline */
	uint64_t over_limit;      /* fragments refused at the memory limit */
	size_t held_bytes;        /* memory held now */
	uint32_t held_frames;     /* fragments waiting now */
};

/* A datagram put back together. */
struct reasm_datagram {
	uint8_t family;
	uint8_t proto;            /* IPv4 protocol; IPv6: the first fragment's next header */
	uint8_t src[16], dst[16];
	uint32_t tunnel;          /* as given with its fragments */
	uint8_t *data;            /* the IP payload; free with reasm_datagram_fini */
	uint32_t len;             /* its length per the IP headers */
	uint32_t captured;        /* bytes from the start that the capture kept */
	uint32_t frames;          /* frames on the wire that brought it, duplicates included */
	uint64_t wire_bytes;      /* their lengths on the wire (pcap len) */
	uint64_t ip_bytes;        /* their IP lengths, headers included (what IPFIX counts) */
	uint64_t first_us;        /* arrival of the first of them */
};

enum reasm_result {
	REASM_HELD,       /* waits for more */
	REASM_DONE,       /* *out is a whole datagram */
	REASM_DROPPED,    /* the fragment (and maybe its datagram) was dropped */
};

/* Told when a datagram starts waiting and when it stops (whatever the
 * reason), with its tunnel: whoever numbers tunnels keeps them alive for
 * that long. Either may be NULL. */
struct reasm_hooks {
	void (*hold)(void *arg, uint32_t tunnel);
	void (*release)(void *arg, uint32_t tunnel);
	void *arg;
};

struct reasm *reasm_new(size_t mem_limit, const struct reasm_hooks *hooks);
void reasm_free(struct reasm *r);

/* Where a fragment came from: the tunnel that carried it (0: none), and
 * the frames on the wire that brought it (one, its own, unless it came in
 * a datagram that was itself put together). */
struct reasm_origin {
	uint32_t tunnel;
	uint32_t frames;
	uint64_t wire_bytes;
};

/* A fragment as decode_frame() gave it (DECODE_FRAGMENT): its datagram is
 * looked up by the fragment's addresses, identification and protocol plus
 * the tunnel. On REASM_DONE the caller owns out->data. */
enum reasm_result reasm_add(struct reasm *r, const struct pkt *p, const struct reasm_origin *o,
			    struct reasm_datagram *out);
void reasm_datagram_fini(struct reasm_datagram *d);

/* Discard datagrams whose time is up as of now_us (all of them with
 * UINT64_MAX: end of input). */
void reasm_expire(struct reasm *r, uint64_t now_us);

const struct reasm_stats *reasm_stats(const struct reasm *r);

#endif

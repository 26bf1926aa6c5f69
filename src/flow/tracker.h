/* tracker.h - one shard of connection tracking: packets in, retired
 * connections out.
 *
 * DESIGN: a tracker owns its flow table outright and is driven by exactly
 * one thread (a worker, or the caller in tests). Time is whatever the
 * packets say (pkt.ts_us) or tracker_tick() is told, so offline runs are
 * deterministic. Expiry uses a wheel of quarter-second slots; a flow sits in
 * the slot of its deadline and is re-examined lazily when the slot comes
 * due, so the packet path never touches the wheel unless a packet changes
 * how long the flow may live (FIN, RST, SYN, an application state).
 */
#ifndef WT_FLOW_TRACKER_H
#define WT_FLOW_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/oui.h"
#include "geo/geo.h"
#include "base/ownports.h"
#include "decode/pkt.h"
#include "flow/flow.h"
#include "flow/lifecycle.h"
#include "flow/row.h"

enum retire_reason {
	RETIRE_TIMEOUT,   /* idle past its timeout */
	RETIRE_REUSED,    /* closed TCP flow whose 5-tuple started anew */
	RETIRE_EVICTED,   /* connection cap reached: oldest idle went first */
	RETIRE_END,       /* end of input or shutdown */
};

/* Addresses that belong to this machine (live mode), to tell local from
 * remote, and its default gateways, to mark connections to them. Sorted
 * arrays of 16-byte addresses; empty offline. */
struct local_addrs {
	uint32_t n;
	const uint8_t (*addr)[16];
	uint32_t gw_n;
	const uint8_t (*gw)[16];
};

#define TRACKER_DEFAULT_MAX_FLOWS 1000000u

struct tracker_opts {
	struct timeouts timeouts;
	uint32_t max_flows;        /* cap; 0 = default 1,000,000 */
	bool no_dpi;
	bool hide_localhost;       /* drop flows between loopback addresses */
	struct local_addrs locals;
	const struct dpi_env *dpi_env;
	struct oui *oui;           /* hardware address vendors; NULL: none */
	struct geo *geo;           /* GeoIP databases: each end's place; NULL: none */
	const struct own_ports *own; /* wiretop's own DNS lookups, never tracked; NULL: none */
	uint32_t rtt_spike_us;     /* a TCP round trip this far over SRTT may be a spike
				    * (flow/tcp_health.h, --findings-rtt-spike); 0: none is */
};

/* Called with each retired flow, before it is recycled, and (optional)
 * with each new one once its first packet is accounted; the flow is
 * borrowed for the call. */
struct tracker_sink {
	void (*retired)(void *opaque, const struct flow *f, uint64_t now_us, enum retire_reason why);
	void (*created)(void *opaque, const struct flow *f);
	void *opaque;
};

struct tracker_stats {
	uint64_t packets, bytes;       /* every frame handed in */
	uint64_t tracked_packets;      /* counted into a flow */
	uint64_t not_ip, truncated, invalid, localhost;
	uint64_t own;                  /* wiretop's own lookups (tracker_opts.own), hidden */
	uint64_t frag_dropped;         /* fragments of datagrams never put together (flow/reasm.h) */
	uint64_t tunneled_undecoded;   /* tunnels' inner packets not decoded (counted with the tunnel) */
	uint64_t flows_created, flows_retired, flows_evicted;
	uint64_t flows_peak;            /* most flows tracked at one time */
};

/* Frames counted into no connection at all (see tracker_stats). Every
 * frame handed in is tracked, unparsed, hidden (localhost, own), or held by
 * reassembly until its datagram is whole or given up. */
static inline uint64_t tracker_unparsed(const struct tracker_stats *s)
{
	return s->not_ip + s->truncated + s->invalid + s->frag_dropped;
}

struct tracker;

struct tracker *tracker_new(const struct tracker_opts *o, const struct tracker_sink *sink);
void tracker_free(struct tracker *t);

/* Addresses to tell the local side and the gateway of connections
 * created from now on (live: the machine's changed); the tracker only
 * borrows them. */
void tracker_set_locals(struct tracker *t, struct local_addrs locals);

/* A packet's flow key and hash, worked out ahead of tracking it. */
struct flow_lookup {
	struct flow_key key;
	uint64_t hash;
	bool from_b;
	bool ready;     /* false: nothing was worked out (tracker_packet does it) */
};

/* Optional, for a batch of frames before each is tracked: fills lk and
 * prefetches the flow's index slot; tracker_prefetch_flow then prefetches
 * the flow itself, so the misses of a batch overlap. */
void tracker_prefetch_slot(struct tracker *t, const struct pkt *p, enum decode_verdict v,
			   struct flow_lookup *lk);
void tracker_prefetch_flow(struct tracker *t, const struct flow_lookup *lk);
/* Account one decoded frame (v is decode_frame's verdict); lk (may be
 * NULL) is what tracker_prefetch_slot worked out for it. */
void tracker_packet(struct tracker *t, const struct pkt *p, enum decode_verdict v,
		    const struct flow_lookup *lk);
/* An ICMP error whose frame another tracker counts (the connection it
 * quotes is sharded here, its own address pair elsewhere): only noted on
 * that connection, as tracker_packet does with the errors it counts. */
void tracker_note_quote(struct tracker *t, const struct pkt *p, enum decode_verdict v);
/* Retire what has timed out as of now_us. */
void tracker_tick(struct tracker *t, uint64_t now_us);
/* Retire everything (end of input). */
void tracker_flush(struct tracker *t, uint64_t now_us);
/* Append a row for every tracked flow to s, with rates over the window
 * since the previous call (zero for a flow silent through all of it). */
void tracker_rows(struct tracker *t, struct snapshot *s, uint64_t now_us);

/* Call fn with every flow that saw a packet at or after since_us. */
void tracker_each_active(struct tracker *t, uint64_t since_us, void (*fn)(void *arg, const struct flow *f),
			 void *arg);
uint32_t tracker_count(const struct tracker *t);
/* Tunnels that tracked connections or waiting fragments came through. */
uint32_t tracker_tunnel_count(const struct tracker *t);
const struct tracker_stats *tracker_stats(const struct tracker *t);

/* Fill a row (a fresh one: what it holds is not released) from one of
 * t's flows; its lan holds the local end's MAC when the connection's
 * Ethernet frames gave one (neighbours add the remote end's in engine/).
 * With borrow_meta the row's meta shares the flow's strings (valid while
 * the flow is) and must not be finalised. */
void tracker_fill_row(const struct tracker *t, const struct flow *f, struct conn_row *r,
		      uint64_t now_us, bool borrow_meta);

#endif

/* dpi.h - the per-flow deep packet inspection driver (what the flow layer
 * calls). Called by the owning worker only.
 *
 * DESIGN: a flow has no DPI state until its first payload packet; then the
 * driver allocates a small struct dpi_flow holding the candidate
 * dissectors, the chosen one's state and, for TCP, bounded in-order
 * reassembly buffers. When the chosen dissector is done, or every
 * candidate said no, the state is freed and dpi_packet() returns false:
 * the flow stops paying for DPI (bulk transfer packets never reach here).
 */
#ifndef WT_DISSECT_DPI_H
#define WT_DISSECT_DPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/pkt.h"
#include "dissect/meta.h"

struct dpi_flow;

/* A connection by its ends: the initiator's address and port, then the
 * responder's (addresses 16 bytes, IPv4 in the first four). */
struct dpi_ends {
	uint8_t family;          /* 4 or 6 */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

/* A connection announced before it is opened: the data connections of
 * FTP's PASV, EPSV, PORT and EPRT. */
struct dpi_expect {
	struct dpi_ends control; /* the connection that announced it */
	uint8_t family;
	bool any_from;           /* from any address (EPRT of the other family) */
	uint8_t from[16];        /* the address that will open it ... */
	uint8_t to[16];          /* ... to this address and port */
	uint16_t to_port;
	uint8_t app;             /* enum app_proto it is labelled with */
	char how[8];             /* the command that set it up: PASV, EPSV, PORT, EPRT */
	uint64_t ts_us;          /* capture time of the announcement */
};

/* A DNS answer (A/AAAA record): name -> address, valid ttl seconds from seen_us. */
struct dns_answer {
	const char *name;     /* sanitized, without trailing dot */
	int family;           /* 4 or 6 */
	const uint8_t *addr;  /* 16 bytes, IPv4 in the first four */
	uint32_t ttl;
	uint64_t seen_us;     /* the packet's time */
};

/* Facts from outside the flow that dissectors may use or feed. */
struct dpi_env {
	/* Called for each DNS answer; may be NULL. */
	void (*dns_answer)(void *opaque, const struct dns_answer *a);
	void *opaque;
	/* Reassembly memory of all flows on this worker: the driver adds and
	 * subtracts what it holds and buffers nothing more once the limit is
	 * reached (the flow then sees only whole segments). NULL: unbounded. */
	size_t *buffered_bytes;
	size_t buffered_limit;
	/* A control connection announces a connection (announce); a new or
	 * retiring one asks for the newest announcement of a connection like
	 * it begun at first_us (expected). Shared by every worker; either may
	 * be NULL. */
	void (*announce)(void *ctx, const struct dpi_expect *e);
	bool (*expected)(void *ctx, const struct dpi_ends *conn, uint64_t first_us,
			 struct dpi_expect *out);
	void *expect_ctx;
};

/* Inspect one packet of a flow. `*dp` starts NULL; the driver allocates and
 * frees it. Returns true while the flow still wants DPI, false once
 * inspection ended (then *dp is NULL again). */
bool dpi_packet(struct dpi_flow **dp, struct flow_meta *meta, const struct pkt *p,
		bool from_client, const struct dpi_env *env);

/* A connection a control connection announced gets the application that
 * set it up and the control connection's ends (META_FTP_CONTROL), once:
 * called when the flow is created and again when it retires (the
 * announcement may have been made on another worker a moment later). */
void dpi_link_announced(struct flow_meta *meta, const struct dpi_ends *conn, uint64_t first_us,
			const struct dpi_env *env);

/* Release a flow's DPI state early (flow retired). dpi_flow_free(NULL) is a no-op. */
void dpi_flow_free(struct dpi_flow *d);

/* Bytes currently held by a flow's DPI state (for memory accounting). */
size_t dpi_flow_bytes(const struct dpi_flow *d);

#endif

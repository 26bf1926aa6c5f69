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

/* Facts from outside the flow that dissectors may use or feed. */
struct dpi_env {
	/* Called for each DNS answer (A/AAAA): name -> address; may be NULL. */
	void (*dns_answer)(void *opaque, const char *name, int family, const uint8_t addr[16]);
	void *opaque;
	/* Reassembly memory of all flows on this worker: the driver adds and
	 * subtracts what it holds and buffers nothing more once the limit is
	 * reached (the flow then sees only whole segments). NULL: unbounded. */
	size_t *buffered_bytes;
	size_t buffered_limit;
};

/* Inspect one packet of a flow. `*dp` starts NULL; the driver allocates and
 * frees it. Returns true while the flow still wants DPI, false once
 * inspection ended (then *dp is NULL again). */
bool dpi_packet(struct dpi_flow **dp, struct flow_meta *meta, const struct pkt *p,
		bool from_client, const struct dpi_env *env);

/* Release a flow's DPI state early (flow retired). dpi_flow_free(NULL) is a no-op. */
void dpi_flow_free(struct dpi_flow *d);

/* Bytes currently held by a flow's DPI state (for memory accounting). */
size_t dpi_flow_bytes(const struct dpi_flow *d);

#endif

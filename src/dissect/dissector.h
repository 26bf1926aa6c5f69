/* dissector.h - the one shape every application-protocol dissector has.
 *
 * A dissector is one file ending in
 *     const struct dissector dissector_ssh = { ... };
 * plus one line in registry.c. Detection is by content: `ports` are only a
 * hint for which dissector to try first. All calls happen on the flow's
 * worker thread; `state` is state_size zeroed bytes owned by the DPI driver
 * and released with state_fini (if set) when inspection of the flow ends.
 */
#ifndef WT_DISSECT_DISSECTOR_H
#define WT_DISSECT_DISSECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/pkt.h"
#include "dissect/dpi.h"
#include "dissect/meta.h"

/* What a dissector is shown. For TCP, `data` is this direction's byte
 * stream from its first byte, in order, contiguous, bounded (reassembled by
 * the driver); for UDP it is one datagram's payload. */
struct dissect_in {
	const uint8_t *data; /* borrowed for the call */
	size_t len;
	bool from_client;    /* sent by the connection's initiator */
	bool stream_full;    /* TCP: the reassembly bound was reached; no more will come */
	const struct pkt *pkt;
	struct flow_meta *meta;
	const struct dpi_env *env;
};

enum probe_result {
	PROBE_NO = 0,  /* certainly not this protocol */
	PROBE_MAYBE,   /* cannot tell yet: show me more */
	PROBE_YES,     /* this is mine: call parse from now on */
};

enum parse_result {
	PARSE_MORE = 0, /* keep feeding this flow */
	PARSE_DONE,     /* have everything wanted: stop inspecting the flow */
};

struct dissector {
	const char *name;
	uint8_t l4;               /* L4_TCP or L4_UDP */
	uint16_t ports[6];        /* hints, 0-terminated */
	enum probe_result (*probe)(const struct dissect_in *in);
	enum parse_result (*parse)(void *state, const struct dissect_in *in);
	size_t state_size;
	void (*state_fini)(void *state);
};

#endif

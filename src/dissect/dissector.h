/* dissector.h - the one shape every application-protocol dissector has.
 *
 * A dissector is one file ending in
 *     const struct dissector dissector_ssh = { ... };
 * plus one line in registry.c. What it stores goes through
 * dissect/meta.h and is shown and written by the fields table
 * (field/fields.c). Detection is by content: `ports` are only a
 * hint for which dissector to try first. All calls happen on the flow's
 * worker thread; `state` is state_size zeroed bytes owned by the DPI driver
 * and released with state_fini (if set) when inspection of the flow ends.
 */
#ifndef WT_DISSECT_DISSECTOR_H
#define WT_DISSECT_DISSECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "decode/pkt.h"
#include "dissect/dpi.h"
#include "dissect/meta.h"

struct dissector;

/* Where a TCP connection switches to another protocol (STARTTLS, an
 * accepted HTTP CONNECT or Upgrade): the offset in each direction's stream
 * at which the new protocol's bytes begin, and the dissector that reads
 * them from there (NULL: whichever recognises them). */
struct dpi_upgrade {
	const struct dissector *to;
	uint32_t start[2]; /* [0] the initiator's stream, [1] the responder's */
};

/* What a dissector is shown. For TCP, `data` is this direction's byte
 * stream from its first byte (after an upgrade: from the new protocol's
 * first byte), in order, contiguous, bounded (reassembled by the driver);
 * for UDP it is one datagram's payload. */
struct dissect_in {
	const uint8_t *data; /* borrowed for the call */
	size_t len;
	bool from_client;    /* sent by the connection's initiator */
	bool stream_full;    /* TCP: the reassembly bound was reached; no more will come */
	const struct pkt *pkt;
	struct flow_meta *meta;
	const struct dpi_env *env;
	struct dpi_upgrade *upgrade; /* TCP: filled by a parse that returns PARSE_UPGRADE */
};

enum probe_result {
	PROBE_NO = 0,  /* certainly not this protocol */
	PROBE_MAYBE,   /* cannot tell yet: show me more */
	PROBE_YES,     /* this is mine: call parse from now on */
};

/* A probe's verdict from how the stream begins against a signature
 * (rd_prefix): a beginning that matches so far waits for more bytes,
 * unless none can come. */
static inline enum probe_result probe_of_prefix(enum rd_prefix p, bool stream_full)
{
	if (p == RD_PREFIX_YES)
		return PROBE_YES;
	return p == RD_PREFIX_SO_FAR && !stream_full ? PROBE_MAYBE : PROBE_NO;
}

enum parse_result {
	PARSE_MORE = 0, /* keep feeding this flow */
	PARSE_DONE,     /* have everything wanted: stop inspecting the flow */
	PARSE_UPGRADE,  /* TCP: the connection switches protocol as *in->upgrade says */
};

struct dissector {
	const char *name;
	const char *label;        /* protocol's name where an upgrade led to it ("TLS"); may be NULL */
	uint8_t l4;               /* L4_TCP or L4_UDP */
	uint16_t ports[6];        /* hints, 0-terminated */
	enum probe_result (*probe)(const struct dissect_in *in);
	enum parse_result (*parse)(void *state, const struct dissect_in *in);
	size_t state_size;
	void (*state_fini)(void *state);
	/* Optional, TCP: the dissector follows the whole connection, past the
	 * driver's packet bound (a control connection that announces others
	 * all along). After each parse that wants more, the driver asks how
	 * many bytes at the start of that direction's stream it is done with
	 * and forgets them: the next parse is shown what follows them, and
	 * the stream holds only what is unfinished (a partial line). */
	uint32_t (*consumed)(void *state, bool from_client);
	/* Optional, UDP: the dissector reads every datagram of the flow, past
	 * the driver's packet bound, until it says PARSE_DONE (it counts
	 * what recurs the whole flow long: WireGuard's handshakes). */
	bool whole_flow;
	/* Optional, once per process before the sandbox confines file access
	 * (registry_prepare): load what the first packet would (OpenSSL's
	 * algorithms read configuration files). */
	void (*prepare)(void);
};

#endif

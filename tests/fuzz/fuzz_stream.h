/* fuzz_stream.h - the one driver the dissector harnesses share: it feeds
 * any struct dissector the way the DPI driver does, from one fuzz input.
 *
 * Input layout:
 *   byte 0      bit 7: skip the probe (parse also meets what the probe
 *               would refuse); bits 0-4: number of segments - 1
 *   one byte per segment: bit 0 the direction (0 client, 1 server),
 *               bits 1-7 its length in units of fuzz_stream.unit (the last
 *               segment takes whatever is left)
 *   the rest    the segments' bytes, back to back
 *
 * A TCP dissector sees each direction as a stream growing segment by
 * segment from its first byte, with a bound (stream_max) so the
 * stream_full path is reached; a UDP dissector sees each segment as one
 * datagram. The probe runs until it says yes or no, then parse until it
 * says done. Results out of range abort (libFuzzer reports the input).
 */
#ifndef WT_FUZZ_STREAM_H
#define WT_FUZZ_STREAM_H

#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"

struct fuzz_stream {
	const struct dissector *d;
	uint16_t server_port;        /* the responder's port (a dissector's hint) */
	const struct dpi_env *env;   /* may be NULL */
	size_t stream_max;           /* TCP: bytes kept per direction */
	size_t unit;                 /* bytes per unit of a segment's length */
};

enum { FUZZ_PROBING, FUZZ_PARSING, FUZZ_OVER };

static inline int fuzz_step(const struct fuzz_stream *s, void *state, int phase,
			    const struct dissect_in *in)
{
	if (phase == FUZZ_PROBING) {
		enum probe_result r = s->d->probe(in);
		if ((unsigned)r > PROBE_YES)
			abort();
		phase = r == PROBE_YES ? FUZZ_PARSING : r == PROBE_NO ? FUZZ_OVER : FUZZ_PROBING;
	}
	if (phase == FUZZ_PARSING) {
		enum parse_result r = s->d->parse(state, in);
		if ((unsigned)r > PARSE_DONE)
			abort();
		phase = r == PARSE_DONE ? FUZZ_OVER : FUZZ_PARSING;
	}
	return phase;
}

/* Feeds the input to s->d; what it stores goes to m. */
static inline void fuzz_stream_run(const struct fuzz_stream *s, const uint8_t *data, size_t size,
				   struct flow_meta *m)
{
	if (size < 2)
		return;
	size_t nseg = (size_t)(data[0] & 0x1f) + 1;
	if (size < 1 + nseg)
		return;
	const uint8_t *cuts = data + 1, *body = data + 1 + nseg;
	size_t blen = size - 1 - nseg, pos = 0;
	bool tcp = s->d->l4 == L4_TCP;
	size_t cap = tcp ? s->stream_max : blen;
	uint8_t *buf[2] = { malloc(cap ? cap : 1), malloc(cap ? cap : 1) };
	size_t len[2] = { 0, 0 };
	void *state = calloc(1, s->d->state_size ? s->d->state_size : 1);
	struct pkt p = { .l4 = s->d->l4, .sport = 50000, .dport = s->server_port };
	int phase = data[0] & 0x80 ? FUZZ_PARSING : FUZZ_PROBING;
	for (size_t i = 0; i < nseg && phase != FUZZ_OVER; i++) {
		int d = cuts[i] & 1;
		size_t n = i + 1 == nseg ? blen - pos : (size_t)(cuts[i] >> 1) * s->unit;
		if (n > blen - pos)
			n = blen - pos;
		if (!tcp)
			len[d] = 0; /* a datagram stands alone */
		size_t room = cap - len[d], take = n < room ? n : room;
		if (take)
			memcpy(buf[d] + len[d], body + pos, take);
		len[d] += take;
		pos += n;
		p.payload_len = (uint32_t)n;
		p.sport = d ? s->server_port : 50000;
		p.dport = d ? 50000 : s->server_port;
		struct dissect_in in = { .data = buf[d], .len = len[d], .from_client = d == 0,
					 .stream_full = tcp && len[d] == cap, .pkt = &p, .meta = m,
					 .env = s->env };
		phase = fuzz_step(s, state, phase, &in);
	}
	if (s->d->state_fini)
		s->d->state_fini(state);
	free(state);
	free(buf[0]);
	free(buf[1]);
}

#endif

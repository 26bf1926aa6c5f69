/* fuzz_dissector.h - the one libFuzzer driver over a struct dissector: it
 * feeds any dissector the way the DPI driver does, from one fuzz input. A
 * target of one dissector is two lines:
 *
 *     #include "fuzz_dissector.h"
 *     FUZZ_DISSECTOR_TARGET(dissector_ntp)
 *
 * A target with more to choose or to check (dns, http, quic, ssh, tls)
 * fills a struct fuzz_target and calls fuzz_dissector_run().
 *
 * Input: byte 0 picks the ports (bit 0: the dissector's first port hint on
 * the server side, else an unhinted one; a target's server_port overrides
 * both) and whether parse runs without a probe first (bit 7: it then meets
 * bytes the probe would refuse); byte 1 is the number of segments (1-32);
 * then two bytes per segment (big endian; top bit: from the server; the
 * rest: its length, the last segment takes what is left); then the bytes.
 * UDP shows each segment alone as a datagram, in a buffer of its exact
 * size so that ASan sees an overread; TCP shows each direction as a stream
 * growing segment by segment from its first byte, bounded at stream_max
 * so that stream_full is reached, less what a dissector that follows the
 * whole connection says it is done with after each parse (consumed), as
 * the driver drops it. The probe runs until it says yes or no, then parse
 * until it says done. Packet times advance 1 ms a segment.
 *
 * Checks: probe and parse results in range, no more consumed than shown,
 * stored strings sanitized (abort() makes libFuzzer report the input). */
#ifndef WT_FUZZ_DISSECTOR_H
#define WT_FUZZ_DISSECTOR_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"
#include "dissect/meta.h"
#include "fuzz_checks.h"

#define FUZZ_STREAM_MAX 4096 /* TCP bytes kept per direction unless a target says */
#define FUZZ_CLIENT_PORT 50000
#define FUZZ_UNHINTED_PORT 50001
#define FUZZ_SEGMENT_MAX 0x7fff /* the most a segment's length says */

struct fuzz_target {
	const struct dissector *d;
	const struct dpi_env *env; /* may be NULL */
	uint16_t server_port;      /* 0: byte 0 of the input picks it */
	size_t stream_max;         /* 0: FUZZ_STREAM_MAX */
	/* UDP, when set: makes the datagram of one segment (at most
	 * FUZZ_SEGMENT_MAX bytes) in out (as much room) and returns its
	 * length; 0 skips the segment. */
	size_t (*datagram)(void *ctx, bool from_server, const uint8_t *seg, size_t n, uint8_t *out);
	void *ctx;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum fuzz_phase { FUZZ_PROBING, FUZZ_PARSING, FUZZ_OVER };

static inline enum fuzz_phase fuzz_step(const struct dissector *d, void *state, enum fuzz_phase phase,
					const struct dissect_in *in)
{
	if (phase == FUZZ_PROBING) {
		enum probe_result r = d->probe(in);
		if (r != PROBE_NO && r != PROBE_MAYBE && r != PROBE_YES)
			abort();
		phase = r == PROBE_YES ? FUZZ_PARSING : r == PROBE_NO ? FUZZ_OVER : FUZZ_PROBING;
	}
	if (phase == FUZZ_PARSING) {
		enum parse_result r = d->parse(state, in);
		if (r != PARSE_MORE && r != PARSE_DONE)
			abort();
		phase = r == PARSE_DONE ? FUZZ_OVER : FUZZ_PARSING;
	}
	return phase;
}

static inline uint16_t fuzz_server_port(const struct fuzz_target *t, uint8_t flags)
{
	if (t->server_port)
		return t->server_port;
	return (flags & 1) && t->d->ports[0] ? t->d->ports[0] : FUZZ_UNHINTED_PORT;
}

/* Feeds the input to t->d; what it stores goes to m, whose strings are
 * then checked. */
static inline void fuzz_dissector_run(const struct fuzz_target *t, const uint8_t *data, size_t size,
				      struct flow_meta *m)
{
	const struct dissector *d = t->d;
	if (size < 2)
		return;
	size_t nseg = data[1] % 32 + 1;
	if (size < 2 + 2 * nseg)
		return;
	const uint8_t *cuts = data + 2, *body = data + 2 + 2 * nseg;
	size_t blen = size - 2 - 2 * nseg, pos = 0;
	bool stream = d->l4 == L4_TCP;
	size_t cap = t->stream_max ? t->stream_max : FUZZ_STREAM_MAX;
	uint8_t *held[2] = { NULL, NULL }; /* TCP: each direction's stream so far */
	size_t held_len[2] = { 0, 0 };
	if (stream) {
		held[0] = malloc(cap);
		held[1] = malloc(cap);
	}
	uint8_t made[FUZZ_SEGMENT_MAX]; /* UDP: what t->datagram makes */
	void *state = calloc(1, d->state_size ? d->state_size : 1);
	uint16_t server_port = fuzz_server_port(t, data[0]);
	enum fuzz_phase phase = data[0] & 0x80 ? FUZZ_PARSING : FUZZ_PROBING;
	for (size_t i = 0; i < nseg && phase != FUZZ_OVER; i++) {
		int dir = cuts[2 * i] >> 7;
		size_t n = i + 1 == nseg ? blen - pos : (size_t)(cuts[2 * i] & 0x7f) << 8 | cuts[2 * i + 1];
		if (n > blen - pos)
			n = blen - pos;
		const uint8_t *seg = body + pos;
		pos += n;
		uint8_t *buf;
		size_t len;
		if (stream) {
			size_t room = cap - held_len[dir], take = n < room ? n : room;
			if (take)
				memcpy(held[dir] + held_len[dir], seg, take);
			held_len[dir] += take;
			buf = held[dir];
			len = held_len[dir];
		} else {
			if (t->datagram) {
				n = t->datagram(t->ctx, dir == 1, seg, n < FUZZ_SEGMENT_MAX ? n : FUZZ_SEGMENT_MAX,
						made);
				seg = made;
			}
			if (!n)
				continue; /* an empty datagram carries nothing to look at */
			buf = malloc(n);
			memcpy(buf, seg, n);
			len = n;
		}
		struct pkt p = { .ts_us = 1700000000000000ull + i * 1000, .family = 4, .l4 = d->l4,
				 .sport = dir ? server_port : FUZZ_CLIENT_PORT,
				 .dport = dir ? FUZZ_CLIENT_PORT : server_port,
				 .payload = stream ? seg : buf, .payload_len = (uint32_t)n, .l4_len = (uint32_t)n };
		struct dissect_in in = { .data = buf, .len = len, .from_client = dir == 0,
					 .stream_full = stream && len == cap, .pkt = &p, .meta = m,
					 .env = t->env };
		phase = fuzz_step(d, state, phase, &in);
		if (stream && phase == FUZZ_PARSING && d->consumed) {
			size_t done = d->consumed(state, dir == 0);
			if (done > held_len[dir])
				abort();
			memmove(held[dir], held[dir] + done, held_len[dir] - done);
			held_len[dir] -= done;
		}
		if (!stream)
			free(buf);
	}
	fuzz_check_strings(m);
	if (d->state_fini)
		d->state_fini(state);
	free(state);
	free(held[0]);
	free(held[1]);
}

/* The libFuzzer entry of a target that is one dissector with the driver's
 * defaults and checks. */
#define FUZZ_DISSECTOR_TARGET(name)                                             \
	extern const struct dissector name;                                     \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)            \
	{                                                                       \
		static const struct fuzz_target t = { .d = &name };             \
		struct flow_meta m;                                             \
		meta_init(&m);                                                  \
		fuzz_dissector_run(&t, data, size, &m);                         \
		meta_fini(&m);                                                  \
		return 0;                                                       \
	}

#endif

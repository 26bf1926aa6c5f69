/* fuzz_reasm.c - libFuzzer entry for IP reassembly (src/flow/reasm.c): the
 * input is a sequence of fragments (family, datagram, offset, length, more
 * fragments, capture cut, time step), fed to a table with a small memory
 * limit. Checks: the limit holds after every fragment; a whole datagram
 * holds exactly the bytes its fragments carried (every fragment of
 * datagram d carries byte (d * 31 + i) at position i, so any misplaced
 * byte shows); every fragment is accounted for, as part of a datagram or
 * as dropped, once everything has expired; holds and releases pair up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LIMIT (64u << 10)

static uint8_t pattern[4][65536 + 8];

static void make_patterns(void)
{
	for (int d = 0; d < 4; d++)
		for (size_t i = 0; i < sizeof pattern[d]; i++)
			pattern[d][i] = (uint8_t)(d * 31 + i);
}

struct balance {
	long holds;
};

static void hold(void *arg, uint32_t tunnel)
{
	(void)tunnel;
	((struct balance *)arg)->holds++;
}

static void release(void *arg, uint32_t tunnel)
{
	(void)tunnel;
	((struct balance *)arg)->holds--;
}

static void check_datagram(const struct reasm_datagram *d)
{
	if (d->captured > d->len || !d->frames)
		abort();
	unsigned which = d->src[1] & 3;
	if (memcmp(d->data, pattern[which], d->captured) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		make_patterns();
		ready = 1;
	}
	struct balance bal = { 0 };
	struct reasm_hooks hooks = { hold, release, &bal };
	struct reasm *r = reasm_new(LIMIT, &hooks);
	uint64_t now = 1000000, fed = 0, whole = 0;
	for (size_t i = 0; i + 6 <= size; i += 6) {
		const uint8_t *b = data + i;
		struct pkt p;
		memset(&p, 0, sizeof p);
		unsigned which = b[0] & 3;
		p.family = (b[0] & 4) ? 6 : 4;
		p.frag_more = (b[0] & 8) != 0;
		p.src[1] = (uint8_t)which;
		p.frag_id = which;
		p.l4 = (b[0] & 16) ? 6 : 17;
		uint32_t off = ((uint32_t)b[1] << 8 | b[2]) & 0x1fff;
		uint32_t len = ((uint32_t)b[3] << 8 | b[4]) & 0x3fff;
		p.frag_off = (uint16_t)(off * 8);
		p.l4_len = len;
		p.payload_len = (b[5] & 1) ? len / 2 : len; /* the capture may cut it */
		if ((uint32_t)p.frag_off + p.payload_len > 65536)
			p.payload_len = 65536 - p.frag_off;
		p.payload = pattern[which] + p.frag_off;
		now += (uint64_t)(b[5] >> 1) * 500000; /* up to 63 s between fragments */
		p.ts_us = now;
		p.wirelen = len + 34;
		reasm_expire(r, now);
		struct reasm_datagram d;
		fed++;
		struct reasm_origin o = { (uint32_t)(b[0] >> 5), 1, p.wirelen };
		if (reasm_add(r, &p, &o, &d) == REASM_DONE) {
			check_datagram(&d);
			whole += d.frames;
			reasm_datagram_fini(&d);
		}
		if (reasm_stats(r)->held_bytes > LIMIT)
			abort();
	}
	reasm_expire(r, UINT64_MAX);
	const struct reasm_stats *st = reasm_stats(r);
	if (st->held_frames || st->held_bytes || bal.holds ||
	    whole + st->frames_dropped + st->tunneled_frames_dropped != fed)
		abort();
	reasm_free(r);
	return 0;
}

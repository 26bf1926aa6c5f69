/* fuzz_dissector.h - the one libFuzzer driver over a struct dissector. A
 * target is two lines:
 *
 *     #define FUZZ_DISSECTOR dissector_ntp
 *     #include "fuzz_dissector.h"
 *
 * Input: byte 0 picks the ports (bit 0: the dissector's first port hint on
 * the server side, else an unhinted one) and whether parse runs without a
 * probe first (bit 7: it then meets bytes the probe would refuse); byte 1
 * is the number of segments (1-32); then two bytes per segment (big
 * endian; top bit: from the server; the rest: its length, the last segment
 * takes what is left); then the bytes. UDP shows each segment alone as a
 * datagram; TCP shows each direction as a growing stream with a small
 * reassembly bound, so stream_full is reached, the way the DPI driver
 * feeds them. Packet times advance 1 ms a segment.
 *
 * Checks: probe and parse results in range, stored strings sanitized. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"
#include "dissect/meta.h"
#include "fuzz_checks.h"

#ifndef FUZZ_DISSECTOR
#error "define FUZZ_DISSECTOR to the dissector under test"
#endif

extern const struct dissector FUZZ_DISSECTOR;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_STREAM_MAX 4096

/* 0 probing, 1 parsing, 2 done or refused. */
static int fuzz_feed(const struct dissector *ds, void *st, int chosen, const struct dissect_in *in)
{
	if (chosen == 0) {
		enum probe_result r = ds->probe(in);
		if (r != PROBE_NO && r != PROBE_MAYBE && r != PROBE_YES)
			abort();
		chosen = r == PROBE_YES ? 1 : r == PROBE_NO ? 2 : 0;
	}
	if (chosen == 1) {
		enum parse_result r = ds->parse(st, in);
		if (r != PARSE_MORE && r != PARSE_DONE)
			abort();
		chosen = r == PARSE_DONE ? 2 : 1;
	}
	return chosen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dissector *ds = &FUZZ_DISSECTOR;
	if (size < 2)
		return 0;
	size_t nseg = data[1] % 32 + 1;
	if (size < 2 + 2 * nseg)
		return 0;
	const uint8_t *cuts = data + 2, *body = data + 2 + 2 * nseg;
	size_t blen = size - 2 - 2 * nseg, pos = 0;
	bool stream = ds->l4 == L4_TCP;
	uint8_t *buf[2] = { malloc(FUZZ_STREAM_MAX), malloc(FUZZ_STREAM_MAX) };
	size_t len[2] = { 0, 0 };
	void *st = calloc(1, ds->state_size ? ds->state_size : 1);
	struct flow_meta m;
	meta_init(&m);
	uint16_t server_port = (data[0] & 1) && ds->ports[0] ? ds->ports[0] : 50001;
	int chosen = data[0] & 0x80 ? 1 : 0;
	for (size_t i = 0; i < nseg && chosen != 2; i++) {
		int d = cuts[2 * i] >> 7;
		size_t n = i + 1 == nseg ? blen - pos : (size_t)(cuts[2 * i] & 0x7f) << 8 | cuts[2 * i + 1];
		if (n > blen - pos)
			n = blen - pos;
		if (!stream)
			len[d] = 0;
		size_t room = FUZZ_STREAM_MAX - len[d], take = n < room ? n : room;
		if (take)
			memcpy(buf[d] + len[d], body + pos, take);
		len[d] += take;
		pos += n;
		struct pkt p = { .ts_us = 1700000000000000ull + i * 1000, .family = 4, .l4 = ds->l4,
				 .sport = d ? server_port : 50000, .dport = d ? 50000 : server_port,
				 .payload = buf[d], .payload_len = (uint32_t)take, .l4_len = (uint32_t)n };
		struct dissect_in in = { .data = buf[d], .len = len[d], .from_client = d == 0,
					 .stream_full = stream && len[d] == FUZZ_STREAM_MAX,
					 .pkt = &p, .meta = &m };
		if (stream || len[d])
			chosen = fuzz_feed(ds, st, chosen, &in);
	}
	fuzz_check_strings(&m);
	if (ds->state_fini)
		ds->state_fini(st);
	free(st);
	meta_fini(&m);
	free(buf[0]);
	free(buf[1]);
	return 0;
}

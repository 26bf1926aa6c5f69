/* fuzz_ssh.c - libFuzzer entry for the SSH dissector. The input opens with
 * segment descriptors (count, then per segment one byte: direction bit and
 * length); the rest is cut into those segments and fed per direction as
 * growing streams, the way the DPI driver does, with a small reassembly
 * bound so the stream_full path is reached. The top bit of the first byte
 * skips the probe, so parse also meets streams the probe would refuse. */
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"

extern const struct dissector dissector_ssh;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_STREAM_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t nseg = data[0] % 32 + 1;
	if (size < 1 + nseg)
		return 0;
	const uint8_t *cuts = data + 1;
	const uint8_t *body = data + 1 + nseg;
	size_t blen = size - 1 - nseg, pos = 0;

	uint8_t *buf[2] = { malloc(FUZZ_STREAM_MAX), malloc(FUZZ_STREAM_MAX) };
	size_t len[2] = { 0, 0 };
	void *st = calloc(1, dissector_ssh.state_size);
	struct flow_meta m;
	meta_init(&m);
	struct pkt p = { .l4 = L4_TCP, .sport = 50000, .dport = 22 };
	int chosen = data[0] & 0x80 ? 1 : 0; /* 0 probing, 1 parsing, 2 done or rejected */
	for (size_t i = 0; i < nseg; i++) {
		int d = cuts[i] & 1;
		size_t n = i + 1 == nseg ? blen - pos : (size_t)(cuts[i] >> 1) * 4;
		if (n > blen - pos)
			n = blen - pos;
		size_t room = FUZZ_STREAM_MAX - len[d], take = n < room ? n : room;
		if (take)
			memcpy(buf[d] + len[d], body + pos, take);
		len[d] += take;
		pos += n;
		p.payload_len = (uint32_t)n;
		struct dissect_in in = { .data = buf[d], .len = len[d], .from_client = d == 0,
					 .stream_full = len[d] == FUZZ_STREAM_MAX,
					 .pkt = &p, .meta = &m };
		if (chosen == 0) {
			enum probe_result r = dissector_ssh.probe(&in);
			chosen = r == PROBE_YES ? 1 : r == PROBE_NO ? 2 : 0;
		}
		if (chosen == 1 && dissector_ssh.parse(st, &in) == PARSE_DONE)
			chosen = 2;
	}
	if (m.app_state > APP_STATE_SSH_ESTABLISHED)
		abort();
	free(st);
	meta_fini(&m);
	free(buf[0]);
	free(buf[1]);
	return 0;
}
